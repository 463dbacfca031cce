import {
  callVisitors,
  defineRule,
  mayHoldUntrustedInput,
  receiverOf,
  taintedSink,
  unwrapParens,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

const FORMAT_METHODS = new Set(['format', 'format_map']);

/** Templates written in the code: nothing from outside can be in them. */
const LITERAL_TEMPLATES = new Set(['string', 'concatenated_string']);

const NUMBERS = new Set(['integer', 'float']);

/** A `%` that is an operator (not `%=`, which is rare enough for templates to skip). */
const PERCENT = /%(?!=)/g;

export default defineRule({
  meta: {
    id: 'PGI030',
    slug: 'format-string-injection',
    title: 'Format template taken from untrusted input',
    category: 'injection',
    severity: 'high',
    confidence: 'high',
    cwe: [134],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags `.format()`, `.format_map()` and `%` formatting whose template (not its arguments) comes from request data or command-line input.',
    why: '`str.format` fields can follow attributes and indexes of the arguments, so a template such as `{user.__class__.__init__.__globals__[SECRET_KEY]}` reads module globals, configuration and secrets through any object passed in. `%` templates cannot walk attributes, but they read any key of the mapping they are given and can force huge paddings (`%999999999s`).',
    fix: 'Keep templates in the code and pass the input as an argument: `"Hello {name}".format(name=value)`. If users must write templates, use `string.Template` (`$name` substitution only) or a sandboxed template engine, and pass it only the plain values it needs.',
    example: {
      bad: 'from flask import request\n\n\n@app.route("/greet")\ndef greet():\n    return request.args["template"].format(user=current_user)\n',
      good: 'from string import Template\n\nfrom flask import request\n\n\n@app.route("/greet")\ndef greet():\n    return Template(request.args["template"]).safe_substitute(name=current_user.name)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/134.html',
      'https://docs.python.org/3/library/string.html#format-string-syntax',
      'https://docs.python.org/3/library/string.html#template-strings',
      'https://lucumr.pocoo.org/2016/12/29/careful-with-str-format/',
    ],
    bandit: [],
    ruff: [],
    supersedes: ['PGI040'],
  },
  messages: {
    taintedFormat:
      'The template of `{{sink}}` comes from {{origin}}: {{path}}. Fields like `{x.__class__.__init__.__globals__}` read attributes and globals through the arguments; keep the template in code and pass the input as an argument.',
    taintedPercent:
      'The `%` template here comes from {{origin}}: {{path}}. Its specifiers can read any key of the values given and force huge paddings; keep the template in code and pass the input as a value.',
  },
  select: { calls: ['str.format', 'str.format_map'], methods: [...FORMAT_METHODS] },
  create(context) {
    const { model } = context;
    // Reported only for traced input: files that cannot hold a source need no visit.
    if (!mayHoldUntrustedInput(model)) return {};

    /** Whether an expression may be a template from outside: literals are skipped cheaply. */
    const mayBeTainted = (template: SyntaxNode): boolean =>
      !LITERAL_TEMPLATES.has(unwrapParens(template).type);

    return {
      ...callVisitors(context, (node, call) => {
        const method = call.methodName;
        if (method === undefined) return;
        let template: SyntaxNode | undefined;
        if (call.qualifiedName === 'str.format' || call.qualifiedName === 'str.format_map') {
          template = call.positional[0]; // `str.format(template, ...)`
        } else if (FORMAT_METHODS.has(method)) {
          template = receiverOf(call);
        }
        if (template === undefined || !mayBeTainted(template)) return;
        // Ask about the template itself: the engine also carries taint from the arguments to the
        // call's result, and tainted arguments to a fixed template are fine.
        const sink = context.textOf(call.callee);
        const tainted = taintedSink(context, template, 'format', node, sink);
        if (tainted === undefined) return;
        context.report({
          node,
          messageId: 'taintedFormat',
          data: { sink, origin: tainted.origin, path: tainted.path },
          severity: tainted.severity,
          confidence: tainted.confidence,
          flow: tainted.flow,
        });
      }),
      end() {
        if (!context.text.includes('%')) return;
        const root = model.tree.rootNode;
        for (const match of context.text.matchAll(PERCENT)) {
          const operator = root.descendantForIndex(match.index);
          const expression = operator.parent;
          if (operator.type !== '%' || expression?.type !== 'binary_operator') continue;
          const left = expression.childForFieldName('left');
          if (left === null || !mayBeTainted(left)) continue;
          // `value % 2`: a number on the right is arithmetic, not a template being filled.
          const right = expression.childForFieldName('right');
          if (right !== null && NUMBERS.has(unwrapParens(right).type)) continue;
          const tainted = taintedSink(context, left, 'format', expression, '%');
          if (tainted === undefined) continue;
          context.report({
            node: expression,
            messageId: 'taintedPercent',
            data: { origin: tainted.origin, path: tainted.path },
            // Attribute walking is not possible with `%`: one step below `.format`.
            severity: tainted.trace.trust === 'web' ? 'medium' : 'low',
            confidence: tainted.confidence,
            flow: tainted.flow,
          });
        }
      },
    };
  },
});
