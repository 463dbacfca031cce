import { callVisitors, defineRule } from '../../src/rules-api/index.js';

const UNSAFE: ReadonlySet<string> = new Set(['tempfile.mktemp', 'os.tempnam', 'os.tmpnam']);

export default defineRule({
  meta: {
    id: 'PGF003',
    slug: 'insecure-mktemp',
    title: 'Temporary file name created without the file',
    category: 'filesystem',
    severity: 'medium',
    confidence: 'high',
    cwe: [377],
    owasp: ['A01:2021 Broken Access Control'],
    description: 'Flags `tempfile.mktemp()` and the Python 2 `os.tempnam()` / `os.tmpnam()`.',
    why: 'These functions return a name that did not exist a moment ago but create nothing. Between that check and the moment the program opens the path, another local user can create the file or a symlink there, so the program writes to or reads from a file the attacker controls (a classic race condition).',
    fix: 'Create the file and get its name in one step: `fd, path = tempfile.mkstemp()`, `tempfile.NamedTemporaryFile(delete=False)`, or `tempfile.TemporaryDirectory()` / `tempfile.mkdtemp()` when you need a directory to put files in.',
    example: {
      bad: "import tempfile\n\npath = tempfile.mktemp(suffix='.csv')\nwith open(path, 'w') as out:\n    out.write(report)\n",
      good: "import tempfile\n\nwith tempfile.NamedTemporaryFile('w', suffix='.csv', delete=False) as out:\n    out.write(report)\n    path = out.name\n",
    },
    references: [
      'https://cwe.mitre.org/data/definitions/377.html',
      'https://docs.python.org/3/library/tempfile.html#tempfile.mktemp',
    ],
    bandit: ['B306', 'B325'],
    ruff: ['S306'],
  },
  messages: {
    mktemp:
      '`{{callee}}` returns a file name without creating the file, so another process can claim the path first; use `tempfile.mkstemp()` or `tempfile.NamedTemporaryFile()`, which create the file safely.',
  },
  select: { calls: [...UNSAFE] },
  create(context) {
    return callVisitors(context, (node, call) => {
      if (call.qualifiedName === undefined || !UNSAFE.has(call.qualifiedName)) return;
      context.report({
        node,
        messageId: 'mktemp',
        data: { callee: context.textOf(call.callee) },
      });
    });
  },
});
