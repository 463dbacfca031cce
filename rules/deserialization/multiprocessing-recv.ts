import {
  callVisitors,
  defineRule,
  shortText,
  testAdjusted,
  unwrapParens,
  type CallInfo,
  type SemanticModel,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** Endpoints of `multiprocessing.connection`, with the position of their `authkey` parameter. */
const ENDPOINTS: ReadonlyMap<string, number> = new Map([
  ['multiprocessing.connection.Listener', 3],
  ['multiprocessing.connection.Client', 2],
]);

/** Connection methods that unpickle what the peer sent. */
const UNPICKLING_METHODS = new Set(['recv']);

const MAX_DEPTH = 4;

export default defineRule({
  meta: {
    id: 'PGD005',
    slug: 'multiprocessing-recv',
    title: 'Unauthenticated `multiprocessing.connection` endpoint',
    category: 'deserialization',
    severity: 'high',
    confidence: 'high',
    cwe: [502, 306],
    owasp: ['A08:2021 Software and Data Integrity Failures'],
    description:
      'Flags `multiprocessing.connection.Listener` and `Client` created without an `authkey`, and `recv()` on the connections they produce.',
    why: '`Connection.recv()` unpickles whatever the peer sends, and unpickling runs code chosen by the sender. Without an `authkey` the endpoint does no handshake, so any process that can reach the address (any host on the network for a TCP address, any local user for a socket path) can send a pickle that takes over the receiving process.',
    fix: 'Pass a strong secret as `authkey=` to both `Listener` and `Client` (for example read from a file only the service can read), so the HMAC handshake rejects unknown peers before anything is unpickled. Bind listeners to `127.0.0.1` or a Unix socket, and use `recv_bytes()` with a data-only format such as JSON when the peer is not fully trusted.',
    example: {
      bad: 'from multiprocessing.connection import Listener\n\nwith Listener(("0.0.0.0", 6000)) as listener:\n    with listener.accept() as conn:\n        job = conn.recv()\n',
      good: 'from multiprocessing.connection import Listener\n\nwith Listener(("127.0.0.1", 6000), authkey=load_authkey()) as listener:\n    with listener.accept() as conn:\n        job = conn.recv()\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/502.html',
      'https://docs.python.org/3/library/multiprocessing.html#multiprocessing.connection.Listener',
      'https://docs.python.org/3/library/multiprocessing.html#multiprocessing-auth-keys',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    noAuthkey:
      '`{{callee}}` has no `authkey`, so any peer that can reach `{{address}}` is accepted, and `recv()` on its connections unpickles what they send; pass a secret `authkey=`.',
    noAuthkeyClient:
      "`{{callee}}` connects to `{{address}}` without an `authkey`, so whatever answers there is trusted and `recv()` unpickles what it sends; pass the server's secret `authkey=`.",
    unauthenticatedRecv:
      '`{{callee}}` unpickles data from a peer that was never authenticated (the endpoint on line {{line}} has no `authkey`), so the sender can run code here; authenticate with `authkey=` or receive bytes with `recv_bytes()` and a data-only format.',
  },
  select: { calls: [...ENDPOINTS.keys()], methods: [...UNPICKLING_METHODS] },
  create(context) {
    const { model } = context;
    return callVisitors(context, (node, call) => {
      const callee = call.qualifiedName;
      const authkeyPosition = callee === undefined ? undefined : ENDPOINTS.get(callee);
      if (authkeyPosition !== undefined) {
        if (isAuthenticated(model, call, authkeyPosition)) return;
        const address = model.argument(call, 'address', 0);
        context.report({
          node,
          messageId: callee?.endsWith('.Client') === true ? 'noAuthkeyClient' : 'noAuthkey',
          data: {
            callee: context.textOf(call.callee),
            address: address === undefined ? 'its address' : shortText(context.textOf(address)),
          },
          severity: addressSeverity(model, call),
          confidence: testAdjusted('high', context.isTestFile),
        });
        return;
      }
      if (call.methodName === undefined || !UNPICKLING_METHODS.has(call.methodName)) return;
      if (call.callee.type !== 'attribute') return;
      const object = call.callee.childForFieldName('object');
      const endpoint = object === null ? undefined : endpointOf(model, object, 0);
      if (endpoint === undefined) return;
      const endpointCall = model.call(endpoint);
      const position = ENDPOINTS.get(endpointCall.qualifiedName ?? '');
      if (position === undefined || isAuthenticated(model, endpointCall, position)) return;
      context.report({
        node,
        messageId: 'unauthenticatedRecv',
        data: { callee: context.textOf(call.callee), line: endpoint.startPosition.row + 1 },
        severity: addressSeverity(model, endpointCall),
        confidence: testAdjusted('high', context.isTestFile),
      });
    });
  },
});

/** An `authkey` that is given and not `None` (or `**kwargs` that may carry one). */
function isAuthenticated(model: SemanticModel, call: CallInfo, position: number): boolean {
  const authkey = model.argument(call, 'authkey', position);
  if (authkey === undefined) return call.hasKwargs || call.hasStarArgs;
  return model.literalValue(authkey) !== null;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * A TCP address reaches other hosts; a loopback address, a socket path, a pipe name or the
 * default stays on this machine (where other local users can still reach it).
 */
function addressSeverity(model: SemanticModel, call: CallInfo): Severity {
  const address = model.argument(call, 'address', 0);
  if (address === undefined) return 'medium';
  const value = unwrapParens(model.resolveValue(address));
  if (value.type !== 'tuple' && value.type !== 'list') return 'medium';
  const host = value.namedChildren[0];
  const hostName = host === undefined ? undefined : model.staticString(host);
  return hostName !== undefined && LOOPBACK.has(hostName) ? 'medium' : 'high';
}

/**
 * The `Listener(...)`/`Client(...)` call a connection came from: `Client(...)` itself, or
 * `listener.accept()` on a listener, followed through assignments and `with ... as` names.
 */
function endpointOf(model: SemanticModel, node: SyntaxNode, depth: number): SyntaxNode | undefined {
  if (depth > MAX_DEPTH) return undefined;
  let value = unwrapParens(model.resolveValue(node));
  if (value.type === 'identifier') value = model.withContext(value) ?? value;
  if (value.type !== 'call') return undefined;
  const call = model.call(value);
  if (call.qualifiedName !== undefined && ENDPOINTS.has(call.qualifiedName)) return value;
  if (call.methodName !== 'accept' || call.callee.type !== 'attribute') return undefined;
  const listener = call.callee.childForFieldName('object');
  const origin = listener === null ? undefined : endpointOf(model, listener, depth + 1);
  if (origin === undefined) return undefined;
  return model.call(origin).qualifiedName === 'multiprocessing.connection.Listener'
    ? origin
    : undefined;
}
