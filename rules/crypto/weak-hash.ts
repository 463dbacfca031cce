import {
  addKeywordArguments,
  callVisitors,
  defineRule,
  nameWords,
  valueDestination,
  type CallInfo,
  type ReportFix,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { findTerm } from '../_shared/name-terms.js';

/** hashlib constructors named after a weak algorithm → display name. */
const HASHLIB_WEAK: ReadonlyMap<string, string> = new Map([
  ['hashlib.md4', 'MD4'],
  ['hashlib.md5', 'MD5'],
  ['hashlib.sha1', 'SHA-1'],
]);

/** `hashlib.new(name)` names (lower case, `-` and `_` removed) → display name. */
const WEAK_NAMES: ReadonlyMap<string, string> = new Map([
  ['md2', 'MD2'],
  ['md4', 'MD4'],
  ['md5', 'MD5'],
  ['md5sha1', 'MD5-SHA1'],
  ['sha', 'SHA-1'],
  ['sha1', 'SHA-1'],
]);

/** Object-style APIs: PyCrypto/PyCryptodome `Hash.X.new` and cryptography's `hashes.X()`. */
const OBJECT_WEAK: ReadonlyMap<string, string> = new Map([
  ...['Crypto', 'Cryptodome'].flatMap((root) =>
    (
      [
        ['MD2', 'MD2'],
        ['MD4', 'MD4'],
        ['MD5', 'MD5'],
        ['SHA', 'SHA-1'],
        ['SHA1', 'SHA-1'],
      ] as const
    ).map(([module, name]) => [`${root}.Hash.${module}.new`, name] as const),
  ),
  ['cryptography.hazmat.primitives.hashes.MD5', 'MD5'],
  ['cryptography.hazmat.primitives.hashes.SHA1', 'SHA-1'],
]);

/** `crypt` methods that are broken: traditional DES crypt and MD5 crypt. */
const WEAK_CRYPT_METHODS: ReadonlyMap<string, string> = new Map([
  ['crypt.METHOD_CRYPT', 'DES crypt'],
  ['crypt.METHOD_MD5', 'MD5 crypt'],
]);

/** Constructions where SHA-1 or MD5 is not used for collision resistance. */
const KEYED_CONTEXTS = /(^|\.)(HMAC|MGF1|OAEP)$/;

/** Names that say the digest is a checksum, cache key or identifier rather than a security control. */
const NON_SECURITY_TERMS = [
  'etag',
  'checksum',
  'cache',
  'cache_key',
  'fingerprint',
  'gravatar',
  'avatar',
];

/**
 * The names among those that make a digest low severity on which the fix says so in code
 * (`usedforsecurity=False`): not `fingerprint`, which also names certificate and key pins.
 */
const OPT_OUT_TERMS = NON_SECURITY_TERMS.filter((term) => term !== 'fingerprint');

/** Words that make a digest a possible security control even under a checksum or cache name. */
const SECURITY_TERMS = [
  'password',
  'passwd',
  'pwd',
  'secret',
  'token',
  'signature',
  'sig',
  'sign',
  'signed',
  'auth',
  'hmac',
  'mac',
  'salt',
  'nonce',
  'otp',
  'credential',
  'session',
  'verify',
  'verification',
  'integrity',
  'private',
  'api_key',
];

/** The hashlib calls that take `usedforsecurity` (Python 3.9+); `file_digest` does not. */
const OPT_OUT_CALLS = new Set(['hashlib.md5', 'hashlib.sha1', 'hashlib.new']);

export default defineRule({
  meta: {
    id: 'PGC001',
    slug: 'weak-hash',
    title: 'Weak hash algorithm (MD4, MD5, SHA-1)',
    category: 'crypto',
    severity: 'medium',
    confidence: 'high',
    cwe: [327, 328],
    owasp: ['A02:2021 Cryptographic Failures'],
    description:
      'Flags MD2, MD4, MD5 and SHA-1 from `hashlib`, PyCrypto/PyCryptodome and `cryptography`, and `crypt` with the DES or MD5 method.',
    why: 'Collisions for MD5 and SHA-1 can be computed cheaply, so a signature, certificate, integrity check or deduplication key built on them can be forged, and they are fast enough that passwords hashed with them fall to brute force. Digests that only serve as checksums or cache keys are a smaller risk, and are reported at low severity.',
    fix: 'Use SHA-256 or stronger (`hashlib.sha256`, `hashes.SHA256()`); for passwords use a password hash such as `argon2`, `bcrypt`, `scrypt` or `hashlib.pbkdf2_hmac`. When the digest is not a security control (an ETag, a cache key, a file checksum), say so with `hashlib.md5(data, usedforsecurity=False)`.',
    example: {
      bad: 'import hashlib\n\nsignature = hashlib.md5(secret + payload).hexdigest()\n',
      good: 'import hashlib\n\nsignature = hashlib.sha256(secret + payload).hexdigest()\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/327.html',
      'https://cwe.mitre.org/data/definitions/328.html',
      'https://docs.python.org/3/library/hashlib.html',
      'https://cryptography.io/en/latest/hazmat/primitives/cryptographic-hashes/',
    ],
    fixable: true,
    bandit: ['B303', 'B324'],
    ruff: ['S303', 'S324'],
  },
  messages: {
    weakHash:
      '`{{callee}}` uses {{algorithm}}, which is broken for collision resistance; use SHA-256 or stronger, or pass `usedforsecurity=False` if this digest is not a security control.',
    weakObject:
      '`{{callee}}` uses {{algorithm}}, which is broken for collision resistance; use SHA-256 or stronger.',
    weakCrypt:
      '`{{callee}}` with {{method}} produces password hashes that are quick to crack; use `crypt.METHOD_SHA512` or, better, a password-hashing library such as argon2 or bcrypt.',
  },
  select: {
    calls: [
      ...HASHLIB_WEAK.keys(),
      ...OBJECT_WEAK.keys(),
      'hashlib.new',
      'hashlib.file_digest',
      'crypt.crypt',
      'crypt.mksalt',
    ],
  },
  create(context) {
    const { model } = context;

    /** `usedforsecurity=False`: the call opts out (bandit and ruff honour this too). */
    const optedOut = (call: CallInfo): boolean => {
      const flag = call.keywords.get('usedforsecurity');
      return flag !== undefined && model.literalValue(flag) === false;
    };

    /** The algorithm a `hashlib.new`/`hashlib.file_digest` name argument selects, when weak. */
    const weakByName = (nameNode: SyntaxNode | undefined): string | undefined => {
      if (nameNode === undefined) return undefined;
      const name = model.staticString(nameNode);
      return name === undefined
        ? undefined
        : WEAK_NAMES.get(name.toLowerCase().replace(/[-_]/g, ''));
    };

    /**
     * Low when the digest is named as a checksum/cache key/ETag or used inside HMAC/OAEP/MGF1;
     * `notSecurity` when, besides, it is named only as a checksum, cache key or ETag (no name
     * also says password, token, signature, …) and not keyed: the digest the fix may mark
     * `usedforsecurity=False`.
     */
    const gradeOf = (node: SyntaxNode): { severity: 'low' | undefined; notSecurity: boolean } => {
      const destination = valueDestination(model, node);
      if (
        destination.through.some((callee) => KEYED_CONTEXTS.test(callee) || callee === 'hmac.new')
      )
        return { severity: 'low', notSecurity: false };
      const words = [
        ...destination.names,
        ...(destination.functionName === undefined ? [] : [destination.functionName]),
      ].map(nameWords);
      const low = words.some((name) => findTerm(name, NON_SECURITY_TERMS) !== undefined);
      const notSecurity =
        words.some((name) => findTerm(name, OPT_OUT_TERMS) !== undefined) &&
        words.every((name) => findTerm(name, SECURITY_TERMS) === undefined);
      return { severity: low ? 'low' : undefined, notSecurity };
    };

    /** `usedforsecurity=False` added to a hashlib call whose digest is not a security control. */
    const optOutFix = (node: SyntaxNode, call: CallInfo, notSecurity: boolean) =>
      notSecurity && OPT_OUT_CALLS.has(call.qualifiedName ?? '')
        ? addKeywordArguments(
            node,
            [{ name: 'usedforsecurity', value: 'False' }],
            'Mark the digest `usedforsecurity=False` (not a security control)',
          )
        : undefined;

    const report = (
      node: SyntaxNode,
      call: CallInfo,
      messageId: 'weakHash' | 'weakObject',
      algorithm: string,
    ) => {
      const { severity, notSecurity } = gradeOf(node);
      const fix: ReportFix | undefined =
        messageId === 'weakHash' ? optOutFix(node, call, notSecurity) : undefined;
      context.report({
        node,
        messageId,
        data: { callee: context.textOf(call.callee), algorithm },
        severity,
        fix,
      });
    };

    const checkCrypt = (node: SyntaxNode, call: CallInfo, method: SyntaxNode | undefined) => {
      if (method === undefined) return;
      const constant = model.qualifiedName(method);
      let label = constant === undefined ? undefined : WEAK_CRYPT_METHODS.get(constant);
      const salt = model.staticString(method);
      if (label === undefined && salt !== undefined && call.qualifiedName === 'crypt.crypt') {
        // A literal salt picks the method: `$1$…` is MD5 crypt, no `$` prefix is DES crypt.
        if (salt.startsWith('$1$')) label = 'MD5 crypt';
        else if (!salt.startsWith('$')) label = 'DES crypt';
      }
      if (label === undefined) return;
      context.report({
        node,
        messageId: 'weakCrypt',
        data: { callee: context.textOf(call.callee), method: label },
      });
    };

    return callVisitors(context, (node, call) => {
      const callee = call.qualifiedName;
      if (callee === undefined) return;
      const direct = HASHLIB_WEAK.get(callee);
      if (direct !== undefined) {
        if (!optedOut(call)) report(node, call, 'weakHash', direct);
        return;
      }
      if (callee === 'hashlib.new') {
        const algorithm = weakByName(model.argument(call, 'name', 0));
        if (algorithm !== undefined && !optedOut(call)) report(node, call, 'weakHash', algorithm);
        return;
      }
      if (callee === 'hashlib.file_digest') {
        // file_digest takes no `usedforsecurity`, so the message does not offer it.
        const algorithm = weakByName(model.argument(call, 'digest', 1));
        if (algorithm !== undefined) report(node, call, 'weakObject', algorithm);
        return;
      }
      const object = OBJECT_WEAK.get(callee);
      if (object !== undefined) {
        report(node, call, 'weakObject', object);
        return;
      }
      if (callee === 'crypt.crypt') checkCrypt(node, call, model.argument(call, 'salt', 1));
      else if (callee === 'crypt.mksalt') checkCrypt(node, call, model.argument(call, 'method', 0));
    });
  },
});
