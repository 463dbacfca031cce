import { callVisitors, defineRule, type SyntaxNode } from '../../src/rules-api/index.js';

/** Standard-library XML modules that parse, with the defusedxml module to use instead. */
const PARSER_MODULES: ReadonlyMap<string, string> = new Map([
  ['xml.etree.ElementTree', 'defusedxml.ElementTree'],
  ['xml.etree.cElementTree', 'defusedxml.ElementTree'],
  ['xml.sax', 'defusedxml.sax'],
  ['xml.sax.expatreader', 'defusedxml.expatreader'],
  ['xml.dom.expatbuilder', 'defusedxml.expatbuilder'],
  ['xml.dom.minidom', 'defusedxml.minidom'],
  ['xml.dom.pulldom', 'defusedxml.pulldom'],
]);

/** Names in those modules that parse documents (the rest build or serialise XML). */
const PARSE_NAMES = new Set([
  'parse',
  'iterparse',
  'fromstring',
  'fromstringlist',
  'XML',
  'XMLID',
  'XMLParser',
  'XMLPullParser',
  'parseString',
  'make_parser',
  'create_parser',
  'ExpatParser',
]);

interface Imported {
  node: SyntaxNode;
  module: string;
  /** A whole module was imported: report it only if the file parses with it. */
  needsParseCall: boolean;
}

export default defineRule({
  meta: {
    id: 'PGX002',
    slug: 'stdlib-xml-import',
    title: 'Standard-library XML parser imported',
    category: 'xml',
    severity: 'low',
    confidence: 'high',
    cwe: [611],
    owasp: ['A05:2021 Security Misconfiguration'],
    description:
      'Audit: flags imports of the standard-library XML parsing modules (`xml.etree.ElementTree`, `xml.sax`, `xml.dom.minidom`, `xml.dom.pulldom`, `xml.dom.expatbuilder`) in files that parse XML with them.',
    why: 'These parsers do not limit entity expansion, so untrusted documents can exhaust memory ("billion laughs"), and older expat versions resolve external entities (XXE). This audit points at the import so a module can be switched to `defusedxml` in one place; the parse calls themselves are reported by `stdlib-xml-parse` (PGX001).',
    fix: 'Import the parsing functions from `defusedxml` instead (`import defusedxml.ElementTree as ET`, `from defusedxml.minidom import parseString`), or call `defusedxml.defuse_stdlib()` at start-up. Keep the standard library for building and serialising XML.',
    example: {
      bad: 'import xml.etree.ElementTree as ET\n\n\ndef load(data):\n    return ET.fromstring(data)\n',
      good: 'import defusedxml.ElementTree as ET\n\n\ndef load(data):\n    return ET.fromstring(data)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/611.html',
      'https://docs.python.org/3/library/xml.html#xml-vulnerabilities',
      'https://github.com/tiran/defusedxml',
    ],
    bandit: ['B405', 'B406', 'B407', 'B408', 'B409'],
    ruff: ['S405', 'S406', 'S407', 'S408', 'S409'],
    enabledByDefault: false,
  },
  messages: {
    parserImport:
      '`{{module}}` is imported to parse XML, which it does without limits on entity expansion; import the parser from `{{safe}}` instead.',
  },
  select: { text: ['xml'] },
  create(context) {
    if (!/xml\.(?:etree|sax|dom)|from\s+xml\s+import/.test(context.text)) return {};
    const imports: Imported[] = [];
    const parsedWith = new Set<string>();
    let defused = false;

    const dotted = (node: SyntaxNode): string => context.textOf(node).replace(/\s+/g, '');

    const parserModule = (name: string): string | undefined =>
      PARSER_MODULES.has(name) ? name : undefined;

    const importedName = (clause: SyntaxNode): SyntaxNode | null =>
      clause.type === 'aliased_import' ? clause.childForFieldName('name') : clause;

    return {
      import_statement(node) {
        for (const clause of node.childrenForFieldName('name')) {
          const name = importedName(clause);
          const module = name === null ? undefined : parserModule(dotted(name));
          if (module !== undefined) imports.push({ node, module, needsParseCall: true });
        }
      },
      import_from_statement(node) {
        const source = node.childForFieldName('module_name');
        if (source === null || source.type === 'relative_import') return;
        const from = dotted(source);
        const fromParser = parserModule(from);
        if (
          fromParser !== undefined &&
          node.namedChildren.some((c) => c.type === 'wildcard_import')
        ) {
          imports.push({ node, module: fromParser, needsParseCall: false });
          return;
        }
        for (const clause of node.childrenForFieldName('name')) {
          const nameNode = importedName(clause);
          if (nameNode === null) continue;
          const name = dotted(nameNode);
          const submodule = parserModule(`${from}.${name}`);
          if (submodule !== undefined)
            imports.push({ node, module: submodule, needsParseCall: true });
          else if (fromParser !== undefined && PARSE_NAMES.has(name))
            imports.push({ node, module: fromParser, needsParseCall: false });
        }
      },
      ...callVisitors(context, (_node, call) => {
        const name = call.qualifiedName;
        if (name === undefined) return;
        if (name === 'defusedxml.defuse_stdlib') {
          defused = true;
          return;
        }
        const dot = name.lastIndexOf('.');
        if (dot < 0 || !PARSE_NAMES.has(name.slice(dot + 1))) return;
        const module = name.slice(0, dot);
        if (PARSER_MODULES.has(module)) parsedWith.add(module);
      }),
      end() {
        if (defused) return;
        const reported = new Set<string>();
        for (const { node, module, needsParseCall } of imports) {
          if (reported.has(module) || (needsParseCall && !parsedWith.has(module))) continue;
          reported.add(module);
          context.report({
            node,
            messageId: 'parserImport',
            data: { module, safe: PARSER_MODULES.get(module) ?? 'defusedxml' },
          });
        }
      },
    };
  },
});
