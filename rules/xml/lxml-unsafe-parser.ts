import { defineRule } from '../../src/rules-api/define-rule.js';
import type { SyntaxNode } from '../../src/engine/parse.js';
import type { Severity } from '../../src/engine/types.js';
import { mentions } from '../_shared/mentions.js';
import { UNTRUSTED_INPUT } from '../_shared/untrusted-input.js';

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
  },
  messages: {
    unsafeParser:
      '`{{callee}}` with {{options}}: the parser {{effect}}; use `resolve_entities=False, no_network=True` and leave DTD loading off.',
    defaultParserUntrusted:
      "`{{callee}}` parses request data with lxml's default parser, which (before lxml 5) resolves external entities; pass `etree.XMLParser(resolve_entities=False, no_network=True)`.",
  },
  create(context) {
    const { model } = context;
    if (!context.text.includes('lxml')) return {};

    const checkParser = (
      node: SyntaxNode,
      callee: string,
      keywords: ReadonlyMap<string, SyntaxNode>,
    ): void => {
      const found: { option: UnsafeOption; text: string }[] = [];
      for (const option of OPTIONS) {
        const value = keywords.get(option.keyword);
        if (value === undefined || model.truthiness(value) !== option.unsafeWhen) continue;
        // lxml 5's `resolve_entities="internal"` expands only entities declared in the document.
        if (model.literalValue(value) === 'internal') continue;
        found.push({ option, text: `${option.keyword}=${context.textOf(value)}` });
      }
      const first = found[0];
      if (first === undefined) return;
      context.report({
        node,
        messageId: 'unsafeParser',
        data: {
          callee,
          options: found.map((entry) => `\`${entry.text}\``).join(', '),
          effect: found.map((entry) => entry.option.effect).join('; it '),
        },
        severity: found.some((entry) => entry.option.severity === 'high') ? 'high' : 'medium',
      });
    };

    return {
      call(node) {
        const call = context.call(node);
        const name = call.qualifiedName;
        if (name === undefined || !name.startsWith('lxml.')) return;
        if (PARSER_FACTORIES.has(name)) {
          checkParser(node, context.textOf(call.callee), call.keywords);
          return;
        }
        if (!PARSE_FUNCTIONS.has(name)) return;
        const data = model.argument(call, 'text', 0) ?? call.keywords.get('source');
        if (data === undefined || model.argument(call, 'parser', 1) !== undefined) return;
        if (call.hasKwargs || !mentions(model, data, UNTRUSTED_INPUT)) return;
        context.report({
          node,
          messageId: 'defaultParserUntrusted',
          data: { callee: context.textOf(call.callee) },
          severity: 'medium',
          confidence: 'medium',
        });
      },
    };
  },
});
