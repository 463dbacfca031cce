import {
  callVisitors,
  defineRule,
  functionScopeOf,
  lastName,
  mayHoldUntrustedInput,
  taintedSink,
  valueDestination,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

const PARSERS = new Set(['float', 'complex', 'builtins.float', 'builtins.complex']);
/** One-argument calls that raise on NaN and infinity (`int(float(x))`), so neither gets past. */
const INTEGER_CONVERSIONS = new Set([
  'int',
  'round',
  'builtins.int',
  'builtins.round',
  'math.floor',
  'math.ceil',
  'math.trunc',
]);

/** Checks that reject NaN (and, for `isfinite`, infinities) once the number is parsed. */
const NAN_CHECKS = new Set(
  ['isnan', 'isfinite', 'isinf'].flatMap((name) => [
    `math.${name}`,
    `cmath.${name}`,
    `numpy.${name}`,
  ]),
);

export default defineRule({
  meta: {
    id: 'PGI031',
    slug: 'nan-injection',
    title: 'Request data parsed with float() without rejecting NaN',
    category: 'injection',
    severity: 'medium',
    confidence: 'high',
    cwe: [704],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags request data passed straight to `float()` or `complex()` in a function that never checks the result with `math.isnan`/`math.isfinite`.',
    why: '`float()` accepts `"nan"`, `"inf"` and `"-infinity"` as well as numbers. NaN compares false with everything, so checks such as `if amount > balance: reject()` or `if not 0 <= rating <= 5: reject()` let it through, and it then spreads through arithmetic into stored totals, prices or scores; infinities break limits the same way.',
    fix: 'Reject non-finite values right after parsing: `value = float(text)` then `if not math.isfinite(value): abort(400)`. Where whole numbers are expected, parse with `int()`; for money, use `decimal.Decimal` and check `is_finite()`; or validate the text with a strict regular expression first.',
    example: {
      bad: 'from flask import request\n\n\n@app.route("/transfer", methods=["POST"])\ndef transfer():\n    amount = float(request.form["amount"])\n    if amount > balance():\n        abort(400)\n    move_money(amount)\n',
      good: 'import math\n\nfrom flask import request\n\n\n@app.route("/transfer", methods=["POST"])\ndef transfer():\n    amount = float(request.form["amount"])\n    if not math.isfinite(amount) or amount > balance():\n        abort(400)\n    move_money(amount)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/704.html',
      'https://docs.python.org/3/library/functions.html#float',
      'https://docs.python.org/3/library/math.html#math.isfinite',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    taintedFloat:
      'Request data goes straight into `{{callee}}()`: {{path}}. It accepts `"nan"` and `"inf"`, which slip past comparisons such as `x > limit`; reject them with `math.isfinite()` or parse with `int()`.',
  },
  select: { calls: [...PARSERS] },
  create(context) {
    const { model } = context;
    // Reported only for traced input: files that cannot hold a source need no visit.
    if (!mayHoldUntrustedInput(model)) return {};

    /** Whether the function holding the call checks its result (or the same call) for NaN. */
    const checkedForNan = (node: SyntaxNode): boolean => {
      const stored = new Set(valueDestination(model, node).names);
      const text = context.textOf(node);
      const scope = functionScopeOf(model, node).node;
      return model.allCalls().some((candidate) => {
        if (candidate.startIndex < scope.startIndex || candidate.endIndex > scope.endIndex) {
          return false;
        }
        const check = context.call(candidate);
        if (check.qualifiedName === undefined || !NAN_CHECKS.has(check.qualifiedName)) return false;
        const argument = check.positional[0];
        if (argument === undefined) return false;
        if (context.textOf(argument) === text) return true;
        const name = lastName(model, argument);
        return name !== undefined && stored.has(name);
      });
    };

    /** `int(float(x))`: the parsed number goes straight into a conversion that rejects NaN. */
    const convertedToInteger = (node: SyntaxNode): boolean => {
      let inner = node;
      let parent = node.parent;
      while (parent?.type === 'parenthesized_expression') {
        inner = parent;
        parent = parent.parent;
      }
      const outer = parent?.type === 'argument_list' ? parent.parent : null;
      if (outer?.type !== 'call') return false;
      const conversion = context.call(outer);
      const only = conversion.positional[0];
      return (
        conversion.positional.length === 1 &&
        conversion.keywords.size === 0 &&
        only?.startIndex === inner.startIndex &&
        INTEGER_CONVERSIONS.has(conversion.qualifiedName ?? '')
      );
    };

    return callVisitors(context, (node, call) => {
      const name = call.qualifiedName;
      if (name === undefined || !PARSERS.has(name) || convertedToInteger(node)) return;
      const argument = call.positional[0];
      if (argument === undefined) return;
      // The engine counts float() as a sanitiser, so ask about what goes into it; any sink kind
      // works, `sql` keeps the transformations that change the text (base64, hex) as clearing.
      const callee = context.textOf(call.callee);
      const tainted = taintedSink(context, argument, 'sql', node, callee);
      if (tainted === undefined || tainted.trace.trust !== 'web') return;
      if (checkedForNan(node)) return;
      context.report({
        node,
        messageId: 'taintedFloat',
        data: { callee, path: tainted.path },
        severity: 'medium',
        confidence: tainted.confidence,
        flow: tainted.flow,
      });
    });
  },
});
