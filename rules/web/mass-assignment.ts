import {
  callVisitors,
  defineRule,
  lastSegment,
  literalString,
  mentions,
  testAdjusted,
  unwrapParens,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** Request data that holds every field the client chose to send. */
const REQUEST_DATA =
  /\brequest\.(?:POST|GET|data|json|form|args|values|query_params|get_json\s*\()/;
/** Methods that write the keyword arguments they get onto a model. */
const WRITE_METHODS = new Set([
  'create',
  'update',
  'get_or_create',
  'update_or_create',
  'build',
  'from_dict',
  'insert',
]);
/** Capitalised callees that are not models. */
const NOT_A_MODEL = /(?:Response|Form|Serializer|Schema|Exception|Error)$|^(?:dict|Q)$/;
const SETATTR = new Set(['setattr', 'builtins.setattr']);
const MODEL_SERIALIZERS = new Set([
  'rest_framework.serializers.ModelSerializer',
  'rest_framework.serializers.HyperlinkedModelSerializer',
]);

/** Whether an expression holds raw request data (a comprehension with an `if` filter does not). */
function isRequestData(model: SemanticModel, node: SyntaxNode): boolean {
  const value = unwrapParens(model.resolveValue(node));
  if (
    value.type === 'dictionary_comprehension' &&
    value.namedChildren.some((c) => c.type === 'if_clause')
  )
    return false;
  return mentions(model, node, REQUEST_DATA) || isFlaskRequestData(model, value);
}

const FLASK_REQUESTS = new Set(['flask.request', 'quart.request', 'flask.globals.request']);
const REQUEST_FIELDS = /^(?:json|form|args|values|get_json|data)$/;

/** `flask_request.json`, `req.get_json()` and the like, with `request` imported under another name. */
function isFlaskRequestData(model: SemanticModel, node: SyntaxNode): boolean {
  let current = unwrapParens(node);
  for (let depth = 0; depth < 6; depth++) {
    if (current.type === 'call' || current.type === 'subscript') {
      const inner = current.childForFieldName(current.type === 'call' ? 'function' : 'value');
      if (inner === null) return false;
      current = inner;
      continue;
    }
    if (current.type !== 'attribute') return false;
    const object = current.childForFieldName('object');
    const attribute = current.childForFieldName('attribute');
    if (object === null || attribute === null) return false;
    const owner = model.qualifiedName(object);
    if (owner !== undefined && FLASK_REQUESTS.has(owner))
      return REQUEST_FIELDS.test(model.textOf(attribute));
    current = object;
  }
  return false;
}

/** Whether a name is the loop variable of a `for` over request data (`for key, value in request.POST.items()`). */
function isRequestLoopVariable(model: SemanticModel, node: SyntaxNode): boolean {
  if (node.type !== 'identifier') return false;
  const name = model.textOf(node);
  for (let current = node.parent; current !== null; current = current.parent) {
    if (current.type === 'function_definition' || current.type === 'class_definition') return false;
    if (current.type !== 'for_statement') continue;
    const left = current.childForFieldName('left');
    const right = current.childForFieldName('right');
    if (left === null || right === null) continue;
    const binds =
      (left.type === 'identifier' && model.textOf(left) === name) ||
      left.namedChildren.some(
        (child) => child.type === 'identifier' && model.textOf(child) === name,
      );
    if (binds) return isRequestData(model, right);
  }
  return false;
}

export default defineRule({
  meta: {
    id: 'PGW011',
    slug: 'mass-assignment',
    title: 'Model fields set from raw request data',
    category: 'web',
    severity: 'high',
    confidence: 'medium',
    cwe: [915],
    owasp: ['A01:2021 Broken Access Control', 'A08:2021 Software and Data Integrity Failures'],
    description:
      'Flags models created or updated with `**request.POST`/`request.data`/`request.json`, `setattr` with a request-chosen attribute name, and DRF `ModelSerializer`s that expose `fields = "__all__"`.',
    why: 'When every key the client sends becomes a model field, the client also controls the fields the form never showed: `is_staff`, `is_superuser`, `owner_id`, `balance` or `email_verified`. One extra form field is then enough to escalate privileges or take over another record.',
    fix: 'Validate the input with a form or serializer that lists the writable fields explicitly and build the model from `form.cleaned_data` / `serializer.validated_data`, or copy an allowlist of keys by hand.',
    example: {
      bad: 'def signup(request):\n    user = User.objects.create(**request.POST.dict())\n    return redirect("home")\n',
      good: 'def signup(request):\n    form = SignupForm(request.POST)\n    if form.is_valid():\n        User.objects.create(**form.cleaned_data)\n    return redirect("home")\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/915.html',
      'https://cheatsheetseries.owasp.org/cheatsheets/Mass_Assignment_Cheat_Sheet.html',
      'https://www.django-rest-framework.org/api-guide/serializers/#specifying-which-fields-to-include',
    ],
    bandit: [],
    ruff: [],
    enabledByDefault: true,
    fixable: false,
  },
  messages: {
    splat:
      '`{{callee}}(**{{data}})` writes every field the client sends, including ones such as `is_staff` or `owner`; build it from validated, allowlisted fields.',
    setattr:
      '`setattr` with the attribute name `{{key}}` taken from the request lets the client set any field; check the name against an allowlist.',
    allFields:
      'ModelSerializer `{{name}}` uses `fields = "__all__"`, so every model field is writable through the API; list the fields explicitly.',
  },
  create(context) {
    const { model } = context;
    return {
      ...callVisitors(context, (node, call) => {
        const callee = call.qualifiedName;
        if (callee !== undefined && SETATTR.has(callee)) {
          const key = call.positional[1];
          if (key === undefined || literalString(model, key) !== undefined) return;
          if (!isRequestData(model, key) && !isRequestLoopVariable(model, unwrapParens(key)))
            return;
          context.report({
            node,
            messageId: 'setattr',
            data: { key: context.textOf(key) },
            confidence: testAdjusted('medium', context.isTestFile),
          });
          return;
        }
        // `**` must appear in the call's text before its arguments are worth splitting.
        if (!context.textOf(node).includes('**') || !call.hasKwargs) return;
        const name = callee ?? call.methodName;
        if (name === undefined) return;
        const last = lastSegment(name);
        const isWrite = call.methodName !== undefined && WRITE_METHODS.has(call.methodName);
        const isClass = /^[A-Z]/.test(last) && !NOT_A_MODEL.test(last);
        if (!isWrite && !isClass) return;
        const args = call.node.childForFieldName('arguments');
        if (args === null) return;
        for (const argument of args.namedChildren) {
          if (argument.type !== 'dictionary_splat') continue;
          const data = argument.namedChildren[0];
          if (data === undefined || !isRequestData(model, data)) continue;
          context.report({
            node,
            messageId: 'splat',
            data: { callee: context.textOf(call.callee), data: context.textOf(data) },
            confidence: testAdjusted('high', context.isTestFile),
          });
          return;
        }
      }),
      class_definition(node) {
        const superclasses = node.childForFieldName('superclasses');
        if (superclasses === null) return;
        const isModelSerializer = superclasses.namedChildren.some((base) => {
          const qualified = model.qualifiedName(base);
          if (qualified !== undefined) return MODEL_SERIALIZERS.has(qualified);
          return /ModelSerializer$/.test(context.textOf(base));
        });
        if (!isModelSerializer) return;
        const body = node.childForFieldName('body');
        const meta = body?.namedChildren.find(
          (child) =>
            child.type === 'class_definition' &&
            context.textOf(child.childForFieldName('name') ?? child) === 'Meta',
        );
        const metaBody = meta?.childForFieldName('body');
        if (metaBody === undefined || metaBody === null) return;
        for (const statement of metaBody.namedChildren) {
          const assignment = statement.namedChildren[0];
          if (statement.type !== 'expression_statement' || assignment?.type !== 'assignment')
            continue;
          const left = assignment.childForFieldName('left');
          const right = assignment.childForFieldName('right');
          if (left === null || right === null || context.textOf(left) !== 'fields') continue;
          if (literalString(model, right) !== '__all__') continue;
          context.report({
            node: assignment,
            messageId: 'allFields',
            data: { name: context.textOf(node.childForFieldName('name') ?? node) },
            severity: 'medium',
            confidence: 'low',
          });
        }
      },
    };
  },
});
