import {
  callVisitors,
  defineRule,
  ownEntry,
  testAdjustedSeverity,
  type CallInfo,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** Hosts that mean "every interface" in a socket address tuple. `""` counts only there. */
const ANY_ADDRESS_IN_TUPLE = new Set(['0.0.0.0', '::', '']);
/** Hosts that mean "every interface" when given as a `host=` string to a server runner. */
const ANY_ADDRESS_HOST = new Set(['0.0.0.0', '::']);

/** Calls whose first argument (or the named one) is a `(host, port)` address tuple. */
const ADDRESS_TUPLE_CALLS: Readonly<Record<string, string>> = {
  'socket.create_server': 'address',
  'http.server.HTTPServer': 'server_address',
  'http.server.ThreadingHTTPServer': 'server_address',
  'socketserver.TCPServer': 'server_address',
  'socketserver.UDPServer': 'server_address',
  'socketserver.ThreadingTCPServer': 'server_address',
  'socketserver.ThreadingUDPServer': 'server_address',
  'socketserver.ForkingTCPServer': 'server_address',
  'socketserver.ForkingUDPServer': 'server_address',
  'xmlrpc.server.SimpleXMLRPCServer': 'addr',
  'xmlrpc.server.DocXMLRPCServer': 'addr',
  'wsgiref.simple_server.WSGIServer': 'server_address',
  'gevent.pywsgi.WSGIServer': 'listener',
  'gevent.server.StreamServer': 'listener',
};

/** Calls taking a host string: qualified name → [keyword, position]. `""` host counts for make_server only. */
const HOST_CALLS: Readonly<Record<string, readonly [string, number | undefined]>> = {
  'uvicorn.run': ['host', undefined],
  'aiohttp.web.run_app': ['host', undefined],
  'aiohttp.web.TCPSite': ['host', 1],
  'waitress.serve': ['host', undefined],
  'werkzeug.serving.run_simple': ['hostname', 0],
  'werkzeug.run_simple': ['hostname', 0],
  'bottle.run': ['host', undefined],
  'asyncio.start_server': ['host', 1],
  'wsgiref.simple_server.make_server': ['host', 0],
};

/** Methods taking a host string on any receiver: `app.run(host=...)`, `loop.create_server(f, host)`. */
const HOST_METHODS: Readonly<Record<string, readonly [string, number | undefined]>> = {
  run: ['host', undefined],
  create_server: ['host', 1],
  listen: ['address', undefined],
};

export default defineRule({
  meta: {
    id: 'PGT013',
    slug: 'bind-all-interfaces',
    title: 'Server bound to all network interfaces',
    category: 'network',
    severity: 'medium',
    confidence: 'high',
    cwe: [605, 200],
    owasp: ['A05:2021 Security Misconfiguration'],
    description:
      'Flags sockets and servers bound to every interface (`"0.0.0.0"`, `"::"` or `""` as the host) in `socket.bind`, `HTTPServer`/`socketserver` addresses, `app.run`, `uvicorn.run`, `aiohttp.web.run_app` and `waitress.serve`.',
    why: 'Binding to all interfaces exposes the service on every network the machine is attached to, including public ones, so an admin port, debug server or unauthenticated internal API becomes reachable from outside.',
    fix: 'Bind to `127.0.0.1` (or a specific internal address) by default and make the public address an explicit deployment setting, for example `host=os.environ.get("HOST", "127.0.0.1")`; in containers, publish only the ports you need.',
    example: {
      bad: 'import uvicorn\n\nuvicorn.run("app:api", host="0.0.0.0", port=8000)\n',
      good: 'import os\n\nimport uvicorn\n\nuvicorn.run("app:api", host=os.environ.get("HOST", "127.0.0.1"), port=8000)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/605.html',
      'https://cwe.mitre.org/data/definitions/200.html',
      'https://docs.python.org/3/library/socket.html#socket.socket.bind',
      'https://flask.palletsprojects.com/en/stable/api/#flask.Flask.run',
      'https://www.uvicorn.org/settings/',
    ],
    auditAdds: 'every `"0.0.0.0"` and `"::"` literal outside a recognised bind call',
    bandit: ['B104'],
    ruff: ['S104'],
  },
  messages: {
    anyAddressLiteral:
      "`{{literal}}` is the address of every network interface; if it ends up as a server's bind address, the service listens on all of them. Bind to `127.0.0.1` or a specific address and make public exposure a deployment setting.",
    bindsAll:
      '`{{callee}}` binds to {{host}}, which listens on every network interface; bind to `127.0.0.1` or a specific address and make public exposure a deployment setting.',
  },
  select: {
    calls: [...Object.keys(ADDRESS_TUPLE_CALLS), ...Object.keys(HOST_CALLS)],
    methods: ['bind', ...Object.keys(HOST_METHODS)],
  },
  create(context) {
    const { model } = context;

    function describe(host: string): string {
      return host === '' ? '`""` (all interfaces)' : `\`${host}\``;
    }

    /** The all-interfaces host of an address tuple `(host, port[, flowinfo, scope_id])`. */
    function tupleHost(node: SyntaxNode | undefined): string | undefined {
      if (node === undefined) return undefined;
      const value = model.resolveValue(node);
      if (value.type !== 'tuple' || value.namedChildCount < 2 || value.namedChildCount > 4)
        return undefined;
      const first = value.namedChildren[0];
      const host = first === undefined ? undefined : model.literalValue(first);
      return typeof host === 'string' && ANY_ADDRESS_IN_TUPLE.has(host) ? host : undefined;
    }

    /** The all-interfaces host of a host string argument. */
    function stringHost(node: SyntaxNode | undefined, allowEmpty: boolean): string | undefined {
      if (node === undefined) return undefined;
      const host = model.literalValue(node);
      if (typeof host !== 'string') return undefined;
      return ANY_ADDRESS_HOST.has(host) || (allowEmpty && host === '') ? host : undefined;
    }

    /** waitress `listen="0.0.0.0:8080 [::]:8080"` / `"*:8080"`. */
    function listenHost(call: CallInfo): string | undefined {
      const listen = call.keywords.get('listen');
      const value = listen === undefined ? undefined : model.literalValue(listen);
      if (typeof value !== 'string') return undefined;
      const entry = value.split(/\s+/).find((part) => /^(?:0\.0\.0\.0|\*|\[::\]):\d+$/.test(part));
      return entry?.replace(/:\d+$/, '');
    }

    /** Spans of the calls reported as binding to every interface. */
    const reportedCalls: SyntaxNode[] = [];
    /** Every-interface address literals found anywhere (reported under the audit profile). */
    const literals: SyntaxNode[] = [];

    function report(node: SyntaxNode, call: CallInfo, host: string): void {
      reportedCalls.push(node);
      context.report({
        node,
        messageId: 'bindsAll',
        data: { callee: context.textOf(call.callee), host: describe(host) },
        severity: testAdjustedSeverity('medium', context.isTestFile),
      });
    }

    return {
      ...callVisitors(context, (node, call) => {
        const name = call.qualifiedName;
        if (name !== undefined) {
          const tupleKeyword = ownEntry(ADDRESS_TUPLE_CALLS, name);
          if (tupleKeyword !== undefined) {
            const host = tupleHost(model.argument(call, tupleKeyword, 0));
            if (host !== undefined) report(node, call, host);
            return;
          }
          const hostArgument = ownEntry(HOST_CALLS, name);
          if (hostArgument !== undefined) {
            const [keyword, position] = hostArgument;
            const allowEmpty = name === 'wsgiref.simple_server.make_server';
            const host =
              stringHost(model.argument(call, keyword, position), allowEmpty) ??
              (name === 'waitress.serve' ? listenHost(call) : undefined);
            if (host !== undefined) report(node, call, host);
            return;
          }
        }
        if (call.callee.type !== 'attribute' || call.methodName === undefined) return;
        if (call.methodName === 'bind') {
          const host = tupleHost(model.argument(call, 'address', 0));
          if (host !== undefined) report(node, call, host);
          return;
        }
        const method = ownEntry(HOST_METHODS, call.methodName);
        if (method === undefined) return;
        const [keyword, position] = method;
        // `app.run("0.0.0.0")`: Flask-style run takes the host first (objects only, not modules).
        const at = call.methodName === 'run' ? (name === undefined ? 0 : undefined) : position;
        const host = stringHost(model.argument(call, keyword, at), false);
        if (host !== undefined) report(node, call, host);
      }),
      string(node) {
        if (context.profile !== 'audit') return;
        const value = model.literalValue(node);
        if (typeof value === 'string' && ANY_ADDRESS_HOST.has(value)) literals.push(node);
      },
      end() {
        // The literal alone, wherever it is: what bandit and ruff report (audit profile only).
        const inReportedCall = (literal: SyntaxNode): boolean =>
          reportedCalls.some(
            (call) => literal.startIndex >= call.startIndex && literal.endIndex <= call.endIndex,
          );
        for (const literal of literals) {
          if (inReportedCall(literal)) continue;
          context.report({
            node: literal,
            messageId: 'anyAddressLiteral',
            data: { literal: context.textOf(literal) },
            severity: 'low',
            confidence: 'low',
            profile: 'audit',
          });
        }
      },
    };
  },
});
