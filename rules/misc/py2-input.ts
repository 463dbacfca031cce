import { callVisitors, defineRule, testAdjusted } from '../../src/rules-api/index.js';

/**
 * The only signal taken as "this file is Python 2": a first-line shebang that names a Python 2
 * interpreter (`#!/usr/bin/env python2`, `#!/usr/bin/python2.7`). Print statements, `raw_input`
 * or a missing `from __future__` import are not used: they also appear in Python 3 code (or do
 * not parse), and the rule must never fire on Python 3, where `input()` returns a plain string.
 */
const PYTHON2_SHEBANG = /^#![^\n]*\bpython2(?:\.\d+)?(?![\w.])/;

export default defineRule({
  meta: {
    id: 'PGM010',
    slug: 'py2-input',
    title: 'Python 2 `input()` evaluates what the user types',
    category: 'misc',
    severity: 'high',
    confidence: 'high',
    cwe: [94, 95],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags calls to the built-in `input()` in files whose shebang names a Python 2 interpreter, where `input()` is `eval(raw_input())`.',
    why: "In Python 2, `input()` runs the typed text through `eval`, so whoever controls standard input (a user, a pipe, a wrapper script) can run code such as `__import__('os').system('sh')` with the script's privileges. Python 3's `input()` is safe, which is why only files marked as Python 2 are checked.",
    fix: 'Use `raw_input()` and convert the text explicitly (`int(raw_input())`), or import the Python 3 behaviour with `from builtins import input` (the `future` package) or `from six.moves import input`; better, port the script to Python 3.',
    example: {
      bad: '#!/usr/bin/env python2\nage = input("Age: ")\n',
      good: '#!/usr/bin/env python2\nage = int(raw_input("Age: "))\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/95.html',
      'https://docs.python.org/2/library/functions.html#input',
      'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_calls.html#b322-input',
    ],
    bandit: ['B322'],
    ruff: [],
  },
  messages: {
    evalInput:
      'This file runs under Python 2, where `input()` evaluates the typed text as Python code; use `raw_input()` and convert the result explicitly.',
  },
  select: { calls: ['input'] },
  create(context) {
    const python2 = PYTHON2_SHEBANG.test(context.text);
    if (!python2) return {};
    return callVisitors(context, (node, call) => {
      if (call.qualifiedName !== 'input') return;
      context.report({
        node,
        messageId: 'evalInput',
        confidence: testAdjusted('high', context.isTestFile),
      });
    });
  },
});
