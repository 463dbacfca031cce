import {
  callVisitors,
  defineRule,
  mayHoldUntrustedInput,
  taintedSink,
} from '../../src/rules-api/index.js';

/** Functions of `re` and of the third-party `regex` module whose first argument is a pattern. */
const PATTERN_FUNCTIONS = new Set(
  [
    'compile',
    'search',
    'match',
    'fullmatch',
    'findall',
    'finditer',
    'sub',
    'subn',
    'split',
  ].flatMap((name) => [`re.${name}`, `regex.${name}`]),
);

export default defineRule({
  meta: {
    id: 'PGI026',
    slug: 'regex-injection',
    title: 'Regular expression built from untrusted input',
    category: 'injection',
    severity: 'medium',
    confidence: 'high',
    cwe: [730, 400],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags request data (or command-line input) used as the pattern of `re.compile`, `re.search`, `re.match`, `re.fullmatch`, `re.findall`, `re.finditer`, `re.sub`, `re.subn` or `re.split` without `re.escape`.',
    why: "Python's regular expression engine backtracks, so a pattern such as `(a+)+$` can take exponential time on a short input and tie up a worker (ReDoS). A user-supplied pattern also changes what the code matches: `.*` turns a search for one record into a search for all of them, and a validation regex can be made to accept anything.",
    fix: 'Treat the input as literal text: `re.escape(value)` before putting it in a pattern, or use plain string operations (`in`, `startswith`, `str.find`). If users really must supply patterns, use the `regex` module with its `timeout=` argument or a linear-time engine such as `re2`, and limit the pattern length.',
    example: {
      bad: 'import re\n\nfrom flask import request\n\n\n@app.route("/search")\ndef search():\n    pattern = re.compile(request.args["q"])\n    return [name for name in NAMES if pattern.search(name)]\n',
      good: 'import re\n\nfrom flask import request\n\n\n@app.route("/search")\ndef search():\n    pattern = re.compile(re.escape(request.args["q"]))\n    return [name for name in NAMES if pattern.search(name)]\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/730.html',
      'https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS',
      'https://docs.python.org/3/library/re.html#re.escape',
      'https://pypi.org/project/regex/',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    taintedPattern:
      'The pattern of `{{sink}}` comes from {{origin}}: {{path}}. A crafted pattern can backtrack for minutes (ReDoS) or match far more than intended; escape the value with `re.escape()` or compare it as plain text.',
  },
  select: { calls: [...PATTERN_FUNCTIONS] },
  create(context) {
    // Reported only for traced input: files that cannot hold a source need no visit.
    if (!mayHoldUntrustedInput(context.model)) return {};
    return callVisitors(context, (node, call) => {
      const name = call.qualifiedName;
      if (name === undefined || !PATTERN_FUNCTIONS.has(name)) return;
      // Only the pattern: a tainted subject string is what regular expressions are for.
      const pattern = context.model.argument(call, 'pattern', 0);
      if (pattern === undefined) return;
      const sink = context.textOf(call.callee);
      const tainted = taintedSink(context, pattern, 'regex', node, sink);
      if (tainted === undefined) return;
      // The `regex` module can bound matching time, which takes the denial of service away.
      const bounded = name.startsWith('regex.') && call.keywords.has('timeout');
      const web = tainted.trace.trust === 'web';
      context.report({
        node,
        messageId: 'taintedPattern',
        data: { sink, origin: tainted.origin, path: tainted.path },
        severity: web && !bounded ? 'medium' : 'low',
        confidence: tainted.confidence,
        flow: tainted.flow,
      });
    });
  },
});
