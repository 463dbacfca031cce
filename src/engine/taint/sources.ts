/**
 * Where untrusted data enters a Python program: request objects of the web frameworks, route
 * handler parameters, AWS Lambda events, and (trusted less) the command line, the environment and
 * standard input.
 */
import type { SemanticModel } from '../model.js';
import { unwrapParens } from '../model.js';
import type { SyntaxNode } from '../parse.js';
import type { Trust } from './types.js';

/** Attributes and methods of a request object that carry what the client sent. */
const REQUEST_DATA = new Set(
  // Flask / Werkzeug / Quart
  (
    'args form values json data files cookies headers view_args stream full_path url base_url ' +
    'url_root host_url path query_string get_json get_data referrer user_agent authorization host ' +
    'script_root environ input_stream ' +
    // Django and Django REST framework
    'GET POST body META COOKIES FILES get_full_path path_info query_params DATA QUERY_PARAMS ' +
    'raw_post_data read readline readlines ' +
    // Starlette / FastAPI, aiohttp, Pyramid, Tornado, Sanic, bottle
    'path_params form text content match_info rel_url params matchdict json_body arguments ' +
    'body_arguments query_arguments uri query forms post multipart'
  ).split(' '),
);

/** Attributes of `self` in `http.server` request handlers that hold the raw request. */
const HANDLER_DATA = new Set(['path', 'headers', 'rfile', 'requestline', 'raw_requestline']);

/** Methods of `self` in Tornado request handlers that return client input. */
const TORNADO_INPUT = new Set([
  'get_argument',
  'get_arguments',
  'get_query_argument',
  'get_query_arguments',
  'get_body_argument',
  'get_body_arguments',
  'get_cookie',
  'get_secure_cookie',
  'get_signed_cookie',
]);

/** Module-level request objects (`from flask import request`). */
const GLOBAL_REQUESTS = new Set([
  'flask.request',
  'quart.request',
  'bottle.request',
  'werkzeug.local.request',
  'flask.globals.request',
  'cherrypy.request',
  'cherrypy.serving.request',
]);

/** Calls that return the current request object (`get_current_request().params`). */
const REQUEST_GETTERS = new Set(['pyramid.threadlocal.get_current_request']);

/** Calls whose result is what the client sent: web.py's `web.input()`, `web.data()`, `web.cookies()`. */
const WEB_CALLS = new Set(['web.input', 'web.data', 'web.cookies']);

/** Names and attributes that hold command-line, environment or terminal input. */
const LOCAL_VALUES = new Set([
  'sys.argv',
  'sys.orig_argv',
  'os.environ',
  'os.environb',
  'sys.stdin',
]);

/** Calls whose result is command-line, environment or terminal input. */
const LOCAL_CALLS = new Set([
  'input',
  'raw_input',
  'os.getenv',
  'os.getenvb',
  'os.environ.get',
  'os.environ.pop',
  'getopt.getopt',
  'getopt.gnu_getopt',
  'fileinput.input',
  'sys.stdin.read',
  'sys.stdin.readline',
  'sys.stdin.readlines',
]);

/** Decorator methods that register a route handler (`@app.route`, `@router.get`). */
const ROUTE_DECORATORS = new Set([
  'route',
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'head',
  'options',
  'websocket',
  'api_route',
  'add_route',
  'view',
]);

/** Decorators (last dotted part) that mark a function as a view taking `request` first. */
const VIEW_DECORATORS = new Set(['api_view', 'view_config', 'require_http_methods', 'csrf_exempt']);

/** HTTP-verb and viewset method names of class-based views. */
export const VIEW_METHODS: ReadonlySet<string> = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'head',
  'options',
  'list',
  'create',
  'retrieve',
  'update',
  'partial_update',
  'destroy',
  'dispatch',
]);

/** Parameter types a framework converts before the handler runs: values of them cannot inject. */
const CONVERTED_TYPES = new Set([
  'int',
  'float',
  'bool',
  'complex',
  'UUID',
  'UUID4',
  'datetime',
  'date',
  'time',
  'timedelta',
  'Decimal',
  'PositiveInt',
  'NonNegativeInt',
  'conint',
  'confloat',
]);

/** Parameter types that are framework objects rather than client values. */
const FRAMEWORK_TYPES = new Set([
  'Request',
  'HttpRequest',
  'WSGIRequest',
  'WebSocket',
  'Response',
  'BackgroundTasks',
  'Session',
  'AsyncSession',
  'HTTPConnection',
  'SecurityScopes',
  'HTTPAuthorizationCredentials',
  'HTTPBasicCredentials',
]);

/** Default values that inject a dependency rather than read the request. */
const INJECTED_DEFAULT = /^\s*(?:[\w.]+\.)?(?:Depends|Security|Inject|Provide)\s*\(/;

/**
 * Words without which a file cannot contain any source this module knows: files that lack all of
 * them skip the analysis. Keep in step with the tables above.
 */
const SOURCE_HINT = new RegExp(
  [
    '[Rr]equest', // request objects, `self.request`, `HttpRequest` annotations, `RequestHandler`
    '\\breq\\b',
    '\\b(?:orig_)?argv\\b',
    'environ',
    'getenv',
    'stdin',
    '\\b(?:raw_)?input\\s*\\(',
    'getopt',
    'fileinput',
    'parse_(?:known_)?args',
    'click',
    'typer',
    '\\bevent\\b',
    'self\\.(?:kwargs|args)\\b',
    // route decorators (`@app.get(...)`, `@router.post(...)`, `@bp.route(...)`)
    '@\\s*[\\w.]*\\.(?:route|get|post|put|patch|delete|head|options|websocket|api_route|add_route|view|command)\\s*\\(',
  ].join('|'),
);

const sourceHints = new WeakMap<SemanticModel, boolean>();

/**
 * Whether a file may contain a source at all: a cheap test of its text, made once per file for
 * the dataflow pass and for rules that skip their own work when it fails.
 */
export function mayHoldSources(model: SemanticModel): boolean {
  let known = sourceHints.get(model);
  if (known === undefined) {
    known = SOURCE_HINT.test(model.text);
    sourceHints.set(model, known);
  }
  return known;
}

/** The decorators of a function definition, innermost last. */
export function decoratorsOf(definition: SyntaxNode): SyntaxNode[] {
  const parent = definition.parent;
  if (parent?.type !== 'decorated_definition') return [];
  const decorators: SyntaxNode[] = [];
  for (const child of parent.namedChildren) {
    if (child.type !== 'decorator') continue;
    const expression = child.namedChildren[0];
    if (expression !== undefined) decorators.push(expression);
  }
  return decorators;
}

function lastPart(text: string): string {
  const dot = text.lastIndexOf('.');
  return (dot < 0 ? text : text.slice(dot + 1)).trim();
}

function calleeText(model: SemanticModel, decorator: SyntaxNode): string {
  const callee = decorator.type === 'call' ? decorator.childForFieldName('function') : decorator;
  return callee === null ? '' : model.textOf(callee);
}

/** A parameter's name node, annotation text and default value node. */
export interface ParameterInfo {
  name: string;
  node: SyntaxNode;
  annotation: string | undefined;
  default: SyntaxNode | undefined;
  /** `*args` or `**kwargs`. */
  splat: boolean;
}

/** The parameters of a function definition, in order. */
export function parametersOf(model: SemanticModel, definition: SyntaxNode): ParameterInfo[] {
  const parameters = definition.childForFieldName('parameters');
  if (parameters === null) return [];
  const result: ParameterInfo[] = [];
  for (const parameter of parameters.namedChildren) {
    let nameNode: SyntaxNode | null | undefined = null;
    let splat = false;
    switch (parameter.type) {
      case 'identifier':
        nameNode = parameter;
        break;
      case 'default_parameter':
      case 'typed_default_parameter':
        nameNode = parameter.childForFieldName('name');
        break;
      case 'typed_parameter':
        nameNode = parameter.namedChildren.find((child) => child.type === 'identifier');
        splat = parameter.namedChildren.some((child) => child.type.endsWith('splat_pattern'));
        if (nameNode === undefined) {
          const inner = parameter.namedChildren.find((child) =>
            child.type.endsWith('splat_pattern'),
          );
          nameNode = inner?.namedChildren.find((child) => child.type === 'identifier');
        }
        break;
      case 'list_splat_pattern':
      case 'dictionary_splat_pattern':
        nameNode = parameter.namedChildren.find((child) => child.type === 'identifier');
        splat = true;
        break;
      default:
        continue;
    }
    if (nameNode === null || nameNode === undefined) continue;
    const type = parameter.childForFieldName('type');
    const value = parameter.childForFieldName('value');
    result.push({
      name: model.textOf(nameNode),
      node: nameNode,
      annotation: type === null ? undefined : model.textOf(type),
      default: value ?? undefined,
      splat,
    });
  }
  return result;
}

/** The type an annotation names, without `Optional[...]`, `Annotated[...]` or `| None`. */
function annotatedType(annotation: string): string {
  let text = annotation.trim();
  for (;;) {
    const wrapped = /^(?:[\w.]+\.)?(?:Optional|Annotated)\s*\[\s*(.*)\]$/s.exec(text);
    if (wrapped?.[1] === undefined) break;
    text = wrapped[1];
  }
  const first = /^[\w.]+/.exec(text)?.[0] ?? text;
  return lastPart(first);
}

function isMethod(definition: SyntaxNode): boolean {
  let parent = definition.parent;
  if (parent?.type === 'decorated_definition') parent = parent.parent;
  return parent?.type === 'block' && parent.parent?.type === 'class_definition';
}

/** The class a method is defined in. */
export function classOf(definition: SyntaxNode): SyntaxNode | undefined {
  let parent = definition.parent;
  if (parent?.type === 'decorated_definition') parent = parent.parent;
  const owner = parent?.parent;
  return parent?.type === 'block' && owner?.type === 'class_definition' ? owner : undefined;
}

/** Route parameters a path converter makes numeric: `<int:user_id>` in a Flask route. */
function convertedRouteParameters(model: SemanticModel, decorator: SyntaxNode): Set<string> {
  const names = new Set<string>();
  if (decorator.type !== 'call') return names;
  const path = model.call(decorator).positional[0];
  const text = path === undefined ? undefined : model.staticString(path);
  if (text === undefined) return names;
  for (const match of text.matchAll(/<(?:int|float|uuid):(\w+)>/g)) {
    if (match[1] !== undefined) names.add(match[1]);
  }
  return names;
}

type HandlerKind = 'route' | 'view' | 'lambda' | 'cli' | undefined;

interface HandlerShape {
  kind: HandlerKind;
  convertedNames: Set<string>;
}

/** What kind of entry point a function is, judged by its decorators and parameters. */
function handlerShape(
  model: SemanticModel,
  definition: SyntaxNode,
  parameters: readonly ParameterInfo[],
): HandlerShape {
  const convertedNames = new Set<string>();
  let kind: HandlerKind;
  for (const decorator of decoratorsOf(definition)) {
    const callee = calleeText(model, decorator);
    const last = lastPart(callee);
    const qualified = model.qualifiedName(
      decorator.type === 'call'
        ? (decorator.childForFieldName('function') ?? decorator)
        : decorator,
    );
    if (qualified?.startsWith('click.') === true || qualified?.startsWith('typer.') === true) {
      kind = 'cli';
    } else if (last === 'command' && callee.includes('.') && model.importsModule('typer')) {
      kind = 'cli';
    } else if (
      decorator.type === 'call' &&
      callee.includes('.') &&
      ROUTE_DECORATORS.has(last) &&
      !/^(?:requests|httpx|session|client|self\.client)\b/.test(callee)
    ) {
      kind = 'route';
      for (const name of convertedRouteParameters(model, decorator)) convertedNames.add(name);
    } else if (VIEW_DECORATORS.has(last)) {
      kind ??= 'view';
    } else if (callee === 'route' || qualified === 'bottle.route' || qualified === 'bottle.get') {
      kind = 'route';
    }
  }
  if (kind !== undefined) return { kind, convertedNames };
  const names = parameters.map((parameter) => parameter.name);
  const method = isMethod(definition);
  const requestIndex = method ? 1 : 0;
  if (names[requestIndex] === 'request' && importsWebFramework(model)) {
    const name = model.textOf(definition.childForFieldName('name') ?? definition);
    if (!method || VIEW_METHODS.has(name)) return { kind: 'view', convertedNames };
  }
  if (!method && names.length === 2 && names[0] === 'event' && names[1] === 'context') {
    return { kind: 'lambda', convertedNames };
  }
  return { kind: undefined, convertedNames };
}

/**
 * Whether a parameter of a function holds client input: arguments of route handlers (Flask,
 * FastAPI, Starlette, bottle), URL arguments of Django views, the Lambda `event`, and options of
 * click or typer commands (`local`). Parameters a framework converts to numbers, injected
 * dependencies and framework objects do not.
 */
export function parameterTrust(
  model: SemanticModel,
  definition: SyntaxNode,
  parameterName: string,
): Trust | undefined {
  const parameters = parametersOf(model, definition);
  const index = parameters.findIndex((parameter) => parameter.name === parameterName);
  const parameter = parameters[index];
  if (parameter === undefined) return undefined;
  const shape = handlerShape(model, definition, parameters);
  if (shape.kind === undefined) return undefined;
  const method = isMethod(definition);
  if (method && index === 0) return undefined; // self
  if (shape.kind === 'lambda') return parameter.name === 'event' ? 'web' : undefined;
  if (shape.kind === 'cli') return 'local';
  if (shape.kind === 'view' && index === (method ? 1 : 0)) return undefined; // the request object
  if (shape.convertedNames.has(parameter.name)) return undefined;
  if (parameter.default !== undefined && INJECTED_DEFAULT.test(model.textOf(parameter.default))) {
    return undefined;
  }
  if (parameter.annotation !== undefined) {
    const type = annotatedType(parameter.annotation);
    if (CONVERTED_TYPES.has(type) || FRAMEWORK_TYPES.has(type)) return undefined;
  }
  if (parameter.name === 'request' || parameter.name === 'req') return undefined;
  return 'web';
}

/** Modules whose import makes a `request` parameter read as an incoming HTTP request. */
const WEB_FRAMEWORKS = [
  'flask',
  'django',
  'rest_framework',
  'fastapi',
  'starlette',
  'pyramid',
  'aiohttp',
  'tornado',
  'bottle',
  'falcon',
  'sanic',
  'quart',
  'werkzeug',
  'webob',
  'litestar',
  'ninja',
  'oauthlib',
];

const webFrameworkFiles = new WeakMap<SemanticModel, boolean>();

/**
 * Whether the file imports a web framework. A parameter merely named `request` or `req` is an
 * incoming request only there: elsewhere it is as often an outgoing one (`requests`, urllib) or a
 * package requirement.
 */
export function importsWebFramework(model: SemanticModel): boolean {
  let known = webFrameworkFiles.get(model);
  if (known === undefined) {
    known = WEB_FRAMEWORKS.some((module) => model.importsModule(module));
    webFrameworkFiles.set(model, known);
  }
  return known;
}

/** Whether `id` is a parameter of its function that holds the incoming request. */
function requestParameter(model: SemanticModel, id: SyntaxNode): boolean {
  const name = model.textOf(id);
  const found = model.lookup(name, model.scopeAt(id));
  const binding = found?.bindings[0];
  if (binding?.kind !== 'param' || found === undefined) return false;
  if (name === 'request' || name === 'req') return importsWebFramework(model);
  const definition = found.scope.node;
  const parameter = parametersOf(model, definition).find((candidate) => candidate.name === name);
  if (parameter?.annotation === undefined) return false;
  return /(?:^|\.)(?:Http)?Request$|WSGIRequest$|ASGIRequest$/.test(
    annotatedType(parameter.annotation),
  );
}

function enclosingClass(node: SyntaxNode): SyntaxNode | undefined {
  for (let current = node.parent; current !== null; current = current.parent) {
    if (current.type === 'class_definition') return current;
  }
  return undefined;
}

function inRequestHandlerClass(model: SemanticModel, node: SyntaxNode): boolean {
  const owner = enclosingClass(node);
  const bases = owner?.childForFieldName('superclasses');
  return bases !== undefined && bases !== null && /RequestHandler\b/.test(model.textOf(bases));
}

function inViewClass(model: SemanticModel, node: SyntaxNode): boolean {
  const owner = enclosingClass(node);
  const bases = owner?.childForFieldName('superclasses');
  return (
    bases !== undefined &&
    bases !== null &&
    /(?:View|ViewSet|APIView|Mixin)\b/.test(model.textOf(bases))
  );
}

/** Whether an expression denotes a request object of some web framework. */
export function isRequestObject(model: SemanticModel, node: SyntaxNode): boolean {
  const target = unwrapParens(node);
  if (target.type === 'identifier') {
    const qualified = model.qualifiedName(target);
    if (qualified !== undefined && GLOBAL_REQUESTS.has(qualified)) return true;
    return requestParameter(model, target);
  }
  if (target.type === 'call') {
    const getter = model.call(target).qualifiedName;
    return getter !== undefined && REQUEST_GETTERS.has(getter);
  }
  if (target.type === 'attribute') {
    const object = target.childForFieldName('object');
    const attribute = target.childForFieldName('attribute');
    if (object?.type === 'identifier' && attribute !== null) {
      if (model.textOf(object) === 'self') return model.textOf(attribute) === 'request';
    }
    // `import flask` then `flask.request`.
    const qualified = model.qualifiedName(target);
    return qualified !== undefined && GLOBAL_REQUESTS.has(qualified);
  }
  return false;
}

/**
 * The trust of an attribute read that is a source: `request.args`, `self.path` in an
 * `http.server` handler, `sys.argv`, `os.environ`.
 */
export function attributeTrust(model: SemanticModel, node: SyntaxNode): Trust | undefined {
  const object = node.childForFieldName('object');
  const attribute = node.childForFieldName('attribute');
  if (object === null || attribute === null) return undefined;
  const name = model.textOf(attribute);
  if (REQUEST_DATA.has(name) && isRequestObject(model, object)) return 'web';
  if (object.type === 'identifier' && model.textOf(object) === 'self') {
    if ((HANDLER_DATA.has(name) || TORNADO_INPUT.has(name)) && inRequestHandlerClass(model, node)) {
      return 'web';
    }
    // URL arguments of Django class-based views.
    if ((name === 'kwargs' || name === 'args') && inViewClass(model, node)) return 'web';
  }
  const qualified = model.qualifiedName(node);
  if (qualified !== undefined && LOCAL_VALUES.has(qualified)) return 'local';
  return undefined;
}

/** The trust of a call that returns input: `input()`, `os.getenv(...)`, `parser.parse_args()`. */
export function callTrust(
  model: SemanticModel,
  qualifiedName: string | undefined,
  methodName: string | undefined,
): Trust | undefined {
  if (qualifiedName !== undefined && LOCAL_CALLS.has(qualifiedName)) return 'local';
  if (qualifiedName !== undefined && WEB_CALLS.has(qualifiedName)) return 'web';
  if (
    (methodName === 'parse_args' || methodName === 'parse_known_args') &&
    (model.importsModule('argparse') || model.importsModule('optparse'))
  ) {
    return 'local';
  }
  return undefined;
}

/** Whether a name used as a plain identifier is a local source (`from sys import argv`). */
export function identifierTrust(model: SemanticModel, node: SyntaxNode): Trust | undefined {
  const qualified = model.qualifiedName(node);
  return qualified !== undefined && LOCAL_VALUES.has(qualified) ? 'local' : undefined;
}

/** Whether a target is the first name of a tuple pattern (`a` of `a, b = ...`). */
function isFirstOfPattern(target: SyntaxNode): boolean {
  const pattern = target.parent;
  if (pattern === null || !TUPLE_PATTERNS.has(pattern.type) || pattern.namedChildCount < 2) {
    return false;
  }
  const first = pattern.namedChildren[0];
  return first?.startIndex === target.startIndex && first.endIndex === target.endIndex;
}

const TUPLE_PATTERNS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern']);

function isGetoptCall(model: SemanticModel, node: SyntaxNode): boolean {
  const call = unwrapParens(node);
  if (call.type !== 'call') return false;
  const name = model.call(call).qualifiedName;
  return name === 'getopt.getopt' || name === 'getopt.gnu_getopt';
}

/**
 * Whether `target` of `for target, value in iterable` is a `getopt` option name: the iterable is
 * `opts` of `opts, args = getopt.getopt(...)` (or `getopt.getopt(...)[0]`), so the name is one of
 * the options the program listed itself, whatever the command line holds. `value` is not.
 */
export function isGetoptOptionName(
  model: SemanticModel,
  target: SyntaxNode,
  iterable: SyntaxNode,
): boolean {
  if (!isFirstOfPattern(target)) return false;
  const list = unwrapParens(iterable);
  if (list.type === 'subscript') {
    const value = list.childForFieldName('value');
    const index = list.childForFieldName('subscript');
    return value !== null && index !== null && model.literalValue(index) === 0
      ? isGetoptCall(model, value)
      : false;
  }
  if (list.type !== 'identifier') return false;
  const name = model.textOf(list);
  const found = model.lookup(name, model.scopeAt(list));
  if (found === undefined) return false;
  const assigned = model.definitionIndex(found.scope).definitionsOf(name);
  return (
    assigned.length > 0 &&
    assigned.every(
      (definition) =>
        definition.kind === 'assign' &&
        definition.value !== undefined &&
        isFirstOfPattern(definition.target) &&
        isGetoptCall(model, definition.value),
    )
  );
}
