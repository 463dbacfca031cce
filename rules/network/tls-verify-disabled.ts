import {
  callVisitors,
  defineRule,
  importsModule,
  receiverOf,
  testAdjustedSeverity,
  unwrapParens,
  type CallInfo,
  type Confidence,
  type SemanticModel,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

const VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];

/** Module-level functions taking `verify=`. */
const VERIFY_FUNCTIONS = new Set([
  ...VERBS.flatMap((verb) => [`requests.${verb}`, `requests.api.${verb}`]),
  ...[...VERBS, 'stream'].map((verb) => `httpx.${verb}`),
  'httpx.Client',
  'httpx.AsyncClient',
  'httpx.HTTPTransport',
  'httpx.AsyncHTTPTransport',
]);

const REQUESTS_SESSIONS = new Set([
  'requests.Session',
  'requests.session',
  'requests.sessions.Session',
  'requests.sessions.session',
]);
const SESSION_METHODS = new Set([...VERBS, 'send']);

const AIOHTTP_SESSIONS = new Set(['aiohttp.ClientSession', 'aiohttp.client.ClientSession']);
const AIOHTTP_METHODS = new Set([...VERBS, 'ws_connect']);
const AIOHTTP_FUNCTIONS = new Set([
  'aiohttp.request',
  'aiohttp.TCPConnector',
  'aiohttp.connector.TCPConnector',
]);

const URLLIB3_POOLS = new Set(
  [
    'PoolManager',
    'ProxyManager',
    'HTTPSConnectionPool',
    'connection_from_url',
    'proxy_from_url',
  ].flatMap((name) => [
    `urllib3.${name}`,
    `urllib3.poolmanager.${name}`,
    `urllib3.connectionpool.${name}`,
    `requests.packages.urllib3.${name}`,
  ]),
);

const CERT_NONE_NAMES = new Set(['ssl.CERT_NONE', 'ssl.VerifyMode.CERT_NONE']);
const SSL_CONTEXT_MAKERS = new Set([
  'ssl.create_default_context',
  'ssl.SSLContext',
  'ssl._create_unverified_context',
]);
const DISABLE_WARNINGS = new Set([
  'urllib3.disable_warnings',
  'requests.packages.urllib3.disable_warnings',
]);

const LOCAL_HOST =
  /^[a-z][a-z0-9+.-]*:\/\/(?:[^/@]*@)?(?:localhost|127\.\d+\.\d+\.\d+|\[::1\])(?::\d+)?(?:[/?#]|$)/i;

/** Receivers whose constructor is unknown but whose name says they are an HTTP session or client. */
const SESSION_LIKE_NAME =
  /(?:^|_)(?:s|sess|session|client|http|https|api|conn|connection|requester|browser)$|Session$|Client$/i;

/** Whether an unresolved receiver is named like a session (`self.session`, `http_client`, `s`). */
function sessionLikeName(model: SemanticModel, receiver: SyntaxNode): boolean {
  const target = unwrapParens(receiver);
  const last =
    target.type === 'attribute'
      ? target.childForFieldName('attribute')
      : target.type === 'identifier'
        ? target
        : null;
  return last !== null && SESSION_LIKE_NAME.test(model.textOf(last));
}

/** How a value is known to be false: a literal (or a constant holding one), or a parameter default. */
type Falsity = 'literal' | 'default';

function falsity(model: SemanticModel, node: SyntaxNode): Falsity | undefined {
  const value = model.literalValue(node);
  if (value === false || value === 0) return 'literal';
  const target = unwrapParens(node);
  if (target.type !== 'identifier') return undefined;
  const found = model.lookup(model.textOf(target), model.scopeAt(target));
  const binding = found?.bindings.length === 1 ? found.bindings[0] : undefined;
  if (binding?.kind !== 'param' || binding.value === undefined) return undefined;
  const fallback = model.literalValue(binding.value);
  return fallback === false || fallback === 0 ? 'default' : undefined;
}

/** Whether a `cert_reqs=` value means "no certificate check". */
function isCertNone(model: SemanticModel, node: SyntaxNode): boolean {
  const name = model.qualifiedName(node);
  if (name !== undefined && CERT_NONE_NAMES.has(name)) return true;
  const value = model.literalValue(node);
  return value === 'CERT_NONE' || value === 'NONE' || value === 0;
}

/** Text any call this rule reports by keyword contains (`verify=`, `ssl=`, `cert_reqs=`). */
const TLS_KEYWORD_HINT = /verify|ssl|cert_reqs/;
/** Text any attribute assignment this rule reports contains. */
const TLS_ATTRIBUTE_HINT = /verify|check_hostname/;

export default defineRule({
  meta: {
    id: 'PGT001',
    slug: 'tls-verify-disabled',
    title: 'TLS certificate verification disabled',
    category: 'network',
    severity: 'high',
    confidence: 'high',
    cwe: [295],
    owasp: [
      'A02:2021 Cryptographic Failures',
      'A07:2021 Identification and Authentication Failures',
    ],
    description:
      'Flags HTTP clients and TLS contexts told not to check certificates: `verify=False` in requests and httpx, `ssl=False` in aiohttp, `session.verify = False`, `cert_reqs=CERT_NONE`, `verify_mode = ssl.CERT_NONE` and `check_hostname = False`.',
    why: 'Without certificate verification anyone on the network path (public Wi-Fi, a compromised router, a malicious proxy) can impersonate the server, read the traffic including credentials, and change the responses.',
    fix: 'Remove `verify=False` / `ssl=False`. For an internal or self-signed certificate authority pass its bundle instead: `verify="/etc/ssl/internal-ca.pem"` (requests, httpx), `ssl=ssl.create_default_context(cafile=...)` (aiohttp), or set `REQUESTS_CA_BUNDLE`.',
    example: {
      bad: 'import requests\n\nresp = requests.get("https://billing.internal/api", verify=False, timeout=10)\n',
      good: 'import requests\n\nresp = requests.get("https://billing.internal/api", verify="/etc/ssl/internal-ca.pem", timeout=10)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/295.html',
      'https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification',
      'https://www.python-httpx.org/advanced/ssl/',
      'https://docs.aiohttp.org/en/stable/client_advanced.html#ssl-control-for-tcp-sockets',
      'https://urllib3.readthedocs.io/en/stable/advanced-usage.html#certificate-verification',
      'https://docs.python.org/3/library/ssl.html#ssl.SSLContext.verify_mode',
    ],
    fixable: true,
    bandit: ['B501'],
    ruff: ['S501'],
  },
  messages: {
    verifyFalse:
      '`{{callee}}` is called with `verify={{value}}`, so any certificate is accepted; remove it or pass the path of a CA bundle.',
    sslFalse:
      '`{{callee}}` is called with `{{keyword}}={{value}}`, so any certificate is accepted; remove it or pass an `ssl.SSLContext` that trusts your CA.',
    sessionVerify:
      '`{{target}} = {{value}}` turns off certificate checking for every request of this session; remove it or set a CA bundle path.',
    certNone:
      '`{{callee}}` is called with `cert_reqs={{value}}`, so any certificate is accepted; use `CERT_REQUIRED` (the default).',
    verifyMode:
      '`{{target}} = {{value}}` turns off certificate checking; keep `ssl.CERT_REQUIRED` and load your CA with `load_verify_locations`.',
    checkHostname:
      '`{{target}} = False` lets any valid certificate stand in for this host; keep hostname checking on.',
    warningsSilenced:
      '`{{callee}}` hides the warning that requests are sent without certificate verification; fix the verification instead of silencing it.',
  },
  create(context) {
    const { model } = context;
    // A node's text is part of the file's: where the file lacks every hint word, so does each node.
    let keywordInFile: boolean | undefined;
    let attributeInFile: boolean | undefined;

    /** Severity: lower for requests to localhost, medium in tests. */
    function severityFor(call: CallInfo | undefined): Severity {
      const url =
        call === undefined
          ? undefined
          : (model.argument(call, 'url', call.methodName === 'request' ? 1 : 0) ?? undefined);
      const shape = url === undefined ? undefined : model.stringShape(url);
      const text =
        shape === undefined
          ? undefined
          : shape.kind === 'literal'
            ? shape.value
            : shape.kind === 'built'
              ? shape.template
              : undefined;
      if (text !== undefined && LOCAL_HOST.test(text)) return 'low';
      return testAdjustedSeverity('high', context.isTestFile);
    }

    function confidenceOf(base: Confidence, how: Falsity): Confidence {
      if (how === 'default') return base === 'high' ? 'medium' : 'low';
      return base;
    }

    function reportKeyword(
      node: SyntaxNode,
      call: CallInfo,
      keyword: string,
      messageId: 'verifyFalse' | 'sslFalse',
      base: Confidence,
    ): void {
      const value = call.keywords.get(keyword);
      if (value === undefined) return;
      const how = falsity(model, value);
      if (how === undefined) return;
      // Only the literal `verify=False` has one certain replacement: the library's default.
      const fix =
        keyword === 'verify' && value.type === 'false'
          ? { description: 'Verify certificates', target: value, replacement: 'True' }
          : undefined;
      context.report({
        node,
        messageId,
        data: { callee: context.textOf(call.callee), keyword, value: context.textOf(value) },
        severity: severityFor(call),
        confidence: confidenceOf(base, how),
        fix,
      });
    }

    return {
      ...callVisitors(context, (node, call) => {
        const name = call.qualifiedName;
        if (name !== undefined && VERIFY_FUNCTIONS.has(name)) {
          reportKeyword(node, call, 'verify', 'verifyFalse', 'high');
          return;
        }
        if (name !== undefined && AIOHTTP_FUNCTIONS.has(name)) {
          reportKeyword(node, call, 'ssl', 'sslFalse', 'high');
          reportKeyword(node, call, 'verify_ssl', 'sslFalse', 'high');
          return;
        }
        if (name !== undefined && DISABLE_WARNINGS.has(name)) {
          const category =
            call.positional[0] === undefined ? undefined : model.qualifiedName(call.positional[0]);
          if (category === undefined || category.endsWith('InsecureRequestWarning')) {
            context.report({
              node,
              messageId: 'warningsSilenced',
              data: { callee: context.textOf(call.callee) },
              severity: 'low',
              confidence: 'medium',
            });
          }
          return;
        }
        // Everything below needs one of these keywords in the call; most calls have none.
        keywordInFile ??= TLS_KEYWORD_HINT.test(context.text);
        if (!keywordInFile || !TLS_KEYWORD_HINT.test(context.textOf(node))) return;
        const certReqs = call.keywords.get('cert_reqs');
        if (certReqs !== undefined && isCertNone(model, certReqs)) {
          const known =
            (name !== undefined && (URLLIB3_POOLS.has(name) || name.startsWith('ssl.'))) ||
            importsModule(model, 'urllib3');
          context.report({
            node,
            messageId: 'certNone',
            data: { callee: context.textOf(call.callee), value: context.textOf(certReqs) },
            severity: testAdjustedSeverity('high', context.isTestFile),
            confidence: known ? 'high' : 'medium',
          });
          return;
        }
        const method = call.methodName;
        const receiver = receiverOf(call);
        if (method === undefined || receiver === undefined) return;
        const maker = model.constructedBy(receiver);
        // An unknown receiver counts when it is named like a session in a file using the library.
        const guessed = (module: string): boolean =>
          maker === undefined && sessionLikeName(model, receiver) && importsModule(model, module);
        if (SESSION_METHODS.has(method) && call.keywords.has('verify')) {
          if (maker !== undefined && REQUESTS_SESSIONS.has(maker))
            reportKeyword(node, call, 'verify', 'verifyFalse', 'high');
          else if (guessed('requests'))
            reportKeyword(node, call, 'verify', 'verifyFalse', 'medium');
          return;
        }
        if (
          AIOHTTP_METHODS.has(method) &&
          (call.keywords.has('ssl') || call.keywords.has('verify_ssl'))
        ) {
          const base: Confidence | undefined =
            maker !== undefined && AIOHTTP_SESSIONS.has(maker)
              ? 'high'
              : guessed('aiohttp')
                ? 'medium'
                : undefined;
          if (base === undefined) return;
          reportKeyword(node, call, 'ssl', 'sslFalse', base);
          reportKeyword(node, call, 'verify_ssl', 'sslFalse', base);
        }
      }),
      assignment(node) {
        attributeInFile ??= TLS_ATTRIBUTE_HINT.test(context.text);
        if (!attributeInFile || !TLS_ATTRIBUTE_HINT.test(context.textOf(node))) return;
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left?.type !== 'attribute' || right === null) return;
        const attribute = left.childForFieldName('attribute');
        const object = left.childForFieldName('object');
        if (attribute === null || object === null) return;
        const field = context.textOf(attribute);
        // `self.verify = False` is an attribute of the class being written, not a session.
        if (object.type === 'identifier' && ['self', 'cls'].includes(context.textOf(object)))
          return;
        const maker = model.constructedBy(object);
        const data = { target: context.textOf(left), value: context.textOf(right) };
        const severity: Severity = testAdjustedSeverity('high', context.isTestFile);
        if (field === 'verify') {
          const how = falsity(model, right);
          if (how === undefined) return;
          const base: Confidence | undefined =
            maker !== undefined && REQUESTS_SESSIONS.has(maker)
              ? 'high'
              : maker === undefined &&
                  sessionLikeName(model, object) &&
                  importsModule(model, 'requests')
                ? 'medium'
                : undefined;
          if (base === undefined) return;
          context.report({
            node,
            messageId: 'sessionVerify',
            data,
            severity,
            confidence: confidenceOf(base, how),
          });
          return;
        }
        const sslContext = maker !== undefined && SSL_CONTEXT_MAKERS.has(maker);
        const unknownWithSsl = maker === undefined && importsModule(model, 'ssl');
        if (!sslContext && !unknownWithSsl) return;
        if (field === 'verify_mode' && isCertNone(model, right)) {
          context.report({
            node,
            messageId: 'verifyMode',
            data,
            severity,
            confidence: sslContext ? 'high' : 'medium',
          });
        } else if (field === 'check_hostname' && model.literalValue(right) === false) {
          // TLS libraries turn hostname checks off on contexts they were handed while they set
          // their own verification up, so an unknown receiver is only a weak signal.
          context.report({
            node,
            messageId: 'checkHostname',
            data,
            severity: testAdjustedSeverity('medium', context.isTestFile),
            confidence: sslContext ? 'high' : 'low',
          });
        }
      },
    };
  },
});
