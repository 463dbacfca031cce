import {
  analyseString,
  codeShape,
  defineRule,
  describeBuild,
  holdsOnlyCheckedValues,
  holesOf,
  lastName,
  receiverOf,
  reportTaintedSink,
  shortText,
  sinkCalls,
  tabledArgument,
  testAdjusted,
  unwrapParens,
  type CallInfo,
  type Confidence,
  type SemanticModel,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** How much a template engine lets a template do. */
type Power = 'code' | 'sandboxed' | 'data';

/** Functions and classes that compile template source, with where they take it. */
const COMPILERS: ReadonlyMap<string, readonly [string, number, Power]> = new Map([
  ['flask.render_template_string', ['source', 0, 'code']],
  ['flask.templating.render_template_string', ['source', 0, 'code']],
  ['jinja2.Template', ['source', 0, 'code']],
  ['jinja2.environment.Template', ['source', 0, 'code']],
  ['mako.template.Template', ['text', 0, 'code']],
  ['tornado.template.Template', ['template_string', 0, 'code']],
  ['django.template.Template', ['template_string', 0, 'data']],
  ['django.template.base.Template', ['template_string', 0, 'data']],
]);

/** Environments whose `from_string()` compiles template source. */
const ENVIRONMENTS: ReadonlyMap<string, Power> = new Map([
  ['jinja2.Environment', 'code'],
  ['jinja2.environment.Environment', 'code'],
  ['jinja2.nativetypes.NativeEnvironment', 'code'],
  ['jinja2.sandbox.SandboxedEnvironment', 'sandboxed'],
  ['jinja2.sandbox.ImmutableSandboxedEnvironment', 'sandboxed'],
]);

export default defineRule({
  meta: {
    id: 'PGI021',
    slug: 'server-side-template-injection',
    title: 'Template compiled from source that is not a literal',
    category: 'injection',
    severity: 'high',
    confidence: 'medium',
    cwe: [94, 96, 74, 1336],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags `render_template_string()`, `jinja2.Template()`, `Environment.from_string()`, Mako and Tornado `Template()` and Django `Template()` when the template source is built with an f-string, `+`, `%` or `.format()`, or comes from a variable.',
    why: 'Template source is a program: Jinja2, Mako and Tornado expressions reach Python objects, and from there `os.popen` (`{{ cycler.__init__.__globals__.os.popen("id").read() }}`). Splicing a value into the template source rather than passing it as a context variable lets whoever controls that value run code on the server. Django templates cannot call arbitrary code but can still read settings and objects in the context.',
    fix: 'Keep template source constant (a file loaded with `render_template("page.html", ...)` or a literal) and pass outside values as context variables: `render_template_string("<p>Hello {{ name }}</p>", name=name)`. If users must write templates, render them with `jinja2.sandbox.SandboxedEnvironment` and a minimal context.',
    example: {
      bad: 'from flask import render_template_string, request\n\n@app.route("/hello")\ndef hello():\n    return render_template_string(f"<p>Hello {request.args[\'name\']}</p>")\n',
      good: 'from flask import render_template_string, request\n\n@app.route("/hello")\ndef hello():\n    return render_template_string("<p>Hello {{ name }}</p>", name=request.args["name"])\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/1336.html',
      'https://flask.palletsprojects.com/en/stable/api/#flask.render_template_string',
      'https://jinja.palletsprojects.com/en/stable/sandbox/',
      'https://portswigger.net/web-security/server-side-template-injection',
    ],
    bandit: [],
    ruff: [],
    supersedes: ['PGI043', 'PGI044'],
  },
  messages: {
    taintedTemplate:
      '`{{callee}}` compiles template source made from {{origin}}: {{path}}. Template expressions in it run on the server; keep the template constant and pass the value as a context variable.',
    builtTemplate:
      '`{{callee}}` compiles a template built with {{how}}; `{{value}}` becomes template code, and template expressions can reach `os`. Pass it as a context variable instead.',
    dynamicTemplate:
      '`{{callee}}` compiles the template source in `{{value}}`; if it comes from outside, its expressions run on the server. Load templates from files and pass outside values as context variables.',
  },
  select: { calls: [...COMPILERS.keys()], methods: ['from_string'] },
  create(context) {
    const { model } = context;
    return sinkCalls(context, sinkOf, (node, sink) => {
      const shape = codeShape(model, sink.source);
      // A literal, or a template file read from a fixed path, is the developer's template.
      if (shape.kind === 'literal' || shape.kind === 'file') return;
      // A sandbox or Django's template language limits what a template can reach.
      const limit = (level: Severity): Severity =>
        sink.power === 'code' ? level : level === 'high' ? 'medium' : 'low';
      const tainted = reportTaintedSink(context, {
        node,
        value: shape.source,
        sink: 'template',
        label: sink.label,
        messageId: 'taintedTemplate',
        data: { callee: sink.label },
        severity: limit,
      });
      if (tainted !== undefined) return;
      // Source made only from checked values (`if name in ALLOWED:`, `int(n)`) is the developer's.
      if (holdsOnlyCheckedValues(model, shape.source)) return;
      let severity: Severity;
      let confidence: Confidence;
      let value: SyntaxNode;
      // No path from outside input was found: an audit finding, graded by how the source is made.
      if (shape.kind === 'built') {
        [severity, confidence] = ['high', 'medium'];
        value = firstHole(model, shape.source) ?? shape.source;
      } else {
        [severity, confidence] = ['medium', 'low'];
        value = shape.source;
      }
      severity = limit(severity);
      context.report({
        node,
        messageId: shape.kind === 'built' ? 'builtTemplate' : 'dynamicTemplate',
        data: {
          callee: sink.label,
          how: shape.kind === 'built' ? describeBuild(shape.how) : '',
          value: shortText(context.textOf(value)),
        },
        severity,
        confidence: testAdjusted(confidence, context.isTestFile),
      });
    });
  },
});

function sinkOf(
  model: SemanticModel,
  call: CallInfo,
): { label: string; source: SyntaxNode; power: Power } | undefined {
  const compiler = tabledArgument(model, call, COMPILERS);
  if (compiler !== undefined) {
    return { label: compiler.name, source: compiler.argument, power: compiler.entry[2] };
  }
  if (call.qualifiedName !== undefined && COMPILERS.has(call.qualifiedName)) return undefined;
  if (call.methodName !== 'from_string') return undefined;
  const receiver = receiverOf(call);
  if (receiver === undefined) return undefined;
  const power = environmentPower(model, receiver);
  const source = model.argument(call, 'source', 0);
  return power === undefined || source === undefined
    ? undefined
    : { label: `${shortText(model.textOf(receiver), 24)}.from_string`, source, power };
}

/** What kind of environment a `from_string()` receiver is, when it is a template environment. */
function environmentPower(model: SemanticModel, receiver: SyntaxNode): Power | undefined {
  const built = model.constructedBy(receiver);
  const power = built === undefined ? undefined : ENVIRONMENTS.get(built);
  if (power !== undefined) return power;
  // Flask's `app.jinja_env`, `current_app.jinja_env`.
  if (lastName(model, receiver) === 'jinja_env') return 'code';
  // Django's `engines["django"]`.
  const target = unwrapParens(receiver);
  const table = target.type === 'subscript' ? target.childForFieldName('value') : null;
  return table !== null && model.qualifiedName(table) === 'django.template.engines'
    ? 'data'
    : undefined;
}

/** The first spliced-in value of a built template, for the message. */
function firstHole(model: SemanticModel, node: SyntaxNode): SyntaxNode | undefined {
  const build = analyseString(model, node);
  return build === undefined ? undefined : holesOf(build)[0];
}
