import {
  defineRule,
  importsModule,
  isInertValue,
  mentions,
  moduleReference,
  nameWords,
  shortText,
  testAdjusted,
  UNTRUSTED_INPUT,
  unwrapParens,
  type Confidence,
  type ReportFix,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { findTerm } from '../_shared/name-terms.js';
import { isSecretName } from '../_shared/secret-names.js';

/** `==` or `!=` somewhere in a comparison's text: most comparisons are `<`, `in` or `is`. */
const EQUALITY_TEXT = /[=!]=/;

/** Calls that compute a message authentication code. */
const MAC_CALLS = new Set([
  'hmac.new',
  'hmac.HMAC',
  'hmac.digest',
  'Crypto.Hash.HMAC.new',
  'Cryptodome.Hash.HMAC.new',
  'Crypto.Hash.CMAC.new',
  'Cryptodome.Hash.CMAC.new',
  'cryptography.hazmat.primitives.hmac.HMAC',
  'cryptography.hazmat.primitives.cmac.CMAC',
]);
/** Methods that read the result out of a MAC or hash object. */
const DIGEST_METHODS = new Set(['digest', 'hexdigest', 'finalize']);

/** Names of values that are verifiers: comparing them with `==` leaks them byte by byte. */
const STRONG_TERMS = ['signature', 'sig', 'hmac', 'mac', 'csrf', 'xsrf', 'otp', 'totp', 'hotp'];
/** Names of secrets; they count when the other side is request data or another secret. */
const WEAK_TERMS = [
  'api_key',
  'apikey',
  'secret',
  'password',
  'passwd',
  'passcode',
  'digest',
  'access_token',
  'auth_token',
  'refresh_token',
  'reset_token',
  'session_token',
  'api_token',
  'bearer_token',
  'webhook_token',
  'verification_token',
];
/** Words that make a strong term mean something else: a MAC address, a signal number. */
const OTHER_MEANINGS = new Set(['address', 'addr', 'num', 'handler', 'name']);
/** Words of values that are compared with each other by design: `password == confirm_password`. */
const PAIRED_INPUT = new Set([
  'confirm',
  'confirmation',
  'confirmed',
  'repeat',
  'repeated',
  'again',
  'retype',
  'new',
  'old',
  'previous',
  'prev',
]);
/** Words that may follow a term and still name the value itself: `signature_hex`, `mac_b64`. */
const VALUE_SUFFIXES = new Set([
  'hex',
  'b64',
  'base64',
  'bytes',
  'str',
  'string',
  'header',
  'value',
  'raw',
  'bin',
]);
/**
 * Modules whose import shows the file does cryptography, so that `signature` or `secret` names
 * a cryptographic value rather than a function signature or a configuration entry.
 */
const CRYPTO_MODULES = [
  'hmac',
  'hashlib',
  'secrets',
  'cryptography',
  'Crypto',
  'Cryptodome',
  'nacl',
  'jwt',
  'jose',
  'itsdangerous',
  'ecdsa',
  'rsa',
  'OpenSSL',
  'pyotp',
  'django.core.signing',
  'django.utils.crypto',
];
/** Methods whose bodies compare objects field by field. */
const EQUALITY_METHODS = new Set(['__eq__', '__ne__', '__hash__', '__lt__', '__le__']);

type Side =
  | { kind: 'mac' }
  | { kind: 'hash' }
  | { kind: 'named'; strength: 'strong' | 'weak' | 'token'; term: string; words: string[] }
  | { kind: 'other'; words: string[] };

export default defineRule({
  meta: {
    id: 'PGC012',
    slug: 'timing-unsafe-compare',
    title: 'Secret compared with == instead of a constant-time comparison',
    category: 'crypto',
    severity: 'medium',
    confidence: 'medium',
    cwe: [208],
    owasp: ['A02:2021 Cryptographic Failures'],
    description:
      'Flags `==` and `!=` between a computed HMAC, a signature, a token or another secret and a value from outside, where `hmac.compare_digest` should be used.',
    why: '`==` on strings and bytes returns as soon as two bytes differ, so the time a comparison takes tells an attacker how many leading bytes of their guess were right. By measuring many requests they can recover a valid signature, MAC or token one byte at a time without knowing the key.',
    fix: 'Compare with `hmac.compare_digest(expected, received)` (or `secrets.compare_digest`), which takes the same time wherever the inputs differ. Both arguments must be `bytes`, or both ASCII `str`.',
    example: {
      bad: 'import hmac\n\nexpected = hmac.new(key, body, "sha256").hexdigest()\nif expected != request.headers["X-Signature"]:\n    abort(403)\n',
      good: 'import hmac\n\nexpected = hmac.new(key, body, "sha256").hexdigest()\nif not hmac.compare_digest(expected, request.headers["X-Signature"]):\n    abort(403)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/208.html',
      'https://docs.python.org/3/library/hmac.html#hmac.compare_digest',
      'https://docs.python.org/3/library/secrets.html#secrets.compare_digest',
    ],
    bandit: [],
    ruff: [],
    fixable: true,
  },
  messages: {
    timingUnsafe:
      '`{{comparison}}` compares {{what}} with `{{operator}}`, which stops at the first differing byte and so leaks through timing how much of a guess was right; use `hmac.compare_digest()`.',
  },
  create(context) {
    const { model } = context;
    // Every verdict needs cryptography in the file or request data in the comparison.
    let relevant: boolean | undefined;
    const fileIsRelevant = (): boolean =>
      (relevant ??=
        UNTRUSTED_INPUT.test(context.text) ||
        CRYPTO_MODULES.some((module) => importsModule(model, module)));
    return {
      comparison_operator(node) {
        if (!EQUALITY_TEXT.test(context.textOf(node)) || !fileIsRelevant()) return;
        const children = node.children;
        for (let index = 1; index + 1 < children.length; index++) {
          const operator = children[index];
          const left = children[index - 1];
          const right = children[index + 1];
          if (operator === undefined || left === undefined || right === undefined) continue;
          if (operator.type !== '==' && operator.type !== '!=') continue;
          const verdict = judge(model, left, right);
          if (verdict === undefined) continue;
          if (insideAssertOrEquality(model, node)) return;
          context.report({
            node,
            messageId: 'timingUnsafe',
            data: {
              comparison: shortText(context.textOf(node), 60),
              what: verdict.what,
              operator: operator.type,
            },
            confidence: testAdjusted(verdict.confidence, context.isTestFile),
            fix: compareDigestFix(model, node),
          });
          return;
        }
      },
    };
  },
});

/** Calls whose result is always `bytes`. */
const BYTES_CALLS = new Set([
  'base64.b64decode',
  'base64.urlsafe_b64decode',
  'base64.standard_b64decode',
  'base64.b32decode',
  'base64.b16decode',
  'binascii.unhexlify',
  'binascii.a2b_hex',
  'binascii.a2b_base64',
  'bytes.fromhex',
  'hmac.digest',
  'os.urandom',
  'secrets.token_bytes',
]);

/**
 * Whether an operand (followed through one assignment) is always `bytes`: a bytes literal, the
 * `digest()` of a MAC or hash, or a decoder such as `base64.b64decode`.
 */
function isBytes(model: SemanticModel, node: SyntaxNode): boolean {
  const value = unwrapParens(model.resolveValue(node));
  if (value.type === 'string') return /^[rR]?[bB]/.test(model.textOf(value));
  if (value.type !== 'call') return false;
  const call = model.call(value);
  if (call.qualifiedName !== undefined && BYTES_CALLS.has(call.qualifiedName)) return true;
  if (call.methodName !== 'digest' || call.callee.type !== 'attribute') return false;
  const object = call.callee.childForFieldName('object');
  const maker = object === null ? undefined : model.constructedBy(object);
  return maker !== undefined && (MAC_CALLS.has(maker) || maker.startsWith('hashlib.'));
}

/**
 * `hmac.compare_digest(a, b)` for `a == b` (`not hmac.compare_digest(a, b)` for `!=`), with the
 * import of `hmac` when the file lacks it. Only where it is the same test: both operands are
 * `bytes`. With a `str` the two differ (`compare_digest` raises `TypeError` for non-ASCII text,
 * `None` or mixed types, where `==` says "not equal"), so no fix is offered; nor for a chained
 * comparison.
 */
function compareDigestFix(model: SemanticModel, node: SyntaxNode): ReportFix | undefined {
  const [left, operator, right, ...rest] = node.children;
  if (left === undefined || right === undefined || rest.length > 0) return undefined;
  if (operator?.type !== '==' && operator?.type !== '!=') return undefined;
  if (!isBytes(model, left) || !isBytes(model, right)) return undefined;
  const hmac = moduleReference(model, 'hmac', node);
  if (hmac === undefined) return undefined;
  const negate = operator.type === '!=' ? 'not ' : '';
  const fix: ReportFix = {
    description: `Compare with \`${negate}hmac.compare_digest()\``,
    target: node,
    replacement: `${negate}${hmac.name}.compare_digest(${model.textOf(left)}, ${model.textOf(right)})`,
  };
  if (hmac.importEdit !== undefined) fix.additionalEdits = [hmac.importEdit];
  return fix;
}

/** Whether comparing these two operands with `==` leaks a secret, and how sure that is. */
function judge(
  model: SemanticModel,
  left: SyntaxNode,
  right: SyntaxNode,
): { what: string; confidence: Confidence } | undefined {
  if (isInertValue(model, left) || isInertValue(model, right)) return undefined;
  const a = classify(model, left);
  const b = classify(model, right);
  if (a === undefined || b === undefined) return undefined;
  const wordsOf = (side: Side): string[] =>
    side.kind === 'named' || side.kind === 'other' ? side.words : [];
  const wordsA = wordsOf(a);
  const wordsB = wordsOf(b);
  if ([...wordsA, ...wordsB].some((word) => PAIRED_INPUT.has(word))) return undefined;
  if (a.kind === 'mac' || b.kind === 'mac') return { what: 'a computed MAC', confidence: 'high' };
  const untrustedA = mentions(model, left, UNTRUSTED_INPUT);
  const untrustedB = mentions(model, right, UNTRUSTED_INPUT);
  // `a.token == b.token`, `password1 == password2`: like compared with like, not with input.
  if (!untrustedA && !untrustedB && wordsA.length > 0 && wordsA.join('_') === wordsB.join('_')) {
    return undefined;
  }
  // Without request data in the comparison, a name alone is only trusted in a file that does
  // cryptography: elsewhere `signature` is usually a function signature.
  if (!untrustedA && !untrustedB && !CRYPTO_MODULES.some((module) => importsModule(model, module)))
    return undefined;
  for (const [side, other, otherUntrusted] of [
    [a, b, untrustedB],
    [b, a, untrustedA],
  ] as const) {
    if (side.kind !== 'named') continue;
    if (side.strength === 'strong') return { what: side.term, confidence: 'medium' };
    const otherIsSecret =
      other.kind === 'hash' || (other.kind === 'named' && other.strength !== 'token');
    if (otherUntrusted || (side.strength === 'weak' && otherIsSecret)) {
      return { what: side.term, confidence: 'medium' };
    }
  }
  if ((a.kind === 'hash' && untrustedB) || (b.kind === 'hash' && untrustedA)) {
    return { what: 'a computed digest', confidence: 'low' };
  }
  return undefined;
}

/** What an operand is; undefined for constants that cannot be secret (`signal.SIGINT`). */
function classify(model: SemanticModel, node: SyntaxNode): Side | undefined {
  const computed = computedBy(model, node);
  if (computed === 'mac') return { kind: 'mac' };
  if (computed === 'inspect') return undefined;
  const name = operandName(model, node);
  const words = name === undefined ? [] : nameWords(name);
  if (name !== undefined && /^[A-Z][A-Z0-9_]*$/.test(name) && !isSecretName(name)) {
    return undefined; // an enum member or module constant such as SIGTERM or Token.NAME
  }
  if (words.some((word) => OTHER_MEANINGS.has(word))) return { kind: 'other', words };
  const strong = valueTerm(words, STRONG_TERMS);
  if (strong !== undefined)
    return { kind: 'named', strength: 'strong', term: termLabel(strong), words };
  const weak = valueTerm(words, WEAK_TERMS);
  if (weak !== undefined) return { kind: 'named', strength: 'weak', term: termLabel(weak), words };
  if (valueTerm(words, ['token']) !== undefined)
    return { kind: 'named', strength: 'token', term: 'a token', words };
  if (computed === 'hash') return { kind: 'hash' };
  return { kind: 'other', words };
}

/**
 * A term that names the value itself: the name's last word (`expected_signature`), or followed
 * only by an encoding (`signature_hex`); `signature_version` and `sig_type` name something else.
 */
function valueTerm(words: readonly string[], terms: readonly string[]): string | undefined {
  const match = findTerm(words, terms);
  if (match === undefined) return undefined;
  return words.slice(match.end).every((word) => VALUE_SUFFIXES.has(word)) ? match.term : undefined;
}

/** The term as a noun phrase for the message: `sig` → `a signature`. */
function termLabel(term: string): string {
  switch (term) {
    case 'sig':
    case 'signature':
      return 'a signature';
    case 'hmac':
    case 'mac':
      return 'a MAC';
    case 'csrf':
    case 'xsrf':
      return 'a CSRF token';
    case 'otp':
    case 'totp':
    case 'hotp':
      return 'a one-time password';
    case 'apikey':
    case 'api_key':
      return 'an API key';
    case 'api_token':
      return 'an API token';
    case 'access_token':
      return 'an access token';
    case 'auth_token':
      return 'an auth token';
    default:
      return `a ${term.replace(/_/g, ' ')}`;
  }
}

/**
 * Whether the value (followed through one assignment) is computed by a MAC, by `hashlib`, or by
 * `inspect.signature` (a function signature, not a cryptographic one).
 */
function computedBy(
  model: SemanticModel,
  node: SyntaxNode,
): 'mac' | 'hash' | 'inspect' | undefined {
  const value = unwrapParens(model.resolveValue(node));
  const calls = value.type === 'call' ? [value] : [];
  calls.push(
    ...value
      .descendantsOfType('call')
      .filter((call) => call.startIndex !== value.startIndex || call.endIndex !== value.endIndex),
  );
  let result: 'hash' | undefined;
  for (const callNode of calls) {
    const call = model.call(callNode);
    const name = call.qualifiedName;
    if (name !== undefined) {
      if (MAC_CALLS.has(name)) return 'mac';
      if (name === 'inspect.signature') return 'inspect';
      if (name.startsWith('hashlib.')) result = 'hash';
    }
    if (call.methodName !== undefined && DIGEST_METHODS.has(call.methodName)) {
      const object =
        call.callee.type === 'attribute' ? call.callee.childForFieldName('object') : null;
      const maker = object === null ? undefined : model.constructedBy(object);
      if (maker !== undefined && MAC_CALLS.has(maker)) return 'mac';
      if (maker?.startsWith('hashlib.') === true) result = 'hash';
    }
  }
  return result;
}

/**
 * The name an operand is known by: `sig`, `obj.signature` → `signature`,
 * `headers["X-Signature"]` → `X-Signature`, `args.get("token")` → `token`.
 */
function operandName(model: SemanticModel, node: SyntaxNode): string | undefined {
  const target = unwrapParens(node);
  switch (target.type) {
    case 'identifier':
      return model.textOf(target);
    case 'attribute': {
      const attribute = target.childForFieldName('attribute');
      return attribute === null ? undefined : model.textOf(attribute);
    }
    case 'subscript': {
      const key = target.childForFieldName('subscript');
      const text = key === null ? undefined : model.staticString(key);
      if (text !== undefined) return text;
      const value = target.childForFieldName('value');
      return value === null ? undefined : operandName(model, value);
    }
    case 'call': {
      const call = model.call(target);
      const first = call.positional[0];
      if (call.methodName === 'get' && first !== undefined) return model.staticString(first);
      if (
        call.methodName === 'encode' ||
        call.methodName === 'strip' ||
        call.methodName === 'lower'
      ) {
        const object =
          call.callee.type === 'attribute' ? call.callee.childForFieldName('object') : null;
        return object === null ? undefined : operandName(model, object);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Test assertions and `__eq__`-style methods compare values on purpose. */
function insideAssertOrEquality(model: SemanticModel, node: SyntaxNode): boolean {
  for (let parent = node.parent; parent !== null; parent = parent.parent) {
    if (parent.type === 'assert_statement') return true;
    if (parent.type === 'function_definition') {
      const name = parent.childForFieldName('name');
      return name !== null && EQUALITY_METHODS.has(model.textOf(name));
    }
  }
  return false;
}
