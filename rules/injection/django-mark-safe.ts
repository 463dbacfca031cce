import {
  callVisitors,
  defineRule,
  describeBuild,
  htmlShape,
  receiverOf,
  returnedValues,
  shortText,
  testAdjusted,
  unescapedHtml,
  type CallInfo,
  type SemanticModel,
} from '../../src/rules-api/index.js';

/** Calls that declare their argument safe HTML, so templates skip escaping it. */
const MARK_SAFE: ReadonlySet<string> = new Set([
  'django.utils.safestring.mark_safe',
  'django.utils.html.mark_safe',
  'django.utils.safestring.SafeString',
  'django.utils.safestring.SafeText',
  'django.utils.safestring.SafeUnicode',
  'django.utils.safestring.SafeBytes',
]);
const SAFE_BASES: ReadonlySet<string> = new Set([
  'django.utils.safestring.SafeString',
  'django.utils.safestring.SafeText',
  'django.utils.safestring.SafeData',
]);
/** `format_html(format_string, ...)`, `format_html_join(sep, format_string, args)`. */
const FORMATTERS: ReadonlyMap<string, number> = new Map([
  ['django.utils.html.format_html', 0],
  ['django.utils.html.format_html_join', 1],
]);
const LIBRARIES: ReadonlySet<string> = new Set([
  'django.template.Library',
  'django.template.library.Library',
  'django.template.base.Library',
]);

export default defineRule({
  meta: {
    id: 'PGI041',
    slug: 'django-mark-safe',
    title: 'Django mark_safe() or SafeString on HTML that is not escaped',
    category: 'injection',
    severity: 'medium',
    confidence: 'high',
    cwe: [79, 80],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags `mark_safe()`/`SafeString()` on values that are not literals or escaped, `format_html()` given an already formatted string, `SafeString` subclasses, `@register.filter(is_safe=True)` and `__html__` methods returning unescaped values.',
    why: 'Django escapes every value a template prints unless it is marked safe. `mark_safe(f"<b>{name}</b>")` switches that off for `name` too, so a name containing `<script>` runs in every visitor\'s browser. `format_html` only escapes its *arguments*: an f-string passed as its format string has already spliced the values in unescaped.',
    fix: 'Build HTML with `format_html("<b>{}</b>", name)` (or `format_html_join`), which escapes each argument, or escape values with `django.utils.html.escape()` before marking the result safe. Better still, move the markup into a template. Keep `mark_safe` for literals and values you have just escaped.',
    example: {
      bad: 'from django.utils.safestring import mark_safe\n\ndef badge(user):\n    return mark_safe(f"<span class=\'badge\'>{user.name}</span>")\n',
      good: 'from django.utils.html import format_html\n\ndef badge(user):\n    return format_html("<span class=\'badge\'>{}</span>", user.name)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/79.html',
      'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.safestring.mark_safe',
      'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.format_html',
      'https://docs.djangoproject.com/en/stable/howto/custom-template-tags/#filters-and-auto-escaping',
    ],
    auditAdds:
      'markup made of constants or escaped values marked safe, and `@mark_safe` on a function',
    bandit: ['B308', 'B703'],
    ruff: ['S308'],
  },
  messages: {
    escapedMarkSafe:
      '`{{callee}}` marks markup as safe whose parts are constants or escaped values; nothing unescaped from outside reaches it, but check that it stays so.',
    markSafeDecorator:
      '`@{{callee}}` trusts everything the function returns as HTML; check that no value from outside is in it, or escape it with `format_html`.',
    taintedMarkSafe:
      '`{{callee}}` marks HTML containing {{origin}} as safe, so templates never escape it: {{path}}. Escape the value first, or build the HTML with `format_html("...{}...", value)`.',
    taintedFormatString:
      'The format string of `{{callee}}` contains {{origin}}, which `format_html` does not escape: {{path}}. Keep the format string literal and pass the value as an argument: `format_html("...{}...", value)`.',
    builtMarkSafe:
      '`{{callee}}` marks HTML built with {{how}} as safe, but `{{value}}` in it is not escaped; use `format_html()` so each value is escaped.',
    dynamicMarkSafe:
      '`{{callee}}` marks `{{value}}` as safe HTML without escaping it; if any of it comes from users, it can inject scripts. Escape it or use `format_html()`.',
    builtFormatString:
      '`{{callee}}` gets a format string built with {{how}}, so `{{value}}` was spliced in before `format_html` could escape it; pass it as an argument: `format_html("...{}...", value)`.',
    safeSubclass:
      '`{{name}}` subclasses `{{base}}`, so its instances skip template escaping; make sure every instance holds escaped HTML.',
    safeFilter:
      'This filter is registered with `is_safe=True`, so Django will not escape its result when its input was safe; make sure it never adds unescaped text.',
    htmlMethod:
      '`__html__` tells templates that `{{value}}` is already safe HTML; escape it (for example with `format_html`) before returning it.',
  },
  select: { calls: [...MARK_SAFE, ...FORMATTERS.keys()], methods: ['filter'] },
  create(context) {
    const { model } = context;
    return {
      decorator(node) {
        // `@mark_safe` on a function: whatever it returns is trusted as HTML.
        const expression = node.namedChildren[0];
        const name = expression === undefined ? undefined : model.qualifiedName(expression);
        if (name === undefined || !MARK_SAFE.has(name)) return;
        context.report({
          node,
          messageId: 'markSafeDecorator',
          data: { callee: name.slice(name.lastIndexOf('.') + 1) },
          severity: 'low',
          profile: 'audit',
        });
      },
      ...callVisitors(context, (node, call) => {
        const callee = call.qualifiedName ?? '';
        const short = callee.slice(callee.lastIndexOf('.') + 1);
        const markSafe = MARK_SAFE.has(callee);
        const position = FORMATTERS.get(callee);
        if (markSafe || position !== undefined) {
          const value = markSafe
            ? model.argument(call, 's', 0)
            : model.argument(call, 'format_string', position);
          if (value === undefined) return;
          const shape = unescapedHtml(context, value, node, short);
          if (shape === undefined && markSafe) {
            // Constants and escaped values only: an audit matter.
            context.report({
              node,
              messageId: 'escapedMarkSafe',
              data: { callee: short },
              severity: 'low',
              profile: 'audit',
            });
            return;
          }
          // format_html escapes its arguments: only a format string built beforehand is a problem.
          if (shape === undefined || (!markSafe && shape.kind === 'dynamic')) return;
          if (shape.kind === 'tainted') {
            const { tainted } = shape;
            context.report({
              node,
              messageId: markSafe ? 'taintedMarkSafe' : 'taintedFormatString',
              data: { callee: short, origin: tainted.origin, path: tainted.path },
              severity: tainted.severity,
              confidence: tainted.confidence,
              flow: tainted.flow,
            });
            return;
          }
          // No path from outside input was found: an audit finding.
          const built = shape.kind === 'built';
          context.report({
            node,
            messageId: markSafe
              ? built
                ? 'builtMarkSafe'
                : 'dynamicMarkSafe'
              : 'builtFormatString',
            data: {
              callee: short,
              how: built ? describeBuild(shape.how) : '',
              value: shortText(context.textOf(built ? shape.hole : value)),
            },
            severity: 'medium',
            confidence: testAdjusted('medium', context.isTestFile),
          });
          return;
        }
        if (isSafeFilterRegistration(model, call)) {
          context.report({ node, messageId: 'safeFilter', severity: 'low', confidence: 'low' });
        }
      }),
      class_definition(node) {
        const bases = node.childForFieldName('superclasses');
        if (bases === null) return;
        for (const base of bases.namedChildren) {
          const name = model.qualifiedName(base);
          if (name === undefined || !SAFE_BASES.has(name)) continue;
          const className = node.childForFieldName('name');
          context.report({
            node: base,
            messageId: 'safeSubclass',
            data: {
              name: className === null ? 'class' : context.textOf(className),
              base: name.slice(name.lastIndexOf('.') + 1),
            },
            severity: 'low',
            confidence: 'medium',
          });
        }
      },
      function_definition(node) {
        const name = node.childForFieldName('name');
        if (name === null || context.textOf(name) !== '__html__') return;
        const unsafe = returnedValues(node).find(
          (value) => htmlShape(model, value).kind !== 'safe',
        );
        if (unsafe === undefined) return;
        context.report({
          node: name,
          messageId: 'htmlMethod',
          data: { value: shortText(context.textOf(unsafe)) },
          severity: 'low',
          confidence: 'low',
        });
      },
    };
  },
});

/** `register.filter(is_safe=True)` on a `template.Library()`. */
function isSafeFilterRegistration(model: SemanticModel, call: CallInfo): boolean {
  if (call.methodName !== 'filter' || !call.keywords.has('is_safe')) return false;
  const flag = call.keywords.get('is_safe');
  if (flag === undefined || model.truthiness(flag) !== true) return false;
  const receiver = receiverOf(call);
  const built = receiver === undefined ? undefined : model.constructedBy(receiver);
  return built !== undefined && LIBRARIES.has(built);
}
