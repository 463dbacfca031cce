import {
  defineRule,
  functionScopeOf,
  shortText,
  testAdjusted,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** Quoted names of the headers a client can set to claim any address. */
const HEADER =
  /["'](x[-_]forwarded[-_]for|x[-_]real[-_]ip|http_x_forwarded_for|http_x_real_ip)["']/gi;

/** Objects whose `.get(name)` or `[name]` reads a request header or a WSGI/Django environ key. */
const HEADER_STORE = /(?:headers|META|environ)$/;

/** Functions whose name says they decide access or rate limits. */
const DECISION_NAME =
  /allow|deny|denied|block|\bban|banned|whitelist|blacklist|trust|permit|throttl|rate_?limit|limiter|check_ip|verify_ip|is_internal|is_local|is_private/i;

/** Calls that convert an address without changing who chose it. */
const CONVERSIONS = new Set(['ip_address', 'ip_network', 'IPv4Address', 'IPv6Address', 'str']);

const CARRIERS = new Set([
  'parenthesized_expression',
  'boolean_operator',
  'conditional_expression',
]);

/** The last name of a callee: `limiter.check` → `check`. */
function calleeName(call: SyntaxNode, text: (node: SyntaxNode) => string): string {
  const callee = call.childForFieldName('function');
  if (callee === null) return '';
  const attribute = callee.type === 'attribute' ? callee.childForFieldName('attribute') : callee;
  return attribute === null ? '' : text(attribute);
}

export default defineRule({
  meta: {
    id: 'PGM007',
    slug: 'client-ip-trust',
    title: 'Client-supplied IP header used in a security decision',
    category: 'misc',
    severity: 'medium',
    confidence: 'medium',
    cwe: [348],
    owasp: ['A01:2021 Broken Access Control', 'A04:2021 Insecure Design'],
    description:
      'Flags values of `X-Forwarded-For` / `X-Real-IP` (`request.headers`, `request.META`, `request.environ`) that are compared, tested with `in`, or passed to an allow/deny, ban or rate-limit function in the same function.',
    why: 'Any client can send `X-Forwarded-For: 127.0.0.1`. Unless a trusted proxy overwrites the header, an IP allowlist, ban list or rate limit keyed on it is bypassed by changing one request header, and the leftmost entry is always chosen by the client.',
    fix: "Use the connection's address (`request.remote_addr`, `REMOTE_ADDR`) and, behind proxies you control, let `werkzeug.middleware.proxy_fix.ProxyFix(x_for=N)` or Django's trusted-proxy settings compute it from the right number of trusted hops instead of reading the header yourself.",
    example: {
      bad: 'ip = request.headers.get("X-Forwarded-For")\nif ip in ADMIN_IPS:\n    return admin_view()\n',
      good: 'app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)\n\nif request.remote_addr in ADMIN_IPS:\n    return admin_view()\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/348.html',
      'https://werkzeug.palletsprojects.com/en/stable/middleware/proxy_fix/',
      'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/X-Forwarded-For#security_and_privacy_concerns',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    compared:
      'The client-controlled `{{header}}` header decides `{{check}}`; any client can claim any address. Use the connection address (`remote_addr`) or a trusted-proxy middleware such as ProxyFix.',
    passed:
      'The client-controlled `{{header}}` header is passed to `{{check}}`, so a client can dodge or abuse it by sending a different address; use the connection address or a trusted-proxy middleware such as ProxyFix.',
  },
  create(context) {
    const { model } = context;
    const text = (node: SyntaxNode): string => context.textOf(node);
    const reported = new Set<number>();

    /** The read `X.headers.get("…")` / `X.META["…"]` around a header-name string, if it is one. */
    const headerRead = (literal: SyntaxNode): SyntaxNode | undefined => {
      const parent = literal.parent;
      if (parent === null) return undefined;
      if (parent.type === 'subscript' && parent.childForFieldName('subscript')?.id === literal.id) {
        const value = parent.childForFieldName('value');
        return value !== null && HEADER_STORE.test(text(value)) ? parent : undefined;
      }
      if (parent.type !== 'argument_list' || parent.namedChildren[0]?.id !== literal.id)
        return undefined;
      const call = parent.parent;
      const callee = call?.childForFieldName('function');
      if (call == null || callee == null || callee.type !== 'attribute') return undefined;
      const method = callee.childForFieldName('attribute');
      const object = callee.childForFieldName('object');
      if (method === null || object === null || !/^get(?:list)?$/.test(text(method)))
        return undefined;
      return HEADER_STORE.test(text(object)) ? call : undefined;
    };

    /** The largest expression that still carries the header value (`.split(",")[0].strip()`). */
    const carried = (start: SyntaxNode): SyntaxNode => {
      let current = start;
      for (;;) {
        const parent = current.parent;
        if (parent === null) return current;
        if (CARRIERS.has(parent.type)) {
          current = parent;
        } else if (
          parent.type === 'subscript' &&
          parent.childForFieldName('value')?.id === current.id
        ) {
          current = parent;
        } else if (parent.type === 'attribute' && parent.parent?.type === 'call') {
          current = parent.parent;
        } else if (
          parent.type === 'argument_list' &&
          parent.parent?.type === 'call' &&
          CONVERSIONS.has(calleeName(parent.parent, text))
        ) {
          current = parent.parent;
        } else {
          return current;
        }
      }
    };

    const judge = (value: SyntaxNode, header: string, depth: number): void => {
      const top = carried(value);
      const parent = top.parent;
      if (parent === null) return;
      if (parent.type === 'comparison_operator') {
        const operators = parent.children.filter((child) => !child.isNamed).map((c) => c.type);
        if (operators.some((op) => op === 'is' || op === 'is not')) return;
        const others = parent.namedChildren.filter((child) => child.id !== top.id);
        if (others.some((other) => other.type === 'none' || model.staticString(other) === ''))
          return;
        report(parent, 'compared', header, 'high', shortText(text(parent), 60));
        return;
      }
      const argumentList =
        parent.type === 'keyword_argument'
          ? parent.parent
          : parent.type === 'argument_list'
            ? parent
            : null;
      if (argumentList?.type === 'argument_list' && argumentList.parent?.type === 'call') {
        const call = argumentList.parent;
        const callee = call.childForFieldName('function');
        if (callee !== null && DECISION_NAME.test(calleeName(call, text)))
          report(call, 'passed', header, 'medium', text(callee));
        return;
      }
      if (
        parent.type === 'assignment' &&
        parent.childForFieldName('right')?.id === top.id &&
        depth < 2
      ) {
        const left = parent.childForFieldName('left');
        if (left?.type !== 'identifier') return;
        const name = text(left);
        const scope = functionScopeOf(model, parent);
        const root = scope.kind === 'module' ? model.tree.rootNode : scope.node;
        for (const use of identifiersNamed(root, name)) {
          if (use.startIndex <= parent.endIndex) continue;
          if (
            use.parent?.type === 'assignment' &&
            use.parent.childForFieldName('left')?.id === use.id
          )
            return;
          judge(use, header, depth + 1);
        }
      }
    };

    const identifiersNamed = (root: SyntaxNode, name: string): SyntaxNode[] => {
      const found: SyntaxNode[] = [];
      const visit = (node: SyntaxNode): void => {
        if (node.type === 'identifier') {
          if (text(node) === name) found.push(node);
          return;
        }
        if (
          node.id !== root.id &&
          (node.type === 'function_definition' || node.type === 'class_definition')
        )
          return;
        for (const child of node.namedChildren) visit(child);
      };
      visit(root);
      return found;
    };

    const report = (
      node: SyntaxNode,
      messageId: 'compared' | 'passed',
      header: string,
      confidence: 'high' | 'medium',
      check: string,
    ): void => {
      if (reported.has(node.startIndex)) return;
      reported.add(node.startIndex);
      context.report({
        node,
        messageId,
        data: { header, check },
        confidence: testAdjusted(confidence, context.isTestFile),
      });
    };

    return {
      end() {
        for (const match of context.text.matchAll(HEADER)) {
          const found = model.tree.rootNode.descendantForIndex(match.index + 1);
          let literal: SyntaxNode | null = found;
          while (literal !== null && literal.type !== 'string') literal = literal.parent;
          if (literal === null) continue;
          const read = headerRead(literal);
          if (read !== undefined) judge(read, match[1] ?? '', 0);
        }
      },
    };
  },
});
