import {
  callVisitors,
  defineRule,
  type CallInfo,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

const VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];

/** The timeout the mechanical fix adds (seconds): finite, and generous for slow servers. */
const DEFAULT_TIMEOUT = 30;

const REQUESTS_FUNCTIONS = new Set(
  VERBS.flatMap((verb) => [`requests.${verb}`, `requests.api.${verb}`]),
);
const REQUESTS_SESSIONS = new Set([
  'requests.Session',
  'requests.session',
  'requests.sessions.Session',
  'requests.sessions.session',
]);
const SESSION_METHODS = new Set(VERBS);
/** `Session.request(method, url, params, data, headers, cookies, files, auth, timeout, ...)`. */
const SESSION_REQUEST_TIMEOUT_POSITION = 8;

const HTTPX_FUNCTIONS = new Set([...VERBS, 'stream'].map((verb) => `httpx.${verb}`));
const HTTPX_CLIENTS = new Set(['httpx.Client', 'httpx.AsyncClient']);
const HTTPX_CLIENT_METHODS = new Set([...VERBS, 'stream', 'send', 'build_request']);

export default defineRule({
  meta: {
    id: 'PGT014',
    slug: 'request-without-timeout',
    title: 'HTTP request without a timeout',
    category: 'network',
    severity: 'medium',
    confidence: 'high',
    cwe: [400, 1088],
    owasp: ['A05:2021 Security Misconfiguration'],
    description:
      'Flags `requests` calls (module functions and `Session` methods) made without `timeout=`, and `requests` or `httpx` calls and clients given `timeout=None`.',
    why: 'requests waits forever by default: a slow or malicious server that accepts the connection and never answers blocks the calling thread or worker indefinitely, and a few such calls exhaust a worker pool (denial of service).',
    fix: 'Pass an explicit timeout on every call, for example `timeout=10` or `timeout=(3.05, 27)` for separate connect and read limits; with httpx keep the default or pass a finite `httpx.Timeout`.',
    example: {
      bad: 'import requests\n\nresp = requests.get("https://api.example.org/items")\n',
      good: 'import requests\n\nresp = requests.get("https://api.example.org/items", timeout=10)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/400.html',
      'https://cwe.mitre.org/data/definitions/1088.html',
      'https://requests.readthedocs.io/en/latest/user/advanced/#timeouts',
      'https://www.python-httpx.org/advanced/timeouts/',
    ],
    fixable: true,
    bandit: ['B113'],
    ruff: ['S113'],
  },
  messages: {
    missingTimeout:
      '`{{callee}}` has no `timeout`, so it can wait forever; pass `timeout=` (for example `timeout=10`).',
    noneTimeout:
      '`{{callee}}` is given `timeout={{value}}`, which disables the timeout; pass a finite number of seconds.',
  },
  select: {
    calls: [...REQUESTS_FUNCTIONS, ...HTTPX_FUNCTIONS, ...HTTPX_CLIENTS],
    methods: [...SESSION_METHODS, ...HTTPX_CLIENT_METHODS],
  },
  create(context) {
    const { model } = context;
    const confidence = context.isTestFile ? 'low' : 'high';

    /** `httpx.Timeout(None)` with no per-phase limits. */
    function isUnlimitedHttpxTimeout(node: SyntaxNode): boolean {
      const value = model.resolveValue(node);
      if (value.type !== 'call') return false;
      const call = context.call(value);
      const first = call.positional[0];
      return (
        call.qualifiedName === 'httpx.Timeout' &&
        call.keywords.size === 0 &&
        call.positional.length === 1 &&
        first !== undefined &&
        model.literalValue(first) === null
      );
    }

    /** Reports `timeout=None` (also through a constant); returns whether a timeout was given. */
    function checkGivenTimeout(
      node: SyntaxNode,
      call: CallInfo,
      timeout: SyntaxNode | undefined,
    ): boolean {
      if (timeout === undefined) return false;
      if (model.literalValue(timeout) === null || isUnlimitedHttpxTimeout(timeout)) {
        context.report({
          node,
          messageId: 'noneTimeout',
          data: { callee: context.textOf(call.callee), value: context.textOf(timeout) },
          confidence,
        });
      }
      return true;
    }

    function checkRequests(
      node: SyntaxNode,
      call: CallInfo,
      timeoutPosition: number | undefined,
    ): void {
      if (checkGivenTimeout(node, call, model.argument(call, 'timeout', timeoutPosition))) return;
      if (call.hasKwargs) return; // **kwargs may carry the timeout
      context.report({
        node,
        messageId: 'missingTimeout',
        data: { callee: context.textOf(call.callee) },
        confidence,
        fix: addTimeout(node),
      });
    }

    /** `f(url)` → `f(url, timeout=30)`: the last argument gets the keyword after it. */
    function addTimeout(node: SyntaxNode) {
      const args = node.childForFieldName('arguments');
      if (args?.type !== 'argument_list') return undefined;
      const last = args.namedChildren.filter((child) => child.type !== 'comment').at(-1);
      if (last === undefined) return undefined;
      return {
        description: `Add \`timeout=${DEFAULT_TIMEOUT}\``,
        target: last,
        replacement: `${context.textOf(last)}, timeout=${DEFAULT_TIMEOUT}`,
      };
    }

    return callVisitors(context, (node, call) => {
      const name = call.qualifiedName;
      if (name !== undefined && REQUESTS_FUNCTIONS.has(name)) {
        checkRequests(node, call, undefined);
        return;
      }
      if (name !== undefined && (HTTPX_FUNCTIONS.has(name) || HTTPX_CLIENTS.has(name))) {
        checkGivenTimeout(node, call, call.keywords.get('timeout'));
        return;
      }
      if (call.callee.type !== 'attribute' || call.methodName === undefined) return;
      const receiver = call.callee.childForFieldName('object');
      const maker = receiver === null ? undefined : model.constructedBy(receiver);
      if (maker === undefined) return;
      if (REQUESTS_SESSIONS.has(maker) && SESSION_METHODS.has(call.methodName)) {
        checkRequests(
          node,
          call,
          call.methodName === 'request' ? SESSION_REQUEST_TIMEOUT_POSITION : undefined,
        );
      } else if (HTTPX_CLIENTS.has(maker) && HTTPX_CLIENT_METHODS.has(call.methodName)) {
        checkGivenTimeout(node, call, call.keywords.get('timeout'));
      }
    });
  },
});
