import {
  callVisitors,
  codeShape,
  defineRule,
  reportTaintedSink,
  reportUntracedCode,
} from '../../src/rules-api/index.js';

const EVAL = new Set(['eval', 'builtins.eval']);

/** The message of each grade of an untraced finding. */
const AUDIT_MESSAGES = {
  built: 'builtExpression',
  file: 'fileExpression',
  dynamic: 'dynamicExpression',
} as const;

export default defineRule({
  meta: {
    id: 'PGI016',
    slug: 'eval-used',
    title: 'eval() of a non-literal expression',
    category: 'injection',
    severity: 'high',
    confidence: 'high',
    cwe: [95, 94],
    owasp: ['A03:2021 Injection'],
    description: 'Flags the builtin `eval` called with an expression that is not a literal.',
    why: '`eval` runs any Python expression with the full power of the process: `__import__("os").system(...)` is an expression. Emptying `__builtins__` in the globals does not help, because builtins can be reached again through object attributes.',
    fix: 'Parse data instead of evaluating it: `ast.literal_eval` for Python literals, `json.loads` for JSON, `int()`/`float()` for numbers, or a lookup table of allowed operations for small expression languages.',
    example: {
      bad: 'def parse_filter(text):\n    return eval(text)\n',
      good: 'import ast\n\ndef parse_filter(text):\n    return ast.literal_eval(text)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/95.html',
      'https://docs.python.org/3/library/functions.html#eval',
      'https://docs.python.org/3/library/ast.html#ast.literal_eval',
    ],
    auditAdds: 'constant expressions (`eval("1 + 2")`)',
    bandit: ['B307'],
    ruff: ['S307'],
  },
  messages: {
    literalExpression:
      '`eval` evaluates a constant expression; nothing from outside reaches it, but the expression written as code (or `ast.literal_eval` for a literal) needs no `eval`.',
    taintedExpression:
      '`eval` runs Python built from {{origin}}: {{path}}. Whoever sends it runs code in this process; parse the data with `ast.literal_eval` or `json.loads` instead.',
    builtExpression:
      '`eval` runs an expression built with {{how}}; a spliced-in value can inject any Python code. Parse the data with `ast.literal_eval` or `json.loads` instead.',
    dynamicExpression:
      '`eval({{code}})` runs whatever Python expression the value holds; parse it with `ast.literal_eval` or `json.loads` instead.',
    fileExpression:
      '`eval` runs Python read from a file; import the module or parse the file as data instead.',
  },
  select: { calls: [...EVAL] },
  create(context) {
    const { model } = context;
    return callVisitors(context, (node, call) => {
      if (call.qualifiedName === undefined || !EVAL.has(call.qualifiedName)) return;
      const source = model.argument(call, 'source', 0);
      if (source === undefined) return;
      const shape = codeShape(model, source);
      if (shape.kind === 'literal') {
        // An expression written into the program is the program's own: an audit matter.
        context.report({
          node,
          messageId: 'literalExpression',
          severity: 'low',
          profile: 'audit',
        });
        return;
      }
      const tainted = reportTaintedSink(context, {
        node,
        value: shape.source,
        sink: 'code',
        label: 'eval',
        messageId: 'taintedExpression',
      });
      if (tainted !== undefined) return;
      // No path from outside input was found: an audit finding, graded by how the code is made.
      reportUntracedCode(context, node, shape, AUDIT_MESSAGES);
    });
  },
});
