import {
  callVisitors,
  constantBytes,
  defineRule,
  enclosingFunction,
  mentions,
  receiverOf,
  shortText,
  taintedSink,
  testAdjusted,
  unwrapParens,
  type CallInfo,
  type SemanticModel,
  type Severity,
  type SinkKind,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { secretNameKind } from '../_shared/secret-names.js';

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

// ── Django: passwords set without validation, empty passwords, `""` defaults ─────────────────

const MAKE_PASSWORD = 'django.contrib.auth.hashers.make_password';
/** Manager methods that create a user; Django's take the password as `password=`. */
const USER_CREATORS = new Set(['create_user', 'create_superuser']);
/**
 * Functions that set a password on behalf of their callers (a manager's `create_user`, a model's
 * own `set_password` override): validating the password is the caller's job there.
 */
const PASSWORD_WRAPPER = /^_?(?:create_(?:super)?user|set_password)$/;
/** Passwords the program generates itself: strong by construction, nothing to validate. */
const GENERATED = /^(?:secrets\.|uuid\.|os\.urandom$|django\.utils\.crypto\.get_random_string$)/;
const GENERATED_METHOD = /random|generate/i;
/** A bound form's `cleaned_data` exists only after `is_valid()` ran the form's validators. */
const FORM_CLEANED = /\bcleaned_data\b/;
const SERIALIZER_VALIDATED = /\bvalidated_data\b/;
/** Django model fields: `models.CharField(...)`, `django.db.models.fields.TextField(...)`. */
const MODEL_FIELD = /^django\.db\.models\.(?:fields\.)?\w*Field$/;
/**
 * The taint pass answers per sink kind; this one has no escaping function of its own, so only
 * conversions and allow-list guards (never applied to a password) clear a value for it. It asks
 * "does this value come from the request at all".
 */
const ANY_INPUT: SinkKind = 'nosql';

/** What a function calls that validates a password: directly, or through a form or serializer. */
interface ValidationCalls {
  validatePassword: boolean;
  isValid: boolean;
}

/** How a password value ends up empty, and the node that shows it. */
type EmptyPassword =
  { kind: 'empty'; node: SyntaxNode } | { kind: 'default'; node: SyntaxNode; name: string };

export default defineRule({
  meta: {
    id: 'PGC002',
    slug: 'weak-password-hashing',
    title: 'Password hashed weakly, set without validation, or left empty',
    category: 'crypto',
    severity: 'high',
    confidence: 'high',
    cwe: [916, 759, 760, 521],
    owasp: ['A02:2021 Cryptographic Failures'],
    description:
      'Flags passwords hashed with MD5, SHA-1, SHA-2, SHA-3 or BLAKE2 from `hashlib`; PBKDF2 with fewer than 100,000 iterations; PBKDF2, scrypt, bcrypt and Django `make_password` with a constant salt; `bcrypt.gensalt` with fewer than 10 rounds; and in Django, `set_password()` without `validate_password()` in the same function, empty passwords (`set_password("")`, `make_password("")`, `create_user(password="")`) and password parameters or fields that default to `""`.',
    why: 'General-purpose hashes are built to be fast: a single GPU computes billions of SHA-256 hashes per second, so a leaked table of SHA-256 password hashes is mostly cracked within days. Password hashes are deliberately slow and salted per password; too few iterations undo the slowness, and a constant salt lets one precomputed table crack every account at once and shows which users share a password. In Django, `set_password()` stores whatever it is given: without `validate_password()` users pick passwords that fall to the first guesses of an online attack, and an empty string becomes a real password that logs in with an empty field (only `None` makes the password unusable).',
    fix: 'Hash passwords with a password-hashing function: `argon2-cffi` (`PasswordHasher().hash(pw)`), `bcrypt.hashpw(pw, bcrypt.gensalt())`, `hashlib.scrypt`, or `hashlib.pbkdf2_hmac("sha256", pw, salt, 600_000)` with `salt = os.urandom(16)` stored beside the hash. In Django, use `make_password(pw)` without a salt argument, call `validate_password(pw, user)` before `user.set_password(pw)` (or use `SetPasswordForm`/`UserCreationForm`, which do), and use `None` or `set_unusable_password()` instead of an empty string.',
    example: {
      bad: 'import hashlib\n\nstored = hashlib.sha256(password.encode()).hexdigest()\n',
      good: 'import hashlib\nimport os\n\nsalt = os.urandom(16)\nstored = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/916.html',
      'https://cwe.mitre.org/data/definitions/760.html',
      'https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html',
      'https://docs.python.org/3/library/hashlib.html#key-derivation',
      'https://cwe.mitre.org/data/definitions/521.html',
      'https://docs.djangoproject.com/en/stable/topics/auth/passwords/#module-django.contrib.auth.password_validation',
    ],
    bandit: [],
    ruff: [],
    supersedes: ['PGC001'],
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
    unvalidatedPassword:
      '`{{callee}}` sets a password that nothing in this function checked with `validate_password()`, so users can pick `123456`; call `django.contrib.auth.password_validation.validate_password(password, user)` first, or take the password from a form that validates it.',
    unvalidatedRequestPassword:
      'A password from {{origin}} reaches `{{callee}}` without `validate_password()`: {{path}}. Call `django.contrib.auth.password_validation.validate_password()` on it first, or use a password form that does.',
    emptyPassword:
      '`{{callee}}` is given an empty password, which is stored as a usable password: anyone can log in to the account with an empty password field; pass `None` (or call `set_unusable_password()`) for accounts that must not log in with a password.',
    emptyPasswordDefault:
      '`{{name}}` defaults to an empty string and reaches `{{callee}}`, so a request or call that leaves it out creates an account with an empty, usable password; default to `None`, which Django turns into an unusable password.',
    emptyFieldDefault:
      'The password field `{{name}}` defaults to an empty string, so accounts created without one get an empty password; use `null=True` with `default=None`, or set an unusable password.',
  },
  select: {
    calls: [
      MAKE_PASSWORD,
      'django.db.models.*',
      'hashlib.*',
      ...KDF_CALLS.keys(),
      'bcrypt.gensalt',
    ],
    methods: ['set_password', ...USER_CREATORS, 'update'],
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

    let django: boolean | undefined;
    const inDjango = (): boolean =>
      (django ??= model.importsModule('django') || model.importsModule('rest_framework'));

    /** Defaults already reported (one parameter may reach several calls). */
    const reportedDefaults = new Set<number>();
    /** Reports an empty password or an empty default reaching `callee`; true when there is one. */
    const reportEmpty = (value: SyntaxNode, callee: string): boolean => {
      const empty = emptyPassword(model, value);
      if (empty === undefined) return false;
      if (empty.kind === 'empty') {
        context.report({
          node: empty.node,
          messageId: 'emptyPassword',
          data: { callee },
          severity: 'high',
          confidence: testAdjusted(inDjango() ? 'high' : 'medium', context.isTestFile),
        });
      } else if (!reportedDefaults.has(empty.node.id)) {
        reportedDefaults.add(empty.node.id);
        context.report({
          node: empty.node,
          messageId: 'emptyPasswordDefault',
          data: { name: empty.name, callee },
          severity: 'high',
          confidence: testAdjusted('medium', context.isTestFile),
        });
      }
      return true;
    };

    const checksIn = new Map<number, ValidationCalls>();
    /** The validation calls of a function (or the module), found once per function. */
    const validationCalls = (owner: SyntaxNode): ValidationCalls => {
      let known = checksIn.get(owner.id);
      if (known === undefined) {
        known = { validatePassword: false, isValid: false };
        for (const inner of owner.descendantsOfType('call')) {
          const call = model.call(inner);
          if (
            call.methodName === 'validate_password' ||
            call.qualifiedName?.endsWith('.validate_password') === true
          )
            known.validatePassword = true;
          else if (call.methodName === 'is_valid') known.isValid = true;
        }
        checksIn.set(owner.id, known);
      }
      return known;
    };

    const checkSetPassword = (node: SyntaxNode, call: CallInfo): void => {
      const value = call.keywords.get('raw_password') ?? call.positional[0];
      if (value === undefined || call.positional.length + call.keywords.size !== 1) return;
      const receiver = receiverOf(call);
      const callee = `${receiver === undefined ? '' : `${shortText(context.textOf(receiver), 30)}.`}set_password`;
      if (reportEmpty(value, callee)) return;
      // `None` makes the password unusable; a fixed string is a hard-coded password (other rules).
      if (model.literalValue(value) !== undefined || !inDjango()) return;
      const owner = enclosingFunction(node);
      const ownerName = owner?.childForFieldName('name') ?? null;
      if (ownerName !== null && PASSWORD_WRAPPER.test(context.textOf(ownerName))) return;
      if (isGenerated(model, value) || mentions(model, value, FORM_CLEANED)) return;
      const checks = validationCalls(owner ?? model.tree.rootNode);
      if (checks.validatePassword || classValidates(model, node)) return;
      // `serializer.is_valid()` then `serializer.validated_data["password"]`: its validators ran.
      if (checks.isValid && mentions(model, value, SERIALIZER_VALIDATED)) return;
      const tainted = taintedSink(context, value, ANY_INPUT, node, callee);
      if (tainted !== undefined && tainted.trace.trust === 'web') {
        context.report({
          node,
          messageId: 'unvalidatedRequestPassword',
          data: { callee, origin: tainted.origin, path: tainted.path },
          severity: 'medium',
          confidence: testAdjusted('medium', context.isTestFile),
          flow: tainted.flow,
        });
        return;
      }
      context.report({
        node,
        messageId: 'unvalidatedPassword',
        data: { callee },
        severity: 'medium',
        confidence: 'low',
      });
    };

    const checkUserCreator = (call: CallInfo): void => {
      const value = call.keywords.get('password');
      if (value !== undefined) reportEmpty(value, context.textOf(call.callee));
    };

    /** `password = models.CharField(max_length=128, default="")` in a model class. */
    const checkFieldDefault = (node: SyntaxNode, call: CallInfo): void => {
      const fallback = call.keywords.get('default');
      if (fallback === undefined || model.literalValue(fallback) !== '') return;
      const assignment = node.parent;
      const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
      if (left?.type !== 'identifier' || !isPasswordName(context.textOf(left))) return;
      if (assignment?.parent?.parent?.parent?.type !== 'class_definition') return;
      context.report({
        node: fallback,
        messageId: 'emptyFieldDefault',
        data: { name: context.textOf(left) },
        severity: 'medium',
        confidence: 'low',
      });
    };

    return callVisitors(context, (node, call) => {
      const callee = call.qualifiedName;
      const method = call.methodName;
      if (method === 'set_password') {
        checkSetPassword(node, call);
        return;
      }
      if (method !== undefined && USER_CREATORS.has(method)) {
        checkUserCreator(call);
        return;
      }
      if (callee !== undefined) {
        if (callee === MAKE_PASSWORD) {
          const value = model.argument(call, 'password', 0);
          if (value !== undefined) reportEmpty(value, context.textOf(call.callee));
        } else if (MODEL_FIELD.test(callee)) {
          checkFieldDefault(node, call);
          return;
        }
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
    });
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

/**
 * An empty password: `""` itself or a name assigned only `""` (`empty`), or a value that is `""`
 * when the caller or client leaves it out (`default`): a parameter `password=""` that is never
 * reassigned, or `request.POST.get("password", "")`.
 */
function emptyPassword(model: SemanticModel, value: SyntaxNode): EmptyPassword | undefined {
  const target = unwrapParens(value);
  if (model.literalValue(target) === '') return { kind: 'empty', node: value };
  if (target.type === 'identifier') {
    const name = model.textOf(target);
    const found = model.lookup(name, model.scopeAt(target));
    const binding = found?.bindings.length === 1 ? found.bindings[0] : undefined;
    if (binding?.kind === 'param' && binding.value !== undefined) {
      return model.literalValue(binding.value) === ''
        ? { kind: 'default', node: binding.value, name }
        : undefined;
    }
  }
  const source = model.resolveValue(target);
  if (source.type !== 'call') return undefined;
  const call = model.call(source);
  const fallback = call.methodName === 'get' ? model.argument(call, 'default', 1) : undefined;
  if (fallback === undefined || model.literalValue(fallback) !== '') return undefined;
  const key = call.positional[0];
  const keyText = key === undefined ? undefined : model.staticString(key);
  return { kind: 'default', node: fallback, name: keyText ?? model.textOf(target) };
}

/** A password the program makes up itself (`secrets.token_urlsafe()`, `get_random_string(12)`). */
function isGenerated(model: SemanticModel, value: SyntaxNode): boolean {
  let source = model.resolveValue(value);
  // `uuid.uuid4().hex`, `secrets.token_hex(8)[:10]`
  while (source.type === 'attribute' || source.type === 'subscript') {
    const inner = source.childForFieldName(source.type === 'attribute' ? 'object' : 'value');
    if (inner === null) return false;
    source = unwrapParens(inner);
  }
  if (source.type !== 'call') return false;
  const call = model.call(source);
  if (call.qualifiedName !== undefined && GENERATED.test(call.qualifiedName)) return true;
  return call.methodName !== undefined && GENERATED_METHOD.test(call.methodName);
}

/**
 * Whether the class around a node validates passwords somewhere: a serializer's
 * `validate_password()` method or `validators=[validate_password]`, a form's `clean_*()` calling it.
 */
function classValidates(model: SemanticModel, node: SyntaxNode): boolean {
  for (let current = node.parent; current !== null; current = current.parent) {
    if (current.type === 'class_definition')
      return model.textOf(current).includes('validate_password');
  }
  return false;
}

function isGetpass(model: SemanticModel, node: SyntaxNode): boolean {
  const name = model.call(node).qualifiedName;
  return name !== undefined && GETPASS.has(name);
}
