import {
  HTTP_REQUEST_CALLS,
  callVisitors,
  defineRule,
  displayUrl,
  httpRequestTarget,
  isLocalHost,
  requestCredential,
  shortText,
  testAdjusted,
  urlOf,
  type CallInfo,
  type Confidence,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

export default defineRule({
  meta: {
    id: 'PGT009',
    slug: 'credentials-over-http',
    title: 'Credentials sent over cleartext HTTP',
    category: 'network',
    severity: 'high',
    confidence: 'high',
    cwe: [523, 319],
    owasp: [
      'A02:2021 Cryptographic Failures',
      'A07:2021 Identification and Authentication Failures',
    ],
    description:
      'Flags HTTP client calls (`requests`, `httpx`, sessions) to an `http://` URL that send credentials: `auth=...`, an `Authorization`/API-key/`Cookie` header, or a `user:password@` URL.',
    why: 'HTTP Basic credentials are only base64-encoded, and bearer tokens, API keys and cookies are sent as-is. Over plain HTTP anyone on the network path can copy them and reuse them for as long as they stay valid.',
    fix: 'Send credentials only over `https://`. If the server does not offer TLS, put it behind a TLS-terminating proxy before giving it credentials.',
    example: {
      bad: 'import requests\n\nresp = requests.get("http://api.example.com/reports", auth=("reporter", password), timeout=10)\n',
      good: 'import requests\n\nresp = requests.get("https://api.example.com/reports", auth=("reporter", password), timeout=10)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/523.html',
      'https://requests.readthedocs.io/en/latest/user/authentication/',
      'https://www.python-httpx.org/advanced/authentication/',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    credentialsOverHttp:
      '`{{callee}}` sends {{credential}} to `{{url}}` over unencrypted HTTP, where anyone on the path can copy it; use `https://`.',
  },
  select: { ...HTTP_REQUEST_CALLS, text: ['http://'] },
  create(context) {
    const { model } = context;
    if (!context.text.includes('http://')) return {};

    const report = (
      node: SyntaxNode,
      call: CallInfo,
      urlNode: SyntaxNode,
      base: Confidence,
    ): void => {
      const url = urlOf(model, urlNode);
      if (url?.scheme !== 'http') return;
      if (url.host !== undefined && isLocalHost(url.host)) return;
      const credential = requestCredential(model, call, url);
      if (credential === undefined) return;
      const confidence: Confidence = url.host === undefined && base === 'high' ? 'medium' : base;
      context.report({
        node,
        messageId: 'credentialsOverHttp',
        data: {
          callee: context.textOf(call.callee),
          credential,
          url: shortText(displayUrl(url), 60),
        },
        confidence: testAdjusted(confidence, context.isTestFile),
      });
    };

    return callVisitors(context, (node, call) => {
      const target = httpRequestTarget(model, call);
      if (target !== undefined) report(node, call, target.url, target.confidence);
    });
  },
});
