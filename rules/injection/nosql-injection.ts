import {
  analyseString,
  callsWhenInputPossible,
  defineRule,
  importsModule,
  parametersOf,
  receiverOf,
  taintedSink,
  unwrapParens,
  type CallInfo,
  type RuleContext,
  type SemanticModel,
  type SyntaxNode,
  type TaintedSink,
} from '../../src/rules-api/index.js';

/** Modules whose collections take MongoDB filter documents. */
const MONGO_MODULES = ['pymongo', 'motor', 'flask_pymongo', 'mongomock', 'mongoengine'];

/** Collection methods and where they take the filter (keyword, position). */
const FILTER_METHODS: ReadonlyMap<string, readonly [string, number]> = new Map([
  ['find', ['filter', 0]],
  ['find_one', ['filter', 0]],
  ['find_raw_batches', ['filter', 0]],
  ['find_one_and_delete', ['filter', 0]],
  ['find_one_and_replace', ['filter', 0]],
  ['find_one_and_update', ['filter', 0]],
  ['count_documents', ['filter', 0]],
  ['update_one', ['filter', 0]],
  ['update_many', ['filter', 0]],
  ['replace_one', ['filter', 0]],
  ['delete_one', ['filter', 0]],
  ['delete_many', ['filter', 0]],
  ['distinct', ['filter', 1]],
  ['aggregate', ['pipeline', 0]],
  ['aggregate_raw_batches', ['pipeline', 0]],
]);

/** Keys whose value MongoDB runs as JavaScript on the server. */
const JAVASCRIPT_KEYS = new Set(['$where', '$function', '$accumulator']);

/** DynamoDB (boto3) condition strings and legacy condition maps. */
const DYNAMO_EXPRESSIONS = ['FilterExpression', 'KeyConditionExpression', 'ConditionExpression'];
const DYNAMO_FILTERS = ['ScanFilter', 'QueryFilter', 'KeyConditions'];

/** Casts whose result is a plain scalar, never an operator document. */
const SCALAR_CASTS = new Set([
  'str',
  'int',
  'float',
  'bool',
  'bson.ObjectId',
  'bson.objectid.ObjectId',
]);

/**
 * Request reads that always give a string (a form field, a query-string argument, a header): in
 * the place of a value they cannot become an operator document such as `{"$ne": null}`.
 */
const STRING_READ =
  /(?:\.(?:args|form|values|GET|POST|headers|cookies|COOKIES|META|query_params|view_args|path_params|match_info|matchdict)(?:\[[^\]]*\]|\.get(?:list)?\([^)]*\))|\bget_(?:query_|body_)?argument\([^)]*\)|\bsys\.argv\[[^\]]*\]|\bos\.(?:environ\[[^\]]*\]|environ\.get\([^)]*\)|getenv\([^)]*\))|\binput\([^)]*\))(?:\.(?:strip|lstrip|rstrip|lower|upper|casefold|title)\(\))*$/;
const STRING_ANNOTATION = /^(?:(?:typing\.)?Optional\[\s*)?str\s*\]?(?:\s*\|\s*None)?$/;

type Problem = 'taintedFilter' | 'taintedJavaScript' | 'taintedKey' | 'taintedValue';

interface Finding {
  problem: Problem;
  tainted: TaintedSink;
  /** The JavaScript key (`$where`) for `taintedJavaScript`. */
  key?: string;
}

type Context = RuleContext<Problem | 'taintedExpression' | 'taintedConditions'>;

export default defineRule({
  meta: {
    id: 'PGI004',
    slug: 'nosql-injection',
    title: 'NoSQL query filter controlled by request data',
    category: 'injection',
    severity: 'high',
    confidence: 'high',
    cwe: [943],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags request data (or command-line input) that reaches a MongoDB filter or pipeline (`find`, `find_one`, `aggregate`, `update_*`, `delete_*`, mongoengine `__raw__`) as a whole document, as a key, as a value that may be an object, or inside `$where` JavaScript, and request data in DynamoDB condition expressions and filters.',
    why: 'MongoDB filters are documents, and operators are just keys: a login check `find_one({"user": body["user"], "password": body["password"]})` matches any account when the JSON body sends `{"$ne": null}` as the password. A filter taken whole from the request lets the sender add `$where` JavaScript or `$regex` scans, and text spliced into `$where` runs on the database server.',
    fix: 'Build filters in code from fixed keys, and cast each outside value to the type you expect (`str(value)`, `int(value)`, `ObjectId(value)`) or validate it with a schema first. Never pass request JSON as a filter, pick field names from an allowlist, and replace `$where` with query operators. For DynamoDB use `boto3.dynamodb.conditions` (`Attr("name").eq(value)`) or `ExpressionAttributeValues` placeholders.',
    example: {
      bad: 'from flask import Flask, request\nfrom pymongo import MongoClient\n\napp = Flask(__name__)\ndb = MongoClient().shop\n\n@app.post("/login")\ndef login():\n    body = request.get_json()\n    return db.users.find_one({"user": body["user"], "password": body["password"]})\n',
      good: 'from flask import Flask, request\nfrom pymongo import MongoClient\n\napp = Flask(__name__)\ndb = MongoClient().shop\n\n@app.post("/login")\ndef login():\n    body = request.get_json()\n    return db.users.find_one({"user": str(body["user"]), "password": str(body["password"])})\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/943.html',
      'https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/07-Input_Validation_Testing/05.6-Testing_for_NoSQL_Injection',
      'https://pymongo.readthedocs.io/en/stable/api/pymongo/collection.html#pymongo.collection.Collection.find',
      'https://www.mongodb.com/docs/manual/reference/operator/query/where/',
      'https://boto3.amazonaws.com/v1/documentation/api/latest/guide/dynamodb.html#querying-and-scanning',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    taintedFilter:
      'The query filter of `{{sink}}` comes from {{origin}}: {{path}}. Whoever controls it can add operators such as `$ne` or `$where`; build the filter in code from fixed keys and cast each value.',
    taintedJavaScript:
      '`{{key}}` JavaScript for `{{sink}}` is made from {{origin}}: {{path}}. It runs on the database server; use query operators instead and pass the value as data.',
    taintedKey:
      'A key of the query filter of `{{sink}}` comes from {{origin}}: {{path}}. Whoever controls it can name an operator such as `$where`; pick the field from a fixed allowlist.',
    taintedValue:
      'A value of the query filter of `{{sink}}` comes from {{origin}} and may be an object: {{path}}. `{"$ne": null}` in its place matches every document; cast it with `str()`/`int()` or check its type first.',
    taintedConditions:
      'The DynamoDB `{{key}}` of `{{sink}}` comes from {{origin}}: {{path}}. Whoever controls it picks attributes and comparison operators; build the conditions in code with `boto3.dynamodb.conditions` (`Attr("name").eq(value)`).',
    taintedExpression:
      'The DynamoDB `{{key}}` of `{{sink}}` is built from {{origin}}: {{path}}. Use `boto3.dynamodb.conditions` (`Attr("name").eq(value)`) or `ExpressionAttributeValues` placeholders instead.',
  },
  create(context) {
    const { model } = context;
    return callsWhenInputPossible(context, (node, call) => {
      const method = call.methodName;
      if (method === undefined) return;
      const where = FILTER_METHODS.get(method);
      if (where !== undefined) {
        if (!isCollectionCall(model, call)) return;
        const filter = model.argument(call, where[0], where[1]);
        if (filter === undefined) return;
        const sink = `.${method}()`;
        report(context, node, inspect(context, filter, node, sink, 'top'), sink);
        return;
      }
      // mongoengine: `User.objects(__raw__=...)`, `User.objects.filter(__raw__=...)`.
      if (importsModule(model, 'mongoengine') && call.keywords.has('__raw__')) {
        const raw = call.keywords.get('__raw__');
        if (raw === undefined) return;
        report(context, node, inspect(context, raw, node, '__raw__', 'top'), '__raw__');
        return;
      }
      if ((method === 'scan' || method === 'query') && importsModule(model, 'boto3')) {
        dynamo(context, node, call, `.${method}()`);
      }
    });
  },
});

/** Whether a method call is on a MongoDB collection rather than a string or a parsed document. */
function isCollectionCall(model: SemanticModel, call: CallInfo): boolean {
  if (!MONGO_MODULES.some((module) => importsModule(model, module))) return false;
  const receiver = receiverOf(call);
  if (receiver === undefined) return false;
  const value = unwrapParens(model.resolveValue(receiver));
  // `text.find(...)`, `"abc".find(...)`, `soup.find(...)`.
  if (value.type === 'string' || analyseString(model, value) !== undefined) return false;
  const built = model.constructedBy(receiver);
  return built === undefined || !/^(?:bs4|lxml|xml|html5lib)\b/.test(built);
}

function report(
  context: Context,
  node: SyntaxNode,
  finding: Finding | undefined,
  sink: string,
  key = finding?.key ?? '',
  messageId: Problem | 'taintedConditions' = finding?.problem ?? 'taintedFilter',
): void {
  if (finding === undefined) return;
  const { tainted } = finding;
  context.report({
    node,
    messageId,
    data: { origin: tainted.origin, path: tainted.path, sink, key },
    severity: tainted.severity,
    confidence: tainted.confidence,
    flow: tainted.flow,
  });
}

function taintOf(
  context: Context,
  problem: Problem,
  target: SyntaxNode,
  sinkNode: SyntaxNode,
  sink: string,
): Finding | undefined {
  const tainted = taintedSink(context, target, 'nosql', sinkNode, sink);
  return tainted === undefined ? undefined : { problem, tainted };
}

/**
 * Where outside input enters a filter document: the whole document (`top`), a key, a value of a
 * fixed key, or JavaScript. A value that is surely a string (a cast, a form field) is harmless.
 */
function inspect(
  context: Context,
  node: SyntaxNode,
  sinkNode: SyntaxNode,
  sink: string,
  position: 'top' | 'value',
): Finding | undefined {
  const { model } = context;
  const value = unwrapParens(model.resolveValue(node));
  const check = (problem: Problem, target: SyntaxNode): Finding | undefined =>
    taintOf(context, problem, target, sinkNode, sink);
  if (value.type === 'dictionary' || value.type === 'list' || value.type === 'tuple') {
    for (const child of value.namedChildren) {
      const found = inspectItem(context, child, sinkNode, sink);
      if (found !== undefined) return found;
    }
    // Taint that the document as written does not show came in later (`q[key] = ...`).
    const whole = check(position === 'top' ? 'taintedFilter' : 'taintedValue', node);
    return whole === undefined ||
      explainedBy(context, value) ||
      isStringSource(model, whole.tainted)
      ? undefined
      : whole;
  }
  const found = check(position === 'top' ? 'taintedFilter' : 'taintedValue', node);
  if (found === undefined || isScalar(model, value) || isStringSource(model, found.tainted)) {
    return undefined;
  }
  return found;
}

function inspectItem(
  context: Context,
  item: SyntaxNode,
  sinkNode: SyntaxNode,
  sink: string,
): Finding | undefined {
  const { model } = context;
  const check = (problem: Problem, target: SyntaxNode): Finding | undefined =>
    taintOf(context, problem, target, sinkNode, sink);
  switch (item.type) {
    case 'pair': {
      const key = item.childForFieldName('key');
      const value = item.childForFieldName('value');
      if (key === null || value === null) return undefined;
      const name = model.staticString(key);
      if (name === undefined) {
        const found = check('taintedKey', key);
        if (found !== undefined) return found;
      }
      // Code for the server: a string cast does not help.
      if (name !== undefined && JAVASCRIPT_KEYS.has(name)) {
        const found = check('taintedJavaScript', value);
        return found === undefined ? undefined : { ...found, key: name };
      }
      return inspect(context, value, sinkNode, sink, 'value');
    }
    case 'dictionary_splat':
    case 'list_splat': {
      const inner = item.namedChildren[0];
      return inner === undefined ? undefined : inspect(context, inner, sinkNode, sink, 'top');
    }
    case 'comment':
      return undefined;
    default:
      return inspect(context, item, sinkNode, sink, 'value');
  }
}

/** Whether the pieces of a written document carry taint themselves (then they were judged). */
function explainedBy(context: Context, document: SyntaxNode): boolean {
  return document.namedChildren.some(
    (child) => child.type !== 'comment' && context.taint(child, 'nosql') !== undefined,
  );
}

/** A value that is a cast to a scalar or a string built by formatting. */
function isScalar(model: SemanticModel, value: SyntaxNode): boolean {
  if (value.type === 'call') {
    const callee = value.childForFieldName('function');
    const name = callee === null ? undefined : model.qualifiedName(callee);
    if (name !== undefined && SCALAR_CASTS.has(name.replace(/^builtins\./, ''))) return true;
  }
  return value.type === 'string' || analyseString(model, value)?.how !== undefined;
}

/**
 * Whether the input a trace starts from is always a string: a query-string or form field, a
 * header, a command-line argument, or a route parameter that is not declared as anything else.
 */
function isStringSource(model: SemanticModel, tainted: TaintedSink): boolean {
  const { trace } = tainted;
  if (STRING_READ.test(trace.source)) return true;
  // A parameter itself (not an item of it), perhaps with string methods applied.
  const parameter = /^(\w+)(?:\.(?:strip|lstrip|rstrip|lower|upper|casefold|title)\(\))*$/.exec(
    trace.source,
  )?.[1];
  const first = trace.steps[0];
  if (parameter === undefined || first === undefined) return false;
  // The Lambda event is parsed JSON.
  if (parameter === 'event') return false;
  const node = model.tree.rootNode.descendantForPosition({
    row: first.line - 1,
    column: first.column - 1,
  });
  if (node.type !== 'identifier' || model.textOf(node) !== parameter) return false;
  const found = model.lookup(parameter, model.scopeAt(node));
  if (found === undefined || found.bindings[0]?.kind !== 'param') return false;
  const declared = parametersOf(model, found.scope.node).find(
    (candidate) => candidate.name === parameter,
  );
  if (declared === undefined) return false;
  return declared.annotation === undefined || STRING_ANNOTATION.test(declared.annotation);
}

/** DynamoDB `scan`/`query`: condition strings and legacy filter maps. */
function dynamo(context: Context, node: SyntaxNode, call: CallInfo, sink: string): void {
  for (const key of DYNAMO_EXPRESSIONS) {
    const expression = call.keywords.get(key);
    if (expression === undefined) continue;
    // Condition objects (`Attr("x").eq(v)`) carry values as data; only text is a risk.
    const tainted = taintedSink(context, expression, 'nosql', node, sink);
    if (tainted === undefined) continue;
    context.report({
      node,
      messageId: 'taintedExpression',
      data: { origin: tainted.origin, path: tainted.path, sink, key },
      severity: tainted.severity,
      confidence: tainted.confidence,
      flow: tainted.flow,
    });
    return;
  }
  for (const key of DYNAMO_FILTERS) {
    const filter = call.keywords.get(key);
    if (filter === undefined) continue;
    const finding = inspect(context, filter, node, sink, 'top');
    if (finding === undefined) continue;
    report(context, node, finding, sink, key, 'taintedConditions');
    return;
  }
}
