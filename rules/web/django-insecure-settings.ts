import {
  defineRule,
  unwrapParens,
  type ReportFix,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

type MessageId =
  | 'debug'
  | 'allowedHosts'
  | 'insecureCookie'
  | 'cookieScriptReadable'
  | 'noSslRedirect'
  | 'noHsts'
  | 'csrfMiddlewareMissing';

interface Setting {
  /** The literal value that is insecure. */
  insecure: boolean | number;
  messageId: MessageId;
  severity: Severity;
  /** Whether a literal insecure value is fixed by writing `True` (the cookie flags). */
  fixToTrue?: boolean;
}

const BOOLEAN_SETTINGS: ReadonlyMap<string, Setting> = new Map([
  ['DEBUG', { insecure: true, messageId: 'debug', severity: 'high' }],
  [
    'SESSION_COOKIE_SECURE',
    { insecure: false, messageId: 'insecureCookie', severity: 'medium', fixToTrue: true },
  ],
  [
    'CSRF_COOKIE_SECURE',
    { insecure: false, messageId: 'insecureCookie', severity: 'medium', fixToTrue: true },
  ],
  [
    'SESSION_COOKIE_HTTPONLY',
    { insecure: false, messageId: 'cookieScriptReadable', severity: 'medium', fixToTrue: true },
  ],
  ['SECURE_SSL_REDIRECT', { insecure: false, messageId: 'noSslRedirect', severity: 'low' }],
  ['SECURE_HSTS_SECONDS', { insecure: 0, messageId: 'noHsts', severity: 'low' }],
]);

/** Names only a Django settings module defines. */
const SETTINGS_MARKERS = new Set([
  'INSTALLED_APPS',
  'ROOT_URLCONF',
  'MIDDLEWARE',
  'WSGI_APPLICATION',
  'ASGI_APPLICATION',
  'AUTH_PASSWORD_VALIDATORS',
]);
const SETTINGS_PATH = /(?:^|\/)settings[^/]*\.py$|(?:^|\/)settings\/[^/]+\.py$/;
/** Files meant only for development or tests, where these values are expected. */
const DEV_ONLY_PATH =
  /(?:^|[_.-])(?:dev|develop|development|local|test|tests|testing|debug|ci)(?:[_.-]|$)/i;
const CSRF_MIDDLEWARE = 'django.middleware.csrf.CsrfViewMiddleware';
const MIDDLEWARE_EXTENDED = /\bMIDDLEWARE\s*(?:\+=|\.(?:append|insert|extend)\b)/;
const CORE_MIDDLEWARE =
  /^django\.(?:middleware\.common\.CommonMiddleware|contrib\.sessions\.middleware\.SessionMiddleware)$/;

export default defineRule({
  meta: {
    id: 'PGW002',
    slug: 'django-insecure-settings',
    title: 'Insecure Django production settings',
    category: 'web',
    severity: 'medium',
    confidence: 'high',
    cwe: [489, 16, 614, 1004],
    owasp: ['A05:2021 Security Misconfiguration'],
    description:
      'In Django settings modules that are not obviously for development or tests, flags `DEBUG = True`, `ALLOWED_HOSTS = ["*"]`, `SESSION_COOKIE_SECURE`/`CSRF_COOKIE_SECURE`/`SESSION_COOKIE_HTTPONLY = False`, `SECURE_SSL_REDIRECT = False`, `SECURE_HSTS_SECONDS = 0` and a `MIDDLEWARE` list without `CsrfViewMiddleware`.',
    why: 'With `DEBUG = True` any error page shows source code, settings and the request (including cookies and secrets). A wildcard `ALLOWED_HOSTS` enables Host-header attacks such as poisoned password-reset links. Cookies without `Secure` travel over plain HTTP and can be captured, session cookies readable from JavaScript can be stolen through XSS, and without HTTPS redirects and HSTS users can be downgraded to HTTP. Without the CSRF middleware every form-handling view is open to cross-site request forgery. These are the settings `manage.py check --deploy` warns about.',
    fix: 'Read environment-specific values from the environment (`DEBUG = os.environ.get("DJANGO_DEBUG") == "1"`), list real host names in `ALLOWED_HOSTS`, set `SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True`, leave `SESSION_COOKIE_HTTPONLY` at `True`, enable `SECURE_SSL_REDIRECT` and a positive `SECURE_HSTS_SECONDS`, keep `CsrfViewMiddleware` in `MIDDLEWARE`, and run `python manage.py check --deploy` in CI.',
    example: {
      bad: 'ROOT_URLCONF = "mysite.urls"\nDEBUG = True\nALLOWED_HOSTS = ["*"]\nSESSION_COOKIE_SECURE = False\n',
      good: 'import os\n\nROOT_URLCONF = "mysite.urls"\nDEBUG = os.environ.get("DJANGO_DEBUG") == "1"\nALLOWED_HOSTS = ["www.example.com"]\nSESSION_COOKIE_SECURE = True\n',
    },
    references: [
      'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/',
      'https://docs.djangoproject.com/en/stable/ref/settings/#debug',
      'https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts',
      'https://cwe.mitre.org/data/definitions/614.html',
      'https://cwe.mitre.org/data/definitions/489.html',
    ],
    fixable: true,
    bandit: [],
    ruff: [],
  },
  messages: {
    debug:
      '`DEBUG = True` in a production settings module shows source code, settings and request data on every error page; read it from the environment instead.',
    allowedHosts:
      '`ALLOWED_HOSTS` accepts any Host header (`"*"`), which enables Host-header attacks such as poisoned password-reset links; list the real host names.',
    insecureCookie:
      '`{{name}} = False` lets this cookie travel over plain HTTP where it can be captured; set it to `True` for HTTPS deployments.',
    cookieScriptReadable:
      '`SESSION_COOKIE_HTTPONLY = False` lets JavaScript read the session cookie, so any XSS can steal sessions; leave it `True`.',
    noSslRedirect:
      '`SECURE_SSL_REDIRECT = False` leaves plain-HTTP requests unredirected; set it to `True` (or redirect at the proxy).',
    noHsts:
      '`SECURE_HSTS_SECONDS = 0` turns HTTP Strict Transport Security off, so browsers can be downgraded to HTTP; set a positive value such as `31536000`.',
    csrfMiddlewareMissing:
      '`MIDDLEWARE` does not include `django.middleware.csrf.CsrfViewMiddleware`, so views get no CSRF protection; add it after the session middleware.',
  },
  create(context) {
    const { model } = context;
    const path = context.path.replace(/\\/g, '/');
    const fileName = path.slice(path.lastIndexOf('/') + 1);
    if (context.isTestFile || DEV_ONLY_PATH.test(fileName)) return {};
    const namedSettings = SETTINGS_PATH.test(path);
    if (!namedSettings && !/INSTALLED_APPS|ROOT_URLCONF|MIDDLEWARE/.test(context.text)) return {};
    const pending: {
      node: SyntaxNode;
      messageId: MessageId;
      name: string;
      severity: Severity;
      fix: ReportFix | undefined;
    }[] = [];
    let looksLikeSettings = namedSettings;

    const stringItems = (node: SyntaxNode): string[] | undefined => {
      const value = unwrapParens(model.resolveValue(node));
      if (value.type !== 'list' && value.type !== 'tuple') return undefined;
      const items: string[] = [];
      for (const item of value.namedChildren) {
        if (item.type === 'comment') continue;
        const text = model.staticString(item);
        if (text === undefined) return undefined;
        items.push(text);
      }
      return items;
    };

    /** `SESSION_COOKIE_SECURE = False` → `True`: only a literal `False` or `0` is replaced. */
    const fixOf = (name: string, value: SyntaxNode): ReportFix | undefined => {
      if (BOOLEAN_SETTINGS.get(name)?.fixToTrue !== true) return undefined;
      if (value.type !== 'false' && !(value.type === 'integer' && context.textOf(value) === '0'))
        return undefined;
      return { description: `Set \`${name} = True\``, target: value, replacement: 'True' };
    };

    const judge = (
      name: string,
      value: SyntaxNode,
    ): { messageId: MessageId; severity: Severity } | undefined => {
      const setting = BOOLEAN_SETTINGS.get(name);
      if (setting !== undefined) {
        const literal = model.literalValue(value);
        const insecure =
          typeof setting.insecure === 'boolean'
            ? literal === setting.insecure || literal === (setting.insecure ? 1 : 0)
            : literal === setting.insecure;
        return insecure ? setting : undefined;
      }
      if (name === 'ALLOWED_HOSTS')
        return stringItems(value)?.includes('*') === true
          ? { messageId: 'allowedHosts', severity: 'medium' }
          : undefined;
      if (name === 'MIDDLEWARE') {
        // Added elsewhere in the file (`MIDDLEWARE += [...]`, `.insert(...)`, a constant).
        if (context.text.includes('CsrfViewMiddleware') || MIDDLEWARE_EXTENDED.test(context.text))
          return undefined;
        const items = stringItems(value);
        if (items === undefined || items.includes(CSRF_MIDDLEWARE)) return undefined;
        return items.some((item) => CORE_MIDDLEWARE.test(item))
          ? { messageId: 'csrfMiddlewareMissing', severity: 'medium' }
          : undefined;
      }
      return undefined;
    };

    return {
      assignment(node) {
        // Only unconditional module-level settings: `x = ...` directly in the module.
        if (node.parent?.type !== 'expression_statement' || node.parent.parent?.type !== 'module')
          return;
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left?.type !== 'identifier' || right === null) return;
        const name = context.textOf(left);
        if (SETTINGS_MARKERS.has(name)) looksLikeSettings = true;
        const verdict = judge(name, right);
        if (verdict !== undefined)
          pending.push({ node, name, ...verdict, fix: fixOf(name, right) });
      },
      end() {
        if (!looksLikeSettings) return;
        for (const { node, messageId, name, severity, fix } of pending)
          context.report({ node, messageId, data: { name }, severity, fix });
      },
    };
  },
});
