/**
 * Login, token, password-reset and one-time-code views that check credentials or send reset
 * messages without a throttle, a rate-limit decorator or a limiter dependency.
 */
import {
  classOf,
  decoratorsOf,
  defineRule,
  lastName,
  lastSegment,
  nameWords,
  parametersOf,
  receiverOf,
  testAdjusted,
  unwrapParens,
  type CallInfo,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { LATER_CHANGE, THROTTLE_KEYS, dictionaryKeys } from '../_shared/drf-throttle-settings.js';

/** What an authentication view does, judged by its name. */
type AuthKind = 'login' | 'token' | 'reset' | 'code';

/** Name words that make a view an authentication view. */
const AUTH_WORDS: ReadonlyMap<string, AuthKind> = new Map([
  ['login', 'login'],
  ['logon', 'login'],
  ['signin', 'login'],
  ['authenticate', 'login'],
  ['authentication', 'login'],
  ['auth', 'login'],
  ['token', 'token'],
  ['tokens', 'token'],
  ['jwt', 'token'],
  ['reset', 'reset'],
  ['forgot', 'reset'],
  ['forgotten', 'reset'],
  ['recover', 'reset'],
  ['recovery', 'reset'],
  ['otp', 'code'],
  ['totp', 'code'],
  ['hotp', 'code'],
  ['mfa', 'code'],
  ['twofactor', 'code'],
  ['verify', 'code'],
  ['verification', 'code'],
]);
/** Two-word spellings: `log_in`, `SignIn`, `two_factor`. */
const AUTH_PAIRS: ReadonlyMap<string, AuthKind> = new Map([
  ['log in', 'login'],
  ['log on', 'login'],
  ['sign in', 'login'],
  ['two factor', 'code'],
]);
/** Views that are clearly something else: leaving, or creating an account. */
const NOT_AUTH_WORDS = new Set([
  'logout',
  'logoff',
  'signout',
  'signup',
  'register',
  'registration',
]);
const NOT_AUTH_PAIRS = new Set(['log out', 'log off', 'sign out', 'sign up']);

/**
 * Calls that check a credential: Django's `authenticate()`/`login()`, Flask-Login's
 * `login_user()`, `check_password()`/`check_password_hash()`, `verify_password()` helpers,
 * `bcrypt.checkpw()`, token and one-time-code checks.
 */
const CREDENTIAL_METHOD =
  /^(?:authenticate\w*|\w+_authenticate|login|log_in|login_user|\w*check_password\w*|\w*verify_password\w*|checkpw|check_token|(?:verify|check|validate)_(?:otp|totp|hotp|mfa|code|credentials|pin)\w*)$/;
/** Receivers of a plain `.verify()` that checks a password or a one-time code. */
const VERIFIER_RECEIVER = /otp|totp|hotp|pwd|passw|hasher|crypt_?context/i;
const VERIFIER_MAKERS = /^(?:pyotp|passlib|argon2)\./;
/** Calls that send a reset or sign-in message. */
const SEND_METHOD =
  /^(?:send_\w*(?:mail|email)\w*|send_mass_mail|send_(?:reset|password|otp|code|sms|token)\w*)$/;

/** Base classes that carry a credential check of their own. */
const AUTH_BASES: ReadonlyMap<string, AuthKind> = new Map([
  ['LoginView', 'login'],
  ['KnoxLoginView', 'login'],
  ['ObtainAuthToken', 'token'],
  ['ObtainJSONWebToken', 'token'],
  ['ObtainJSONWebTokenView', 'token'],
  ['TokenObtainView', 'token'],
  ['TokenObtainPairView', 'token'],
  ['TokenObtainSlidingView', 'token'],
  ['PasswordResetView', 'reset'],
  ['PasswordResetConfirmView', 'reset'],
]);
/** Base classes of class-based views (Django, DRF, Flask, Flask-RESTful, Tornado, Starlette). */
const VIEW_BASE = /(?:View|ViewSet|Resource|Handler|Endpoint|ObtainAuthToken|ObtainJSONWebToken)$/;
const DRF_BASE = /APIView$|ViewSet$|ObtainAuthToken|ObtainJSONWebToken|TokenObtain|KnoxLoginView/;
const DRF_MODULES = /^(?:rest_framework|rest_framework_simplejwt|knox|dj_rest_auth|rest_auth)\./;
const FLASK_MODULES = /^(?:flask|flask_restful|flask_restx|flask_smorest|quart)\./;

/** Decorator methods that register a route (`@app.route`, `@router.post`). */
const ROUTE_METHODS = new Set(['route', 'get', 'post', 'put', 'patch', 'api_route']);
const CLIENT_RECEIVER = /^(?:requests|httpx|session|client|self\.client)\b/;

/** A decorator that limits how often a view runs (django-ratelimit, Flask-Limiter, slowapi, ...). */
const THROTTLE_DECORATOR = /limit|throttl|\baxes_|brute/i;
/**
 * Text inside a view that shows a rate limit or a lockout: `throttle_classes`, `throttle_scope`,
 * `is_ratelimited()`, `limiter.hit()`, `Depends(RateLimiter(...))`, a failed-attempts counter.
 */
const THROTTLE_TEXT =
  /rate_?limit|limiter|throttl|\baxes\b|brute_?force|lockout|lock_out|too_many_(?:requests|attempts)|(?:failed|login)_attempts/i;
/** Flask-Limiter / slowapi limits that apply to every route of an application. */
const LIMITER_CLASSES = /^(?:flask_limiter|slowapi)(?:\.\w+)*\.Limiter$/;
const GLOBAL_LIMITS = ['default_limits', 'application_limits'];

type Framework = 'drf' | 'django' | 'flask' | 'fastapi' | 'other';

const ADVICE: Readonly<Record<Framework, string>> = {
  drf: 'set `throttle_classes` (for example `[AnonRateThrottle]` with a tight rate) or a `throttle_scope` on the view',
  django:
    'add `@ratelimit(key="ip", rate="5/m")` from django-ratelimit, or lock out repeated failures with django-axes',
  flask: 'add `@limiter.limit("5 per minute")` from Flask-Limiter',
  fastapi:
    'add `@limiter.limit("5/minute")` from slowapi or `Depends(RateLimiter(times=5, seconds=60))` from fastapi-limiter',
  other: 'limit attempts per client address and per account',
};

const WHAT: Readonly<Record<AuthKind, string>> = {
  login: 'Login view',
  token: 'Token view',
  reset: 'Password-reset view',
  code: 'One-time-code view',
};

const RISK: Readonly<Record<AuthKind, string>> = {
  login: 'passwords can be guessed as fast as the server answers',
  token: 'passwords can be guessed as fast as the server answers',
  reset: 'anyone can flood users with reset messages and guess reset codes',
  code: 'a short one-time code can be brute-forced in minutes',
};

/** What a view's code does that makes it worth throttling. */
interface Evidence {
  /** Message text: "calls `authenticate()`", "extends `LoginView`". */
  text: string;
  /** A credential or code check in the view itself (not inherited, not only an e-mail). */
  direct: boolean;
  kind: AuthKind | undefined;
}

/** The authentication kind a name or path says, `null` when it says "not authentication". */
function authKindOf(text: string): AuthKind | null | undefined {
  const words = nameWords(text);
  let kind: AuthKind | undefined;
  for (let index = 0; index < words.length; index++) {
    const word = words[index] ?? '';
    const pair = `${word} ${words[index + 1] ?? ''}`;
    if (NOT_AUTH_WORDS.has(word) || NOT_AUTH_PAIRS.has(pair)) return null;
    kind ??= AUTH_PAIRS.get(pair) ?? AUTH_WORDS.get(word);
  }
  return kind;
}

/** A route path without its parameters (`/reset/<uidb64>/<token>/` → `/reset///`). */
function routeWords(path: string): string {
  return path.replace(/<[^>]*>|\{[^}]*\}/g, '/');
}

export default defineRule({
  meta: {
    id: 'PGW015',
    slug: 'auth-view-missing-rate-limit',
    title: 'Login, token, password-reset or one-time-code view without a rate limit',
    category: 'web',
    severity: 'medium',
    confidence: 'medium',
    cwe: [307, 770],
    owasp: ['A07:2021 Identification and Authentication Failures'],
    description:
      'Flags login, token, password-reset and one-time-code views (Django, DRF, Flask, FastAPI) that check credentials or send reset messages without any throttle, rate-limit decorator or limiter dependency, and DRF authentication views that turn throttling off with `throttle_classes = []`.',
    why: 'Login, token and one-time-code endpoints are where a missing rate limit hurts most: an attacker can try thousands of passwords per minute against one account, or every six-digit code in an afternoon, and an unthrottled reset form can be used to flood users with e-mail.',
    fix: 'Give authentication views a tight limit of their own: `throttle_classes`/`throttle_scope` in DRF, `@ratelimit(key="ip", rate="5/m")` (django-ratelimit) or django-axes in Django, `@limiter.limit("5 per minute")` with Flask-Limiter or slowapi, or `Depends(RateLimiter(...))` with fastapi-limiter. If the proxy rate-limits these paths, suppress the finding.',
    example: {
      bad: 'from django.contrib.auth import authenticate, login\n\n\ndef login_view(request):\n    user = authenticate(request, username=request.POST["username"], password=request.POST["password"])\n    if user is not None:\n        login(request, user)\n',
      good: 'from django.contrib.auth import authenticate, login\nfrom django_ratelimit.decorators import ratelimit\n\n\n@ratelimit(key="ip", rate="5/m", block=True)\ndef login_view(request):\n    user = authenticate(request, username=request.POST["username"], password=request.POST["password"])\n    if user is not None:\n        login(request, user)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/307.html',
      'https://www.django-rest-framework.org/api-guide/throttling/',
      'https://django-ratelimit.readthedocs.io/en/stable/',
      'https://flask-limiter.readthedocs.io/en/stable/',
      'https://slowapi.readthedocs.io/en/latest/',
      'https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html#protect-against-automated-attacks',
    ],
    bandit: [],
    ruff: [],
    enabledByDefault: false,
    replaces: [{ id: 'PGW012', slug: 'missing-rate-limit' }],
  },
  messages: {
    unthrottledView:
      '{{what}} `{{view}}` {{evidence}} but has no rate limit, so {{risk}}; {{advice}}.',
    throttleDisabled:
      '{{what}} `{{view}}` empties `throttle_classes`, which turns off the default throttles for it, so {{risk}}; give it a throttle such as `AnonRateThrottle` or a `throttle_scope`.',
  },
  create(context) {
    const { model } = context;

    let settingsThrottle: boolean | undefined;
    /** Whether this file's effective `REST_FRAMEWORK` (its last assignment) sets default throttles. */
    const drfDefaultThrottle = (): boolean => {
      if (settingsThrottle !== undefined) return settingsThrottle;
      settingsThrottle = false;
      const binding = model.module.bindings.get('REST_FRAMEWORK')?.at(-1);
      if (binding?.kind !== 'assign' || binding.value === undefined) return false;
      const value = unwrapParens(binding.value);
      const keys = value.type === 'dictionary' ? dictionaryKeys(model, value) : undefined;
      const later = context.text.slice(binding.value.endIndex);
      settingsThrottle =
        keys === undefined ||
        keys.has(THROTTLE_KEYS[0]) ||
        (LATER_CHANGE.test(later) && later.includes(THROTTLE_KEYS[0]));
      return settingsThrottle;
    };

    let limitedApps: Set<string> | undefined;
    /**
     * Application objects that Flask-Limiter or slowapi limits as a whole:
     * `Limiter(key, app=app, default_limits=[...])` or `limiter.init_app(app)` on such a limiter.
     */
    const globallyLimited = (): Set<string> => {
      if (limitedApps !== undefined) return limitedApps;
      limitedApps = new Set();
      const limiters = new Set<string>();
      for (const node of model.allCalls()) {
        const call = model.call(node);
        if (call.qualifiedName === undefined || !LIMITER_CLASSES.test(call.qualifiedName)) continue;
        if (!GLOBAL_LIMITS.some((name) => call.keywords.has(name))) continue;
        const app = call.keywords.get('app');
        if (app !== undefined) limitedApps.add(model.textOf(app));
        const assignment = node.parent;
        const target =
          assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
        if (target !== null) limiters.add(model.textOf(target));
      }
      if (limiters.size === 0) return limitedApps;
      for (const node of model.allCalls()) {
        const call = model.call(node);
        const receiver = receiverOf(call);
        const app = call.positional[0];
        if (
          call.methodName === 'init_app' &&
          receiver !== undefined &&
          app !== undefined &&
          limiters.has(model.textOf(receiver))
        )
          limitedApps.add(model.textOf(app));
      }
      return limitedApps;
    };

    /** `limiter.limit("5/minute")(login)`: a limit applied to a name after its definition. */
    const limitedLater = (name: string): boolean => {
      if (!/limit|throttl/i.test(context.text)) return false;
      const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return new RegExp(
        `(?:limit|throttl)\\w*\\s*\\((?:[^()]|\\([^()]*\\))*\\)\\s*\\(\\s*${escaped}\\s*[,)]`,
        'i',
      ).test(context.text);
    };

    /** Credential checks, reset mails and inherited checks in a view's code. */
    const evidenceIn = (scope: SyntaxNode): Evidence | undefined => {
      let fallback: Evidence | undefined;
      for (const node of scope.descendantsOfType('call')) {
        const call = model.call(node);
        const method = call.methodName;
        if (method === undefined) continue;
        if (CREDENTIAL_METHOD.test(method) || isVerifier(model, call)) {
          return { text: `calls \`${method}()\``, direct: true, kind: undefined };
        }
        if (
          SEND_METHOD.test(method) ||
          (method === 'send' && /mail/i.test(lastNameOf(model, call))) ||
          call.qualifiedName?.endsWith('PasswordResetForm') === true
        ) {
          fallback ??= { text: `calls \`${method}()\``, direct: false, kind: 'reset' };
        }
      }
      return fallback;
    };

    /** One view to judge: a function view, a class-based view, or an action method of one. */
    interface Candidate {
      nameNode: SyntaxNode;
      /** What the view's name, its route path or its base class says it does. */
      kind: AuthKind;
      /** The kind came from the view's own name (not only its path or base class). */
      fromName: boolean;
      framework: Framework;
      /** Where to look for credential checks. */
      code: SyntaxNode;
      inherited: { base: string; kind: AuthKind } | undefined;
      /**
       * Code whose text may show a throttle (the view without its decorators, which are judged
       * one by one so that `@limiter.exempt` does not count; for an action, its class settings).
       */
      throttleScopes: SyntaxNode[];
      decorators: SyntaxNode[];
      /** Names a limiter may wrap later (`limiter.limit(...)(name)`). */
      names: string[];
      router: SyntaxNode | undefined;
      /** A class body that may set `throttle_classes = []`. */
      classBody: SyntaxNode | undefined;
    }

    const judge = (view: Candidate): void => {
      let evidence = evidenceIn(view.code);
      if (evidence === undefined && view.inherited !== undefined) {
        evidence = {
          text: `extends \`${view.inherited.base}\``,
          direct: false,
          kind: view.inherited.kind,
        };
      }
      if (evidence === undefined) return;
      const kind = view.kind === 'login' && evidence.kind === 'reset' ? 'reset' : view.kind;
      if (view.decorators.some((decorator) => isThrottleDecorator(model, decorator))) return;
      if (view.names.some(limitedLater)) return;
      const disabled =
        view.classBody === undefined ? undefined : emptyThrottleClasses(model, view.classBody);
      const data = { what: WHAT[kind], view: model.textOf(view.nameNode), risk: RISK[kind] };
      if (disabled !== undefined) {
        context.report({
          node: disabled,
          messageId: 'throttleDisabled',
          data,
          confidence: testAdjusted('medium', context.isTestFile),
        });
        return;
      }
      if (view.framework === 'drf' && drfDefaultThrottle()) return;
      if (view.throttleScopes.some((scope) => THROTTLE_TEXT.test(model.textOf(scope)))) return;
      if (view.router !== undefined) {
        const routerName = model.textOf(view.router);
        if (globallyLimited().has(routerName) || limitedLater(routerName)) return;
        if (THROTTLE_TEXT.test(model.textOf(model.resolveValue(view.router)))) return;
      }
      // A direct check in a view named for it, outside DRF (whose settings may throttle it).
      const confident =
        view.framework !== 'drf' && view.fromName && (evidence.direct || kind === 'reset');
      context.report({
        node: view.nameNode,
        messageId: 'unthrottledView',
        data: { ...data, evidence: evidence.text, advice: ADVICE[view.framework] },
        confidence: testAdjusted(confident ? 'medium' : 'low', context.isTestFile),
      });
    };

    const checkFunction = (definition: SyntaxNode): void => {
      if (classOf(definition) !== undefined) return; // methods: judged with their class
      const nameNode = definition.childForFieldName('name');
      if (nameNode === null) return;
      const decorators = decoratorsOf(definition);
      let framework: Framework | undefined;
      let path: string | undefined;
      let router: SyntaxNode | undefined;
      for (const decorator of decorators) {
        const shape = routeOf(model, decorator);
        if (shape !== undefined) ({ framework, path, router } = shape);
        else if (lastSegment(calleeText(model, decorator)) === 'api_view') framework = 'drf';
      }
      if (framework === undefined) {
        if (parametersOf(model, definition)[0]?.name !== 'request') return;
        framework = 'django';
      }
      const nameKind = authKindOf(model.textOf(nameNode));
      const pathKind = path === undefined ? undefined : authKindOf(routeWords(path));
      if (nameKind === null || pathKind === null) return;
      const kind = nameKind ?? pathKind;
      if (kind === undefined) return;
      judge({
        nameNode,
        kind,
        fromName: nameKind !== undefined,
        framework,
        code: definition,
        inherited: undefined,
        throttleScopes: [definition],
        decorators,
        names: [model.textOf(nameNode)],
        router,
        classBody: undefined,
      });
    };

    const checkClass = (definition: SyntaxNode): void => {
      const nameNode = definition.childForFieldName('name');
      const bases = definition.childForFieldName('superclasses');
      const body = definition.childForFieldName('body');
      if (nameNode === null || bases === null || body === null) return;
      let framework: Framework | undefined;
      let inherited: { base: string; kind: AuthKind } | undefined;
      for (const base of bases.namedChildren) {
        if (base.type === 'keyword_argument') continue;
        const last = lastSegment(model.textOf(base));
        if (!VIEW_BASE.test(last)) continue;
        const qualified = model.qualifiedName(base) ?? '';
        const baseKind = AUTH_BASES.get(last);
        if (baseKind !== undefined) inherited ??= { base: last, kind: baseKind };
        if (DRF_MODULES.test(qualified) || DRF_BASE.test(last)) framework = 'drf';
        else if (FLASK_MODULES.test(qualified) || last === 'MethodView' || last === 'Resource')
          framework ??= 'flask';
        else if (qualified.startsWith('django.') || last.endsWith('View')) framework ??= 'django';
        else framework ??= 'other';
      }
      if (framework === undefined) return;
      const nameKind = authKindOf(model.textOf(nameNode));
      if (nameKind === null) return;
      const className = model.textOf(nameNode);
      const kind = nameKind ?? inherited?.kind;
      if (kind !== undefined) {
        judge({
          nameNode,
          kind,
          fromName: nameKind !== undefined,
          framework,
          code: body,
          inherited,
          throttleScopes: [definition],
          decorators: [
            ...decoratorsOf(definition),
            ...body.namedChildren.flatMap((statement) => statementDecorators(statement)),
          ],
          names: [className],
          router: undefined,
          classBody: body,
        });
        return;
      }
      // A viewset or resource with a `login`/`reset_password` action method.
      for (const statement of body.namedChildren) {
        const method =
          statement.type === 'decorated_definition'
            ? statement.childForFieldName('definition')
            : statement;
        if (method?.type !== 'function_definition') continue;
        const methodName = method.childForFieldName('name');
        const methodKind = methodName === null ? undefined : authKindOf(model.textOf(methodName));
        if (methodName === null || methodKind === null || methodKind === undefined) continue;
        judge({
          nameNode: methodName,
          kind: methodKind,
          fromName: true,
          framework,
          code: method,
          inherited: undefined,
          throttleScopes: [method, ...classLevelStatements(body)],
          decorators: [...decoratorsOf(definition), ...decoratorsOf(method)],
          names: [className],
          router: undefined,
          classBody: body,
        });
      }
    };

    return {
      function_definition: checkFunction,
      class_definition: checkClass,
    };
  },
});

function calleeText(model: SemanticModel, decorator: SyntaxNode): string {
  const callee = decorator.type === 'call' ? decorator.childForFieldName('function') : decorator;
  return callee === null ? '' : model.textOf(callee);
}

/** `@app.route("/login")`, `@router.post("/token")`: the framework, path and router object. */
function routeOf(
  model: SemanticModel,
  decorator: SyntaxNode,
): { framework: Framework; path: string | undefined; router: SyntaxNode } | undefined {
  if (decorator.type !== 'call') return undefined;
  const call = model.call(decorator);
  const router = receiverOf(call);
  if (router === undefined || !ROUTE_METHODS.has(call.methodName ?? '')) return undefined;
  if (CLIENT_RECEIVER.test(model.textOf(router))) return undefined;
  const pathNode = model.argument(call, 'path', 0) ?? call.keywords.get('rule');
  const path = pathNode === undefined ? undefined : model.staticString(pathNode);
  return { framework: routeFramework(model, router), path, router };
}

/** Which framework a route's application or router object belongs to. */
function routeFramework(model: SemanticModel, router: SyntaxNode): Framework {
  const maker = model.constructedBy(router);
  if (maker !== undefined) {
    if (/^(?:fastapi|starlette)\./.test(maker)) return 'fastapi';
    if (/^(?:flask|quart)\./.test(maker)) return 'flask';
  }
  if (model.importsModule('fastapi') || model.importsModule('starlette')) return 'fastapi';
  if (model.importsModule('flask') || model.importsModule('quart')) return 'flask';
  return 'other';
}

/** Whether a decorator limits request rates (and is not an exemption from a limiter). */
function isThrottleDecorator(model: SemanticModel, decorator: SyntaxNode): boolean {
  const text = model.textOf(decorator);
  return THROTTLE_DECORATOR.test(text) && !/exempt/i.test(calleeText(model, decorator));
}

/** The decorators of a decorated method in a class body. */
function statementDecorators(statement: SyntaxNode): SyntaxNode[] {
  const definition =
    statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : null;
  return definition === null ? [] : decoratorsOf(definition);
}

/** Statements of a class body other than methods (`throttle_scope = "login"`). */
function classLevelStatements(body: SyntaxNode): SyntaxNode[] {
  return body.namedChildren.filter(
    (statement) =>
      statement.type !== 'function_definition' && statement.type !== 'decorated_definition',
  );
}

/** `throttle_classes = []` (or `()`) in a class body: DRF throttling turned off for the view. */
function emptyThrottleClasses(model: SemanticModel, body: SyntaxNode): SyntaxNode | undefined {
  for (const statement of body.namedChildren) {
    const assignment =
      statement.type === 'expression_statement' ? statement.namedChildren[0] : null;
    if (assignment?.type !== 'assignment') continue;
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (left === null || right === null || model.textOf(left) !== 'throttle_classes') continue;
    const value = unwrapParens(right);
    if ((value.type === 'list' || value.type === 'tuple') && value.namedChildCount === 0)
      return left;
  }
  return undefined;
}

/** `totp.verify(code)`, `pwd_context.verify(password, hashed)`: a password or code check. */
function isVerifier(model: SemanticModel, call: CallInfo): boolean {
  if (call.methodName !== 'verify') return false;
  const receiver = receiverOf(call);
  if (receiver === undefined) return false;
  const maker = model.constructedBy(receiver);
  if (maker !== undefined && VERIFIER_MAKERS.test(maker)) return true;
  return VERIFIER_RECEIVER.test(lastNameOf(model, call));
}

function lastNameOf(model: SemanticModel, call: CallInfo): string {
  const receiver = receiverOf(call);
  return receiver === undefined ? '' : (lastName(model, receiver) ?? '');
}
