import {
  callVisitors,
  defineRule,
  enclosingFunction,
  unwrapParens,
  type Confidence,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import {
  disabledProtocolFlag,
  insecureProtocol,
  protocolEffect,
  insecureTlsVersion,
  type InsecureProtocol,
} from '../_shared/tls-protocols.js';

/** Calls that set up a TLS connection or context from a protocol constant. */
const TLS_CONSUMERS = new Set([
  'ssl.wrap_socket',
  'ssl.SSLContext',
  'ssl.get_server_certificate',
  'OpenSSL.SSL.Context',
]);
/** Keyword names under which a protocol constant is a setting rather than a mention. */
const PROTOCOL_KEYWORDS = new Set(['ssl_version', 'method', 'protocol', 'ssl_protocol']);

const HINT = /PROTOCOL_|_METHOD|TLSVersion|OP_NO_/;
/** Code that keeps a negotiating context above TLS 1.0. */
const FLOOR_RAISED = /minimum_version|set_min_proto_version|OP_NO_TLSv1\b/;

/** The `~FLAG` operands inside an expression (`options & ~(ssl.OP_NO_SSLv3 | ssl.OP_NO_TLSv1)`). */
function clearedFlags(node: SyntaxNode, found: SyntaxNode[] = []): SyntaxNode[] {
  const target = unwrapParens(node);
  if (target.type === 'unary_operator' && target.child(0)?.type === '~') {
    const operand = target.childForFieldName('argument');
    if (operand !== null) collectOperands(operand, found);
    return found;
  }
  if (target.type === 'binary_operator') {
    for (const side of ['left', 'right'] as const) {
      const child = target.childForFieldName(side);
      if (child !== null) clearedFlags(child, found);
    }
  }
  return found;
}

function collectOperands(node: SyntaxNode, found: SyntaxNode[]): void {
  const target = unwrapParens(node);
  if (target.type === 'binary_operator') {
    for (const side of ['left', 'right'] as const) {
      const child = target.childForFieldName(side);
      if (child !== null) collectOperands(child, found);
    }
    return;
  }
  found.push(target);
}

function severityOf(protocol: InsecureProtocol): Severity {
  return protocol.broken ? 'high' : 'medium';
}

export default defineRule({
  meta: {
    id: 'PGT003',
    slug: 'insecure-tls-version',
    title: 'Insecure SSL/TLS protocol version',
    category: 'network',
    severity: 'high',
    confidence: 'high',
    cwe: [326, 327],
    owasp: ['A02:2021 Cryptographic Failures'],
    description:
      'Flags TLS set up with SSL 2.0, SSL 3.0, TLS 1.0 or TLS 1.1: `ssl.PROTOCOL_SSLv3`-style and pyOpenSSL `*_METHOD` constants (and `PROTOCOL_SSLv23`/`SSLv23_METHOD`, which negotiate down to them), `minimum_version`/`maximum_version` set to an old `TLSVersion`, and `options` that clear `OP_NO_*` flags.',
    why: 'SSL 2.0 and 3.0 are broken (DROWN, POODLE) and TLS 1.0 and 1.1 were formally deprecated by RFC 8996: they rely on weak constructions such as CBC with predictable IVs and MD5/SHA-1 handshakes. A client or server pinned to them, or one that re-enables them, can be downgraded and its traffic decrypted or tampered with.',
    fix: 'Let the library negotiate the best version: `ssl.create_default_context()` (or `ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)` / `PROTOCOL_TLS_SERVER`), and if you need a floor set `ctx.minimum_version = ssl.TLSVersion.TLSv1_2`. With pyOpenSSL use `SSL.TLS_METHOD` (or `TLS_CLIENT_METHOD`) plus `set_min_proto_version`.',
    example: {
      bad: 'import socket\nimport ssl\n\nsock = socket.create_connection(("example.com", 443))\nctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)\ntls = ctx.wrap_socket(sock, server_hostname="example.com")\n',
      good: 'import socket\nimport ssl\n\nsock = socket.create_connection(("example.com", 443))\nctx = ssl.create_default_context()\nctx.minimum_version = ssl.TLSVersion.TLSv1_2\ntls = ctx.wrap_socket(sock, server_hostname="example.com")\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/327.html',
      'https://docs.python.org/3/library/ssl.html#ssl.SSLContext.minimum_version',
      'https://www.rfc-editor.org/rfc/rfc8996',
      'https://www.pyopenssl.org/en/stable/api/ssl.html',
    ],
    bandit: ['B502'],
    ruff: ['S502'],
  },
  messages: {
    protocolArgument:
      '`{{callee}}` is given `{{constant}}`, which {{effect}}; use `ssl.PROTOCOL_TLS_CLIENT` (or `create_default_context()`) and a `minimum_version` of TLS 1.2.',
    protocolStored:
      '`{{target}}` is set to `{{constant}}`, which {{effect}}; use `ssl.PROTOCOL_TLS_CLIENT` and a `minimum_version` of TLS 1.2.',
    minimumVersion:
      '`{{target}} = {{value}}` lets connections fall back to {{version}}; use `ssl.TLSVersion.TLSv1_2` or later.',
    maximumVersion:
      '`{{target}} = {{value}}` caps connections at {{version}}; remove the cap or raise it to TLS 1.3.',
    optionsCleared:
      '`{{target}}` clears `{{flag}}`, re-enabling {{version}}; keep the `OP_NO_*` flags set.',
  },
  select: { text: ['PROTOCOL_', '_METHOD', 'TLSVersion', 'OP_NO_'] },
  create(context) {
    const { model } = context;
    if (!HINT.test(context.text)) return {};

    /**
     * The insecure protocol a value names, unless it only negotiates (`PROTOCOL_SSLv23`) and the
     * function (or module) that uses it raises the floor (`minimum_version`, `OP_NO_TLSv1`).
     */
    function protocolOf(value: SyntaxNode): InsecureProtocol | undefined {
      const protocol = insecureProtocol(model, value);
      if (protocol === undefined || protocol.pins) return protocol;
      const scope = enclosingFunction(value);
      const text = scope === undefined ? context.text : context.textOf(scope);
      return FLOOR_RAISED.test(text) ? undefined : protocol;
    }

    function reportStored(node: SyntaxNode, target: SyntaxNode, value: SyntaxNode): boolean {
      const protocol = protocolOf(value);
      if (protocol === undefined) return false;
      context.report({
        node,
        messageId: 'protocolStored',
        data: {
          target: context.textOf(target),
          constant: context.textOf(value),
          effect: protocolEffect(protocol),
        },
        severity: severityOf(protocol),
      });
      return true;
    }

    function reportCleared(node: SyntaxNode, target: SyntaxNode, value: SyntaxNode): void {
      for (const operand of clearedFlags(value)) {
        const protocol = disabledProtocolFlag(model, operand);
        if (protocol === undefined) continue;
        context.report({
          node,
          messageId: 'optionsCleared',
          data: {
            target: context.textOf(target),
            flag: context.textOf(operand),
            version: protocol.version,
          },
          severity: severityOf(protocol),
        });
        return;
      }
    }

    return {
      ...callVisitors(context, (node, call) => {
        const name = call.qualifiedName;
        const known = name !== undefined && TLS_CONSUMERS.has(name);
        const candidates: [SyntaxNode, Confidence][] = call.positional.map((arg) => [
          arg,
          known ? 'high' : 'medium',
        ]);
        for (const keyword of call.keywords.keys()) {
          const value = call.keywords.get(keyword);
          if (value !== undefined)
            candidates.push([value, known || PROTOCOL_KEYWORDS.has(keyword) ? 'high' : 'medium']);
        }
        for (const [value, confidence] of candidates) {
          const protocol = protocolOf(value);
          if (protocol === undefined) continue;
          context.report({
            node,
            messageId: 'protocolArgument',
            data: {
              callee: context.textOf(call.callee),
              constant: context.textOf(value),
              effect: protocolEffect(protocol),
            },
            severity: severityOf(protocol),
            confidence,
          });
          return;
        }
      }),
      assignment(node) {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left?.type !== 'attribute' || right === null) return;
        if (reportStored(node, left, right)) return;
        const field = context.textOf(left.childForFieldName('attribute') ?? left);
        if (field === 'options') {
          reportCleared(node, left, right);
          return;
        }
        if (field !== 'minimum_version' && field !== 'maximum_version') return;
        const data = { target: context.textOf(left), value: context.textOf(right) };
        const version = insecureTlsVersion(model, right);
        if (field === 'maximum_version') {
          if (version !== undefined)
            context.report({
              node,
              messageId: 'maximumVersion',
              data: { ...data, version: version.version },
              severity: severityOf(version),
            });
          return;
        }
        if (version !== undefined) {
          context.report({
            node,
            messageId: 'minimumVersion',
            data: { ...data, version: version.version },
            severity: severityOf(version),
          });
        } else if (model.qualifiedName(right) === 'ssl.TLSVersion.MINIMUM_SUPPORTED') {
          context.report({
            node,
            messageId: 'minimumVersion',
            data: { ...data, version: 'the oldest version OpenSSL still supports' },
            severity: 'medium',
            confidence: 'medium',
          });
        }
      },
      augmented_assignment(node) {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const operator = node.childForFieldName('operator');
        if (left?.type !== 'attribute' || right === null || operator === null) return;
        if (context.textOf(operator) !== '&=') return;
        if (context.textOf(left.childForFieldName('attribute') ?? left) !== 'options') return;
        reportCleared(node, left, right);
      },
      pair(node) {
        const key = node.childForFieldName('key');
        const value = node.childForFieldName('value');
        if (key === null || value === null) return;
        reportStored(node, key, value);
      },
    };
  },
});
