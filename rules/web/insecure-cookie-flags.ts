import {
  addKeywordArguments,
  callVisitors,
  defineRule,
  importsModule,
  lastName,
  nameWords,
  receiverOf,
  testAdjusted,
  unwrapParens,
  type CallInfo,
  type Confidence,
  type ReportEdit,
  type ReportFix,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { findTerm } from '../_shared/name-terms.js';

/** Words that make a cookie a session, login or token cookie. */
const SENSITIVE_TERMS = [
  'session',
  'sess',
  'sid',
  'auth',
  'token',
  'jwt',
  'remember',
  'login',
  'csrf',
  'xsrf',
  'access',
  'refresh',
  'identity',
  'credential',
  'api_key',
  'secret',
  'bearer',
  'oauth',
  'sso',
  'saml',
];
/** The same, run together inside a single word (`sessionid`, `authtoken`, `csrftoken`). */
const SENSITIVE_GLUED = /sess|auth|token|jwt|remember|login|csrf|xsrf|oauth|saml/i;

/**
 * Words that make a cookie name the user's identity or privileges (`userid`, `admin`, `email`,
 * `role`): whoever can read or replay such a cookie acts as that user.
 */
const IDENTITY_TERMS = [
  'user',
  'username',
  'userid',
  'uid',
  'admin',
  'role',
  'email',
  'account',
  'member',
  'principal',
  'logged_in',
];
/** Words before `id` that make it an identity (`user_id`, `account-id`, `sessionId`). */
const ID_OWNERS = new Set(['user', 'account', 'member', 'customer', 'admin', 'login', 'profile']);
/** Glued identity words (`accountid`, `memberid`). */
const IDENTITY_GLUED = /^(?:user|account|member|customer|admin|login|profile)(?:id|name)$/;

/**
 * Words naming a preference or UI-state cookie (`theme`, `lang`, `cookie_consent`): not an
 * identity even when its value comes from the user's profile (`user.theme`).
 */
const PREFERENCE_TERMS = [
  'theme',
  'lang',
  'language',
  'locale',
  'consent',
  'pref',
  'prefs',
  'preference',
  'timezone',
  'tz',
  'currency',
  'font',
  'color',
  'colour',
  'layout',
  'sort',
  'tab',
  'banner',
  'dismissed',
  'tour',
  'sidebar',
  'region',
  'country',
  'visited',
];

/** Words in a variable, attribute or function name that make a cookie value an identity or credential. */
const IDENTITY_VALUE_WORD =
  /^(?:user(?:name|id)?|uid|e?mail|token|session(?:id)?|sess(?:id)?|sid|jwt|auth|login|password|passwd|admin|role|account|credentials?|identity|principal)$/;
/** The same words run together at the end of one word (`authtoken`, `currentuser`). */
const IDENTITY_VALUE_GLUED = /.(?:user|token|session|jwt|email)$/;
/** How many assignments a cookie value is followed back through (`encoded = b64encode(data)`, `data = f"..."`). */
const VALUE_DEPTH = 4;
/** Receivers whose `set_cookie` plants a cookie in a test client or browser, not a response. */
const CLIENT_RECEIVER = /(?:^|_)(?:client|jar|browser|driver)$/i;
/** Receiver names of a response object, for files that build responses without importing a framework. */
const RESPONSE_RECEIVER = /^(?:resp|response|res|reply|http_?response|\w+_response)$/i;

const WEB_FRAMEWORKS = [
  'flask',
  'werkzeug',
  'django',
  'starlette',
  'fastapi',
  'pyramid',
  'quart',
  'aiohttp',
  'tornado',
  'bottle',
];
/** Frameworks whose `set_cookie` is secure and HttpOnly unless told otherwise. */
const SECURE_BY_DEFAULT = ['falcon'];

/** Flask/Werkzeug, Django and Starlette: `set_cookie(key, value, max_age, expires, path, domain, secure, httponly, samesite)`. */
const POSITIONS = { name: 0, value: 1, secure: 6, httponly: 7, samesite: 8 } as const;

/**
 * The most positional arguments a `set_cookie` call may pass for a fix to add `secure=`/
 * `httponly=` by keyword: WebOb (Pyramid) takes `secure` sixth, the earliest of the frameworks.
 */
const MAX_POSITIONAL_FOR_KEYWORDS = 5;

/** A cookie flag a fix turns on: its keyword and how the call sets it now. */
interface FlagToFix {
  keyword: 'secure' | 'httponly';
  state: 'off' | 'absent';
  /** The keyword argument's value, when the call passes one. */
  value: SyntaxNode | undefined;
}

/**
 * aiohttp_session storages: the session cookie is HttpOnly by default but not Secure
 * (`secure=None` leaves the attribute off).
 */
const AIOHTTP_STORAGES = new Set(
  [
    'cookie_storage.EncryptedCookieStorage',
    'nacl_storage.NaClCookieStorage',
    'redis_storage.RedisStorage',
    'memcached_storage.MemcachedStorage',
    'EncryptedCookieStorage',
    'SimpleCookieStorage',
    'RedisStorage',
  ].map((name) => `aiohttp_session.${name}`),
);

/** Pyramid factories and policies that issue auth or session cookies, insecure by default. */
const PYRAMID_ISSUERS: ReadonlyMap<string, { httponly: string }> = new Map([
  ['pyramid.authentication.AuthTktAuthenticationPolicy', { httponly: 'http_only' }],
  ['pyramid.authentication.AuthTktCookieHelper', { httponly: 'http_only' }],
  ['pyramid.session.SignedCookieSessionFactory', { httponly: 'httponly' }],
]);

export default defineRule({
  meta: {
    id: 'PGW004',
    slug: 'insecure-cookie-flags',
    title: 'Session or auth cookie without Secure/HttpOnly',
    category: 'web',
    severity: 'medium',
    confidence: 'medium',
    cwe: [614, 1004, 1275],
    owasp: ['A05:2021 Security Misconfiguration'],
    description:
      'Flags `set_cookie(...)` for session, login, token and user-identity cookies (Flask, Django, Starlette/FastAPI, Pyramid, aiohttp, …) without `secure=True`, without `httponly=True`, or with `samesite=None`, any cookie whose `Secure`/`HttpOnly` flag is switched off explicitly, and Pyramid auth-ticket policies, cookie session factories and aiohttp_session storages left insecure.',
    why: 'A cookie without `Secure` is also sent over plain HTTP, where anyone on the network can copy it and take over the session. Without `HttpOnly` any XSS on the site can read the cookie from JavaScript and send it away. `SameSite=None` sends it with cross-site requests, which re-opens CSRF.',
    fix: 'Set the flags on every cookie that identifies a user: `response.set_cookie("session", value, secure=True, httponly=True, samesite="Lax")`. For Pyramid pass `secure=True, http_only=True` to `AuthTktAuthenticationPolicy` (and `secure=True, httponly=True` to `SignedCookieSessionFactory` or an aiohttp_session storage).',
    example: {
      bad: 'from flask import make_response\n\n\ndef login_response(token):\n    response = make_response("ok")\n    response.set_cookie("auth_token", token)\n    return response\n',
      good: 'from flask import make_response\n\n\ndef login_response(token):\n    response = make_response("ok")\n    response.set_cookie("auth_token", token, secure=True, httponly=True, samesite="Lax")\n    return response\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/614.html',
      'https://cwe.mitre.org/data/definitions/1004.html',
      'https://developer.mozilla.org/en-US/docs/Web/HTTP/Cookies#restrict_access_to_cookies',
      'https://flask.palletsprojects.com/en/stable/api/#flask.Response.set_cookie',
      'https://docs.djangoproject.com/en/stable/ref/request-response/#django.http.HttpResponse.set_cookie',
      'https://docs.pylonsproject.org/projects/pyramid/en/latest/api/authentication.html',
      'https://aiohttp-session.readthedocs.io/en/stable/reference.html',
    ],
    fixable: true,
    bandit: [],
    ruff: [],
  },
  messages: {
    cookieFlags:
      '`{{callee}}` sets the `{{cookie}}` cookie{{reason}} {{problems}}; pass `secure=True, httponly=True, samesite="Lax"`.',
    flagTurnedOff:
      '`{{callee}}` explicitly sets the `{{cookie}}` cookie {{problems}}; unless this cookie is harmless to leak, pass `secure=True, httponly=True, samesite="Lax"`.',
    aiohttpStorage:
      '`{{callee}}` issues the session cookie {{problems}}; pass {{fix}} (and `samesite="Lax"`).',
    pyramidDefaults: '`{{callee}}` issues cookies {{problems}}; pass {{fix}}.',
  },
  select: {
    calls: [...AIOHTTP_STORAGES, ...PYRAMID_ISSUERS.keys()],
    methods: ['set_cookie', 'set_signed_cookie'],
  },
  create(context) {
    const { model } = context;
    if (!/set_cookie|AuthTkt|SignedCookieSessionFactory|Storage/.test(context.text)) return {};
    // Asked in the visitors: the model's imports are only known once the traversal ran.
    const framework = (): boolean => WEB_FRAMEWORKS.some((module) => importsModule(model, module));
    const secureByDefault = (): boolean =>
      SECURE_BY_DEFAULT.some((module) => importsModule(model, module));

    /** `on`, `off` (literally false or None) or `unknown` for a flag argument. */
    const flag = (node: SyntaxNode | undefined): 'on' | 'off' | 'unknown' | 'absent' => {
      if (node === undefined) return 'absent';
      const truth = model.truthiness(node);
      return truth === true ? 'on' : truth === false ? 'off' : 'unknown';
    };

    /** Django's `set_signed_cookie(key, value, salt, ...)` takes everything after `value` by keyword. */
    const positional = (call: CallInfo, index: number): SyntaxNode | undefined =>
      call.positional.length > index &&
      (index <= POSITIONS.value || call.methodName === 'set_cookie')
        ? call.positional[index]
        : undefined;

    /** Whether a name (of a variable, attribute or function) reads as a user identity or credential. */
    const identityName = (name: string): boolean =>
      nameWords(name).some(
        (word) => IDENTITY_VALUE_WORD.test(word) || IDENTITY_VALUE_GLUED.test(word),
      );

    /**
     * The value last assigned to a name before its use (`cookie = request.COOKIES[...]` earlier in
     * the function does not hide `cookie = f"{username}|..."` just above the `set_cookie`).
     */
    const latestAssignment = (id: SyntaxNode): SyntaxNode | undefined => {
      const found = model.lookup(model.textOf(id), model.scopeAt(id));
      let latest: { start: number; value: SyntaxNode } | undefined;
      for (const binding of found?.bindings ?? []) {
        const start = binding.node.startIndex;
        if (binding.kind !== 'assign' || binding.value === undefined || start >= id.startIndex)
          continue;
        if (latest === undefined || start > latest.start) latest = { start, value: binding.value };
      }
      return latest?.value ?? model.soleAssignedValue(id);
    };

    /**
     * Whether a cookie value carries who the user is: a name like `username`/`token`, a field like
     * `obj.userid`/`user.id`, a JWT, or something built from those (`b64encode(f"{username}|…")`,
     * `fernet.encrypt(username.encode())`), followed back through single assignments.
     */
    const identityValue = (node: SyntaxNode, depth: number): boolean => {
      if (depth > VALUE_DEPTH) return false;
      const value = unwrapParens(node);
      switch (value.type) {
        case 'identifier': {
          if (identityName(model.textOf(value))) return true;
          const assigned = latestAssignment(value);
          return assigned !== undefined && identityValue(assigned, depth + 1);
        }
        case 'attribute': {
          // A field read names the value (`user.theme` is a theme); `user.id` is the user.
          const field = value.childForFieldName('attribute');
          const object = value.childForFieldName('object');
          if (field === null) return false;
          const fieldName = model.textOf(field);
          if (identityName(fieldName)) return true;
          return (
            (fieldName === 'id' || fieldName === 'pk') &&
            object !== null &&
            identityValue(object, depth)
          );
        }
        case 'call': {
          const callee = value.childForFieldName('function');
          if (callee === null) return false;
          const qualified = model.qualifiedName(callee);
          if (qualified?.startsWith('jwt.') === true) return true;
          const name = lastName(model, callee);
          if (name !== undefined && identityName(name)) return true;
          // `x.encode()`, `str(x)`, `b64encode(x)`, `fernet.encrypt(x)`: what went in.
          const object = callee.type === 'attribute' ? callee.childForFieldName('object') : null;
          if (object !== null && identityValue(object, depth)) return true;
          const args = value.childForFieldName('arguments');
          return (args?.namedChildren ?? []).some((arg) => {
            const inner = arg.type === 'keyword_argument' ? arg.childForFieldName('value') : arg;
            return inner !== null && identityValue(inner, depth);
          });
        }
        case 'subscript': {
          // `session["user"]`, `data["token"]`.
          const key = value.childForFieldName('subscript');
          const text = key === null ? undefined : model.staticString(key);
          return text !== undefined && identityName(text);
        }
        case 'string':
          return value.namedChildren.some(
            (part) =>
              part.type === 'interpolation' &&
              part.namedChildren.some((inner) => identityValue(inner, depth)),
          );
        case 'binary_operator':
        case 'concatenated_string':
        case 'conditional_expression':
        case 'boolean_operator':
        case 'tuple':
        case 'list':
          return value.namedChildren.some((inner) => identityValue(inner, depth));
        default:
          return false;
      }
    };

    /** Why a cookie counts as sensitive, or undefined when it looks like a preference or unknown. */
    const sensitivity = (cookie: string, value: SyntaxNode): 'name' | 'value' | undefined => {
      const words = nameWords(cookie);
      if (findTerm(words, SENSITIVE_TERMS) !== undefined || SENSITIVE_GLUED.test(cookie))
        return 'name';
      if (findTerm(words, PREFERENCE_TERMS) !== undefined) return undefined;
      const ownedId = words.some(
        (word, index) =>
          (word === 'id' && (words.length === 1 || ID_OWNERS.has(words[index - 1] ?? ''))) ||
          IDENTITY_GLUED.test(word),
      );
      if (ownedId || findTerm(words, IDENTITY_TERMS) !== undefined) return 'name';
      return identityValue(value, 0) ? 'value' : undefined;
    };

    /** `set_cookie(name, "", expires=0)`, `set_cookie(name, None)`, `max_age=0`: clearing a cookie. */
    const clears = (call: CallInfo, value: SyntaxNode): boolean => {
      const literal = model.literalValue(value);
      if (literal === '' || literal === null) return true;
      const expiry = call.keywords.get('max_age') ?? call.keywords.get('expires');
      if (expiry === undefined) return false;
      const when = model.literalValue(expiry);
      return when === 0 || (typeof when === 'string' && when.includes('1970'));
    };

    /**
     * The fix that turns the given flags on: a literal `False`/`None` keyword value becomes
     * `True` (whatever the framework calls the keyword: `httponly`, Falcon's `http_only`), and a
     * flag the call leaves out is added as `secure=True`/`httponly=True` in a file that imports
     * one of the frameworks (whose `set_cookie` all take those names). Undefined when one flag cannot be fixed exactly: set positionally or
     * by an expression, or left out of a call with so many positional arguments that they may
     * already reach it.
     */
    const flagsFix = (
      node: SyntaxNode,
      call: CallInfo,
      flags: readonly FlagToFix[],
    ): ReportFix | undefined => {
      if (flags.length === 0) return undefined;
      const edits: ReportEdit[] = [];
      const missing: string[] = [];
      for (const { keyword, state, value } of flags) {
        if (state === 'absent') {
          missing.push(keyword);
          continue;
        }
        const literal = value?.type === 'false' || value?.type === 'none';
        if (value === undefined || !literal || value.parent?.type !== 'keyword_argument')
          return undefined;
        edits.push({
          target: value,
          replacement: 'True',
          description: `set \`${context.textOf(value.parent.child(0) ?? value)}=True\``,
        });
      }
      if (missing.length > 0) {
        // Without a framework import the call may be Falcon's, whose keyword is `http_only`.
        if (!framework() || call.positional.length > MAX_POSITIONAL_FOR_KEYWORDS) return undefined;
        const added = addKeywordArguments(
          node,
          missing.map((name) => ({ name, value: 'True' })),
          '',
        );
        if (added === undefined) return undefined;
        edits.push({
          target: added.target,
          replacement: added.replacement,
          description: `add ${missing.map((name) => `\`${name}=True\``).join(', ')}`,
        });
      }
      const [first, ...rest] = edits;
      if (first === undefined) return undefined;
      const what = edits.map((edit) => edit.description ?? '').join(' and ');
      return {
        description: `${what.charAt(0).toUpperCase()}${what.slice(1)}`,
        target: first.target,
        replacement: first.replacement,
        additionalEdits: rest.length === 0 ? undefined : rest,
      };
    };

    const checkSetCookie = (node: SyntaxNode, call: CallInfo, lenient: boolean): void => {
      if (call.hasKwargs) return;
      const nameNode =
        call.keywords.get('key') ?? call.keywords.get('name') ?? positional(call, POSITIONS.name);
      const value = call.keywords.get('value') ?? positional(call, POSITIONS.value);
      const cookie = nameNode === undefined ? undefined : model.staticString(nameNode);
      // A cookie jar's `set_cookie(cookie)` or a deletion (`set_cookie("sid", "", expires=0)`).
      if (cookie === undefined || value === undefined || clears(call, value)) return;
      // Anti-CSRF cookies are read by the page's own JavaScript on purpose (double submit).
      const scriptReadable = /csrf|xsrf/i.test(cookie);
      const secureNode = call.keywords.get('secure') ?? positional(call, POSITIONS.secure);
      const httponlyNode =
        call.keywords.get('httponly') ??
        call.keywords.get('http_only') ??
        positional(call, POSITIONS.httponly);
      const secure = flag(secureNode);
      const httponly = flag(httponlyNode);
      /** The flags to turn on for the problems found, when each is off or absent. */
      const toFix = (secureWanted: boolean, httponlyWanted: boolean): FlagToFix[] | undefined => {
        const flags: FlagToFix[] = [];
        for (const [keyword, wanted, state, value] of [
          ['secure', secureWanted, secure, secureNode],
          ['httponly', httponlyWanted, httponly, httponlyNode],
        ] as const) {
          if (!wanted) continue;
          if (state !== 'off' && state !== 'absent') return undefined;
          flags.push({ keyword, state, value });
        }
        return flags;
      };
      const samesiteNode = call.keywords.get('samesite') ?? positional(call, POSITIONS.samesite);
      const samesite = samesiteNode === undefined ? undefined : model.literalValue(samesiteNode);
      const samesiteNone = typeof samesite === 'string' && samesite.toLowerCase() === 'none';
      const callee = context.textOf(call.callee);
      const sensitive = sensitivity(cookie, value);
      if (sensitive === undefined) {
        // A cookie of unknown purpose: only flags switched off on purpose are worth a finding.
        const problems: string[] = [];
        if (secure === 'off') problems.push('without `Secure`');
        if (httponly === 'off' && !scriptReadable) problems.push('readable from JavaScript');
        if (samesiteNone && secure !== 'on')
          problems.push('with `SameSite=None` but no `Secure` (browsers drop or leak it)');
        if (problems.length === 0) return;
        // Turning `Secure` on also settles `SameSite=None`, which browsers accept only with it.
        const flags = toFix(
          secure === 'off' || (samesiteNone && secure !== 'on'),
          httponly === 'off' && !scriptReadable,
        );
        context.report({
          node,
          messageId: 'flagTurnedOff',
          data: { callee, cookie, problems: problems.join(', ') },
          severity: 'medium',
          confidence: testAdjusted('medium', context.isTestFile),
          fix: flags === undefined ? undefined : flagsFix(node, call, flags),
        });
        return;
      }
      const problems: string[] = [];
      let severity: Severity = 'low';
      const insecure = secure === 'off' || (secure === 'absent' && !lenient);
      if (insecure) {
        problems.push('without `Secure`');
        severity = 'medium';
      }
      const readable =
        !scriptReadable && (httponly === 'off' || (httponly === 'absent' && !lenient));
      if (readable) {
        problems.push('readable from JavaScript (no `HttpOnly`)');
        severity = 'medium';
      }
      const crossSite = samesite === null || samesiteNone;
      if (crossSite) problems.push('with `SameSite=None`');
      if (problems.length === 0) return;
      const explicit = secure === 'off' || httponly === 'off';
      const confidence: Confidence = explicit ? 'high' : 'medium';
      const fixable = toFix(insecure, readable);
      context.report({
        node,
        messageId: 'cookieFlags',
        data: {
          callee,
          cookie,
          reason: sensitive === 'value' ? ' (its value identifies the user)' : '',
          problems: problems.join(', '),
        },
        severity,
        confidence: testAdjusted(confidence, context.isTestFile),
        // `SameSite=None` may be meant (a cookie for an embedding site): no fix guesses.
        fix: fixable === undefined || crossSite ? undefined : flagsFix(node, call, fixable),
      });
    };

    /** aiohttp_session storages: HttpOnly unless turned off, Secure only when asked for. */
    const checkAiohttpStorage = (node: SyntaxNode, call: CallInfo): void => {
      if (call.hasKwargs) return;
      const secure = flag(call.keywords.get('secure'));
      const httponly = flag(call.keywords.get('httponly'));
      const problems: string[] = [];
      const fixes: string[] = [];
      if (secure !== 'on' && secure !== 'unknown') {
        problems.push('without `Secure`');
        fixes.push('`secure=True`');
      }
      if (httponly === 'off') {
        problems.push('readable from JavaScript (`httponly=False`)');
        fixes.push('`httponly=True`');
      }
      if (problems.length === 0) return;
      // Leaving `secure` out is the library default (low); switching a flag off is deliberate.
      const explicit = secure === 'off' || httponly === 'off';
      context.report({
        node,
        messageId: 'aiohttpStorage',
        data: {
          callee: context.textOf(call.callee),
          problems: problems.join(' and '),
          fix: fixes.join(' and '),
        },
        severity: 'medium',
        confidence: testAdjusted(explicit ? 'high' : 'low', context.isTestFile),
      });
    };

    /** Whether `x.set_cookie(...)` is on a response rather than a test client or a cookie jar. */
    const onResponse = (call: CallInfo): boolean => {
      const receiver = receiverOf(call);
      const name = receiver === undefined ? undefined : lastName(model, receiver);
      if (name !== undefined && CLIENT_RECEIVER.test(name)) return false;
      return framework() || (name !== undefined && RESPONSE_RECEIVER.test(name));
    };

    return callVisitors(context, (node, call) => {
      const name = call.qualifiedName;
      if (name !== undefined && AIOHTTP_STORAGES.has(name)) {
        checkAiohttpStorage(node, call);
        return;
      }
      const issuer = name === undefined ? undefined : PYRAMID_ISSUERS.get(name);
      if (issuer !== undefined) {
        if (call.hasKwargs) return;
        const problems: string[] = [];
        const fixes: string[] = [];
        if (flag(call.keywords.get('secure')) !== 'on') {
          problems.push('without `Secure`');
          fixes.push('`secure=True`');
        }
        if (flag(call.keywords.get(issuer.httponly)) !== 'on') {
          problems.push('readable from JavaScript');
          fixes.push(`\`${issuer.httponly}=True\``);
        }
        if (problems.length === 0) return;
        context.report({
          node,
          messageId: 'pyramidDefaults',
          data: {
            callee: context.textOf(call.callee),
            problems: problems.join(' and '),
            fix: fixes.join(' and '),
          },
          confidence: 'high',
        });
        return;
      }
      if (call.methodName !== 'set_cookie' && call.methodName !== 'set_signed_cookie') return;
      const lenient = secureByDefault();
      if (lenient || onResponse(call)) checkSetCookie(node, call, lenient);
    });
  },
});
