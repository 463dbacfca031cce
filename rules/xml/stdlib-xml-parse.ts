import {
  callVisitors,
  defineRule,
  isNetworkRead,
  moduleReference,
  taintedSink,
  testAdjusted,
  type CallInfo,
  type ReportFix,
  type SemanticModel,
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

interface AcceptedArguments {
  positional: number;
  keywords: readonly string[];
}

/**
 * Entry points whose defusedxml namesake takes the same arguments, with the arguments a call may
 * pass for the swap to be exact: at most `positional` positional ones, and only these keywords.
 * A `parser=` argument is never among them (defusedxml's own parser is the point), and
 * `fromstringlist` has no namesake.
 */
const DEFUSED_CALLS: ReadonlyMap<string, AcceptedArguments> = new Map<string, AcceptedArguments>([
  ...['xml.etree.ElementTree', 'xml.etree.cElementTree'].flatMap(
    (module): [string, AcceptedArguments][] => [
      [`${module}.parse`, { positional: 1, keywords: ['source'] }],
      [`${module}.iterparse`, { positional: 2, keywords: ['source', 'events'] }],
      [`${module}.fromstring`, { positional: 1, keywords: ['text'] }],
      [`${module}.XML`, { positional: 1, keywords: ['text'] }],
      [`${module}.XMLParser`, { positional: 0, keywords: ['target', 'encoding'] }],
    ],
  ),
  ['xml.sax.parse', { positional: 3, keywords: ['source', 'handler', 'errorHandler'] }],
  ['xml.sax.parseString', { positional: 3, keywords: ['string', 'handler', 'errorHandler'] }],
  ['xml.sax.make_parser', { positional: 1, keywords: ['parser_list'] }],
  [
    'xml.sax.expatreader.create_parser',
    { positional: 2, keywords: ['namespaceHandling', 'bufsize'] },
  ],
  ['xml.dom.expatbuilder.parse', { positional: 2, keywords: ['file', 'namespaces'] }],
  ['xml.dom.expatbuilder.parseString', { positional: 2, keywords: ['string', 'namespaces'] }],
  ['xml.dom.minidom.parse', { positional: 1, keywords: ['file', 'bufsize'] }],
  ['xml.dom.minidom.parseString', { positional: 1, keywords: ['string'] }],
  ['xml.dom.pulldom.parse', { positional: 1, keywords: ['stream_or_string', 'bufsize'] }],
  ['xml.dom.pulldom.parseString', { positional: 1, keywords: ['string'] }],
]);

/**
 * The fix of a standard-library parse: the same function of `safe` (a defusedxml module, imported
 * when the file does not import it yet), when the call passes only arguments both take.
 */
function defusedFix(
  model: SemanticModel,
  node: SyntaxNode,
  call: CallInfo,
  safe: string,
): ReportFix | undefined {
  const name = call.qualifiedName;
  const accepted = name === undefined ? undefined : DEFUSED_CALLS.get(name);
  if (name === undefined || accepted === undefined || call.hasStarArgs || call.hasKwargs)
    return undefined;
  if (call.positional.length > accepted.positional) return undefined;
  if ([...call.keywords.keys()].some((keyword) => !accepted.keywords.includes(keyword)))
    return undefined;
  const module = moduleReference(model, safe, node);
  if (module === undefined) return undefined;
  const fn = name.slice(name.lastIndexOf('.') + 1);
  const fix: ReportFix = {
    description: `Parse with \`${safe}.${fn}\` (from the \`defusedxml\` package)`,
    target: call.callee,
    replacement: `${module.name}.${fn}`,
  };
  if (module.importEdit !== undefined) fix.additionalEdits = [module.importEdit];
  return fix;
}

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
    fixable: true,
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
              fix: defusedFix(model, node, call, safe),
            });
            continue;
          }
          context.report({
            node,
            messageId: factory ? 'parser' : 'parse',
            data: { callee, safe },
            severity: severityFor(data),
            confidence: testAdjusted('medium', context.isTestFile),
            fix: defusedFix(model, node, call, safe),
          });
        }
      },
    };
  },
});
