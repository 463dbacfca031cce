import {
  callVisitors,
  defineRule,
  testAdjusted,
  testAdjustedSeverity,
  type Confidence,
} from '../../src/rules-api/index.js';

/**
 * Private `ssl` factories that build a context with certificate and hostname checks off. The
 * standard library uses `_create_stdlib_context` internally, so outside it the call is rarer and
 * less certainly a mistake.
 */
const UNVERIFIED_FACTORIES: ReadonlyMap<string, Confidence> = new Map([
  ['ssl._create_unverified_context', 'high'],
  ['ssl._create_stdlib_context', 'medium'],
]);
const DEFAULT_HTTPS_CONTEXT = 'ssl._create_default_https_context';

export default defineRule({
  meta: {
    id: 'PGT002',
    slug: 'unverified-ssl-context',
    title: 'Unverified SSL context',
    category: 'network',
    severity: 'medium',
    confidence: 'high',
    cwe: [295],
    owasp: [
      'A02:2021 Cryptographic Failures',
      'A07:2021 Identification and Authentication Failures',
    ],
    description:
      'Flags `ssl._create_unverified_context()` and code that installs it as `ssl._create_default_https_context`.',
    why: '`ssl._create_unverified_context` returns a context that accepts any certificate for any host, so a man-in-the-middle can read and rewrite the traffic. Assigning it to `ssl._create_default_https_context` switches verification off for every `urllib` and `http.client` HTTPS connection in the process, including ones made by libraries.',
    fix: 'Use `ssl.create_default_context()`, which verifies certificates and host names. For a private certificate authority pass it explicitly: `ssl.create_default_context(cafile="/etc/ssl/internal-ca.pem")`. Do not patch `ssl._create_default_https_context`.',
    example: {
      bad: 'import ssl\nimport urllib.request\n\nctx = ssl._create_unverified_context()\nurllib.request.urlopen("https://example.com", context=ctx)\n',
      good: 'import ssl\nimport urllib.request\n\nctx = ssl.create_default_context(cafile="/etc/ssl/internal-ca.pem")\nurllib.request.urlopen("https://example.com", context=ctx)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/295.html',
      'https://docs.python.org/3/library/ssl.html#ssl.create_default_context',
      'https://peps.python.org/pep-0476/',
    ],
    fixable: true,
    bandit: ['B323'],
    ruff: ['S323'],
  },
  messages: {
    unverifiedContext:
      '`{{callee}}()` builds an SSL context that accepts any certificate for any host; use `ssl.create_default_context()`.',
    globalOverride:
      '`{{target}} = {{value}}` turns off certificate checking for every HTTPS connection urllib makes in this process; remove it and pass a verifying context where one is needed.',
  },
  select: { calls: [...UNVERIFIED_FACTORIES.keys()], text: ['_create_'] },
  create(context) {
    const { model } = context;
    if (!context.text.includes('_create_')) return {};
    return {
      ...callVisitors(context, (node, call) => {
        const name = call.qualifiedName;
        const confidence = name === undefined ? undefined : UNVERIFIED_FACTORIES.get(name);
        if (confidence === undefined) return;
        // Without arguments, `ssl.create_default_context()` is the same call, verifying.
        const attribute =
          call.callee.type === 'attribute' ? call.callee.childForFieldName('attribute') : null;
        const verifying =
          name === 'ssl._create_unverified_context' &&
          attribute !== null &&
          call.positional.length === 0 &&
          call.keywords.size === 0 &&
          !call.hasKwargs &&
          !call.hasStarArgs;
        context.report({
          node,
          messageId: 'unverifiedContext',
          data: { callee: context.textOf(call.callee) },
          severity: testAdjustedSeverity('medium', context.isTestFile),
          confidence: testAdjusted(confidence, context.isTestFile),
          fix: verifying
            ? {
                description: 'Use `create_default_context`',
                target: attribute,
                replacement: 'create_default_context',
              }
            : undefined,
        });
      }),
      assignment(node) {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left?.type !== 'attribute' || right === null) return;
        if (model.qualifiedName(left) !== DEFAULT_HTTPS_CONTEXT) return;
        const value = model.qualifiedName(right);
        if (value === undefined || !UNVERIFIED_FACTORIES.has(value)) return;
        context.report({
          node,
          messageId: 'globalOverride',
          data: { target: context.textOf(left), value: context.textOf(right) },
          severity: testAdjustedSeverity('high', context.isTestFile),
        });
      },
    };
  },
});
