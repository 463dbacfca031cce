import {
  callsWhenInputPossible,
  defineRule,
  receiverOf,
  taintedSink,
  unwrapParens,
  type CallInfo,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** Compiled XPath classes of lxml, with where they take the expression. */
const XPATH_CLASSES: ReadonlyMap<string, readonly [string, number]> = new Map([
  ['lxml.etree.XPath', ['path', 0]],
  ['lxml.etree.ETXPath', ['path', 0]],
]);

/** ElementTree/lxml methods that take an ElementPath expression. */
const ELEMENT_PATH_METHODS = new Set(['find', 'findall', 'findtext', 'iterfind']);

/** Calls that produce parsed documents or elements (ElementTree and lxml). */
const DOCUMENT_MAKERS = new Set(
  ['xml.etree.ElementTree', 'xml.etree.cElementTree', 'lxml.etree', 'defusedxml.ElementTree']
    .flatMap((module) =>
      ['parse', 'fromstring', 'XML', 'ElementTree', 'Element', 'SubElement', 'HTML'].map(
        (name) => `${module}.${name}`,
      ),
    )
    .concat(['lxml.html.fromstring', 'lxml.html.parse', 'lxml.html.document_fromstring']),
);
/** Methods of documents and elements that return documents or elements. */
const ELEMENT_METHODS = new Set(['getroot', 'find', 'getparent', 'getroottree', 'getnext']);
const MAX_DEPTH = 6;

export default defineRule({
  meta: {
    id: 'PGI023',
    slug: 'xpath-injection',
    title: 'XPath expression built from request data',
    category: 'injection',
    severity: 'high',
    confidence: 'high',
    cwe: [643],
    owasp: ['A03:2021 Injection'],
    description:
      "Flags request data (or command-line input) that reaches an lxml `xpath()` / `etree.XPath()` expression, or the path of ElementTree's `find`/`findall`/`findtext`/`iterfind`, instead of being passed as an XPath variable.",
    why: "An XPath expression is code: a value such as `' or '1'='1` spliced into `//user[@name='...']` turns a lookup of one node into a match on every node, which bypasses checks done against an XML user store and reads parts of the document the query was never meant to return.",
    fix: 'Keep the expression constant and pass outside values as XPath variables, which are never parsed as XPath: `tree.xpath("//user[@name=$name]", name=value)` or `etree.XPath("//user[@name=$name]")(tree, name=value)`. ElementTree paths have no variables: check the value against an allowlist, or select in Python (`[e for e in root.iter("user") if e.get("name") == value]`).',
    example: {
      bad: 'from flask import request\nfrom lxml import etree\n\n@app.route("/user")\ndef user():\n    tree = etree.parse("users.xml")\n    return str(tree.xpath(f"//user[@name=\'{request.args[\'name\']}\']"))\n',
      good: 'from flask import request\nfrom lxml import etree\n\n@app.route("/user")\ndef user():\n    tree = etree.parse("users.xml")\n    return str(tree.xpath("//user[@name=$name]", name=request.args["name"]))\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/643.html',
      'https://owasp.org/www-community/attacks/XPATH_Injection',
      'https://lxml.de/xpathxslt.html#the-xpath-method',
      'https://docs.python.org/3/library/xml.etree.elementtree.html#elementpath-support',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    taintedXpath:
      'The XPath expression of `{{sink}}` is built from {{origin}}: {{path}}. A quote in the value rewrites the query; keep the expression constant and pass the value as an XPath variable (`xpath("//user[@name=$name]", name=value)`).',
    taintedElementPath:
      'The ElementTree path of `{{sink}}` is built from {{origin}}: {{path}}. A quote or bracket in the value rewrites the query; check the value against an allowlist or compare it in Python (`e.get("name") == value`).',
  },
  select: { calls: [...XPATH_CLASSES.keys()], methods: ['xpath', ...ELEMENT_PATH_METHODS] },
  create(context) {
    const { model } = context;
    return callsWhenInputPossible(context, (node, call) => {
      const found = expressionOf(model, call);
      if (found === undefined) return;
      const tainted = taintedSink(context, found.expression, 'xpath', node, found.sink);
      if (tainted === undefined) return;
      context.report({
        node,
        messageId: found.elementPath ? 'taintedElementPath' : 'taintedXpath',
        data: { origin: tainted.origin, path: tainted.path, sink: found.sink },
        severity: tainted.severity,
        confidence: tainted.confidence,
        flow: tainted.flow,
      });
    });
  },
});

/**
 * The expression a call evaluates: `x.xpath(expr, **variables)` (lxml trees and elements, also
 * parsel/Scrapy selectors), `etree.XPath(expr)`, and `find*` paths on parsed XML documents.
 */
function expressionOf(
  model: SemanticModel,
  call: CallInfo,
): { expression: SyntaxNode; sink: string; elementPath: boolean } | undefined {
  const name = call.qualifiedName;
  const compiled = name === undefined ? undefined : XPATH_CLASSES.get(name);
  if (compiled !== undefined && name !== undefined) {
    const expression = model.argument(call, compiled[0], compiled[1]);
    return expression === undefined
      ? undefined
      : { expression, sink: name.split('.').slice(-2).join('.'), elementPath: false };
  }
  const method = call.methodName;
  if (method === 'xpath') {
    // Keyword arguments other than these are XPath variables: data, not expression text.
    const expression = model.argument(call, '_path', 0);
    return expression === undefined
      ? undefined
      : { expression, sink: '.xpath()', elementPath: false };
  }
  if (method === undefined || !ELEMENT_PATH_METHODS.has(method)) return undefined;
  const receiver = receiverOf(call);
  if (receiver === undefined || !isDocument(model, receiver, 0)) return undefined;
  const expression = model.argument(call, 'path', 0);
  return expression === undefined
    ? undefined
    : { expression, sink: `.${method}()`, elementPath: true };
}

/** Whether an expression holds a parsed XML document or element (`ET.parse(f).getroot()`). */
function isDocument(model: SemanticModel, node: SyntaxNode, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const built = model.constructedBy(node);
  if (built !== undefined && DOCUMENT_MAKERS.has(built)) return true;
  const value = unwrapParens(model.withContext(node) ?? model.resolveValue(node));
  if (value.type !== 'call') return false;
  const info = model.call(value);
  if (info.qualifiedName !== undefined && DOCUMENT_MAKERS.has(info.qualifiedName)) return true;
  const object = receiverOf(info);
  return (
    object !== undefined &&
    info.methodName !== undefined &&
    ELEMENT_METHODS.has(info.methodName) &&
    isDocument(model, object, depth + 1)
  );
}
