import {
  callVisitors,
  defineRule,
  enclosingFunction,
  mayHoldUntrustedInput,
  returnedValues,
  taintedSink,
  unwrapParens,
  type CallInfo,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import {
  djangoResponses,
  MAKE_RESPONSE,
  starletteResponses,
  WEBOB_RESPONSES,
  WERKZEUG_RESPONSES,
} from '../_shared/response-classes.js';
import { isHtmlView } from '../_shared/html-view.js';
import { isLambdaHandler } from '../_shared/lambda-handler.js';

/** Where a response class takes its body and its content type, and what it sends by default. */
interface ResponseApi {
  /** Keyword and position of the body; pyramid also takes `text=`. */
  body: readonly (readonly [string | undefined, number | undefined])[];
  /** Keyword and position of a content-type or mimetype argument. */
  types: readonly (readonly [string, number | undefined])[];
  /** Keyword and positions where a headers mapping may be given. */
  headers: readonly [string | undefined, readonly number[]];
  /** Whether the response is HTML when nothing says otherwise. */
  htmlByDefault: boolean;
}

const FLASK_RESPONSE: ResponseApi = {
  body: [['response', 0]],
  types: [
    ['mimetype', 3],
    ['content_type', 4],
  ],
  headers: ['headers', [2]],
  htmlByDefault: true,
};
const DJANGO_RESPONSE: ResponseApi = {
  body: [['content', 0]],
  types: [['content_type', 1]],
  headers: ['headers', []],
  htmlByDefault: true,
};
const STARLETTE_RESPONSE: ResponseApi = {
  body: [['content', 0]],
  types: [['media_type', 3]],
  headers: ['headers', [2]],
  htmlByDefault: false,
};

const RESPONSES: ReadonlyMap<string, ResponseApi> = new Map<string, ResponseApi>([
  ...MAKE_RESPONSE.map(
    (name) =>
      [
        name,
        {
          body: [[undefined, 0]],
          types: [],
          headers: [undefined, [1, 2]],
          htmlByDefault: true,
        },
      ] as const,
  ),
  ...WERKZEUG_RESPONSES.map((name) => [name, FLASK_RESPONSE] as const),
  ...djangoResponses([
    'HttpResponse',
    'HttpResponseBadRequest',
    'HttpResponseNotFound',
    'HttpResponseForbidden',
    'HttpResponseServerError',
    'HttpResponseGone',
  ]).map((name) => [name, DJANGO_RESPONSE] as const),
  ...starletteResponses(['HTMLResponse']).map(
    (name) => [name, { ...STARLETTE_RESPONSE, htmlByDefault: true }] as const,
  ),
  ...[...starletteResponses(['Response']), 'fastapi.Response'].map(
    (name) => [name, STARLETTE_RESPONSE] as const,
  ),
  ...WEBOB_RESPONSES.map(
    (name) =>
      [
        name,
        {
          body: [
            ['body', 0],
            ['text', undefined],
          ],
          types: [['content_type', 4]],
          headers: ['headers', []],
          htmlByDefault: true,
        },
      ] as const,
  ),
]);

/** Content types a browser renders as a document that can run script. */
const SCRIPTABLE_TYPE = /html|xml|svg/i;

/** Values a view returns that Flask turns into JSON or a non-HTML response. */
const NOT_TEXT = new Set([
  'dictionary',
  'list',
  'set',
  'list_comprehension',
  'dictionary_comprehension',
  'set_comprehension',
  'generator_expression',
  'integer',
  'none',
]);
const CONTAINER_CALLS = new Set(['dict', 'list', 'tuple', 'set', 'sorted']);

/** Flask and Quart functions that render a template file by name. */
const RENDER_TEMPLATE = new Set(['flask.render_template', 'quart.render_template']);
/** The template names Flask turns autoescaping on for (`Flask.select_jinja_autoescape`). */
const AUTOESCAPED_TEMPLATE = /\.(?:html|htm|xml|xhtml|svg)$/i;

type Verdict = 'html' | 'other' | 'unknown';

function typeVerdict(model: SemanticModel, node: SyntaxNode): Verdict {
  const text = model.staticString(node);
  if (text === undefined) return 'unknown';
  return SCRIPTABLE_TYPE.test(text) ? 'html' : 'other';
}

/** The content type a literal headers mapping sets, if any. */
function headersVerdict(model: SemanticModel, node: SyntaxNode): Verdict | undefined {
  const mapping = unwrapParens(model.resolveValue(node));
  if (mapping.type !== 'dictionary') return undefined;
  for (const pair of mapping.namedChildren) {
    if (pair.type !== 'pair') continue;
    const key = pair.childForFieldName('key');
    const value = pair.childForFieldName('value');
    if (key === null || value === null) continue;
    if (model.staticString(key)?.toLowerCase() === 'content-type') return typeVerdict(model, value);
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `resp = make_response(body)` followed, in the same function, by `resp.mimetype = "..."`,
 * `resp.headers["Content-Type"] = "..."` or (Django) `resp["Content-Type"] = "..."`.
 */
function laterContentType(model: SemanticModel, call: SyntaxNode): Verdict | undefined {
  let parent = call.parent;
  while (parent?.type === 'parenthesized_expression') parent = parent.parent;
  const target = parent?.type === 'assignment' ? parent.childForFieldName('left') : null;
  if (target?.type !== 'identifier') return undefined;
  const end = enclosingFunction(call)?.endIndex ?? model.text.length;
  const rest = model.text.slice(call.endIndex, end);
  const pattern = new RegExp(
    `(?<![\\w.])${escapeRegExp(model.textOf(target))}\\s*(?:\\.\\s*(?:mimetype|content_type|media_type)\\s*=|(?:\\.\\s*headers\\s*)?\\[\\s*(['"])[Cc]ontent-[Tt]ype\\1\\s*\\]\\s*=)\\s*[rRuU]?(['"])([^'"\\n]*)\\2`,
  );
  const match = pattern.exec(rest);
  if (match === null) return undefined;
  return SCRIPTABLE_TYPE.test(match[3] ?? '') ? 'html' : 'other';
}

/** Whether a response call sends HTML (or a content type that is not a known safe literal). */
function sendsHtml(model: SemanticModel, call: CallInfo, api: ResponseApi): boolean {
  for (const [keyword, position] of api.types) {
    const value = model.argument(call, keyword, position);
    if (value !== undefined) return typeVerdict(model, value) !== 'other';
  }
  const [headersKeyword, headersPositions] = api.headers;
  const headerArguments = [
    ...(headersKeyword === undefined ? [] : [call.keywords.get(headersKeyword)]),
    ...headersPositions.map((position) => call.positional[position]),
  ];
  for (const headers of headerArguments) {
    const verdict = headers === undefined ? undefined : headersVerdict(model, headers);
    if (verdict !== undefined) return verdict !== 'other';
  }
  const later = laterContentType(model, call.node);
  if (later !== undefined) return later !== 'other';
  return api.htmlByDefault;
}

/** The `"body"` of a Lambda proxy response whose headers say it is HTML. */
function lambdaHtmlBody(model: SemanticModel, value: SyntaxNode): SyntaxNode | undefined {
  const mapping = unwrapParens(model.resolveValue(value));
  if (mapping.type !== 'dictionary') return undefined;
  let body: SyntaxNode | undefined;
  let html = false;
  for (const pair of mapping.namedChildren) {
    if (pair.type !== 'pair') continue;
    const key = pair.childForFieldName('key');
    const entry = pair.childForFieldName('value');
    if (key === null || entry === null) continue;
    const name = model.staticString(key);
    if (name === 'body') body = entry;
    else if (name === 'headers') html = headersVerdict(model, entry) === 'html';
  }
  return html ? body : undefined;
}

export default defineRule({
  meta: {
    id: 'PGI040',
    slug: 'reflected-xss',
    title: 'Request data reflected in an HTML response',
    category: 'injection',
    severity: 'high',
    confidence: 'high',
    cwe: [79, 116],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags request data that reaches the body of an HTML response unescaped: a string returned from a Flask view, `make_response`, Django `HttpResponse`, Starlette `HTMLResponse` or a pyramid `Response`, or the context of a Flask `render_template` whose template is not autoescaped (not `.html`, `.htm`, `.xml`, `.xhtml` or `.svg`).',
    why: "A response body is parsed by the browser as HTML, so a `<script>` or an event-handler attribute inside a reflected parameter runs in the page with the visitor's session. Anyone can send a victim a link that does it (reflected cross-site scripting).",
    fix: 'Render through an autoescaping template (`render_template("page.html", q=q)`), escape the value with `markupsafe.escape` / `html.escape` / `django.utils.html.escape`, or return data as JSON (`jsonify`, `JsonResponse`) or with a non-HTML content type such as `text/plain`.',
    example: {
      bad: 'from flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.route("/hello")\ndef hello():\n    return f"<p>Hello {request.args[\'name\']}</p>"\n',
      good: 'from flask import Flask, request\nfrom markupsafe import escape\n\napp = Flask(__name__)\n\n\n@app.route("/hello")\ndef hello():\n    return f"<p>Hello {escape(request.args[\'name\'])}</p>"\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/79.html',
      'https://owasp.org/www-community/attacks/xss/',
      'https://flask.palletsprojects.com/en/stable/security/#cross-site-scripting-xss',
      'https://docs.djangoproject.com/en/stable/ref/request-response/#httpresponse-objects',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    taintedResponse:
      "The HTML body of `{{sink}}` contains {{origin}}: {{path}}. A script in the value runs in the visitor's browser; escape it (`markupsafe.escape`, `html.escape`) or render it through an autoescaping template.",
    taintedTemplate:
      "`{{sink}}` renders `{{template}}`, which Flask does not autoescape (only `.html`, `.htm`, `.xml`, `.xhtml` and `.svg` templates are), with {{origin}}: {{path}}. The page is sent as HTML, so a script in the value runs in the visitor's browser; give the template an `.html` name or escape the value.",
    taintedReturn:
      "This view returns {{origin}} as an HTML page: {{path}}. A script in the value runs in the visitor's browser; escape it (`markupsafe.escape`, `html.escape`), render an autoescaping template or return JSON.",
  },
  select: { calls: [...RESPONSES.keys()] },
  create(context) {
    const { model } = context;
    // Taint-only: a file without any source of untrusted input has nothing to report.
    if (!mayHoldUntrustedInput(model)) return {};

    function report(
      body: SyntaxNode,
      node: SyntaxNode,
      sink: string,
      messageId: 'taintedResponse' | 'taintedReturn',
    ): void {
      const tainted = taintedSink(context, body, 'xss', node, sink);
      if (tainted === undefined) return;
      context.report({
        node,
        messageId,
        data: { sink, origin: tainted.origin, path: tainted.path },
        severity: tainted.severity,
        confidence: tainted.confidence,
        flow: tainted.flow,
      });
    }

    /**
     * `return render_template("page.txt", q=...)`: a template Flask does not autoescape, rendered
     * into an HTML response with request data in its context. True when the value is such a call.
     */
    function unescapedTemplate(returned: SyntaxNode): boolean {
      if (returned.type !== 'call') return false;
      const call = context.call(returned);
      const name = call.qualifiedName;
      if (name === undefined || !RENDER_TEMPLATE.has(name)) return false;
      const templateArgument = model.argument(call, 'template_name_or_list', 0);
      const template =
        templateArgument === undefined ? undefined : model.staticString(templateArgument);
      if (template === undefined || AUTOESCAPED_TEMPLATE.test(template)) return true;
      const sink = name.slice(name.lastIndexOf('.') + 1);
      for (const value of call.keywords.values()) {
        const tainted = taintedSink(context, value, 'xss', returned, sink);
        if (tainted === undefined) continue;
        context.report({
          node: returned,
          messageId: 'taintedTemplate',
          data: { sink, template, origin: tainted.origin, path: tainted.path },
          severity: tainted.severity,
          confidence: tainted.confidence,
          flow: tainted.flow,
        });
        break;
      }
      return true;
    }

    /** What returning a value from a function means: an HTML page, a Lambda response, neither. */
    function handlerKind(definition: SyntaxNode): 'view' | 'lambda' | undefined {
      if (isHtmlView(model, definition)) return 'view';
      return isLambdaHandler(model, definition) ? 'lambda' : undefined;
    }

    return {
      ...callVisitors(context, (node, call) => {
        const name = call.qualifiedName;
        const api = name === undefined ? undefined : RESPONSES.get(name);
        if (api === undefined || name === undefined) return;
        const bodies = api.body
          .map(([keyword, position]) =>
            keyword === undefined
              ? call.positional[position ?? 0]
              : model.argument(call, keyword, position),
          )
          .filter((body): body is SyntaxNode => body !== undefined);
        if (bodies.length === 0 || !sendsHtml(model, call, api)) return;
        const sink = name.slice(name.lastIndexOf('.') + 1);
        for (const body of bodies) report(body, node, sink, 'taintedResponse');
      }),
      function_definition(definition) {
        const kind = handlerKind(definition);
        if (kind === undefined) return;
        for (const value of returnedValues(definition)) {
          let returned = unwrapParens(value);
          let headers: SyntaxNode | undefined;
          if (returned.type === 'expression_list' || returned.type === 'tuple') {
            // `return body, 200, {"Content-Type": "text/plain"}`
            const [first, ...rest] = returned.namedChildren;
            if (first === undefined) continue;
            headers = rest.find((part) => unwrapParens(part).type === 'dictionary');
            returned = unwrapParens(first);
          }
          if (kind === 'lambda') {
            const body = lambdaHtmlBody(model, returned);
            if (body !== undefined) report(body, returned, 'return', 'taintedReturn');
            continue;
          }
          if (NOT_TEXT.has(returned.type)) continue;
          if (headers !== undefined && headersVerdict(model, headers) === 'other') continue;
          const resolved = unwrapParens(model.resolveValue(returned));
          if (NOT_TEXT.has(resolved.type) || unescapedTemplate(resolved)) continue;
          if (
            resolved.type === 'call' &&
            CONTAINER_CALLS.has(context.call(resolved).qualifiedName ?? '')
          )
            continue;
          report(returned, returned, 'return', 'taintedReturn');
        }
      },
    };
  },
});
