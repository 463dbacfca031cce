import { defineRule } from '../../src/rules-api/define-rule.js';
import type { CallInfo } from '../../src/engine/model.js';
import type { SyntaxNode } from '../../src/engine/parse.js';
import type { Confidence, Severity } from '../../src/engine/types.js';
import { importsModule } from '../_shared/imports-module.js';
import { findTerm } from '../_shared/name-terms.js';
import { nameWords } from '../_shared/secret-names.js';

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
      'Flags `set_cookie(...)` for session, login and token cookies (Flask, Django, Starlette/FastAPI, Pyramid, aiohttp, …) without `secure=True`, without `httponly=True`, or with `samesite=None`, and Pyramid auth-ticket policies and cookie session factories left with their insecure defaults.',
    why: 'A cookie without `Secure` is also sent over plain HTTP, where anyone on the network can copy it and take over the session. Without `HttpOnly` any XSS on the site can read the cookie from JavaScript and send it away. `SameSite=None` sends it with cross-site requests, which re-opens CSRF.',
    fix: 'Set the flags on every cookie that identifies a user: `response.set_cookie("session", value, secure=True, httponly=True, samesite="Lax")`. For Pyramid pass `secure=True, http_only=True` to `AuthTktAuthenticationPolicy` (and `secure=True, httponly=True` to `SignedCookieSessionFactory`).',
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
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    cookieFlags:
      '`{{callee}}` sets the `{{cookie}}` cookie {{problems}}; pass `secure=True, httponly=True, samesite="Lax"`.',
    pyramidDefaults: '`{{callee}}` issues cookies {{problems}}; pass {{fix}}.',
  },
  create(context) {
    const { model } = context;
    if (!/set_cookie|AuthTkt|SignedCookieSessionFactory/.test(context.text)) return {};
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

    const checkSetCookie = (node: SyntaxNode, call: CallInfo, lenient: boolean): void => {
      if (call.hasKwargs) return;
      const nameNode =
        call.keywords.get('key') ?? call.keywords.get('name') ?? positional(call, POSITIONS.name);
      const value = call.keywords.get('value') ?? positional(call, POSITIONS.value);
      const cookie = nameNode === undefined ? undefined : model.staticString(nameNode);
      // A cookie jar's `set_cookie(cookie)` or a deletion (`set_cookie("sid", "", expires=0)`).
      if (cookie === undefined || value === undefined || model.literalValue(value) === '') return;
      const words = nameWords(cookie);
      if (findTerm(words, SENSITIVE_TERMS) === undefined && !SENSITIVE_GLUED.test(cookie)) return;
      // Anti-CSRF cookies are read by the page's own JavaScript on purpose (double submit).
      const scriptReadable = /csrf|xsrf/i.test(cookie);
      const secure = flag(call.keywords.get('secure') ?? positional(call, POSITIONS.secure));
      const httponly = flag(
        call.keywords.get('httponly') ??
          call.keywords.get('http_only') ??
          positional(call, POSITIONS.httponly),
      );
      const samesiteNode = call.keywords.get('samesite') ?? positional(call, POSITIONS.samesite);
      const samesite = samesiteNode === undefined ? undefined : model.literalValue(samesiteNode);
      const problems: string[] = [];
      let severity: Severity = 'low';
      if (secure === 'off' || (secure === 'absent' && !lenient)) {
        problems.push('without `Secure`');
        severity = 'medium';
      }
      if (!scriptReadable && (httponly === 'off' || (httponly === 'absent' && !lenient))) {
        problems.push('readable from JavaScript (no `HttpOnly`)');
        severity = 'medium';
      }
      if (samesite === null || (typeof samesite === 'string' && samesite.toLowerCase() === 'none'))
        problems.push('with `SameSite=None`');
      if (problems.length === 0) return;
      const explicit = secure === 'off' || httponly === 'off';
      const confidence: Confidence = explicit ? 'high' : 'medium';
      context.report({
        node,
        messageId: 'cookieFlags',
        data: { callee: context.textOf(call.callee), cookie, problems: problems.join(', ') },
        severity,
        confidence,
      });
    };

    return {
      call(node) {
        const call = context.call(node);
        const name = call.qualifiedName;
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
        if (lenient || framework()) checkSetCookie(node, call, lenient);
      },
    };
  },
});
