import { callVisitors, defineRule } from '../../src/rules-api/index.js';

/** Functions of the `random` module (and `random.Random`) that draw from its generator. */
const GENERATOR_FUNCTIONS = new Set([
  'Random',
  'random',
  'randrange',
  'randint',
  'choice',
  'choices',
  'sample',
  'shuffle',
  'uniform',
  'triangular',
  'randbytes',
  'getrandbits',
  'gauss',
  'normalvariate',
  'betavariate',
  'expovariate',
]);

export default defineRule({
  meta: {
    id: 'PGC014',
    slug: 'pseudo-random-call',
    title: 'Call of the random module',
    category: 'crypto',
    severity: 'low',
    confidence: 'high',
    cwe: [330],
    owasp: ['A02:2021 Cryptographic Failures'],
    description:
      'Flags every call of a `random` module generator (`random.random`, `randint`, `choice`, `random.Random()`, ...), whatever the value is for: what bandit (B311) and ruff (S311) report.',
    why: "The `random` module's Mersenne Twister is predictable: after 624 outputs its whole future is known. The default profile reports it where the value is a secret, a token or a password (`insecure-randomness`); an audit that wants every use listed, so a reviewer can confirm none is security-relevant, gets this rule.",
    fix: 'Where the value must not be guessed (tokens, passwords, keys, nonces, one-time codes), use `secrets.token_urlsafe()`, `secrets.choice()` or `secrets.randbelow()`. For simulations, sampling and jitter `random` is right: suppress the finding with that reason.',
    example: {
      bad: 'import random\n\n\ndef pick_winner(entries):\n    return random.choice(entries)\n',
      good: 'import secrets\n\n\ndef pick_winner(entries):\n    return secrets.choice(entries)\n',
    },
    references: [
      'https://docs.python.org/3/library/random.html',
      'https://docs.python.org/3/library/secrets.html',
      'https://cwe.mitre.org/data/definitions/330.html',
    ],
    bandit: ['B311'],
    ruff: ['S311'],
    profile: 'audit',
  },
  messages: {
    generatorCall:
      '`{{callee}}` draws from the predictable `random` generator; if the value must not be guessed, use the `secrets` module instead.',
  },
  select: { calls: ['random.*'], text: ['random'] },
  create(context) {
    if (!context.text.includes('random')) return {};
    return callVisitors(context, (node, call) => {
      const name = call.qualifiedName;
      if (name?.startsWith('random.') !== true) return;
      if (!GENERATOR_FUNCTIONS.has(name.slice('random.'.length))) return;
      context.report({
        node,
        messageId: 'generatorCall',
        data: { callee: context.textOf(call.callee) },
      });
    });
  },
});
