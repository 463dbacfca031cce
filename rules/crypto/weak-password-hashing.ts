import { unwrapParens, type CallInfo, type SemanticModel } from '../../src/engine/model.js';
import type { SyntaxNode } from '../../src/engine/parse.js';
import type { Severity } from '../../src/engine/types.js';
import { defineRule } from '../../src/rules-api/define-rule.js';
import { constantBytes } from '../_shared/constant-bytes.js';
import { secretNameKind } from '../_shared/secret-names.js';
import { shortText } from '../_shared/short-text.js';
import { testAdjusted } from '../_shared/test-confidence.js';

/** hashlib constructors of fast, unkeyed hashes → display name. */
const FAST_HASHES: ReadonlyMap<string, string> = new Map([
  ['md4', 'MD4'],
  ['md5', 'MD5'],
  ['sha1', 'SHA-1'],
  ['sha224', 'SHA-224'],
  ['sha256', 'SHA-256'],
  ['sha384', 'SHA-384'],
  ['sha512', 'SHA-512'],
  ['sha3_224', 'SHA3-224'],
  ['sha3_256', 'SHA3-256'],
  ['sha3_384', 'SHA3-384'],
  ['sha3_512', 'SHA3-512'],
  ['blake2b', 'BLAKE2b'],
  ['blake2s', 'BLAKE2s'],
]);

/** PBKDF2 iteration counts below this are reported (OWASP now asks for 600,000 with SHA-256). */
const MIN_ITERATIONS = 100_000;
/** Counts below this are an order of magnitude short: high severity. */
const VERY_LOW_ITERATIONS = 10_000;
/** bcrypt cost factors below this are reported (the library default is 12). */
const MIN_BCRYPT_ROUNDS = 10;
/** PyCryptodome's PBKDF2 default `count`. */
const PYCRYPTODOME_DEFAULT_COUNT = 1000;

/** Key-derivation calls: where their salt and iteration count sit. */
interface KdfCall {
  salt?: { keyword: string; position?: number };
  iterations?: { keyword: string; position: number; defaultValue?: number };
}

const KDF_CALLS: ReadonlyMap<string, KdfCall> = new Map<string, KdfCall>([
  [
    'hashlib.pbkdf2_hmac',
    {
      salt: { keyword: 'salt', position: 2 },
      iterations: { keyword: 'iterations', position: 3 },
    },
  ],
  ['hashlib.scrypt', { salt: { keyword: 'salt' } }],
  [
    'cryptography.hazmat.primitives.kdf.pbkdf2.PBKDF2HMAC',
    {
      salt: { keyword: 'salt', position: 2 },
      iterations: { keyword: 'iterations', position: 3 },
    },
  ],
  ['cryptography.hazmat.primitives.kdf.scrypt.Scrypt', { salt: { keyword: 'salt', position: 0 } }],
  ...['Crypto', 'Cryptodome'].map(
    (root) =>
      [
        `${root}.Protocol.KDF.PBKDF2`,
        {
          salt: { keyword: 'salt', position: 1 },
          iterations: {
            keyword: 'count',
            position: 3,
            defaultValue: PYCRYPTODOME_DEFAULT_COUNT,
          },
        },
      ] as const,
  ),
  ['bcrypt.hashpw', { salt: { keyword: 'salt', position: 1 } }],
  ['django.contrib.auth.hashers.make_password', { salt: { keyword: 'salt', position: 1 } }],
]);

const GETPASS = new Set(['getpass.getpass']);
const PASSWORD_KINDS = new Set(['password', 'passphrase']);

export default defineRule({
  meta: {
    id: 'PGC002',
    slug: 'weak-password-hashing',
    title: 'Password hashed with a fast hash, a constant salt or too few iterations',
    category: 'crypto',
    severity: 'high',
    confidence: 'high',
    cwe: [916, 759, 760],
    owasp: ['A02:2021 Cryptographic Failures'],
    description:
      'Flags passwords hashed with MD5, SHA-1, SHA-2, SHA-3 or BLAKE2 from `hashlib`; PBKDF2 with fewer than 100,000 iterations; PBKDF2, scrypt, bcrypt and Django `make_password` with a constant salt; and `bcrypt.gensalt` with fewer than 10 rounds.',
    why: 'General-purpose hashes are built to be fast: a single GPU computes billions of SHA-256 hashes per second, so a leaked table of SHA-256 password hashes is mostly cracked within days. Password hashes are deliberately slow and salted per password; too few iterations undo the slowness, and a constant salt lets one precomputed table crack every account at once and shows which users share a password.',
    fix: 'Hash passwords with a password-hashing function: `argon2-cffi` (`PasswordHasher().hash(pw)`), `bcrypt.hashpw(pw, bcrypt.gensalt())`, `hashlib.scrypt`, or `hashlib.pbkdf2_hmac("sha256", pw, salt, 600_000)` with `salt = os.urandom(16)` stored beside the hash. In Django, use `make_password(pw)` without a salt argument.',
    example: {
      bad: 'import hashlib\n\nstored = hashlib.sha256(password.encode()).hexdigest()\n',
      good: 'import hashlib\nimport os\n\nsalt = os.urandom(16)\nstored = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/916.html',
      'https://cwe.mitre.org/data/definitions/760.html',
      'https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html',
      'https://docs.python.org/3/library/hashlib.html#key-derivation',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    fastHash:
      '`{{callee}}` hashes {{source}} with {{algorithm}}, which attackers can compute billions of times per second; use argon2, bcrypt, scrypt or PBKDF2 with a random salt.',
    lowIterations:
      '`{{callee}}` runs only {{count}} iterations, which makes guessing passwords cheap; use at least 600,000 for PBKDF2-HMAC-SHA256 (OWASP), or argon2.',
    defaultIterations:
      '`{{callee}}` uses its default of {{count}} iterations, which makes guessing passwords cheap; pass `count=600_000` or more, or use argon2.',
    constantSalt:
      '`{{callee}}` uses a constant salt (`{{value}}`), so equal passwords get equal hashes and one precomputed table cracks them all; generate a random salt per password with `os.urandom(16)`.',
    lowRounds:
      '`{{callee}}` uses a cost of {{rounds}} rounds, which makes bcrypt hashes cheap to crack; keep the default of 12 or raise it.',
  },
  create(context) {
    const { model } = context;

    const confidence = testAdjusted('high', context.isTestFile);

    const checkKdf = (node: SyntaxNode, call: CallInfo, kdf: KdfCall): void => {
      const callee = context.textOf(call.callee);
      if (kdf.salt !== undefined) {
        const salt = model.argument(call, kdf.salt.keyword, kdf.salt.position);
        if (salt !== undefined && constantBytes(model, salt) !== undefined) {
          context.report({
            node: salt,
            messageId: 'constantSalt',
            data: { callee, value: shortText(context.textOf(salt), 30) },
            confidence,
          });
        }
      }
      const iterations = kdf.iterations;
      if (iterations === undefined) return;
      const countNode = model.argument(call, iterations.keyword, iterations.position);
      if (countNode === undefined) {
        if (iterations.defaultValue === undefined || call.hasKwargs || call.hasStarArgs) return;
        context.report({
          node,
          messageId: 'defaultIterations',
          data: { callee, count: iterations.defaultValue.toLocaleString('en-US') },
          severity: iterationSeverity(iterations.defaultValue),
          confidence,
        });
        return;
      }
      const count = model.literalValue(countNode);
      if (typeof count !== 'number' || count >= MIN_ITERATIONS) return;
      context.report({
        node: countNode,
        messageId: 'lowIterations',
        data: { callee, count: count.toLocaleString('en-US') },
        severity: iterationSeverity(count),
        confidence,
      });
    };

    const checkFastHash = (node: SyntaxNode, call: CallInfo, algorithm: string): void => {
      const data =
        call.qualifiedName === 'hashlib.new'
          ? model.argument(call, 'data', 1)
          : (call.keywords.get('data') ?? call.keywords.get('string') ?? call.positional[0]);
      const source = data === undefined ? undefined : passwordSource(model, data);
      if (source === undefined) return;
      context.report({
        node,
        messageId: 'fastHash',
        data: { callee: context.textOf(call.callee), source, algorithm },
        confidence,
      });
    };

    return {
      call(node) {
        const call = context.call(node);
        const callee = call.qualifiedName;
        if (callee !== undefined) {
          if (callee.startsWith('hashlib.')) {
            const name = callee.slice('hashlib.'.length);
            const algorithm =
              name === 'new' ? hashlibNewAlgorithm(model, call) : FAST_HASHES.get(name);
            if (algorithm !== undefined) {
              checkFastHash(node, call, algorithm);
              return;
            }
          }
          const kdf = KDF_CALLS.get(callee);
          if (kdf !== undefined) {
            checkKdf(node, call, kdf);
            return;
          }
          if (callee === 'bcrypt.gensalt') {
            const roundsNode = model.argument(call, 'rounds', 0);
            const rounds = roundsNode === undefined ? undefined : model.literalValue(roundsNode);
            if (typeof rounds === 'number' && rounds < MIN_BCRYPT_ROUNDS) {
              context.report({
                node,
                messageId: 'lowRounds',
                data: { callee: context.textOf(call.callee), rounds },
                severity: 'medium',
                confidence,
              });
            }
          }
          return;
        }
        // `h = hashlib.sha256(); h.update(password.encode())`
        if (call.methodName !== 'update' || call.callee.type !== 'attribute') return;
        const object = call.callee.childForFieldName('object');
        const maker = object === null ? undefined : model.constructedBy(object);
        if (maker?.startsWith('hashlib.') !== true) return;
        const algorithm = FAST_HASHES.get(maker.slice('hashlib.'.length));
        if (algorithm !== undefined) checkFastHash(node, call, algorithm);
      },
    };
  },
});

function iterationSeverity(count: number): Severity {
  return count < VERY_LOW_ITERATIONS ? 'high' : 'medium';
}

/** The algorithm `hashlib.new("sha256", ...)` selects, when it is a fast hash. */
function hashlibNewAlgorithm(model: SemanticModel, call: CallInfo): string | undefined {
  const nameNode = model.argument(call, 'name', 0);
  const name = nameNode === undefined ? undefined : model.staticString(nameNode);
  return name === undefined ? undefined : FAST_HASHES.get(name.toLowerCase().replace(/-/g, '_'));
}

/**
 * How the hashed data shows it is a password: `a password` when a name in it says so
 * (`password`, `user.passwd`, `form["password"]`), `a getpass() result` when it comes from
 * `getpass.getpass()`; undefined otherwise.
 */
function passwordSource(model: SemanticModel, data: SyntaxNode): string | undefined {
  const root = unwrapParens(data);
  const candidates = [root, ...root.descendantsOfType(['identifier', 'string', 'call'])];
  for (const node of candidates) {
    if (node.type === 'identifier') {
      const name = model.textOf(node);
      if (isPasswordName(name)) return `a password (\`${name}\`)`;
      const value = unwrapParens(model.resolveValue(node));
      if (value.type === 'call' && isGetpass(model, value)) return 'a `getpass()` result';
    } else if (node.type === 'string' && node.parent?.type === 'subscript') {
      const key = model.staticString(node);
      if (key !== undefined && isPasswordName(key)) return `a password (\`${key}\`)`;
    } else if (node.type === 'call') {
      if (isGetpass(model, node)) return 'a `getpass()` result';
      // request.form.get("password")
      const call = model.call(node);
      const first = call.positional[0];
      const key =
        call.methodName === 'get' && first !== undefined ? model.staticString(first) : undefined;
      if (key !== undefined && isPasswordName(key)) return `a password (\`${key}\`)`;
    }
  }
  return undefined;
}

function isPasswordName(name: string): boolean {
  const kind = secretNameKind(name);
  return kind !== undefined && PASSWORD_KINDS.has(kind);
}

function isGetpass(model: SemanticModel, node: SyntaxNode): boolean {
  const name = model.call(node).qualifiedName;
  return name !== undefined && GETPASS.has(name);
}
