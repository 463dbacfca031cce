import {
  callVisitors,
  defineRule,
  isNetworkRead,
  taintedSink,
  testAdjusted,
  type CallInfo,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** Parsing entry points → the defusedxml module that offers a hardened equivalent. */
const ENTRY_POINTS: ReadonlyMap<string, string> = new Map([
  ...['xml.etree.ElementTree', 'xml.etree.cElementTree'].flatMap((module) =>
    ['parse', 'iterparse', 'fromstring', 'XML', 'XMLParser', 'fromstringlist'].map(
      (name) => [`${module}.${name}`, 'defusedxml.ElementTree'] as const,
    ),
  ),
  ['xml.sax.parse', 'defusedxml.sax'],
  ['xml.sax.parseString', 'defusedxml.sax'],
  ['xml.sax.make_parser', 'defusedxml.sax'],
  ['xml.sax.expatreader.create_parser', 'defusedxml.expatreader'],
  ['xml.dom.expatbuilder.parse', 'defusedxml.expatbuilder'],
  ['xml.dom.expatbuilder.parseString', 'defusedxml.expatbuilder'],
  ['xml.dom.minidom.parse', 'defusedxml.minidom'],
  ['xml.dom.minidom.parseString', 'defusedxml.minidom'],
  ['xml.dom.pulldom.parse', 'defusedxml.pulldom'],
  ['xml.dom.pulldom.parseString', 'defusedxml.pulldom'],
]);

/** Entry points that build a parser object rather than parse data. */
const PARSER_FACTORIES = /\.(XMLParser|make_parser|create_parser)$/;

/** Keyword names the document argument goes by across these APIs. */
const DATA_KEYWORDS = ['source', 'text', 'sequence', 'string', 'file', 'stream_or_string'];

/** Calls that open a file by name: a literal name there is a literal path. */
const OPENERS = new Set(['open', 'io.open', 'codecs.open', 'pathlib.Path', 'pathlib.PurePath']);

export default defineRule({
  meta: {
    id: 'PGX001',
    slug: 'stdlib-xml-parse',
    title: 'XML parsed with the standard library instead of defusedxml',
    category: 'xml',
    severity: 'medium',
    confidence: 'high',
    cwe: [611, 776],
    owasp: ['A05:2021 Security Misconfiguration'],
    description:
      'Flags parsing with `xml.etree.ElementTree`, `xml.dom.minidom`, `xml.dom.pulldom`, `xml.dom.expatbuilder` and `xml.sax`.',
    why: 'The standard library\'s XML parsers expand entity definitions without limit, so a small document with nested entities (the "billion laughs" attack) can use up memory and CPU. Older Python and expat versions also resolve external entities, which can read local files or reach internal hosts (XXE). `defusedxml` wraps the same parsers and rejects these constructs.',
    fix: 'Parse with `defusedxml` (`defusedxml.ElementTree.fromstring`, `defusedxml.minidom.parseString`, `defusedxml.sax.parse`, …), which has the same API. Building and serialising XML (`Element`, `SubElement`, `tostring`) with the standard library stays fine.',
    example: {
      bad: 'import xml.etree.ElementTree as ET\n\n\ndef import_feed(request):\n    return ET.fromstring(request.body)\n',
      good: 'import defusedxml.ElementTree as ET\n\n\ndef import_feed(request):\n    return ET.fromstring(request.body)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/611.html',
      'https://cwe.mitre.org/data/definitions/776.html',
      'https://docs.python.org/3/library/xml.html#xml-vulnerabilities',
      'https://github.com/tiran/defusedxml',
    ],
    bandit: ['B313', 'B314', 'B315', 'B316', 'B317', 'B318', 'B319'],
    ruff: ['S313', 'S314', 'S315', 'S316', 'S317', 'S318', 'S319'],
  },
  messages: {
    taintedParse:
      '`{{callee}}` parses {{origin}} with the standard library, which does not limit entity expansion: {{path}}. Use the same function from `{{safe}}`.',
    parse:
      '`{{callee}}` parses XML with the standard library, which does not limit entity expansion; use the same function from `{{safe}}`.',
    parser:
      '`{{callee}}` builds a standard-library XML parser, which does not limit entity expansion; use the one from `{{safe}}`.',
  },
  select: { calls: ['defusedxml.defuse_stdlib', ...ENTRY_POINTS.keys()] },
  create(context) {
    const { model } = context;
    const pending: { node: SyntaxNode; call: CallInfo; safe: string }[] = [];
    let defused = false;

    /** The call that produced a value: `x = f(...)`, `f(...)` itself, or `with f(...) as x:`. */
    const producingCall = (node: SyntaxNode): SyntaxNode | undefined => {
      const value = model.resolveValue(node);
      if (value.type === 'call') return value;
      const source = model.withContext(value);
      return source?.type === 'call' ? source : undefined;
    };

    const isLiteralPath = (data: SyntaxNode): boolean => {
      if (model.staticString(data) !== undefined) return true;
      const value = producingCall(data);
      if (value === undefined) return false;
      const opener = context.call(value);
      const name = opener.positional[0] ?? opener.keywords.get('file');
      return (
        opener.qualifiedName !== undefined &&
        OPENERS.has(opener.qualifiedName) &&
        name !== undefined &&
        model.staticString(name) !== undefined
      );
    };

    const documentOf = (call: CallInfo): SyntaxNode | undefined =>
      call.positional[0] ??
      DATA_KEYWORDS.map((name) => call.keywords.get(name)).find((node) => node !== undefined);

    /** Audit grading of a parse not traced to input: socket data high, a literal path low. */
    const severityFor = (data: SyntaxNode | undefined): Severity | undefined => {
      if (data === undefined) return undefined;
      if (isNetworkRead(model, data)) return 'high';
      return isLiteralPath(data) ? 'low' : undefined;
    };

    /** A parser built right inside another entry point's arguments is reported once, with that call. */
    const isArgumentOfEntryPoint = (node: SyntaxNode): boolean => {
      let parent = node.parent;
      if (parent?.type === 'keyword_argument') parent = parent.parent;
      const outer = parent?.type === 'argument_list' ? parent.parent : null;
      if (outer?.type !== 'call') return false;
      const name = context.call(outer).qualifiedName;
      return name !== undefined && ENTRY_POINTS.has(name);
    };

    return {
      ...callVisitors(context, (node, call) => {
        const callee = call.qualifiedName;
        if (callee === undefined) return;
        if (callee === 'defusedxml.defuse_stdlib') {
          defused = true;
          return;
        }
        const safe = ENTRY_POINTS.get(callee);
        if (safe !== undefined) pending.push({ node, call, safe });
      }),
      end() {
        // `defusedxml.defuse_stdlib()` patches the standard library parsers for the whole process.
        if (defused) return;
        for (const { node, call, safe } of pending) {
          const factory = PARSER_FACTORIES.test(call.qualifiedName ?? '');
          if (factory && isArgumentOfEntryPoint(node)) continue;
          const callee = context.textOf(call.callee);
          const data = factory ? undefined : documentOf(call);
          const tainted =
            data === undefined ? undefined : taintedSink(context, data, 'xml', node, callee);
          if (tainted !== undefined) {
            context.report({
              node,
              messageId: 'taintedParse',
              data: { callee, safe, origin: tainted.origin, path: tainted.path },
              severity: tainted.severity,
              confidence: tainted.confidence,
              flow: tainted.flow,
            });
            continue;
          }
          context.report({
            node,
            messageId: factory ? 'parser' : 'parse',
            data: { callee, safe },
            severity: severityFor(data),
            confidence: testAdjusted('medium', context.isTestFile),
          });
        }
      },
    };
  },
});
