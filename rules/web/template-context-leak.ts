import {
  callVisitors,
  defineRule,
  unwrapParens,
  type Confidence,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** Rendering entry points, resolved. */
const RENDERERS = new Set([
  'django.shortcuts.render',
  'django.shortcuts.render_to_response',
  'django.template.loader.render_to_string',
  'django.template.response.TemplateResponse',
  'django.template.response.SimpleTemplateResponse',
  'django.template.Context',
  'django.template.RequestContext',
  'flask.render_template',
  'flask.render_template_string',
  'flask.stream_template',
  'flask.templating.render_template',
  'quart.render_template',
  'jinja2.Template',
]);
/** Method names that render a template with a context (`template.render(...)`, `env.get_template(...).render`). */
const RENDER_METHODS = new Set([
  'render',
  'render_async',
  'stream',
  'generate',
  'render_to_string',
  'TemplateResponse',
]);
const SCOPE_DUMPS = new Set([
  'locals',
  'globals',
  'vars',
  'builtins.locals',
  'builtins.globals',
  'builtins.vars',
]);

export default defineRule({
  meta: {
    id: 'PGW009',
    slug: 'template-context-leak',
    title: 'Template rendered with locals() or globals()',
    category: 'web',
    severity: 'medium',
    confidence: 'high',
    cwe: [96, 200],
    owasp: ['A01:2021 Broken Access Control'],
    description:
      'Flags templates rendered with `locals()`, `globals()` or `vars()` as their context (`render(request, "t.html", locals())`, `render_template("t.html", **locals())`, `template.render(locals())`), also through a variable (`context = locals()`).',
    why: 'Passing the whole scope hands the template every variable in it: secrets, database handles, the full request, internal objects and imported modules. A template change, a debug tag or a template-injection bug then exposes or calls them, and it is impossible to see from the view what the template can reach.',
    fix: 'Pass an explicit dictionary with only the values the template needs: `render(request, "profile.html", {"profile": profile})`.',
    example: {
      bad: 'from django.shortcuts import render\n\n\ndef profile(request):\n    profile = request.user.profile\n    api_key = settings.BILLING_API_KEY\n    return render(request, "profile.html", locals())\n',
      good: 'from django.shortcuts import render\n\n\ndef profile(request):\n    profile = request.user.profile\n    return render(request, "profile.html", {"profile": profile})\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/96.html',
      'https://docs.djangoproject.com/en/stable/topics/http/shortcuts/#render',
      'https://flask.palletsprojects.com/en/stable/api/#flask.render_template',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    scopeAsContext:
      '`{{callee}}` receives `{{dump}}` as its template context, exposing every variable in scope; pass a dictionary with only the values the template needs.',
  },
  select: { text: ['locals', 'globals', 'vars'] },
  create(context) {
    if (!/\b(?:locals|globals|vars)\s*\(\s*\)/.test(context.text)) return {};

    /** The `locals()`/`globals()` call among a call's arguments (also as `**locals()`). */
    const scopeDump = (node: SyntaxNode): SyntaxNode | undefined => {
      const args = node.childForFieldName('arguments');
      for (const argument of args?.namedChildren ?? []) {
        let value = argument;
        if (value.type === 'keyword_argument') value = value.childForFieldName('value') ?? value;
        if (value.type === 'dictionary_splat') value = value.namedChildren[0] ?? value;
        // `context = locals()` … `render(request, "t.html", context)`.
        value = unwrapParens(context.model.resolveValue(value));
        if (value.type !== 'call') continue;
        const dump = context.call(value);
        if (
          dump.positional.length === 0 &&
          dump.qualifiedName !== undefined &&
          SCOPE_DUMPS.has(dump.qualifiedName)
        )
          return value;
      }
      return undefined;
    };

    return callVisitors(context, (node, call) => {
      const name = call.qualifiedName;
      let confidence: Confidence | undefined;
      if (name !== undefined && RENDERERS.has(name)) confidence = 'high';
      else if (call.methodName !== undefined && RENDER_METHODS.has(call.methodName))
        confidence = 'medium';
      else if (
        name === undefined &&
        call.methodName !== undefined &&
        /^render/.test(call.methodName)
      )
        confidence = 'medium';
      if (confidence === undefined) return;
      const dump = scopeDump(node);
      if (dump === undefined) return;
      context.report({
        node,
        messageId: 'scopeAsContext',
        data: { callee: context.textOf(call.callee), dump: context.textOf(dump) },
        severity: context.textOf(dump).startsWith('globals') ? 'high' : 'medium',
        confidence,
      });
    });
  },
});
