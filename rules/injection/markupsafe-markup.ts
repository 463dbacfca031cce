import {
  callVisitors,
  defineRule,
  describeBuild,
  HTML_SANITISERS,
  htmlSafety,
  MARKUP_CLASSES,
  shortText,
  testAdjusted,
  unescapedHtml,
  unwrapParens,
  type HtmlSafety,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** The policy for each set of option values (the same object for every file of a scan). */
const safetyByOptions = new WeakMap<object, HtmlSafety>();

function safetyFor(options: {
  readonly extra_markup_names: readonly string[];
  readonly allowed_calls: readonly string[];
}): HtmlSafety {
  let safety = safetyByOptions.get(options);
  if (safety === undefined) {
    safety = htmlSafety([...MARKUP_CLASSES, ...options.extra_markup_names], options.allowed_calls);
    safetyByOptions.set(options, safety);
  }
  return safety;
}

export default defineRule({
  meta: {
    id: 'PGI042',
    slug: 'markupsafe-markup',
    title: 'Markup() wrapping HTML that is not escaped',
    category: 'injection',
    severity: 'medium',
    confidence: 'high',
    cwe: [79],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags `markupsafe.Markup(x)` (also `flask.Markup`, `jinja2.Markup` and the names in `extra_markup_names`) where `x` is built with an f-string, `+`, `%` or `.format()` from unescaped values, or is a variable that was not escaped or sanitised.',
    why: '`Markup` declares a string to be safe HTML, so Jinja2 and Flask templates print it without escaping. Wrapping text that contains a user-supplied value lets that value add `<script>` tags or event handlers to the page. `Markup` objects escape values that are *combined with* them, which is the safe way to build HTML, but not the text passed to the constructor.',
    fix: 'Start from a literal and let `Markup` escape the values: `Markup("<b>{}</b>").format(name)` or `Markup("<b>%s</b>") % name`. For user-written HTML, sanitise it first (`Markup(bleach.clean(html))` or `nh3.clean`). Better still, put the markup in the template and pass plain values.',
    example: {
      bad: 'from markupsafe import Markup\n\ndef link(url, title):\n    return Markup(f\'<a href="{url}">{title}</a>\')\n',
      good: 'from markupsafe import Markup\n\ndef link(url, title):\n    return Markup(\'<a href="{}">{}</a>\').format(url, title)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/79.html',
      'https://markupsafe.palletsprojects.com/en/stable/escaping/#markupsafe.Markup',
      'https://jinja.palletsprojects.com/en/stable/templates/#html-escaping',
      'https://bleach.readthedocs.io/en/latest/clean.html',
    ],
    bandit: ['B704'],
    ruff: ['S704'],
    auditAdds:
      'markup that is not a literal but holds only constants, escaped or checked values (`Markup(f"<b>{TITLE}</b>")`)',
  },
  options: {
    extra_markup_names: {
      kind: 'string-list',
      default: [],
      description:
        'Qualified names of further classes or functions that mark text as safe HTML like `Markup` (e.g. `webhelpers.html.literal`); they are checked the same way.',
    },
    allowed_calls: {
      kind: 'string-list',
      default: HTML_SANITISERS,
      description:
        'Qualified names of sanitisers whose result may be wrapped (`<class>.<method>` for a method of an object that class made); setting it replaces the default list. Escaping functions such as `markupsafe.escape` are always allowed.',
    },
  },
  messages: {
    taintedMarkup:
      '`{{callee}}` marks HTML containing {{origin}} as safe, so it is never escaped: {{path}}. Let `Markup` escape the value (`Markup("...{}...").format(value)`) or sanitise it with `bleach.clean`.',
    builtMarkup:
      '`{{callee}}` wraps HTML built with {{how}}, so `{{value}}` in it is not escaped; write `Markup("...{}...").format(value)` so the value is escaped.',
    constantMarkup:
      '`{{callee}}` declares `{{value}}` safe HTML; no unescaped value from outside was found in it, but prefer `Markup("...{}...").format(value)` so later changes stay escaped.',
    dynamicMarkup:
      '`{{callee}}` declares `{{value}}` safe HTML without escaping it; if any of it comes from users, it can inject scripts. Escape it, sanitise it with `bleach.clean`, or build it with `Markup("...").format(...)`.',
  },
  create(context) {
    const { model } = context;
    const safety = safetyFor(context.options);
    const { markupClasses } = safety;
    /**
     * `Markup(f"<b>{TITLE}</b>")`, `Markup(CONTENT)`: markup that is not a literal, made of
     * constants, escaped or checked values. Nothing unescaped from outside reaches it, but bandit
     * (B704) and ruff (S704) report it, so the audit profile does. A direct escaping or
     * sanitising call (`Markup(escape(x))`) and `Markup` built with `Markup(...).format` are left out.
     */
    const reportConstantMarkup = (node: SyntaxNode, callee: string, value: SyntaxNode): void => {
      const inner = unwrapParens(value);
      const literal = inner.type === 'string' || inner.type === 'concatenated_string';
      if (literal && model.literalValue(inner) !== undefined) return;
      if (inner.type === 'call') {
        const built = context.call(inner);
        const receiver =
          built.callee.type === 'attribute' ? built.callee.childForFieldName('object') : null;
        const onText = receiver !== null && model.literalValue(receiver) !== undefined;
        if (!onText || (built.methodName !== 'format' && built.methodName !== 'join')) return;
      }
      context.report({
        node,
        messageId: 'constantMarkup',
        data: { callee, value: shortText(context.textOf(value)) },
        severity: 'low',
        confidence: 'low',
        profile: 'audit',
      });
    };

    return callVisitors(context, (node, call) => {
      const callee = call.qualifiedName;
      if (callee === undefined || !markupClasses.has(callee)) return;
      const value = model.argument(call, 'base', 0) ?? call.keywords.get('object');
      if (value === undefined) return;
      const shape = unescapedHtml(context, value, node, callee, safety);
      if (shape === undefined) {
        reportConstantMarkup(node, callee, value);
        return;
      }
      if (shape.kind === 'tainted') {
        context.report({
          node,
          messageId: 'taintedMarkup',
          data: { callee, origin: shape.tainted.origin, path: shape.tainted.path },
          severity: shape.tainted.severity,
          confidence: shape.tainted.confidence,
          flow: shape.tainted.flow,
        });
        return;
      }
      // No path from outside input was found: an audit finding.
      context.report({
        node,
        messageId: shape.kind === 'built' ? 'builtMarkup' : 'dynamicMarkup',
        data: {
          callee,
          how: shape.kind === 'built' ? describeBuild(shape.how) : '',
          value: shortText(context.textOf(shape.kind === 'built' ? shape.hole : value)),
        },
        severity: 'medium',
        confidence: testAdjusted('medium', context.isTestFile),
      });
    });
  },
});
