import {
  callVisitors,
  defineRule,
  dottedCalleeAt,
  lastName,
  mayHoldUntrustedInput,
  receiverOf,
  returnedValues,
  startOf,
  taintedSink,
  unwrapParens,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { isHtmlView } from '../_shared/html-view.js';
import { isLambdaHandler } from '../_shared/lambda-handler.js';
import {
  djangoResponses,
  MAKE_RESPONSE,
  starletteResponses,
  WEBOB_RESPONSES,
  WERKZEUG_RESPONSES,
} from '../_shared/response-classes.js';

const DJANGO_RESPONSES = djangoResponses([
  'HttpResponse',
  'HttpResponseRedirect',
  'HttpResponsePermanentRedirect',
  'HttpResponseBadRequest',
  'HttpResponseNotFound',
  'HttpResponseForbidden',
  'HttpResponseServerError',
  'JsonResponse',
  'FileResponse',
  'StreamingHttpResponse',
]);

/** Response classes and builders: qualified name → positions a headers mapping may take. */
const RESPONSE_MAKERS: ReadonlyMap<string, readonly number[]> = new Map<string, readonly number[]>([
  ...MAKE_RESPONSE.map((name) => [name, [1, 2]] as const),
  ...[
    ...WERKZEUG_RESPONSES,
    'fastapi.Response',
    ...starletteResponses([
      'Response',
      'HTMLResponse',
      'PlainTextResponse',
      'JSONResponse',
      'RedirectResponse',
      'StreamingResponse',
      'FileResponse',
    ]),
  ].map((name) => [name, [2]] as const),
  ...[...DJANGO_RESPONSES, ...WEBOB_RESPONSES].map((name) => [name, []] as const),
]);

/** Django responses also take headers by item assignment: `response["X-Name"] = value`. */
const ITEM_ASSIGNABLE = new Set(DJANGO_RESPONSES);
/** Names response objects usually go by (`@app.after_request def add(response)`, FastAPI's `response: Response`). */
const RESPONSE_NAME = /^(?:resp|response|res|rv|http_response)$|_(?:resp|response)$/i;
/** The closing bracket of a subscript that is assigned to (`x[...] = value`, not `==`). */
const SUBSCRIPT_ASSIGNMENT = /\](?=[ \t]*=(?!=))/g;
/** Methods of a headers collection that set a header. */
const HEADER_SETTERS = new Set([
  'add',
  'set',
  'setdefault',
  'add_header',
  '__setitem__',
  'update',
  'extend',
]);

/** An assignment target that starts as `name[` or `a.b[` (`resp.headers["X"] = v`). */
const SUBSCRIPT_TARGET = /[A-Za-z_][\w.]*\s*\[/y;
/** A dotted callee ending in `.headers.<method>`. */
const HEADERS_METHOD = /\.\s*headers\s*\.\s*\w+$/;

/** Whether an expression holds a response object (by what built it, or by its name). */
function isResponse(model: SemanticModel, node: SyntaxNode, itemAssignment: boolean): boolean {
  const maker = model.constructedBy(node);
  if (maker !== undefined)
    return itemAssignment ? ITEM_ASSIGNABLE.has(maker) : RESPONSE_MAKERS.has(maker);
  if (model.qualifiedName(unwrapParens(node)) !== undefined) return false;
  const name = lastName(model, node);
  if (name === undefined || !RESPONSE_NAME.test(name)) return false;
  return !itemAssignment || model.importsModule('django');
}

/** For `X.headers`, the object `X`. */
function headersOwner(model: SemanticModel, node: SyntaxNode): SyntaxNode | undefined {
  const target = unwrapParens(node);
  if (target.type !== 'attribute') return undefined;
  const attribute = target.childForFieldName('attribute');
  if (attribute === null || model.textOf(attribute) !== 'headers') return undefined;
  return target.childForFieldName('object') ?? undefined;
}

/** The header name a literal key gives, for messages. */
function headerLabel(model: SemanticModel, key: SyntaxNode | undefined): string {
  const name = key === undefined ? undefined : model.staticString(key);
  return name === undefined ? 'a response header' : `the \`${name.replace(/`/g, "'")}\` header`;
}

export default defineRule({
  meta: {
    id: 'PGI024',
    slug: 'header-injection',
    title: 'Response header set from request data',
    category: 'injection',
    severity: 'medium',
    confidence: 'high',
    cwe: [113, 93],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags request data written into the name or value of a response header: `response.headers[...] = value`, `headers.add/set`, Django `response[...] = value`, and headers passed to `make_response` or a response class.',
    why: 'A carriage return and line feed in a header value end the header, so the client can add headers of its own (a `Set-Cookie`, a `Location`) or split the response in two, and a client-chosen header name sets any header at all. Recent Werkzeug and Django versions reject line breaks, but older stacks, proxies and hand-written servers pass them on, and the header still carries text the client chose.',
    fix: 'Set headers from values you choose or validate: allow only known values, remove `\\r` and `\\n` (`value.replace("\\r", "").replace("\\n", "")`), or URL-encode the value (`urllib.parse.quote`). Never take a header name from the request.',
    example: {
      bad: 'from flask import make_response, request\n\n\n@app.route("/download")\ndef download():\n    resp = make_response(load_report())\n    resp.headers["Content-Disposition"] = "attachment; filename=" + request.args["name"]\n    return resp\n',
      good: 'from urllib.parse import quote\n\nfrom flask import make_response, request\n\n\n@app.route("/download")\ndef download():\n    resp = make_response(load_report())\n    name = quote(request.args["name"], safe="")\n    resp.headers["Content-Disposition"] = "attachment; filename*=UTF-8\'\'" + name\n    return resp\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/113.html',
      'https://owasp.org/www-community/attacks/HTTP_Response_Splitting',
      'https://werkzeug.palletsprojects.com/en/stable/datastructures/#werkzeug.datastructures.Headers',
      'https://docs.djangoproject.com/en/stable/ref/request-response/#setting-header-fields',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    taintedHeader:
      '{{header}} is set from {{origin}}: {{path}}. Line breaks in it can add headers or split the response; allow only known values, or strip `\\r` and `\\n` (or URL-encode it) first.',
  },
  select: { calls: [...RESPONSE_MAKERS.keys()], methods: [...HEADER_SETTERS] },
  create(context) {
    const { model } = context;
    // Taint-only: a file without any source of untrusted input has nothing to report.
    if (!mayHoldUntrustedInput(model)) return {};

    function check(value: SyntaxNode, node: SyntaxNode, sink: string, header: string): boolean {
      const tainted = taintedSink(context, value, 'header', node, sink);
      if (tainted === undefined) return false;
      const web = tainted.trace.trust === 'web';
      context.report({
        node,
        messageId: 'taintedHeader',
        data: {
          header: header.charAt(0).toUpperCase() + header.slice(1),
          origin: tainted.origin,
          path: tainted.path,
        },
        severity: web ? 'medium' : 'low',
        confidence: tainted.confidence,
        flow: tainted.flow,
      });
      return true;
    }

    /** `X.headers["Name"] = value`, or Django's `response["Name"] = value`. */
    function checkAssignment(node: SyntaxNode): void {
      // Most assignments bind a name: read the text before asking the tree for the target.
      SUBSCRIPT_TARGET.lastIndex = startOf(node);
      if (!SUBSCRIPT_TARGET.test(model.text)) return;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.type !== 'subscript' || right === null) return;
      const object = left.childForFieldName('value');
      const key = left.childForFieldName('subscript') ?? undefined;
      if (object === null) return;
      const owner = headersOwner(model, object);
      const isHeader =
        owner !== undefined ? isResponse(model, owner, false) : isResponse(model, object, true);
      if (!isHeader) return;
      const sink = `${context.textOf(object).replace(/\s+/g, '')}[...]`;
      if (key !== undefined && check(key, node, sink, 'the name of a response header')) return;
      check(right, node, sink, headerLabel(model, key));
    }

    /** A headers mapping handed to a response: its keys and values. */
    function checkMapping(mapping: SyntaxNode, node: SyntaxNode, sink: string): void {
      const literal = unwrapParens(mapping);
      if (literal.type !== 'dictionary') {
        check(mapping, node, sink, 'a response header');
        return;
      }
      for (const pair of literal.namedChildren) {
        const key = pair.childForFieldName('key');
        const value = pair.childForFieldName('value');
        if (key === null || value === null) continue;
        if (check(key, node, sink, 'the name of a response header')) return;
        if (check(value, node, sink, headerLabel(model, key))) return;
      }
    }

    return {
      ...callVisitors(context, (node, call) => {
        const name = call.qualifiedName;
        const positions = name === undefined ? undefined : RESPONSE_MAKERS.get(name);
        if (positions !== undefined && name !== undefined) {
          const sink = name.slice(name.lastIndexOf('.') + 1);
          const headers = call.keywords.get('headers');
          if (headers !== undefined) checkMapping(headers, node, sink);
          for (const position of positions) {
            const argument = call.positional[position];
            // make_response(body, status, headers): a status is a number or a status line.
            if (
              argument !== undefined &&
              ['dictionary', 'identifier', 'list'].includes(unwrapParens(argument).type)
            )
              checkMapping(argument, node, sink);
          }
          return;
        }
        const method = call.methodName;
        if (method === undefined || !HEADER_SETTERS.has(method)) return;
        // `d.update(...)`, `s.add(...)`: a plain dotted callee shows whether `.headers` is there.
        const dotted = dottedCalleeAt(model.text, startOf(node));
        if (dotted !== undefined && !HEADERS_METHOD.test(dotted)) return;
        const receiver = receiverOf(call);
        const owner = receiver === undefined ? undefined : headersOwner(model, receiver);
        if (owner === undefined || !isResponse(model, owner, false)) return;
        const sink = context.textOf(call.callee).replace(/\s+/g, '');
        const [first, second] = call.positional;
        if (method === 'update' || method === 'extend') {
          if (first !== undefined) checkMapping(first, node, sink);
          return;
        }
        if (first !== undefined && check(first, node, sink, 'the name of a response header'))
          return;
        const value = second ?? call.keywords.get('value') ?? call.keywords.get('_value');
        if (value !== undefined) check(value, node, sink, headerLabel(model, first));
      }),
      function_definition(definition) {
        // `return body, 200, {"X-Name": value}` from a Flask view, or a Lambda proxy response.
        const lambda = isLambdaHandler(model, definition);
        if (!lambda && !isHtmlView(model, definition)) return;
        for (const value of returnedValues(definition)) {
          const returned = unwrapParens(value);
          if (!lambda && (returned.type === 'expression_list' || returned.type === 'tuple')) {
            const headers = returned.namedChildren
              .slice(1)
              .find((part) => unwrapParens(part).type === 'dictionary');
            if (headers !== undefined) checkMapping(headers, headers, 'return');
          } else if (lambda && returned.type === 'dictionary') {
            for (const pair of returned.namedChildren) {
              const key = pair.childForFieldName('key');
              const headers = pair.childForFieldName('value');
              if (key !== null && headers !== null && model.staticString(key) === 'headers')
                checkMapping(headers, headers, 'return');
            }
          }
        }
      },
      end() {
        // Subscript assignments are found by their text: visiting every assignment costs more.
        const root = model.tree.rootNode;
        for (const match of model.text.matchAll(SUBSCRIPT_ASSIGNMENT)) {
          let node: SyntaxNode | null = root.descendantForIndex(match.index);
          while (node !== null && node.type !== 'subscript') node = node.parent;
          const statement = node?.parent;
          if (
            statement?.type === 'assignment' &&
            statement.childForFieldName('left')?.id === node?.id
          )
            checkAssignment(statement);
        }
      },
    };
  },
});
