import {
  callVisitors,
  defineRule,
  enclosingFunction,
  lastName,
  unwrapParens,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

const POST_READERS = new Set(['get', 'getlist', 'dict', 'items', 'values', 'copy', 'lists']);

/** Whether a node is `request.POST` or `self.request.POST`. */
function isRequestPost(model: SemanticModel, node: SyntaxNode): boolean {
  const target = unwrapParens(node);
  if (target.type !== 'attribute') return false;
  const object = target.childForFieldName('object');
  const attribute = target.childForFieldName('attribute');
  if (object === null || attribute === null || model.textOf(attribute) !== 'POST') return false;
  return lastName(model, object) === 'request';
}

/** A read of raw POST data: `request.POST["x"]` or `request.POST.get("x")`. */
function isPostRead(model: SemanticModel, node: SyntaxNode): boolean {
  if (node.type === 'subscript') {
    const value = node.childForFieldName('value');
    return value !== null && isRequestPost(model, value);
  }
  if (node.type !== 'call') return false;
  const callee = node.childForFieldName('function');
  if (callee?.type !== 'attribute') return false;
  const object = callee.childForFieldName('object');
  const method = callee.childForFieldName('attribute');
  return (
    object !== null &&
    method !== null &&
    POST_READERS.has(model.textOf(method)) &&
    isRequestPost(model, object)
  );
}

export default defineRule({
  meta: {
    id: 'PGW010',
    slug: 'django-post-after-validation',
    title: 'Raw request.POST read after form validation',
    category: 'web',
    severity: 'medium',
    confidence: 'medium',
    cwe: [20],
    owasp: ['A04:2021 Insecure Design'],
    description:
      'Flags `request.POST[...]` and `request.POST.get(...)` reads that follow a `form.is_valid()` call in the same function, where `form.cleaned_data` holds the validated value.',
    why: "`is_valid()` checks and cleans the form's copy of the data; `request.POST` still holds the raw, unvalidated strings. Reading it after validation silently bypasses every field check, type conversion and `clean_*` method the form defines.",
    fix: 'Read the value from `form.cleaned_data["field"]` after `form.is_valid()`; add a form field for any value the form does not yet validate.',
    example: {
      bad: 'def update_email(request):\n    form = EmailForm(request.POST)\n    if form.is_valid():\n        request.user.email = request.POST["email"]\n        request.user.save()\n',
      good: 'def update_email(request):\n    form = EmailForm(request.POST)\n    if form.is_valid():\n        request.user.email = form.cleaned_data["email"]\n        request.user.save()\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/20.html',
      'https://docs.djangoproject.com/en/stable/ref/forms/api/#accessing-clean-data',
    ],
    bandit: [],
    ruff: [],
    enabledByDefault: true,
    fixable: false,
  },
  messages: {
    rawPost:
      '`{{read}}` reads the raw POST data after `{{form}}.is_valid()` (line {{line}}); use `{{form}}.cleaned_data` instead.',
  },
  select: { methods: ['is_valid'] },
  create(context) {
    const { model } = context;
    const reported = new Set<number>();
    return callVisitors(context, (node, call) => {
      if (call.methodName !== 'is_valid') return;
      const body = enclosingFunction(node)?.childForFieldName('body');
      if (body === undefined || body === null) return;
      const row = node.endPosition.row;
      const receiver = call.callee.childForFieldName('object');
      const form = receiver === null ? 'form' : context.textOf(receiver);
      const stack: SyntaxNode[] = [...body.namedChildren];
      while (stack.length > 0) {
        const current = stack.pop();
        if (current === undefined) break;
        if (current.endPosition.row <= row) continue;
        if (
          current.type === 'function_definition' ||
          current.type === 'class_definition' ||
          current.type === 'lambda'
        )
          continue;
        if (current.startPosition.row > row && isPostRead(model, current)) {
          if (!reported.has(current.startIndex)) {
            reported.add(current.startIndex);
            context.report({
              node: current,
              messageId: 'rawPost',
              data: { read: context.textOf(current), form, line: row + 1 },
            });
          }
          continue;
        }
        stack.push(...current.namedChildren);
      }
    });
  },
});
