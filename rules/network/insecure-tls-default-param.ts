import { defineRule } from '../../src/rules-api/index.js';
import { INSECURE_PROTOCOL_HINT, insecureProtocol } from '../_shared/tls-protocols.js';

const PARAMETER_TYPES = new Set(['default_parameter', 'typed_default_parameter']);

export default defineRule({
  meta: {
    id: 'PGT004',
    slug: 'insecure-tls-default-param',
    title: 'Function defaults to an insecure SSL/TLS version',
    category: 'network',
    severity: 'medium',
    confidence: 'medium',
    cwe: [327],
    owasp: ['A02:2021 Cryptographic Failures'],
    description:
      'Flags function parameters whose default is a protocol constant that pins SSL 2.0, SSL 3.0, TLS 1.0 or TLS 1.1 (`ssl.PROTOCOL_TLSv1`, pyOpenSSL `SSL.SSLv3_METHOD`).',
    why: 'Every caller that does not pass the parameter silently gets the broken or deprecated protocol, so the weakness spreads to call sites that look harmless. SSL 2.0/3.0 are broken (DROWN, POODLE) and TLS 1.0/1.1 are deprecated by RFC 8996.',
    fix: 'Default to `ssl.PROTOCOL_TLS_CLIENT` (or `PROTOCOL_TLS_SERVER`), or to `None` and build the context with `ssl.create_default_context()` inside the function. Set `minimum_version = ssl.TLSVersion.TLSv1_2` if a floor is needed.',
    example: {
      bad: 'import ssl\n\n\ndef open_channel(sock, version=ssl.PROTOCOL_TLSv1):\n    return ssl.SSLContext(version).wrap_socket(sock)\n',
      good: 'import ssl\n\n\ndef open_channel(sock, host, version=ssl.PROTOCOL_TLS_CLIENT):\n    ctx = ssl.SSLContext(version)\n    ctx.load_default_certs()\n    return ctx.wrap_socket(sock, server_hostname=host)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/327.html',
      'https://docs.python.org/3/library/ssl.html#ssl.SSLContext',
      'https://www.rfc-editor.org/rfc/rfc8996',
    ],
    bandit: ['B503'],
    ruff: ['S503'],
  },
  messages: {
    insecureDefault:
      'Parameter `{{parameter}}` of `{{function}}` defaults to `{{constant}}` ({{version}}), so callers that omit it get an insecure protocol; default to `ssl.PROTOCOL_TLS_CLIENT` or `None`.',
  },
  select: { text: ['PROTOCOL_', '_METHOD'] },
  create(context) {
    const { model } = context;
    if (!INSECURE_PROTOCOL_HINT.test(context.text)) return {};
    return {
      function_definition(node) {
        const parameters = node.childForFieldName('parameters');
        if (parameters === null) return;
        const functionName = context.textOf(node.childForFieldName('name') ?? node);
        for (const parameter of parameters.namedChildren) {
          if (!PARAMETER_TYPES.has(parameter.type)) continue;
          const value = parameter.childForFieldName('value');
          const name = parameter.childForFieldName('name');
          if (value === null || name === null) continue;
          const protocol = insecureProtocol(model, value);
          if (protocol === undefined) continue;
          context.report({
            node: parameter,
            messageId: 'insecureDefault',
            data: {
              parameter: context.textOf(name),
              function: functionName,
              constant: context.textOf(value),
              version: protocol.version,
            },
            severity: protocol.broken ? 'high' : 'medium',
          });
        }
      },
    };
  },
});
