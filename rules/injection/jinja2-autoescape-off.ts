import {
  callVisitors,
  defineRule,
  templateOutput,
  testAdjusted,
  unwrapParens,
  type SemanticModel,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** Jinja2 classes that render HTML-capable output and default to `autoescape=False`. */
const ENVIRONMENTS: ReadonlySet<string> = new Set([
  'jinja2.Environment',
  'jinja2.environment.Environment',
  'jinja2.sandbox.SandboxedEnvironment',
  'jinja2.sandbox.ImmutableSandboxedEnvironment',
]);
const TEMPLATES: ReadonlySet<string> = new Set(['jinja2.Template', 'jinja2.environment.Template']);
/**
 * Helpers that build a `jinja2.Environment` from their keyword arguments. aiohttp-jinja2's
 * `setup()` defaults `autoescape` to True (since 0.15), so only an explicit setting counts there.
 */
const SETUPS: ReadonlySet<string> = new Set(['aiohttp_jinja2.setup']);
const SELECT_AUTOESCAPE: ReadonlySet<string> = new Set([
  'jinja2.select_autoescape',
  'jinja2.utils.select_autoescape',
]);

type Setting = 'on' | 'off' | 'missing' | 'unknown';

export default defineRule({
  meta: {
    id: 'PGI043',
    slug: 'jinja2-autoescape-off',
    title: 'Jinja2 environment or template without HTML autoescaping',
    category: 'injection',
    severity: 'medium',
    confidence: 'medium',
    cwe: [79, 116],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags `jinja2.Environment` (and the sandboxed environments) and `jinja2.Template` created with `autoescape=False` or without an `autoescape` argument, unless the file shows they render text rather than HTML, and `aiohttp_jinja2.setup(..., autoescape=False)`.',
    why: 'Jinja2 escapes nothing unless told to: its default is `autoescape=False`. Every `{{ value }}` in an HTML template then goes into the page as written, so a user name such as `<script>...</script>` runs in the browsers of everyone who views it. Flask turns autoescaping on for its own environment, but environments and templates you create yourself do not get it.',
    fix: 'Pass `autoescape=select_autoescape()` (escapes `.html`, `.htm` and `.xml` templates) or `autoescape=True`. Mark the few values that really are HTML with `Markup` or the `|safe` filter after sanitising them. For templates that render plain text, such as e-mails or config files, keep `autoescape=False` and suppress the finding with a reason.',
    example: {
      bad: 'from jinja2 import Environment, FileSystemLoader\n\nenv = Environment(loader=FileSystemLoader("templates"))\n',
      good: 'from jinja2 import Environment, FileSystemLoader, select_autoescape\n\nenv = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape())\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/79.html',
      'https://jinja.palletsprojects.com/en/stable/api/#autoescaping',
      'https://jinja.palletsprojects.com/en/stable/api/#jinja2.select_autoescape',
    ],
    fixable: true,
    bandit: ['B701'],
    ruff: ['S701'],
  },
  messages: {
    disabled:
      '`{{callee}}` is created with `autoescape={{value}}`, so values printed into HTML are not escaped; use `autoescape=select_autoescape()` or `True`.',
    setupDisabled:
      '`{{callee}}` builds its Jinja2 environment with `autoescape={{value}}`, so values printed into HTML are not escaped; leave `autoescape` out (aiohttp-jinja2 then turns it on) or pass `select_autoescape()`.',
    missing:
      "`{{callee}}` is created without `autoescape`, and Jinja2's default is off, so values printed into HTML are not escaped; pass `autoescape=select_autoescape()`.",
    unknown:
      '`{{callee}}` takes `autoescape={{value}}`; make sure it is true (or `select_autoescape()`) wherever the output is HTML.',
  },
  select: { calls: [...TEMPLATES, ...SETUPS, ...ENVIRONMENTS] },
  create(context) {
    const { model } = context;
    return callVisitors(context, (node, call) => {
      const callee = call.qualifiedName;
      if (callee === undefined) return;
      const isTemplate = TEMPLATES.has(callee);
      const isSetup = SETUPS.has(callee);
      if (!isTemplate && !isSetup && !ENVIRONMENTS.has(callee)) return;
      const autoescape = call.keywords.get('autoescape');
      const setting = settingOf(model, autoescape, call.hasKwargs);
      if (setting === 'on' || (isSetup && setting === 'missing')) return;
      const source = isTemplate ? model.argument(call, 'source', 0) : undefined;
      const output = templateOutput(model, node, source, undefined);
      // A template shown to render text (an e-mail, a config file) does not want escaping.
      if (output === 'text') return;
      let severity: Severity = setting === 'unknown' ? 'low' : 'medium';
      if (output === 'html' && setting !== 'unknown') severity = 'high';
      // Only the literal `autoescape=False` has one certain replacement.
      const fix =
        autoescape?.type === 'false'
          ? { description: 'Turn autoescaping on', target: autoescape, replacement: 'True' }
          : undefined;
      context.report({
        node,
        messageId: setting === 'off' ? (isSetup ? 'setupDisabled' : 'disabled') : setting,
        data: {
          callee: isSetup ? callee : callee.slice(callee.lastIndexOf('.') + 1),
          value: autoescape === undefined ? '' : context.textOf(autoescape),
        },
        severity,
        confidence: testAdjusted(
          setting === 'off' ? 'high' : setting === 'missing' ? 'medium' : 'low',
          context.isTestFile,
        ),
        fix,
      });
    });
  },
});

/** What an `autoescape=` argument amounts to. */
function settingOf(
  model: SemanticModel,
  value: SyntaxNode | undefined,
  hasKwargs: boolean,
): Setting | 'on' {
  // `Environment(**options)` may well set it: too little to go on.
  if (value === undefined) return hasKwargs ? 'on' : 'missing';
  const truthy = model.truthiness(value);
  if (truthy !== undefined) return truthy ? 'on' : 'off';
  const resolved = unwrapParens(model.resolveValue(value));
  // select_autoescape(...), a lambda or a function deciding per template name.
  if (resolved.type === 'lambda') return 'on';
  if (resolved.type === 'call') {
    const callee = resolved.childForFieldName('function');
    const name = callee === null ? undefined : model.qualifiedName(callee);
    if (name !== undefined && SELECT_AUTOESCAPE.has(name)) return 'on';
  }
  if (resolved.type === 'identifier') {
    const found = model.lookup(model.textOf(resolved), model.scopeAt(resolved));
    if (found?.bindings.every((binding) => binding.kind === 'definition') === true) return 'on';
  }
  return 'unknown';
}
