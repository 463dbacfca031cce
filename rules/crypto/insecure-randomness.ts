import {
  defineRule,
  moduleReference,
  nameWords,
  testAdjusted,
  valueDestination,
  type CallInfo,
  type ModuleReference,
  type ReportFix,
  type SemanticModel,
  type SyntaxNode,
  type ValueDestination,
} from '../../src/rules-api/index.js';
import { findTerm, otherWordIn } from '../_shared/name-terms.js';

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
  'ticket',
  'voucher',
  'coupon',
  'invite',
  'invitation',
  'redeem',
  'code',
];

/** Words beside `code` that make it a category rather than something to guess (`status_code`). */
const CODE_NOT_SECRET = new Set([
  'status',
  'exit',
  'return',
  'error',
  'err',
  'http',
  'response',
  'color',
  'colour',
  'country',
  'lang',
  'language',
  'locale',
  'currency',
  'zip',
  'postal',
  'post',
  'area',
  'region',
  'product',
  'item',
  'sku',
  'char',
  'ascii',
  'key',
  'op',
  'source',
  'src',
  'byte',
  'unicode',
  'event',
  'reason',
]);

/**
 * Producers of raw random bits, which are used for little else than keys and identifiers: with
 * them a plain `key` (`key = hex(random.getrandbits(128))`) is also a secret.
 */
const BIT_PRODUCERS = new Set(['getrandbits', 'randbytes']);
/** Words beside `key` that make it a lookup key rather than a secret (`cache_key`, `sort_key`). */
const KEY_NOT_SECRET = new Set([
  'cache',
  'dict',
  'sort',
  'lookup',
  'map',
  'row',
  'column',
  'partition',
  'shard',
  'hash',
  'primary',
  'foreign',
  'keyboard',
]);

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

/** Expressions that hand a random value on to the argument they sit in (`"%x" % r`, `hex(r)` is a call). */
const CARRIED_ALONG = new Set([
  'parenthesized_expression',
  'binary_operator',
  'interpolation',
  'string',
  'concatenated_string',
  'conditional_expression',
]);

/** The identifier a parameter node declares (`key`, `key=None`, `key: str`). */
function parameterIdentifier(parameter: SyntaxNode | undefined): SyntaxNode | undefined {
  if (parameter === undefined) return undefined;
  if (parameter.type === 'identifier') return parameter;
  const name = parameter.childForFieldName('name') ?? parameter.namedChildren[0];
  return name?.type === 'identifier' ? name : undefined;
}

/**
 * `random` functions whose `secrets` namesake behaves the same (`secrets.randbits` is
 * `getrandbits` of the OS generator); every other producer is called on `secrets.SystemRandom()`,
 * which has the same methods with the same signatures.
 */
const SECRETS_NAMESAKES: ReadonlyMap<string, string> = new Map([
  ['choice', 'choice'],
  ['getrandbits', 'randbits'],
]);

/**
 * The fix of a predictable producer: the same draw from the OS generator, through the `secrets`
 * module (imported when the file does not import it yet), and `uuid.uuid4()` for `uuid.uuid1()`.
 * Only for calls of the module's functions (not of a `random.Random()` object, whose seeding
 * other code may rely on) without `*args` or `**kwargs`.
 */
function secretsFix(model: SemanticModel, node: SyntaxNode, call: CallInfo): ReportFix | undefined {
  const name = call.qualifiedName;
  if (name === undefined || call.hasStarArgs || call.hasKwargs) return undefined;
  if (name === 'uuid.uuid1') {
    if (call.positional.length > 0 || call.keywords.size > 0) return undefined;
    const uuid = moduleReference(model, 'uuid', node);
    return uuid === undefined ? undefined : fixWith(call, `${uuid.name}.uuid4`, uuid, 'uuid.uuid4');
  }
  if (!name.startsWith('random.')) return undefined;
  const producer = name.slice('random.'.length);
  const secrets = moduleReference(model, 'secrets', node);
  if (secrets === undefined) return undefined;
  const namesake = SECRETS_NAMESAKES.get(producer);
  if (namesake !== undefined) {
    return fixWith(call, `${secrets.name}.${namesake}`, secrets, `secrets.${namesake}`);
  }
  // `randbytes(n)` is `os.urandom(n)`, as is `secrets.token_bytes(n)`.
  if (producer === 'randbytes' && call.positional.length === 1 && call.keywords.size === 0) {
    return fixWith(call, `${secrets.name}.token_bytes`, secrets, 'secrets.token_bytes');
  }
  return fixWith(
    call,
    `${secrets.name}.SystemRandom().${producer}`,
    secrets,
    `secrets.SystemRandom().${producer}`,
  );
}

/** A fix that calls `callee` instead, with the import it needs. */
function fixWith(
  call: CallInfo,
  callee: string,
  reference: ModuleReference,
  shown: string,
): ReportFix {
  const fix: ReportFix = {
    description: `Use \`${shown}\``,
    target: call.callee,
    replacement: callee,
  };
  if (reference.importEdit !== undefined) fix.additionalEdits = [reference.importEdit];
  return fix;
}

/** Callees that consume a random value as a delay, which is never a secret. */
const DELAY_SINK = /(^|\.)(sleep|wait|wait_for)$/;

/**
 * The security term a name carries, unless the name describes a quantity or setting. With
 * `rawBits` (the value came from `getrandbits`/`randbytes`) a plain `key` counts too.
 */
function securityTerm(name: string, rawBits = false): string | undefined {
  const words = nameWords(name);
  const match = findTerm(words, SECURITY_TERMS) ?? (rawBits ? findTerm(words, ['key']) : undefined);
  if (match === undefined || otherWordIn(words, match, NOT_THE_SECRET)) return undefined;
  if (match.term === 'code' && otherWordIn(words, match, CODE_NOT_SECRET)) return undefined;
  if (match.term === 'key' && otherWordIn(words, match, KEY_NOT_SECRET)) return undefined;
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
    fixable: true,
  },
  messages: {
    stored:
      '`{{callee}}` is predictable, and its value is stored in `{{target}}`; generate secrets with the `secrets` module (`secrets.token_urlsafe`, `secrets.choice`).',
    returned:
      '`{{callee}}` is predictable, and `{{function}}` returns its value as a secret; generate it with the `secrets` module (`secrets.token_urlsafe`, `secrets.choice`).',
    generator:
      '`{{callee}}` is predictable, and `{{function}}` looks like it generates a secret; use the `secrets` module (`secrets.token_urlsafe`, `secrets.choice`).',
    returnedInto:
      '`{{callee}}` is predictable, and `{{function}}` returns its value into `{{target}}` (line {{line}}); generate it with the `secrets` module (`secrets.token_urlsafe`, `secrets.choice`).',
    passedAs:
      '`{{callee}}` is predictable, and its value is passed as the `{{target}}` parameter of `{{function}}`; generate it with the `secrets` module (`secrets.token_urlsafe`, `secrets.choice`).',
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

    /** Random values returned by functions with neutral names; judged by their callers in `end()`. */
    const returned: { node: SyntaxNode; rawBits: boolean; fn: string }[] = [];

    const report = (node: SyntaxNode, destination: ValueDestination) => {
      const info = context.call(node);
      const callee = context.textOf(info.callee);
      const producer = info.qualifiedName?.replace(/^random\./, '') ?? info.methodName ?? '';
      const rawBits = BIT_PRODUCERS.has(producer);
      if (destination.through.some((through) => DELAY_SINK.test(through))) return;
      const fix = secretsFix(model, node, info);
      const target = destination.names.find((name) => securityTerm(name, rawBits) !== undefined);
      if (target !== undefined) {
        // A bare `code` is often a one-time code, but also a test's arbitrary marker value.
        const generic = securityTerm(target, rawBits) === 'code';
        context.report({
          node,
          messageId: 'stored',
          data: { callee, target },
          confidence: lowerInTests(generic ? 'medium' : 'high'),
          fix,
        });
        return;
      }
      const parameter = localParameter(node, rawBits);
      if (parameter !== undefined) {
        context.report({
          node,
          messageId: 'passedAs',
          data: { callee, target: parameter.name, function: parameter.function },
          confidence: lowerInTests('medium'),
          fix,
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
          fix,
        });
        return;
      }
      // Inside `generate_token()` and the like any value counts, except one passed as a keyword
      // argument or stored under a name that says it is a length, count or other setting.
      if (!isGeneratorName(fn)) {
        if (destination.kind === 'return') returned.push({ node, rawBits, fn });
        return;
      }
      if (destination.kind === 'keyword') return;
      if (
        destination.names.some((name) => nameWords(name).some((word) => NOT_THE_SECRET.has(word)))
      )
        return;
      context.report({
        node,
        messageId: 'generator',
        data: { callee, function: fn },
        confidence: lowerInTests('medium'),
        fix,
      });
    };

    const parameterName = (parameter: SyntaxNode | undefined): string | undefined => {
      const identifier = parameterIdentifier(parameter);
      return identifier === undefined ? undefined : model.textOf(identifier);
    };

    /**
     * The security-named parameter of a function of this file that a random value is passed to
     * positionally: `register(name, random.getrandbits(128))` with `def register(name, api_key)`.
     */
    const localParameter = (
      node: SyntaxNode,
      rawBits: boolean,
    ): { name: string; function: string } | undefined => {
      let argument = node;
      while (argument.parent !== null && CARRIED_ALONG.has(argument.parent.type))
        argument = argument.parent;
      const list = argument.parent;
      const call = list?.type === 'argument_list' ? list.parent : null;
      if (list === null || call?.type !== 'call') return undefined;
      const index = list.namedChildren.findIndex(
        (child) => child.startIndex === argument.startIndex,
      );
      const definition = localDefinition(call);
      if (definition === undefined || index < 0) return undefined;
      const { node: def, name: fn } = definition;
      const parameters = (def.childForFieldName('parameters')?.namedChildren ?? []).filter(
        (parameter) => !['self', 'cls'].includes(parameterName(parameter) ?? ''),
      );
      const name = parameterName(parameters[index]);
      if (name === undefined || securityTerm(name, rawBits) === undefined) return undefined;
      return { name, function: fn };
    };

    /** The `def` of the same file a call invokes by plain name or as `self.method(...)`. */
    const localDefinition = (call: SyntaxNode): { node: SyntaxNode; name: string } | undefined => {
      const callee = call.childForFieldName('function');
      if (callee === null) return undefined;
      const object = callee.type === 'attribute' ? callee.childForFieldName('object') : null;
      const nameNode =
        callee.type === 'identifier'
          ? callee
          : object !== null && ['self', 'cls'].includes(model.textOf(object))
            ? callee.childForFieldName('attribute')
            : null;
      if (nameNode === null) return undefined;
      const name = model.textOf(nameNode);
      const definition = definitionsByName().get(name);
      return definition === undefined ? undefined : { node: definition, name };
    };

    /** Function definitions of the file by name (only names defined once). */
    let definitions: Map<string, SyntaxNode> | undefined;
    const definitionsByName = (): Map<string, SyntaxNode> => {
      if (definitions !== undefined) return definitions;
      const found = new Map<string, SyntaxNode>();
      const repeated = new Set<string>();
      for (const def of model.tree.rootNode.descendantsOfType('function_definition')) {
        const name = def.childForFieldName('name');
        if (name === null) continue;
        const text = model.textOf(name);
        if (found.has(text)) repeated.add(text);
        found.set(text, def);
      }
      for (const name of repeated) found.delete(name);
      definitions = found;
      return found;
    };

    return {
      call(node) {
        if (!isProducer(node)) return;
        report(node, valueDestination(model, node));
      },
      end() {
        // `def gen_code(): return "".join(random.choices(...))` and `ticket = gen_code()`.
        for (const { node, rawBits, fn } of returned) {
          for (const call of model.allCalls()) {
            if (localDefinition(call)?.name !== fn) continue;
            const destination = valueDestination(model, call);
            const target = destination.names.find(
              (name) => securityTerm(name, rawBits) !== undefined,
            );
            if (target === undefined) continue;
            context.report({
              node,
              messageId: 'returnedInto',
              data: {
                callee: context.textOf(context.call(node).callee),
                function: fn,
                target,
                line: String(call.startPosition.row + 1),
              },
              confidence: lowerInTests('medium'),
              fix: secretsFix(model, node, context.call(node)),
            });
            break;
          }
        }
      },
    };
  },
});
