import {
  callVisitors,
  analyseString,
  defineRule,
  describeFlow,
  holesOf,
  isRequestObject,
  LEVEL_METHODS,
  loggerCall,
  mayHoldUntrustedInput,
  percentConversions,
  taintedSink,
  unwrapParens,
  type FlowStep,
  type SyntaxNode,
  type TaintedSink,
  type TaintTrace,
} from '../../src/rules-api/index.js';

/**
 * Whole request containers and byte bodies: logging them formats their `repr()`, in which CR and
 * LF show as `\r` and `\n` escapes (`request.args`, Django's `request.GET`, `request.body`).
 */
const REPR_FORMATTED = new Set([
  'args',
  'form',
  'values',
  'files',
  'cookies',
  'headers',
  'data',
  'body',
  'GET',
  'POST',
  'COOKIES',
  'FILES',
  'META',
  'query_params',
]);

/**
 * Request values that cannot hold a raw CR or LF, because the HTTP parser ends a header line
 * there: header values (`request.headers[...]`, Werkzeug's `request.referrer` and
 * `request.user_agent`), Django's and WSGI's `HTTP_*` and `REMOTE_ADDR` entries, and aiohttp's
 * URL objects, which hold the percent-encoded URL. Cookies are not among them: Werkzeug, Django and
 * `http.cookies` decode octal escapes in quoted cookie values (`"a\012b"` gives a line feed), and
 * neither are decoded paths, query values, form fields or bodies.
 */
const HEADER_MAPS = new Set(['headers']);
const ENVIRON_MAPS = new Set(['META', 'environ']);
const LINE_SAFE_ENVIRON_KEY = /^(?:HTTP_\w+|REMOTE_ADDR)$/;
const HEADER_PROPERTIES = new Set(['referrer', 'user_agent']);
/** Werkzeug's `request.url` is re-quoted; Starlette's is built from the decoded path, so is not. */
const WERKZEUG_REQUESTS = new Set([
  'flask.request',
  'quart.request',
  'werkzeug.local.request',
  'flask.globals.request',
]);
const KEY_READERS = new Set(['get', 'getlist', 'getone', 'getall', 'get_all']);
/** Calls on the way that can turn escapes back into line breaks (`unquote`, `b64decode`, `json.loads`). */
const DECODING_CALL =
  /\b(?:unquote\w*|\w*b(?:16|32|64|85)decode|decodebytes|decode|loads|unescape|parse_qsl?)\s*\(/;
/** How many strings built into a logged value are searched for a second source. */
const MAX_HOLES = 8;
/** Expressions that are not strings yet still combine what their operands hold (`a + b`, `a or b`). */
const COMBINING = new Set(['binary_operator', 'boolean_operator', 'conditional_expression']);
const MAX_LABEL = 60;
/** Where the variable of a trace step gets its value. */
const STEP_HOLDERS = new Set([
  'assignment',
  'augmented_assignment',
  'named_expression',
  'for_in_clause',
]);

/** `!r` / `!a` in an f-string and `%r` / `%a` in a template log the value's escaped repr. */
const REPR_CONVERSION = /^!?[ra]$/;

export default defineRule({
  meta: {
    id: 'PGI025',
    slug: 'log-injection',
    title: 'Request data written to a log without removing line breaks',
    category: 'injection',
    severity: 'low',
    confidence: 'high',
    cwe: [117],
    owasp: ['A09:2021 Security Logging and Monitoring Failures'],
    description:
      'Flags request data that reaches a `logging` call or a logger method (as the message, an f-string hole or a `%` argument) with its CR/LF characters intact.',
    why: 'Log files are read line by line, by people and by tools. A value such as `bob\\nINFO login succeeded for admin` starts a new line that looks like a genuine entry, so an attacker can forge events, hide their tracks or break log parsers and alerting. Control characters can also mislead terminal viewers.',
    fix: 'Remove CR and LF before logging (`value.replace("\\r", "").replace("\\n", "")`), or log the escaped form with `%r` / `{value!r}`. A JSON log formatter that escapes every field also prevents it.',
    example: {
      bad: 'import logging\n\nfrom flask import request\n\nlogger = logging.getLogger(__name__)\n\n\n@app.route("/login", methods=["POST"])\ndef login():\n    logger.info("login attempt for %s", request.form["user"])\n',
      good: 'import logging\n\nfrom flask import request\n\nlogger = logging.getLogger(__name__)\n\n\n@app.route("/login", methods=["POST"])\ndef login():\n    user = request.form["user"].replace("\\r", "").replace("\\n", "")\n    logger.info("login attempt for %s", user)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/117.html',
      'https://owasp.org/www-community/attacks/Log_Injection',
      'https://docs.python.org/3/library/logging.html#logging.Logger.debug',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    taintedLog:
      'Request data reaches `{{sink}}` with its line breaks intact: {{path}}. A CR/LF in it can forge extra log entries; remove them first (`.replace("\\r", "").replace("\\n", "")`) or log the value with `%r`.',
  },
  select: { calls: ['logging.*'], methods: [...LEVEL_METHODS] },
  create(context) {
    const { model } = context;
    // Reported only for traced input: files that cannot hold a source need no visit.
    if (!mayHoldUntrustedInput(model)) return {};

    /** The expressions of a log call whose text ends up in the record as written. */
    const loggedValues = (message: SyntaxNode, args: readonly SyntaxNode[]): SyntaxNode[] => {
      const values: SyntaxNode[] = [];
      const target = unwrapParens(message);
      const holes =
        target.type === 'string'
          ? target.namedChildren.filter((child) => child.type === 'interpolation')
          : [];
      if (holes.length === 0) values.push(message);
      for (const hole of holes) {
        const conversion = hole.childForFieldName('type_conversion');
        if (conversion !== null && REPR_CONVERSION.test(context.textOf(conversion))) continue;
        const expression = hole.childForFieldName('expression');
        if (expression !== null) values.push(expression);
      }
      const template = model.staticString(message);
      const conversions = template === undefined ? undefined : percentConversions(template);
      args.forEach((argument, index) => {
        const conversion = conversions?.[index];
        if (conversion === undefined || !REPR_CONVERSION.test(conversion)) values.push(argument);
      });
      return values;
    };

    /** A request container logged whole is formatted through `repr()`. */
    const isReprFormatted = (value: SyntaxNode, tainted: TaintedSink): boolean => {
      const target = unwrapParens(value);
      if (target.type !== 'attribute' || tainted.trace.steps.length !== 1) return false;
      const attribute = target.childForFieldName('attribute');
      return attribute !== null && REPR_FORMATTED.has(context.textOf(attribute));
    };

    const nodeAt = (step: FlowStep): SyntaxNode =>
      model.tree.rootNode.descendantForPosition({ row: step.line - 1, column: step.column - 1 });

    /** The expression a trace starts from, found again by its position and label. */
    const sourceNode = (step: FlowStep): SyntaxNode | undefined => {
      const first = nodeAt(step);
      for (let node: SyntaxNode | null = first; node !== null; node = node.parent) {
        if (node.startIndex !== first.startIndex) return undefined;
        const flat = context.textOf(node).replace(/\s+/g, ' ').trim();
        const label = flat.length > MAX_LABEL ? `${flat.slice(0, MAX_LABEL - 1)}…` : flat;
        if (label === step.label) return node;
      }
      return undefined;
    };

    /** Whether `request.url` of this request object is percent-encoded (Werkzeug, aiohttp). */
    const holdsEncodedUrl = (object: SyntaxNode): boolean => {
      if (WERKZEUG_REQUESTS.has(model.qualifiedName(object) ?? '')) return true;
      if (object.type !== 'identifier') return false;
      const binding = model.lookup(context.textOf(object), model.scopeAt(object))?.bindings[0];
      if (binding?.kind !== 'param') return false;
      const annotation = binding.node.parent?.childForFieldName('type')?.namedChildren[0];
      if (annotation !== undefined) {
        return model.qualifiedName(annotation)?.startsWith('aiohttp.') === true;
      }
      return (
        model.importsModule('aiohttp') &&
        !model.importsModule('starlette') &&
        !model.importsModule('fastapi')
      );
    };

    /** Whether a source expression reads a value the HTTP parser keeps free of CR and LF. */
    const isLineSafeRead = (source: SyntaxNode, direct: boolean): boolean => {
      let node = unwrapParens(source);
      while (node.type === 'call' && context.call(node).qualifiedName === 'str') {
        const inner = context.call(node).positional[0];
        if (inner === undefined) return false;
        node = unwrapParens(inner);
      }
      let key: SyntaxNode | undefined;
      let holder = node;
      if (node.type === 'subscript') {
        holder = node.childForFieldName('value') ?? node;
        key = node.childForFieldName('subscript') ?? undefined;
      } else if (node.type === 'call') {
        const call = context.call(node);
        if (call.methodName === undefined || !KEY_READERS.has(call.methodName)) return false;
        holder = call.callee.childForFieldName('object') ?? node;
        key = call.positional[0];
      }
      if (holder.type !== 'attribute') return false;
      const object = holder.childForFieldName('object');
      const attribute = holder.childForFieldName('attribute');
      if (object === null || attribute === null || !isRequestObject(model, object)) return false;
      const name = context.textOf(attribute);
      if (key !== undefined) {
        if (HEADER_MAPS.has(name)) return true;
        const text = ENVIRON_MAPS.has(name) ? model.staticString(key) : undefined;
        return text !== undefined && LINE_SAFE_ENVIRON_KEY.test(text);
      }
      if (node !== holder) return false;
      if (HEADER_PROPERTIES.has(name)) return true;
      // A URL object is safe as a whole, not once its decoded `.query` or `.path` is read.
      if (!direct) return false;
      return name === 'rel_url' || (name === 'url' && holdsEncodedUrl(object));
    };

    /** The assignment (or, failing one, the statement) a step of a trace was taken in. */
    const stepText = (step: FlowStep): string => {
      let node = nodeAt(step);
      for (let parent = node.parent; parent !== null; parent = parent.parent) {
        if (STEP_HOLDERS.has(node.type) || parent.type === 'block' || parent.type === 'module') {
          break;
        }
        node = parent;
      }
      return context.textOf(node);
    };

    /**
     * Whether a trace starts at a request value that cannot carry a line break and nothing on
     * the way (or the logged expression itself) decodes escapes back into one.
     */
    const isLineSafe = (trace: TaintTrace, value: SyntaxNode): boolean => {
      const [first, ...hops] = trace.steps;
      if (first === undefined) return false;
      const source = sourceNode(first);
      if (source === undefined || !isLineSafeRead(source, hops.length === 0)) return false;
      if (DECODING_CALL.test(context.textOf(value))) return false;
      return hops.every((hop) => !DECODING_CALL.test(stepText(hop)));
    };

    /**
     * The engine answers with one source per value, preferring the shortest path; when that one
     * cannot carry a line break, the holes of the string that was logged may still hold another.
     */
    const otherSource = (value: SyntaxNode): FlowStep[] | undefined => {
      const build = analyseString(model, value);
      const resolved = model.resolveValue(value);
      const holes =
        build !== undefined
          ? holesOf(build)
          : COMBINING.has(resolved.type)
            ? resolved.namedChildren
            : [];
      for (const hole of holes.slice(0, MAX_HOLES)) {
        const trace = context.taint(hole, 'log');
        if (trace === undefined || trace.trust !== 'web' || isLineSafe(trace, hole)) continue;
        const target = unwrapParens(value);
        const steps = [...trace.steps];
        const last = steps.at(-1);
        if (target.type === 'identifier' && last?.label !== context.textOf(target)) {
          // The variable as assigned, when it is assigned once; else where it is logged.
          const assigned = model.soleAssignedValue(target)?.parent?.childForFieldName('left');
          const { row, column } = (assigned ?? target).startPosition;
          steps.push({ line: row + 1, column: column + 1, label: context.textOf(target) });
        }
        return steps;
      }
      return undefined;
    };

    return callVisitors(context, (node, call) => {
      if (call.methodName === undefined) return;
      const logger = loggerCall(model, call);
      if (logger === undefined) return;
      const message = call.positional[logger.messageIndex];
      if (message === undefined) return;
      const args = call.positional.slice(logger.messageIndex + 1);
      for (const value of loggedValues(message, args)) {
        const tainted = taintedSink(context, value, 'log', node, logger.label);
        // Only what anyone on the web can send: the command line and environment are trusted here.
        if (tainted === undefined || tainted.trace.trust !== 'web') continue;
        if (isReprFormatted(value, tainted)) continue;
        let flow = tainted.flow;
        if (isLineSafe(tainted.trace, value)) {
          const other = otherSource(value);
          if (other === undefined) continue;
          flow = [...other, ...flow.slice(-1)];
        }
        context.report({
          node,
          messageId: 'taintedLog',
          data: { sink: logger.label, path: describeFlow(flow) },
          severity: 'low',
          confidence: tainted.confidence,
          flow,
        });
        return;
      }
    });
  },
});
