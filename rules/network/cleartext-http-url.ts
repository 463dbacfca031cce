import {
  HTTP_REQUEST_CALLS,
  callVisitors,
  defineRule,
  displayUrl,
  httpRequestTarget,
  isLocalHost,
  isPrivateAddress,
  requestCredential,
  shortText,
  testAdjusted,
  urlOf,
  type CallInfo,
  type Confidence,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

const CLEARTEXT_SCHEMES = new Set(['http', 'ftp']);
const HTTP_CONNECTIONS = new Set(['http.client.HTTPConnection', 'httplib.HTTPConnection']);
/** Clients built around a base URL. */
const BASE_URL_CLIENTS = new Set(['httpx.Client', 'httpx.AsyncClient', 'aiohttp.ClientSession']);

export default defineRule({
  meta: {
    id: 'PGT008',
    slug: 'cleartext-http-url',
    title: 'Request sent over cleartext HTTP',
    category: 'network',
    severity: 'medium',
    confidence: 'high',
    cwe: [319],
    owasp: ['A02:2021 Cryptographic Failures'],
    description:
      'Flags literal `http://` (and `ftp://`) URLs passed to `requests`, `httpx`, `urllib`, `urllib3` and `aiohttp` calls, and `http.client.HTTPConnection` to a fixed remote host; localhost, loopback, `*.local`, `*.internal` and single-label service names are left alone.',
    why: 'Plain HTTP is neither encrypted nor authenticated: anyone on the network path (Wi-Fi, ISP, a compromised router or proxy) can read the request and the response and change them, for example to inject code into a downloaded file or to steal session data.',
    fix: 'Use `https://` (and `http.client.HTTPSConnection`). For internal services, put them behind TLS as well, or keep them on `localhost`/a private service name if they truly never leave the host or cluster network.',
    example: {
      bad: 'import requests\n\nresp = requests.get("http://api.example.com/v1/orders", timeout=10)\n',
      good: 'import requests\n\nresp = requests.get("https://api.example.com/v1/orders", timeout=10)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/319.html',
      'https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification',
      'https://docs.python.org/3/library/http.client.html#http.client.HTTPSConnection',
    ],
    bandit: ['B309'],
    ruff: [],
  },
  messages: {
    cleartextUrl:
      '`{{callee}}` sends the request to `{{url}}` over unencrypted {{scheme}}; use {{instead}}.',
    cleartextConnection:
      '`{{callee}}` opens an unencrypted HTTP connection to `{{host}}`; use `http.client.HTTPSConnection`.',
  },
  select: {
    calls: [...HTTP_CONNECTIONS, ...BASE_URL_CLIENTS, ...HTTP_REQUEST_CALLS.calls],
    methods: HTTP_REQUEST_CALLS.methods,
    text: ['http://', 'ftp://', 'HTTPConnection'],
  },
  create(context) {
    const { model } = context;
    if (!/http:\/\/|ftp:\/\/|HTTPConnection/.test(context.text)) return {};

    const report = (
      node: SyntaxNode,
      call: CallInfo,
      argument: SyntaxNode,
      base: Confidence,
    ): void => {
      const url = urlOf(model, argument);
      if (url === undefined || !CLEARTEXT_SCHEMES.has(url.scheme)) return;
      if (url.host !== undefined && isLocalHost(url.host)) return;
      // Requests that carry credentials are reported by credentials-over-http (PGT009).
      if (url.scheme === 'http' && requestCredential(model, call, url) !== undefined) return;
      const callee = context.textOf(call.callee);
      const severity: Severity =
        url.host !== undefined && isPrivateAddress(url.host) ? 'low' : 'medium';
      const confidence: Confidence = url.host === undefined && base === 'high' ? 'medium' : base;
      context.report({
        node,
        messageId: 'cleartextUrl',
        data: {
          callee,
          url: shortText(displayUrl(url), 60),
          scheme: url.scheme.toUpperCase(),
          instead: url.scheme === 'ftp' ? '`https://` or SFTP' : '`https://`',
        },
        severity,
        confidence: testAdjusted(confidence, context.isTestFile),
      });
    };

    return callVisitors(context, (node, call) => {
      const callee = context.textOf(call.callee);
      const name = call.qualifiedName;
      if (name !== undefined && HTTP_CONNECTIONS.has(name)) {
        const hostNode = model.argument(call, 'host', 0);
        const host = hostNode === undefined ? undefined : model.staticString(hostNode);
        const bare = host?.replace(/:\d+$/, '').toLowerCase();
        if (bare === undefined || bare === '' || isLocalHost(bare)) return;
        context.report({
          node,
          messageId: 'cleartextConnection',
          data: { callee, host: bare },
          severity: isPrivateAddress(bare) ? 'low' : 'medium',
          confidence: testAdjusted('high', context.isTestFile),
        });
        return;
      }
      if (name !== undefined && BASE_URL_CLIENTS.has(name)) {
        const base = call.keywords.get('base_url');
        if (base !== undefined) report(node, call, base, 'high');
        return;
      }
      const target = httpRequestTarget(model, call);
      if (target === undefined) return;
      report(node, call, target.url, target.confidence);
    });
  },
});
