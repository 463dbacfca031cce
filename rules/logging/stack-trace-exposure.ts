import {
  defineRule,
  enclosingFunction,
  lastSegment,
  testAdjusted,
  unwrapParens,
  type Confidence,
  type SemanticModel,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

const TRACEBACK_FORMATTERS = new Set([
  'traceback.format_exc',
  'traceback.format_exception',
  'traceback.format_exception_only',
  'traceback.format_tb',
  'traceback.format_stack',
]);
const TO_TEXT = new Set(['str', 'repr', 'builtins.str', 'builtins.repr']);
/** Exception attributes that carry the message. */
const MESSAGE_ATTRIBUTES = new Set(['args']);
/** Calls that carry a value into a response unchanged (matched on the last name of the callee). */
const CARRIER_CALL =
  /^(?:jsonify|make_response|render_template|render|render_to_response|abort|dict|str|repr|format|dumps|join|HTTPException|APIException|ValidationError|Http\w*|\w*Response)$/;
/** Raised exceptions whose detail is sent to the client. */
const CLIENT_EXCEPTION =
  /^(?:HTTPException|APIException|ValidationError|ParseError|NotFound|BadRequest)$/;
const ABORTS = new Set(['flask.abort', 'werkzeug.exceptions.abort', 'quart.abort']);
/** Route decorators: `@app.route`, `@bp.get`, `@router.post`, `@app.api_route`, `@api_view`. */
const ROUTE_METHOD =
  /^(?:route|get|post|put|patch|delete|head|options|websocket|api_route|api_view)$/;
/** Node types a value passes through on its way into the response. */
const PASS_THROUGH = new Set([
  'interpolation',
  'string',
  'concatenated_string',
  'binary_operator',
  'parenthesized_expression',
  'tuple',
  'list',
  'expression_list',
  'dictionary',
  'pair',
  'keyword_argument',
  'argument_list',
  'conditional_expression',
  'format_expression',
]);
const MAX_DEPTH = 3;

interface Exposure {
  node: SyntaxNode;
  what: string;
  traceback: boolean;
}

function calleeName(model: SemanticModel, call: SyntaxNode): string | undefined {
  const info = model.call(call);
  return info.qualifiedName ?? info.methodName;
}

/** The name bound by `except ... as name`, if any. */
function exceptionName(model: SemanticModel, clause: SyntaxNode): string | undefined {
  const value = clause.childForFieldName('value');
  if (value?.type !== 'as_pattern') return undefined;
  const alias = value.childForFieldName('alias');
  const id = alias?.namedChildren[0];
  return id?.type === 'identifier' ? model.textOf(id) : undefined;
}

/** Whether a function is a web view: a route decorator, or a `request` parameter. */
function viewConfidence(model: SemanticModel, fn: SyntaxNode): Confidence | undefined {
  const decorated = fn.parent;
  if (decorated?.type === 'decorated_definition') {
    for (const decorator of decorated.namedChildren) {
      if (decorator.type !== 'decorator') continue;
      let expression = decorator.namedChildren[0];
      if (expression?.type === 'call')
        expression = expression.childForFieldName('function') ?? undefined;
      if (expression === undefined) continue;
      const name = model.qualifiedName(expression) ?? model.textOf(expression);
      if (ROUTE_METHOD.test(lastSegment(name))) return 'high';
    }
  }
  const parameters = fn.childForFieldName('parameters');
  if (parameters === null) return undefined;
  for (const parameter of parameters.namedChildren) {
    const id = parameter.type === 'identifier' ? parameter : parameter.namedChildren[0];
    if (id?.type === 'identifier' && model.textOf(id) === 'request') return 'medium';
  }
  return undefined;
}

/** Whether a value at `node` reaches `root` unchanged, through strings, containers and response builders. */
function reaches(model: SemanticModel, node: SyntaxNode, root: SyntaxNode): boolean {
  for (let current: SyntaxNode = node; current.id !== root.id;) {
    const parent = current.parent;
    if (parent === null) return false;
    if (parent.type === 'call') {
      const name = calleeName(model, parent);
      if (current.type !== 'argument_list' || name === undefined) return false;
      if (!CARRIER_CALL.test(lastSegment(name))) return false;
    } else if (parent.type === 'attribute') {
      // `"...{}".format(e)`: the receiver of `.format`.
      const grand = parent.parent;
      const method = parent.childForFieldName('attribute');
      if (grand?.type !== 'call' || method === null) return false;
      const text = model.textOf(method);
      if (text !== 'format' && text !== 'join') return false;
      current = grand;
      continue;
    } else if (!PASS_THROUGH.has(parent.type)) {
      return false;
    }
    current = parent;
  }
  return true;
}

/** The first exception detail in `expression` that reaches it unchanged. */
function exposureIn(
  model: SemanticModel,
  expression: SyntaxNode,
  clause: SyntaxNode,
  name: string | undefined,
  depth: number,
): Exposure | undefined {
  const stack: SyntaxNode[] = [expression];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === undefined) break;
    if (node.type === 'lambda' || node.type === 'function_definition') continue;
    const found = exposureAt(model, node, clause, name, depth);
    if (found !== undefined && reaches(model, found.node, expression)) return found;
    if (found === undefined) stack.push(...[...node.namedChildren].reverse());
  }
  return undefined;
}

function exposureAt(
  model: SemanticModel,
  node: SyntaxNode,
  clause: SyntaxNode,
  name: string | undefined,
  depth: number,
): Exposure | undefined {
  switch (node.type) {
    case 'call': {
      const info = model.call(node);
      const callee = info.qualifiedName;
      if (callee !== undefined && TRACEBACK_FORMATTERS.has(callee))
        return { node, what: `the traceback (\`${lastSegment(callee)}()\`)`, traceback: true };
      const first = info.positional[0];
      if (
        name !== undefined &&
        callee !== undefined &&
        TO_TEXT.has(callee) &&
        first !== undefined &&
        isException(model, first, name)
      )
        return { node, what: `\`${model.textOf(node)}\``, traceback: false };
      return undefined;
    }
    case 'attribute': {
      const object = node.childForFieldName('object');
      const attribute = node.childForFieldName('attribute');
      if (name === undefined || object === null || attribute === null) return undefined;
      if (isException(model, object, name) && MESSAGE_ATTRIBUTES.has(model.textOf(attribute)))
        return { node, what: `\`${model.textOf(node)}\``, traceback: false };
      return undefined;
    }
    case 'identifier': {
      if (name !== undefined && model.textOf(node) === name) {
        // `f"{e}"`, `"%s" % e`, `"{}".format(e)` turn the exception into its message.
        const parent = node.parent;
        const textual =
          parent?.type === 'interpolation' ||
          (parent?.type === 'binary_operator' &&
            parent.childForFieldName('right')?.id === node.id) ||
          (parent?.type === 'tuple' && parent.parent?.type === 'binary_operator') ||
          (parent?.type === 'argument_list' &&
            parent.parent?.type === 'call' &&
            model.call(parent.parent).methodName === 'format');
        return textual
          ? { node, what: `the message of \`${model.textOf(node)}\``, traceback: false }
          : undefined;
      }
      if (depth >= MAX_DEPTH) return undefined;
      // `message = f"failed: {e}"` earlier in the handler.
      const value = model.resolveValue(node);
      if (
        value.id === node.id ||
        value.startIndex < clause.startIndex ||
        value.endIndex > clause.endIndex
      )
        return undefined;
      const inner = exposureIn(model, value, clause, name, depth + 1);
      return inner === undefined ? undefined : { ...inner, node };
    }
    default:
      return undefined;
  }
}

function isException(model: SemanticModel, node: SyntaxNode, name: string): boolean {
  const value = unwrapParens(node);
  return value.type === 'identifier' && model.textOf(value) === name;
}

/** Statements of a handler that send something to the client (not those of nested functions). */
function exits(model: SemanticModel, clause: SyntaxNode): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  const stack: SyntaxNode[] = [...clause.namedChildren];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === undefined) break;
    switch (node.type) {
      case 'function_definition':
      case 'class_definition':
      case 'lambda':
        continue;
      case 'return_statement': {
        const value = node.namedChildren[0];
        if (value !== undefined) found.push(value);
        continue;
      }
      case 'raise_statement': {
        const value = node.namedChildren[0];
        if (value?.type !== 'call') continue;
        const name = calleeName(model, value);
        if (name !== undefined && CLIENT_EXCEPTION.test(lastSegment(name))) found.push(value);
        continue;
      }
      case 'expression_statement': {
        const value = node.namedChildren[0];
        if (value?.type !== 'call') continue;
        const name = model.call(value).qualifiedName;
        if (name !== undefined && ABORTS.has(name)) found.push(value);
        continue;
      }
      default:
        stack.push(...node.namedChildren);
    }
  }
  return found;
}

export default defineRule({
  meta: {
    id: 'PGL001',
    slug: 'stack-trace-exposure',
    title: 'Exception details returned to the client',
    category: 'logging',
    severity: 'medium',
    confidence: 'medium',
    cwe: [209, 497],
    owasp: ['A04:2021 Insecure Design', 'A05:2021 Security Misconfiguration'],
    description:
      'Flags `traceback.format_exc()`, `str(e)`, `repr(e)`, `e.args` and f-strings of a caught exception that a Flask, Django or FastAPI view returns in its response or puts in an `HTTPException`/`abort` detail.',
    why: 'Exception messages and tracebacks describe the inside of the application: file paths, library versions, SQL fragments, hostnames and sometimes data of other users. Sending them to the client hands an attacker a map for the next request.',
    fix: 'Log the exception on the server (`logger.exception("...")`) and return a generic message, optionally with an error id that links the response to the log entry.',
    example: {
      bad: 'from flask import jsonify\n\n\n@app.route("/orders")\ndef orders():\n    try:\n        return jsonify(load_orders())\n    except Exception as e:\n        return jsonify(error=str(e)), 500\n',
      good: 'from flask import jsonify\n\n\n@app.route("/orders")\ndef orders():\n    try:\n        return jsonify(load_orders())\n    except Exception:\n        logger.exception("loading orders failed")\n        return jsonify(error="internal error"), 500\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/209.html',
      'https://owasp.org/www-community/Improper_Error_Handling',
      'https://flask.palletsprojects.com/en/stable/errorhandling/',
    ],
    bandit: [],
    ruff: [],
    enabledByDefault: true,
    fixable: false,
  },
  messages: {
    exposed:
      'This view sends {{what}} from a caught exception to the client; log it with `logger.exception()` and return a generic message.',
  },
  create(context) {
    const { model } = context;
    return {
      except_clause(node) {
        const fn = enclosingFunction(node);
        if (fn === undefined) return;
        const name = exceptionName(model, node);
        // Without `as e` only the traceback module can expose anything.
        if (name === undefined && !model.importsModule('traceback')) return;
        const view = viewConfidence(model, fn);
        if (view === undefined) return;
        for (const value of exits(model, node)) {
          const found = exposureIn(model, value, node, name, 0);
          if (found === undefined) continue;
          const severity: Severity = found.traceback ? 'medium' : 'low';
          const base: Confidence =
            view === 'high' ? (found.traceback ? 'high' : 'medium') : 'medium';
          context.report({
            node: found.node,
            messageId: 'exposed',
            data: { what: found.what },
            severity,
            confidence: testAdjusted(base, context.isTestFile),
          });
        }
      },
    };
  },
});
