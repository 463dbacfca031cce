import { callVisitors, defineRule, testAdjusted } from '../../src/rules-api/index.js';

const WRAP_SOCKET = 'ssl.wrap_socket';
const SSL_CONTEXT = 'ssl.SSLContext';
/** `ssl.wrap_socket(sock, keyfile, certfile, server_side, cert_reqs, ssl_version, ...)`. */
const SSL_VERSION_POSITION = 5;

export default defineRule({
  meta: {
    id: 'PGT005',
    slug: 'tls-version-unspecified',
    title: 'TLS socket or context created without choosing a protocol',
    category: 'network',
    severity: 'low',
    confidence: 'medium',
    cwe: [327],
    owasp: ['A02:2021 Cryptographic Failures'],
    description:
      'Flags `ssl.wrap_socket()` called without `ssl_version` and `ssl.SSLContext()` created without a protocol.',
    why: '`ssl.wrap_socket` is deprecated (removed in Python 3.12) and by default neither checks the certificate nor the host name. `ssl.SSLContext()` without a protocol is deprecated since Python 3.10 and gives the generic `PROTOCOL_TLS` context, which also skips certificate and host name checks. Both leave the security of the connection to defaults that are wrong for clients.',
    fix: 'Build the context with `ssl.create_default_context()` (certificate and host name checks on, TLS 1.2+) and call `ctx.wrap_socket(sock, server_hostname=host)`. If you need a bare context, pass `ssl.PROTOCOL_TLS_CLIENT` or `ssl.PROTOCOL_TLS_SERVER` explicitly.',
    example: {
      bad: 'import socket\nimport ssl\n\nsock = socket.create_connection(("example.com", 443))\ntls = ssl.wrap_socket(sock)\n',
      good: 'import socket\nimport ssl\n\nsock = socket.create_connection(("example.com", 443))\ntls = ssl.create_default_context().wrap_socket(sock, server_hostname="example.com")\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/327.html',
      'https://docs.python.org/3/library/ssl.html#ssl.create_default_context',
      'https://docs.python.org/3/library/ssl.html#ssl.SSLContext',
      'https://docs.python.org/3.11/library/ssl.html#ssl.wrap_socket',
    ],
    bandit: ['B504'],
    ruff: ['S504'],
  },
  messages: {
    wrapSocket:
      '`{{callee}}()` without `ssl_version` uses deprecated defaults that do not check the certificate or host name (and is gone in Python 3.12); use `ssl.create_default_context().wrap_socket(sock, server_hostname=...)`.',
    bareContext:
      '`{{callee}}()` without a protocol is deprecated and gives a context that skips certificate and host name checks; use `ssl.create_default_context()` or pass `ssl.PROTOCOL_TLS_CLIENT`.',
  },
  select: { calls: ['ssl.*'], text: ['wrap_socket', 'SSLContext'] },
  create(context) {
    const { model } = context;
    if (!/wrap_socket|SSLContext/.test(context.text)) return {};
    return callVisitors(context, (node, call) => {
      const name = call.qualifiedName;
      if (name === undefined || !name.startsWith('ssl.')) return;
      if (call.hasKwargs || call.hasStarArgs) return;
      const confidence = testAdjusted('medium', context.isTestFile);
      if (name === WRAP_SOCKET) {
        if (model.argument(call, 'ssl_version', SSL_VERSION_POSITION) !== undefined) return;
        context.report({
          node,
          messageId: 'wrapSocket',
          data: { callee: context.textOf(call.callee) },
          confidence,
        });
        return;
      }
      if (name === SSL_CONTEXT && model.argument(call, 'protocol', 0) === undefined) {
        context.report({
          node,
          messageId: 'bareContext',
          data: { callee: context.textOf(call.callee) },
          severity: 'medium',
          confidence,
        });
      }
    });
  },
});
