import type { SyntaxNode } from '../../src/engine/parse.js';
import { defineRule } from '../../src/rules-api/define-rule.js';
import { findTerm, otherWordIn } from '../_shared/name-terms.js';
import { nameWords } from '../_shared/secret-names.js';
import { testAdjusted } from '../_shared/test-confidence.js';
import { valueDestination, type ValueDestination } from '../_shared/value-destination.js';

/** Functions and `random.Random` methods that produce a value (not `seed`, `shuffle`, `getstate`). */
const PRODUCERS = new Set([
  'random',
  'randint',
  'choice',
  'choices',
  'randrange',
  'getrandbits',
  'sample',
  'randbytes',
  'uniform',
  'triangular',
]);

/** Names that hold a secret or a one-time value an attacker must not guess. */
const SECURITY_TERMS = [
  'token',
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'otp',
  'nonce',
  'salt',
  'csrf',
  'xsrf',
  'api_key',
  'access_key',
  'private_key',
  'session_id',
  'session_key',
  'reset_code',
  'reset_key',
  'verification_code',
  'auth_code',
  'confirmation_code',
  'activation_code',
  'activation_key',
  'one_time',
];

/**
 * Words that, next to a security term, describe a quantity or a setting rather than the secret
 * itself (`password_length`, `token_count`, `max_tokens`, `token_id` in a vocabulary).
 */
const NOT_THE_SECRET = new Set([
  'length',
  'len',
  'size',
  'count',
  'num',
  'max',
  'min',
  'limit',
  'idx',
  'index',
  'indices',
  'id',
  'ids',
  'position',
  'pos',
  'type',
  'timeout',
  'delay',
  'expiry',
  'expires',
  'expiration',
  'ttl',
  'interval',
  'retry',
  'retries',
  'attempts',
  'jitter',
  'backoff',
  'sleep',
  'wait',
  'vocab',
  'mask',
  'masked',
  'prob',
  'probability',
  'rate',
  'weight',
  'dropout',
  'embedding',
]);

/** Verbs that make a function a generator of its noun (`generate_token`, `make_password`). */
const GENERATOR_VERBS = new Set([
  'generate',
  'gen',
  'make',
  'new',
  'create',
  'random',
  'rand',
  'build',
  'issue',
  'mint',
]);

/** Callees that consume a random value as a delay, which is never a secret. */
const DELAY_SINK = /(^|\.)(sleep|wait|wait_for)$/;

/** The security term a name carries, unless the name describes a quantity or setting. */
function securityTerm(name: string): string | undefined {
  const words = nameWords(name);
  const match = findTerm(words, SECURITY_TERMS);
  if (match === undefined || otherWordIn(words, match, NOT_THE_SECRET)) return undefined;
  return match.term;
}

function isGeneratorName(name: string): boolean {
  return (
    securityTerm(name) !== undefined && nameWords(name).some((word) => GENERATOR_VERBS.has(word))
  );
}

export default defineRule({
  meta: {
    id: 'PGC008',
    slug: 'insecure-randomness',
    title: 'Predictable random value used as a secret',
    category: 'crypto',
    severity: 'medium',
    confidence: 'high',
    cwe: [330, 338],
    owasp: ['A02:2021 Cryptographic Failures'],
    description:
      'Flags values from the `random` module (or `uuid.uuid1`) that end up in a token, password, secret, nonce, salt, OTP, CSRF or reset code.',
    why: "The `random` module is a Mersenne Twister: after seeing about 624 outputs an attacker can reconstruct its state and predict every past and future value, so tokens, passwords and codes made with it can be guessed. `uuid1` is built from the clock and the machine's MAC address. Random values used for simulations, sampling, games or retry jitter are fine, so this rule only reports values that flow into security-sounding names.",
    fix: 'Use the `secrets` module: `secrets.token_urlsafe(32)` or `secrets.token_hex(16)` for tokens, `secrets.choice(alphabet)` for characters of a password or code, `secrets.randbelow(n)` for numbers. `random.SystemRandom()` also draws from the OS generator.',
    example: {
      bad: "import random\nimport string\n\nreset_code = ''.join(random.choice(string.digits) for _ in range(6))\n",
      good: "import secrets\nimport string\n\nreset_code = ''.join(secrets.choice(string.digits) for _ in range(6))\n",
    },
    references: [
      'https://cwe.mitre.org/data/definitions/330.html',
      'https://cwe.mitre.org/data/definitions/338.html',
      'https://docs.python.org/3/library/random.html',
      'https://docs.python.org/3/library/secrets.html',
    ],
    bandit: ['B311'],
    ruff: ['S311'],
  },
  messages: {
    stored:
      '`{{callee}}` is predictable, and its value is stored in `{{target}}`; generate secrets with the `secrets` module (`secrets.token_urlsafe`, `secrets.choice`).',
    returned:
      '`{{callee}}` is predictable, and `{{function}}` returns its value as a secret; generate it with the `secrets` module (`secrets.token_urlsafe`, `secrets.choice`).',
    generator:
      '`{{callee}}` is predictable, and `{{function}}` looks like it generates a secret; use the `secrets` module (`secrets.token_urlsafe`, `secrets.choice`).',
  },
  create(context) {
    const { model } = context;

    /** `random.X` producers, their `random.Random()` instance methods and `uuid.uuid1`. */
    const isProducer = (node: SyntaxNode): boolean => {
      const call = context.call(node);
      const name = call.qualifiedName;
      if (name === 'uuid.uuid1') return true;
      if (name?.startsWith('random.') === true) return PRODUCERS.has(name.slice('random.'.length));
      if (
        call.callee.type !== 'attribute' ||
        call.methodName === undefined ||
        !PRODUCERS.has(call.methodName)
      ) {
        return false;
      }
      const object = call.callee.childForFieldName('object');
      return object !== null && model.constructedBy(object) === 'random.Random';
    };

    const lowerInTests = (confidence: 'high' | 'medium') =>
      testAdjusted(confidence, context.isTestFile);

    const report = (node: SyntaxNode, destination: ValueDestination) => {
      const callee = context.textOf(context.call(node).callee);
      if (destination.through.some((through) => DELAY_SINK.test(through))) return;
      const target = destination.names.find((name) => securityTerm(name) !== undefined);
      if (target !== undefined) {
        context.report({
          node,
          messageId: 'stored',
          data: { callee, target },
          confidence: lowerInTests('high'),
        });
        return;
      }
      const fn = destination.functionName;
      if (fn === undefined) return;
      if (destination.kind === 'return' && securityTerm(fn) !== undefined) {
        context.report({
          node,
          messageId: 'returned',
          data: { callee, function: fn },
          confidence: lowerInTests('high'),
        });
        return;
      }
      // Inside `generate_token()` and the like any value counts, except one passed as a keyword
      // argument or stored under a name that says it is a length, count or other setting.
      if (!isGeneratorName(fn) || destination.kind === 'keyword') return;
      if (
        destination.names.some((name) => nameWords(name).some((word) => NOT_THE_SECRET.has(word)))
      )
        return;
      context.report({
        node,
        messageId: 'generator',
        data: { callee, function: fn },
        confidence: lowerInTests('medium'),
      });
    };

    return {
      call(node) {
        if (!isProducer(node)) return;
        report(node, valueDestination(model, node));
      },
    };
  },
});
