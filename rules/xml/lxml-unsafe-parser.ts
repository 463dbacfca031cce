import {
  callVisitors,
  defineRule,
  taintedSink,
  testAdjusted,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

const PARSER_FACTORIES = new Set([
  'lxml.etree.XMLParser',
  'lxml.etree.XMLPullParser',
  'lxml.etree.ETCompatXMLParser',
  'lxml.objectify.makeparser',
]);

/** Parse functions that fall back to lxml's default parser when none is passed second. */
const PARSE_FUNCTIONS = new Set(
  ['fromstring', 'XML', 'parse', 'fromstringlist', 'iterparse'].flatMap((name) => [
    `lxml.etree.${name}`,
    `lxml.objectify.${name}`,
  ]),
);

interface UnsafeOption {
  keyword: string;
  /** The option is unsafe when its literal truthiness equals this. */
  unsafeWhen: boolean;
  effect: string;
  severity: Severity;
}

const OPTIONS: readonly UnsafeOption[] = [
  {
    keyword: 'resolve_entities',
    unsafeWhen: true,
    effect: 'expands external entities, so a document can pull in local files (XXE)',
    severity: 'high',
  },
  {
    keyword: 'no_network',
    unsafeWhen: false,
    effect: 'lets DTDs and entities be fetched over the network (SSRF)',
    severity: 'high',
  },
  {
    keyword: 'load_dtd',
    unsafeWhen: true,
    effect: 'loads external DTDs named by the document',
    severity: 'medium',
  },
  {
    keyword: 'dtd_validation',
    unsafeWhen: true,
    effect: 'loads external DTDs named by the document to validate against them',
    severity: 'medium',
  },
  {
    keyword: 'huge_tree',
    unsafeWhen: true,
    effect: "turns off libxml2's limits on tree depth and entity expansion (denial of service)",
    severity: 'medium',
  },
];

export default defineRule({
  meta: {
    id: 'PGX003',
    slug: 'lxml-unsafe-parser',
    title: 'lxml parser configured to resolve entities or load external resources',
    category: 'xml',
    severity: 'high',
    confidence: 'high',
    cwe: [611, 776],
    owasp: ['A05:2021 Security Misconfiguration'],
    description:
      'Flags `lxml.etree.XMLParser` (and `XMLPullParser`, `objectify.makeparser`) created with `resolve_entities=True`, `no_network=False`, `load_dtd=True`, `dtd_validation=True` or `huge_tree=True`, and lxml parse calls on request data that use the default parser.',
    why: "An XML document can declare entities that point at local files (`file:///etc/passwd`) or URLs. A parser that resolves them returns those contents inside the parsed tree (XXE), and one allowed on the network can be made to send requests to internal services. `huge_tree=True` removes the safeguards against entity-expansion bombs. lxml's defaults are safer than these options, but before lxml 5 the default parser still expanded external entities.",
    fix: 'Build the parser with safe options: `etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)` and pass it to every parse call, or use `defusedxml.lxml`-style wrappers. Only enable DTD loading for trusted documents.',
    example: {
      bad: 'from lxml import etree\n\nparser = etree.XMLParser(resolve_entities=True, load_dtd=True)\ntree = etree.fromstring(data, parser)\n',
      good: 'from lxml import etree\n\nparser = etree.XMLParser(resolve_entities=False, no_network=True)\ntree = etree.fromstring(data, parser)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/611.html',
      'https://cwe.mitre.org/data/definitions/776.html',
      'https://lxml.de/api/lxml.etree.XMLParser-class.html',
      'https://lxml.de/FAQ.html#how-do-i-use-lxml-safely-as-a-web-service-endpoint',
    ],
    bandit: ['B320', 'B410'],
    ruff: ['S320', 'S410'],
    auditAdds:
      'parse calls with the default parser whatever the document (`etree.fromstring(data)`), which expand external entities before lxml 5',
  },
  messages: {
    unsafeParser:
      '`{{callee}}` with {{options}}: the parser {{effect}}; use `resolve_entities=False, no_network=True` and leave DTD loading off.',
    taintedDefaultParser:
      "`{{callee}}` parses {{origin}} with lxml's default parser, which (before lxml 5) resolves external entities: {{path}}. Pass `etree.XMLParser(resolve_entities=False, no_network=True)`.",
    defaultParser:
      "`{{callee}}` parses with lxml's default parser, which before lxml 5 resolves external entities; if the document can come from outside, pass `etree.XMLParser(resolve_entities=False, no_network=True)`.",
    taintedUnsafeParser:
      '`{{callee}}` parses {{origin}} with a parser built with {{options}}, which {{effect}}: {{path}}. Build the parser with `resolve_entities=False, no_network=True` and leave DTD loading off.',
  },
  select: { calls: ['lxml.*'], text: ['lxml'] },
  create(context) {
    const { model } = context;
    if (!context.text.includes('lxml')) return {};

    /** The unsafe options a parser factory call sets, with their source text. */
    const unsafeOptions = (
      keywords: ReadonlyMap<string, SyntaxNode>,
    ): { option: UnsafeOption; text: string }[] => {
      const found: { option: UnsafeOption; text: string }[] = [];
      for (const option of OPTIONS) {
        const value = keywords.get(option.keyword);
        if (value === undefined || model.truthiness(value) !== option.unsafeWhen) continue;
        // lxml 5's `resolve_entities="internal"` expands only entities declared in the document.
        if (model.literalValue(value) === 'internal') continue;
        found.push({ option, text: `${option.keyword}=${context.textOf(value)}` });
      }
      return found;
    };

    const describe = (found: readonly { option: UnsafeOption; text: string }[]) => ({
      options: found.map((entry) => `\`${entry.text}\``).join(', '),
      effect: found.map((entry) => entry.option.effect).join('; it '),
    });

    const checkParser = (
      node: SyntaxNode,
      callee: string,
      keywords: ReadonlyMap<string, SyntaxNode>,
    ): void => {
      const found = unsafeOptions(keywords);
      if (found.length === 0) return;
      // An audit of the configuration; a traced document reaching the parser is reported there.
      context.report({
        node,
        messageId: 'unsafeParser',
        data: { callee, ...describe(found) },
        severity: found.some((entry) => entry.option.severity === 'high') ? 'high' : 'medium',
        confidence: testAdjusted('medium', context.isTestFile),
      });
    };

    /** The unsafe options of the parser a parse call passes, when it is built in this file. */
    const passedParserOptions = (parser: SyntaxNode) => {
      const value = model.resolveValue(parser);
      if (value.type !== 'call') return [];
      const factory = context.call(value);
      if (factory.qualifiedName === undefined || !PARSER_FACTORIES.has(factory.qualifiedName)) {
        return [];
      }
      return unsafeOptions(factory.keywords);
    };

    /**
     * A parse with lxml's default parser of data not traced to input: what bandit (B320) and
     * ruff (S320) report for every lxml parse. Audit only: lxml 5 and later no longer expand
     * external entities by default, and the data may be the program's own.
     */
    const reportDefaultParser = (node: SyntaxNode, callee: string): void => {
      context.report({
        node,
        messageId: 'defaultParser',
        data: { callee },
        severity: 'low',
        confidence: 'low',
        profile: 'audit',
      });
    };

    return callVisitors(context, (node, call) => {
      const name = call.qualifiedName;
      if (name === undefined || !name.startsWith('lxml.')) return;
      if (PARSER_FACTORIES.has(name)) {
        checkParser(node, context.textOf(call.callee), call.keywords);
        return;
      }
      if (!PARSE_FUNCTIONS.has(name)) return;
      const data = model.argument(call, 'text', 0) ?? call.keywords.get('source');
      if (data === undefined) return;
      const passed = model.argument(call, 'parser', 1);
      // `parser=None` also means lxml's default parser.
      const parser =
        passed !== undefined && model.literalValue(passed) === null ? undefined : passed;
      if (passed === undefined && call.hasKwargs) return;
      const found = parser === undefined ? [] : passedParserOptions(parser);
      if (parser !== undefined && found.length === 0) return;
      const callee = context.textOf(call.callee);
      const tainted = taintedSink(context, data, 'xml', node, callee);
      if (tainted === undefined) {
        if (parser === undefined) reportDefaultParser(node, callee);
        return;
      }
      context.report({
        node,
        messageId: parser === undefined ? 'taintedDefaultParser' : 'taintedUnsafeParser',
        data: { callee, origin: tainted.origin, path: tainted.path, ...describe(found) },
        severity: tainted.severity,
        confidence: tainted.confidence,
        flow: tainted.flow,
      });
    });
  },
});
