import {
  callVisitors,
  defineRule,
  mentions,
  UNTRUSTED_INPUT,
  unwrapParens,
  type CallInfo,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

const STARLETTE_CORS = new Set([
  'starlette.middleware.cors.CORSMiddleware',
  'fastapi.middleware.cors.CORSMiddleware',
]);
const MIDDLEWARE_WRAPPERS = new Set([
  'starlette.middleware.Middleware',
  'fastapi.middleware.Middleware',
]);
const FLASK_CORS = new Set(['flask_cors.CORS', 'flask_cors.extension.CORS']);
const FLASK_CROSS_ORIGIN = new Set([
  'flask_cors.cross_origin',
  'flask_cors.decorator.cross_origin',
]);
/** django-cors-headers settings that allow every origin. */
const DJANGO_ALLOW_ALL = new Set(['CORS_ALLOW_ALL_ORIGINS', 'CORS_ORIGIN_ALLOW_ALL']);
const ALLOW_ORIGIN_HEADER = 'access-control-allow-origin';
/** A regular expression that matches any origin. */
const ANY_ORIGIN_REGEX = /^\^?(?:\.\*|\.\+|https?:\/\/\.\*)\$?$/;

export default defineRule({
  meta: {
    id: 'PGW007',
    slug: 'cors-wildcard',
    title: 'CORS allows any origin',
    category: 'web',
    severity: 'medium',
    confidence: 'high',
    cwe: [942, 346],
    owasp: ['A05:2021 Security Misconfiguration'],
    description:
      'Flags CORS set up for every origin: Starlette/FastAPI `CORSMiddleware(allow_origins=["*"])`, `flask_cors.CORS(app)` and `@cross_origin()` with the default or `"*"` origins, django-cors-headers `CORS_ALLOW_ALL_ORIGINS = True`, and `Access-Control-Allow-Origin` headers set to `*` or to the request\'s own `Origin`; high when credentials are allowed too.',
    why: "CORS decides which other websites may read your responses from a visitor's browser. Allowing every origin lets any page read data from endpoints that rely on network position or cookies. Combined with credentials (or with an origin echoed back from the request) any website the user visits can make authenticated requests and read the answers: account data, tokens, CSRF tokens.",
    fix: 'List the origins that need access: `allow_origins=["https://app.example.com"]`, `CORS(app, origins=[...])`, `CORS_ALLOWED_ORIGINS = [...]`. Allow credentials only for those explicit origins, and never echo the `Origin` header without checking it against that list.',
    example: {
      bad: 'from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\napp = FastAPI()\napp.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)\n',
      good: 'from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\napp = FastAPI()\napp.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/942.html',
      'https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS',
      'https://www.starlette.io/middleware/#corsmiddleware',
      'https://flask-cors.readthedocs.io/en/latest/api.html',
      'https://github.com/adamchainz/django-cors-headers#configuration',
    ],
    bandit: [],
    ruff: [],
    supersedes: ['PGI024'],
  },
  messages: {
    wildcard:
      '`{{callee}}` allows requests from any origin ({{how}}); list the origins that need access.',
    wildcardCredentials:
      '`{{callee}}` allows any origin ({{how}}) together with credentials, so any website can make authenticated requests and read the responses; list the allowed origins explicitly.',
    djangoAllowAll:
      '`{{name}} = True` lets every website read responses from this API{{credentials}}; use `CORS_ALLOWED_ORIGINS` with the origins that need access.',
    headerWildcard:
      '`{{target}}` is set to `*`, so any website can read this response; send the header only for allowed origins.',
    headerReflected:
      "`{{target}}` echoes the request's `Origin` back, which allows every website; compare the origin with an allowlist first.",
  },
  select: {
    calls: [...STARLETTE_CORS, ...MIDDLEWARE_WRAPPERS, ...FLASK_CORS, ...FLASK_CROSS_ORIGIN],
    methods: ['add_middleware'],
  },
  create(context) {
    const { model } = context;
    if (!/CORS|cors|cross_origin|Access-Control-Allow-Origin/i.test(context.text)) return {};
    let djangoCredentials = false;
    const djangoPending: { node: SyntaxNode; name: string }[] = [];

    /** `*`, a list holding `*`, or a regex matching anything. */
    const isWildcard = (node: SyntaxNode): boolean => {
      const value = unwrapParens(model.resolveValue(node));
      const text = model.staticString(value);
      if (text !== undefined) return text.trim() === '*' || ANY_ORIGIN_REGEX.test(text);
      if (value.type === 'list' || value.type === 'tuple' || value.type === 'set')
        return value.namedChildren.some((item) => model.staticString(item)?.trim() === '*');
      return false;
    };

    const credentialsOn = (call: CallInfo, keyword: string): boolean => {
      const value = call.keywords.get(keyword);
      return value !== undefined && model.truthiness(value) === true;
    };

    const report = (node: SyntaxNode, callee: string, how: string, credentials: boolean): void => {
      const severity: Severity = credentials ? 'high' : 'medium';
      context.report({
        node,
        messageId: credentials ? 'wildcardCredentials' : 'wildcard',
        data: { callee, how },
        severity,
      });
    };

    /** Starlette keywords on `CORSMiddleware(...)`, `add_middleware(CORSMiddleware, ...)` or `Middleware(...)`. */
    const checkStarlette = (node: SyntaxNode, call: CallInfo, callee: string): void => {
      const origins = call.keywords.get('allow_origins');
      const regex = call.keywords.get('allow_origin_regex');
      const how =
        origins !== undefined && isWildcard(origins)
          ? `\`allow_origins=${context.textOf(origins)}\``
          : regex !== undefined && isWildcard(regex)
            ? `\`allow_origin_regex=${context.textOf(regex)}\``
            : undefined;
      if (how !== undefined) report(node, callee, how, credentialsOn(call, 'allow_credentials'));
    };

    /** flask-cors: `origins` defaults to `*`, globally or per resource. */
    const checkFlaskCors = (node: SyntaxNode, call: CallInfo): void => {
      if (call.hasKwargs) return;
      const credentials = credentialsOn(call, 'supports_credentials');
      const callee = context.textOf(call.callee);
      const origins = call.keywords.get('origins');
      if (origins !== undefined) {
        if (isWildcard(origins))
          report(node, callee, `\`origins=${context.textOf(origins)}\``, credentials);
        return;
      }
      const resources = call.keywords.get('resources');
      const mapping =
        resources === undefined ? undefined : unwrapParens(model.resolveValue(resources));
      if (mapping?.type === 'dictionary') {
        // `resources={r"/api/*": {"origins": ...}}`: every resource must name its origins.
        const open = mapping.namedChildren.some((pair) => {
          const options = pair.childForFieldName('value');
          if (options === null || unwrapParens(options).type !== 'dictionary') return true;
          const entry = unwrapParens(options).namedChildren.find(
            (option) => model.staticString(option.childForFieldName('key') ?? option) === 'origins',
          );
          const value = entry?.childForFieldName('value');
          return value === undefined || value === null || isWildcard(value);
        });
        if (open) report(node, callee, 'a resource without a list of `origins`', credentials);
        return;
      }
      report(node, callee, 'no `origins`, which defaults to `*`', credentials);
    };

    return {
      ...callVisitors(context, (node, call) => {
        const name = call.qualifiedName;
        if (name !== undefined && STARLETTE_CORS.has(name)) {
          checkStarlette(node, call, context.textOf(call.callee));
          return;
        }
        if (
          call.methodName === 'add_middleware' ||
          (name !== undefined && MIDDLEWARE_WRAPPERS.has(name))
        ) {
          const middleware = call.positional[0];
          const middlewareName =
            middleware === undefined ? undefined : model.qualifiedName(middleware);
          if (middlewareName !== undefined && STARLETTE_CORS.has(middlewareName))
            checkStarlette(node, call, context.textOf(call.callee));
          return;
        }
        if (name !== undefined && (FLASK_CORS.has(name) || FLASK_CROSS_ORIGIN.has(name)))
          checkFlaskCors(node, call);
      }),
      assignment(node) {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left === null || right === null) return;
        if (left.type === 'identifier') {
          const name = context.textOf(left);
          if (name === 'CORS_ALLOW_CREDENTIALS' && model.truthiness(right) === true)
            djangoCredentials = true;
          if (DJANGO_ALLOW_ALL.has(name) && model.truthiness(right) === true)
            djangoPending.push({ node, name });
          return;
        }
        if (left.type !== 'subscript') return;
        const subscript = left.childForFieldName('subscript');
        const header = subscript === null ? undefined : model.staticString(subscript);
        if (header?.toLowerCase() !== ALLOW_ORIGIN_HEADER) return;
        const data = { target: context.textOf(left) };
        if (model.staticString(right)?.trim() === '*') {
          context.report({ node, messageId: 'headerWildcard', data });
        } else if (
          /origin/i.test(context.textOf(right)) &&
          mentions(model, right, UNTRUSTED_INPUT)
        ) {
          context.report({ node, messageId: 'headerReflected', data, severity: 'high' });
        }
      },
      end() {
        for (const { node, name } of djangoPending) {
          context.report({
            node,
            messageId: 'djangoAllowAll',
            data: { name, credentials: djangoCredentials ? ', with credentials' : '' },
            severity: djangoCredentials ? 'high' : 'medium',
          });
        }
      },
    };
  },
});
