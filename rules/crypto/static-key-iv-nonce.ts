import {
  callVisitors,
  constantBytes,
  defineRule,
  functionScopeOf,
  shortText,
  testAdjusted,
  type CallInfo,
  type Confidence,
  type ConstantBytesKind,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import {
  cryptographyAlgorithmOf,
  cryptographyModeOf,
  pycryptoCipherOf,
  pycryptoModeOf,
} from '../_shared/cipher-apis.js';

type Role = 'key' | 'IV' | 'nonce';

/** PyCryptodome modes whose third positional argument is an IV, and those where it is a nonce. */
const IV_MODES = new Set(['CBC', 'CFB', 'OFB', 'OPENPGP']);
const NONCE_MODES = new Set(['CCM', 'EAX', 'GCM', 'OCB']);
/** PyCryptodome stream ciphers that take `nonce=`. */
const NONCE_CIPHERS = new Set(['ChaCha20', 'ChaCha20_Poly1305', 'Salsa20']);

/** `cryptography` modes: which argument is the IV or nonce. */
const CRYPTOGRAPHY_MODES: ReadonlyMap<string, { keyword: string; role: Role }> = new Map([
  ['CBC', { keyword: 'initialization_vector', role: 'IV' }],
  ['CFB', { keyword: 'initialization_vector', role: 'IV' }],
  ['CFB8', { keyword: 'initialization_vector', role: 'IV' }],
  ['OFB', { keyword: 'initialization_vector', role: 'IV' }],
  ['CTR', { keyword: 'nonce', role: 'nonce' }],
  ['GCM', { keyword: 'initialization_vector', role: 'nonce' }],
]);

const AEAD = 'cryptography.hazmat.primitives.ciphers.aead.';
/** AEAD classes whose `encrypt(nonce, data, aad)` needs a unique nonce (AES-SIV takes none). */
const AEAD_WITH_NONCE = new Set(['AESGCM', 'AESCCM', 'ChaCha20Poly1305', 'AESOCB3']);
const FERNET = new Set(['cryptography.fernet.Fernet']);
const COUNTER_NEW = new Set(['Crypto.Util.Counter.new', 'Cryptodome.Util.Counter.new']);

const PHRASES: Readonly<Record<Role, Readonly<Record<ConstantBytesKind, string>>>> = {
  key: {
    empty: 'an empty key',
    zero: 'an all-zero key',
    literal: 'a hardcoded key',
    derived: 'a key derived from a hardcoded value',
  },
  IV: {
    empty: 'an empty IV',
    zero: 'an all-zero IV',
    literal: 'a hardcoded IV',
    derived: 'an IV derived from a hardcoded value',
  },
  nonce: {
    empty: 'an empty nonce',
    zero: 'an all-zero nonce',
    literal: 'a hardcoded nonce',
    derived: 'a nonce derived from a hardcoded value',
  },
};

const SEVERITY: Readonly<Record<Role, Severity>> = { key: 'high', IV: 'medium', nonce: 'high' };

export default defineRule({
  meta: {
    id: 'PGC006',
    slug: 'static-key-iv-nonce',
    title: 'Hardcoded, empty or all-zero encryption key, IV or nonce',
    category: 'crypto',
    severity: 'high',
    confidence: 'high',
    cwe: [321, 329, 323, 1204],
    owasp: ['A02:2021 Cryptographic Failures'],
    description:
      'Flags literal, empty, all-zero or constant-derived keys, IVs and nonces passed to PyCrypto/PyCryptodome ciphers, `cryptography` algorithms, modes, AEAD classes and Fernet, CTR counters that restart at a fixed value, and one nonce or IV variable used for two encryptions under the same key in a function.',
    why: 'A key written into the code is known to everyone who can read the code, so the encryption protects nothing. A fixed IV makes equal plaintexts encrypt to equal ciphertexts and enables chosen-plaintext attacks on CBC; a fixed nonce in CTR, GCM or ChaCha20 reuses the keystream, which reveals the XOR of the plaintexts and, for GCM, lets an attacker forge messages.',
    fix: 'Load keys from a secret manager or the environment, or generate them with `os.urandom(32)` / `AESGCM.generate_key(bit_length=256)`. Generate a fresh IV or nonce for every message (a new `os.urandom(...)` call before each encryption, not one shared variable) (`os.urandom(12)` for GCM, `os.urandom(16)` for CBC) and store it next to the ciphertext; it does not need to be secret.',
    example: {
      bad: 'from Crypto.Cipher import AES\n\ncipher = AES.new(KEY, AES.MODE_CBC, iv=b"\\x00" * 16)\n',
      good: 'import os\nfrom Crypto.Cipher import AES\n\niv = os.urandom(16)\ncipher = AES.new(KEY, AES.MODE_CBC, iv=iv)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/321.html',
      'https://cwe.mitre.org/data/definitions/329.html',
      'https://cwe.mitre.org/data/definitions/323.html',
      'https://cryptography.io/en/latest/hazmat/primitives/symmetric-encryption/',
      'https://www.pycryptodome.org/src/cipher/modern',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    staticKey:
      '`{{callee}}` is given {{what}} (`{{value}}`), so anyone who can read the code can decrypt; load the key from a secret store or generate it with `os.urandom(32)`.',
    staticIv:
      '`{{callee}}` is given {{what}} (`{{value}}`), so equal plaintexts encrypt alike and chosen-plaintext attacks work; generate a fresh IV per message with `os.urandom(16)`.',
    staticNonce:
      '`{{callee}}` is given {{what}} (`{{value}}`); reusing a nonce with one key reveals the XOR of the plaintexts and, with GCM, lets tags be forged. Generate a fresh nonce per message.',
    reusedNonce:
      'The nonce `{{name}}` already encrypted a message under the same key on line {{line}} and is not renewed in between; reusing it reveals the XOR of the plaintexts and, with GCM, lets tags be forged. Generate a fresh nonce for every message.',
    reusedIv:
      'The IV `{{name}}` already encrypted a message under the same key on line {{line}} and is not renewed in between, so messages with equal beginnings encrypt alike; generate a fresh IV for every message with `os.urandom(16)`.',
    staticCounter:
      '`{{callee}}` starts its CTR counter at the same value for every message, so the keystream repeats; give `Counter.new` a random `prefix`, or pass `nonce=get_random_bytes(8)` instead of a counter.',
  },
  select: { calls: ['Crypto.*', 'Cryptodome.*', 'cryptography.*'], methods: ['encrypt'] },
  create(context) {
    const { model } = context;
    /** Earlier encryptions per function and nonce/IV variable name. */
    const encryptions = new Map<string, { nonce: SyntaxNode; key: string }[]>();

    /**
     * Records an encryption that takes `nonce` (a plain variable) under the key `key` and reports
     * it when the same variable, not re-bound in between, already encrypted under the same key in
     * this function (outside mutually exclusive branches).
     */
    const trackReuse = (nonce: SyntaxNode | undefined, key: string, role: Role): void => {
      if (nonce?.type !== 'identifier') return;
      const name = context.textOf(nonce);
      const scope = functionScopeOf(model, nonce);
      const id = `${scope.start}:${name}`;
      const earlier = encryptions.get(id) ?? [];
      const bindings = scope.bindings.get(name) ?? [];
      for (const previous of earlier) {
        if (previous.key !== key) continue;
        const rebound = bindings.some(
          (binding) =>
            binding.node.startIndex > previous.nonce.endIndex &&
            binding.node.startIndex < nonce.startIndex,
        );
        if (rebound || inExclusiveBranches(previous.nonce, nonce)) continue;
        context.report({
          node: nonce,
          messageId: role === 'nonce' ? 'reusedNonce' : 'reusedIv',
          data: { name, line: previous.nonce.startPosition.row + 1 },
          severity: role === 'nonce' ? 'high' : 'medium',
          confidence: testAdjusted('medium', context.isTestFile),
        });
        break;
      }
      earlier.push({ nonce, key });
      encryptions.set(id, earlier);
    };

    /** Whether a PyCryptodome cipher built by `call` encrypts (`.encrypt*()` on it or its name). */
    const encrypts = (call: SyntaxNode): boolean => {
      const parent = call.parent;
      if (parent?.type === 'attribute') {
        const method = parent.childForFieldName('attribute');
        return method !== null && context.textOf(method).startsWith('encrypt');
      }
      if (parent?.type !== 'assignment') return false;
      const left = parent.childForFieldName('left');
      if (left?.type !== 'identifier') return false;
      const name = context.textOf(left);
      const scope = functionScopeOf(model, call);
      const body = scope.kind === 'module' ? model.tree.rootNode : scope.node;
      const source = context.textOf(body);
      const offset = body.startIndex;
      const pattern = new RegExp(`\\b${name}\\s*\\.\\s*encrypt`, 'g');
      for (const match of source.matchAll(pattern)) {
        if (offset + match.index > parent.endIndex) return true;
      }
      return false;
    };

    const check = (call: CallInfo, argument: SyntaxNode | undefined, role: Role): void => {
      if (argument === undefined) return;
      const kind = constantBytes(model, argument);
      if (kind === undefined) return;
      context.report({
        node: argument,
        messageId: role === 'key' ? 'staticKey' : role === 'IV' ? 'staticIv' : 'staticNonce',
        data: {
          callee: context.textOf(call.callee),
          what: PHRASES[role][kind],
          value: shortText(context.textOf(argument), 30),
        },
        severity: SEVERITY[role],
        confidence: confidenceFor(role, context.isTestFile),
      });
    };

    const checkPycrypto = (call: CallInfo, cipher: string): void => {
      check(call, model.argument(call, 'key', 0), 'key');
      if (NONCE_CIPHERS.has(cipher)) {
        const nonce = call.keywords.get('nonce');
        check(call, nonce, 'nonce');
        const key = model.argument(call, 'key', 0);
        if (key !== undefined && encrypts(call.node))
          trackReuse(nonce, context.textOf(key), 'nonce');
        return;
      }
      const mode = pycryptoModeOf(model, call);
      if (typeof mode !== 'string' || mode === 'ECB' || mode === 'SIV') return;
      const third = call.positional[2];
      const iv = call.keywords.get('iv') ?? call.keywords.get('IV');
      if (iv !== undefined) check(call, iv, 'IV');
      else if (third !== undefined && IV_MODES.has(mode)) check(call, third, 'IV');
      const nonce = call.keywords.get('nonce') ?? (NONCE_MODES.has(mode) ? third : undefined);
      check(call, nonce, 'nonce');
      const reusable = nonce ?? iv ?? (IV_MODES.has(mode) ? third : undefined);
      const key = model.argument(call, 'key', 0);
      if (reusable !== undefined && key !== undefined && encrypts(call.node))
        trackReuse(reusable, context.textOf(key), nonce === undefined ? 'IV' : 'nonce');
      const counter = call.keywords.get('counter');
      if (mode === 'CTR' && counter !== undefined && isFixedCounter(counter)) {
        context.report({
          node: counter,
          messageId: 'staticCounter',
          data: { callee: context.textOf(call.callee) },
          severity: 'high',
          confidence: confidenceFor('nonce', context.isTestFile),
        });
      }
    };

    /** `Counter.new(128)` or `Counter.new(64, prefix=b"fixed")`: no random part. */
    const isFixedCounter = (node: SyntaxNode): boolean => {
      const value = model.resolveValue(node);
      if (value.type !== 'call') return false;
      const counter = model.call(value);
      if (counter.qualifiedName === undefined || !COUNTER_NEW.has(counter.qualifiedName))
        return false;
      if (counter.hasKwargs || counter.hasStarArgs) return false;
      const parts = ['prefix', 'suffix', 'initial_value']
        .map((name) => counter.keywords.get(name))
        .filter((part) => part !== undefined);
      return parts.every(
        (part) =>
          constantBytes(model, part) !== undefined || model.literalValue(part) !== undefined,
      );
    };

    return callVisitors(context, (_node, call) => {
      const callee = call.qualifiedName;
      if (callee !== undefined) {
        const first = callee.charCodeAt(0);
        if (first !== 67 && first !== 99) return; // Crypto, Cryptodome, cryptography
        const cipher = pycryptoCipherOf(callee);
        if (cipher !== undefined) {
          checkPycrypto(call, cipher);
          return;
        }
        const algorithm = cryptographyAlgorithmOf(callee);
        if (algorithm !== undefined) {
          check(call, model.argument(call, 'key', 0), 'key');
          if (algorithm === 'ChaCha20') check(call, model.argument(call, 'nonce', 1), 'nonce');
          return;
        }
        const mode = CRYPTOGRAPHY_MODES.get(cryptographyModeOf(callee) ?? '');
        if (mode !== undefined) {
          check(call, model.argument(call, mode.keyword, 0), mode.role);
          return;
        }
        if (callee.startsWith(AEAD) || FERNET.has(callee)) {
          check(call, model.argument(call, 'key', 0), 'key');
        }
        return;
      }
      if (call.methodName !== 'encrypt') return;
      const object =
        call.callee.type === 'attribute' ? call.callee.childForFieldName('object') : null;
      const maker = object === null ? undefined : model.constructedBy(object);
      if (maker?.startsWith(AEAD) !== true || !AEAD_WITH_NONCE.has(maker.slice(AEAD.length)))
        return;
      const nonce = model.argument(call, 'nonce', 0);
      check(call, nonce, 'nonce');
      if (object !== null) trackReuse(nonce, context.textOf(object), 'nonce');
    });
  },
});

const BRANCHING = new Set([
  'if_statement',
  'try_statement',
  'match_statement',
  'conditional_expression',
]);

/** Whether two nodes sit in different arms of one `if`/`try`/`match`, so at most one runs. */
function inExclusiveBranches(first: SyntaxNode, second: SyntaxNode): boolean {
  let common: SyntaxNode | null = second.parent;
  while (
    common !== null &&
    !(common.startIndex <= first.startIndex && first.endIndex <= common.endIndex)
  )
    common = common.parent;
  return common !== null && BRANCHING.has(common.type);
}

/** Test code uses fixed keys and IVs for known-answer vectors on purpose. */
function confidenceFor(role: Role, isTestFile: boolean): Confidence {
  if (isTestFile) return 'low';
  return role === 'IV' ? 'medium' : 'high';
}
