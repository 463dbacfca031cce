import {
  callVisitors,
  defineRule,
  importsModule,
  receiverOf,
  type Confidence,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

type Side = 'server' | 'client';

const ENDPOINTS: ReadonlyMap<string, Side> = new Map([
  ...[
    'SimpleXMLRPCServer',
    'DocXMLRPCServer',
    'MultiPathXMLRPCServer',
    'CGIXMLRPCRequestHandler',
  ].flatMap(
    (name) =>
      [
        [`xmlrpc.server.${name}`, 'server'],
        [`SimpleXMLRPCServer.${name}`, 'server'],
        [`DocXMLRPCServer.${name}`, 'server'],
      ] as const,
  ),
  ...['ServerProxy', 'Server', 'loads'].flatMap(
    (name) =>
      [
        [`xmlrpc.client.${name}`, 'client'],
        [`xmlrpclib.${name}`, 'client'],
      ] as const,
  ),
]);

const SEVERITY: Readonly<Record<Side, Severity>> = { server: 'medium', client: 'low' };

/** `register_instance(instance, allow_dotted_names=False)`. */
const DOTTED_NAMES_POSITION = 1;

export default defineRule({
  meta: {
    id: 'PGX004',
    slug: 'xmlrpc',
    title: 'XML-RPC without defusedxml, or with dotted names exposed',
    category: 'xml',
    severity: 'medium',
    confidence: 'high',
    cwe: [776, 611],
    owasp: ['A05:2021 Security Misconfiguration'],
    description:
      'Flags `xmlrpc.server` servers and `xmlrpc.client` proxies in files that do not call `defusedxml.xmlrpc.monkey_patch()`, and `register_instance(..., allow_dotted_names=True)`.',
    why: "XML-RPC messages are parsed with expat without limits on entity expansion or on decompressed size, so a crafted request (or a malicious server's response) can exhaust memory. `allow_dotted_names=True` goes further: clients can walk attributes of the registered object (`obj.__init__.__globals__`) and reach module globals, which the Python docs warn can allow remote code execution.",
    fix: 'Call `defusedxml.xmlrpc.monkey_patch()` once at start-up before creating servers or proxies, and never pass `allow_dotted_names=True`; register the functions you mean to expose with `register_function` instead.',
    example: {
      bad: 'from xmlrpc.server import SimpleXMLRPCServer\n\nserver = SimpleXMLRPCServer(("127.0.0.1", 8000))\nserver.register_instance(Api(), allow_dotted_names=True)\n',
      good: 'from defusedxml.xmlrpc import monkey_patch\nfrom xmlrpc.server import SimpleXMLRPCServer\n\nmonkey_patch()\nserver = SimpleXMLRPCServer(("127.0.0.1", 8000))\nserver.register_function(Api().status, "status")\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/776.html',
      'https://docs.python.org/3/library/xmlrpc.server.html#xmlrpc.server.SimpleXMLRPCServer.register_instance',
      'https://docs.python.org/3/library/xml.html#xml-vulnerabilities',
      'https://github.com/tiran/defusedxml#defusedxmlxmlrpc',
    ],
    bandit: ['B411'],
    ruff: ['S411'],
  },
  messages: {
    server:
      '`{{callee}}` parses XML-RPC requests from clients without limits on entity expansion; call `defusedxml.xmlrpc.monkey_patch()` at start-up.',
    client:
      '`{{callee}}` parses XML-RPC responses without limits on entity expansion; call `defusedxml.xmlrpc.monkey_patch()` at start-up.',
    dottedNames:
      '`{{callee}}` with `allow_dotted_names={{value}}` lets clients walk attributes of the registered object and reach module globals; register only the functions you mean to expose.',
  },
  select: { text: ['xmlrpc', 'XMLRPC'] },
  create(context) {
    const { model } = context;
    if (!/xmlrpc|XMLRPC/.test(context.text)) return {};
    const pending: { node: SyntaxNode; callee: string; side: Side }[] = [];
    let patched = false;

    return {
      ...callVisitors(context, (node, call) => {
        const name = call.qualifiedName;
        if (name === 'defusedxml.xmlrpc.monkey_patch') {
          patched = true;
          return;
        }
        const side = name === undefined ? undefined : ENDPOINTS.get(name);
        if (side !== undefined) {
          pending.push({ node, callee: context.textOf(call.callee), side });
          return;
        }
        if (call.methodName !== 'register_instance') return;
        const value = model.argument(call, 'allow_dotted_names', DOTTED_NAMES_POSITION);
        if (value === undefined || model.truthiness(value) !== true) return;
        const receiver = receiverOf(call);
        const maker = receiver === undefined ? undefined : model.constructedBy(receiver);
        const confidence: Confidence =
          maker !== undefined && ENDPOINTS.get(maker) === 'server'
            ? 'high'
            : importsModule(model, 'xmlrpc') || importsModule(model, 'SimpleXMLRPCServer')
              ? 'medium'
              : 'low';
        context.report({
          node,
          messageId: 'dottedNames',
          data: { callee: context.textOf(call.callee), value: context.textOf(value) },
          severity: 'high',
          confidence,
        });
      }),
      class_definition(node) {
        for (const base of node.childForFieldName('superclasses')?.namedChildren ?? []) {
          const name = model.qualifiedName(base);
          if (name === undefined || ENDPOINTS.get(name) !== 'server') continue;
          pending.push({ node, callee: context.textOf(base), side: 'server' });
          return;
        }
      },
      end() {
        if (patched) return;
        for (const { node, callee, side } of pending) {
          context.report({ node, messageId: side, data: { callee }, severity: SEVERITY[side] });
        }
      },
    };
  },
});
