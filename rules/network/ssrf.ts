import {
  HTTP_REQUEST_CALLS,
  builtWithFixedHost,
  callsWhenInputPossible,
  defineRule,
  httpRequestTarget,
  rank,
  taintedSink,
  type Confidence,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** Connection classes that take the host to connect to. */
const CONNECTIONS: ReadonlySet<string> = new Set([
  'http.client.HTTPConnection',
  'http.client.HTTPSConnection',
  'httplib.HTTPConnection',
  'httplib.HTTPSConnection',
]);

function lower(level: Severity): Severity {
  return level === 'high' ? 'medium' : 'low';
}

function atMost(confidence: Confidence, cap: Confidence): Confidence {
  return rank(confidence) <= rank(cap) ? confidence : cap;
}

export default defineRule({
  meta: {
    id: 'PGT015',
    slug: 'ssrf',
    title: 'Server-side request to a URL taken from the request',
    category: 'network',
    severity: 'high',
    confidence: 'high',
    cwe: [918],
    owasp: ['A10:2021 Server-Side Request Forgery'],
    description:
      'Flags request data that reaches the URL or host of an outgoing HTTP request made with requests, httpx, aiohttp, urllib or http.client.',
    why: 'When the client picks where the server connects, it can reach what only the server can: cloud metadata endpoints that hand out credentials (`169.254.169.254`), admin interfaces on localhost and internal services behind the firewall. Even a caller-chosen path on a fixed host can reach endpoints it should not (`../admin`).',
    fix: 'Do not take URLs or hosts from the request. Map a client-chosen key to a URL you configured (`TARGETS[name]`), or check the parsed host against an allow-list before connecting; for values that go into the path, quote them (`urllib.parse.quote(value, safe="")`) under a fixed `https://host/` prefix.',
    example: {
      bad: 'import requests\nfrom flask import request\n\n\n@app.route("/preview")\ndef preview():\n    return requests.get(request.args["url"], timeout=5).text\n',
      good: 'import requests\nfrom flask import abort, request\n\nFEEDS = {"news": "https://feeds.example.com/news.xml"}\n\n\n@app.route("/preview")\ndef preview():\n    url = FEEDS.get(request.args["feed"])\n    if url is None:\n        abort(404)\n    return requests.get(url, timeout=5).text\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/918.html',
      'https://owasp.org/Top10/A10_2021-Server-Side_Request_Forgery_%28SSRF%29/',
      'https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html',
      'https://requests.readthedocs.io/en/latest/api/',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    taintedUrl:
      '`{{sink}}` connects to a URL or host taken from {{origin}}: {{path}}. The caller can make this server reach internal services or cloud metadata; look the destination up in a table of allowed URLs instead.',
    taintedPath:
      'The path or query of the URL `{{sink}}` requests comes from {{origin}}: {{path}}. The host is fixed, but the caller chooses which endpoint on it is called; quote the value (`urllib.parse.quote(value, safe="")`) or check it against an allow-list.',
  },
  select: {
    calls: [...CONNECTIONS, ...HTTP_REQUEST_CALLS.calls],
    methods: HTTP_REQUEST_CALLS.methods,
  },
  create(context) {
    const { model } = context;
    return callsWhenInputPossible(context, (node, call) => {
      let url: SyntaxNode | undefined;
      let cap: Confidence = 'high';
      if (call.qualifiedName !== undefined && CONNECTIONS.has(call.qualifiedName)) {
        url = model.argument(call, 'host', 0);
      } else {
        const target = httpRequestTarget(model, call);
        url = target?.url;
        cap = target?.confidence ?? 'high';
      }
      if (url === undefined) return;
      const sink = context.textOf(call.callee).replace(/\s+/g, '');
      const tainted = taintedSink(context, url, 'ssrf', node, sink);
      if (tainted === undefined) return;
      const partial = builtWithFixedHost(model, url, false);
      context.report({
        node,
        messageId: partial ? 'taintedPath' : 'taintedUrl',
        data: { sink, origin: tainted.origin, path: tainted.path },
        severity: partial ? lower(tainted.severity) : tainted.severity,
        confidence: atMost(tainted.confidence, cap),
        flow: tainted.flow,
      });
    });
  },
});
