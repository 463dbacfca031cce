import { callVisitors, defineRule } from '../../src/rules-api/index.js';
import {
  COMMAND_MESSAGES,
  commandVerdict,
  reportCommandVerdict,
} from '../_shared/command-verdict.js';
import { SHELL_FUNCTIONS } from '../_shared/process-apis.js';

export default defineRule({
  meta: {
    id: 'PGI005',
    slug: 'os-shell-call',
    title: 'Command run through the shell by os.system, os.popen or getoutput',
    category: 'injection',
    severity: 'high',
    confidence: 'high',
    cwe: [78],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags `os.system`, `os.popen*`, `subprocess.getoutput`/`getstatusoutput`, `commands.*` and `popen2.*` called with a command that is not a string literal, with the path when request data or command-line input reaches it unquoted.',
    why: 'These functions always pass their command to a shell, so quotes, `;`, `|`, `$(…)` or a newline inside a spliced-in value start commands of their own. A file name or a form field is enough to run anything the process can run.',
    fix: 'Call `subprocess.run([program, arg, ...])` with a list and no shell, so each value stays one argument. When a shell is truly needed, quote every spliced-in value with `shlex.quote()`.',
    example: {
      bad: 'import os\n\ndef archive(name):\n    os.system(f"tar czf /tmp/{name}.tgz /srv/data")\n',
      good: 'import subprocess\n\ndef archive(name):\n    subprocess.run(["tar", "czf", f"/tmp/{name}.tgz", "/srv/data"], check=True)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/78.html',
      'https://docs.python.org/3/library/os.html#os.system',
      'https://docs.python.org/3/library/subprocess.html#subprocess.getoutput',
      'https://docs.python.org/3/library/subprocess.html#replacing-older-functions-with-the-subprocess-module',
      'https://docs.python.org/3/library/shlex.html#shlex.quote',
    ],
    auditAdds: 'constant command lines (`os.system("ls")`)',
    bandit: ['B605'],
    ruff: ['S605'],
    supersedes: ['PGI010'],
  },
  messages: {
    literalCommand:
      '`{{callee}}` runs the constant command `{{command}}` through the shell; nothing from outside reaches it, but an argument list for `subprocess.run` needs no shell.',
    taintedCommand:
      '`{{callee}}` runs a shell command built from {{origin}}: {{path}}. A value containing `;`, `|` or `$(…)` runs commands of its own; pass an argument list to `subprocess.run` instead, or `shlex.quote()` the value.',
    builtCommand:
      '`{{callee}}` runs a command built with {{how}} through the shell; a value containing `;`, `|` or `$(…)` runs commands of its own. Pass an argument list to `subprocess.run` instead.',
    quotedCommand:
      '`{{callee}}` runs a command through the shell; its spliced-in values are `shlex.quote`d, but an argument list for `subprocess.run` avoids the shell altogether.',
    dynamicCommand:
      '`{{callee}}` runs `{{command}}` through the shell; if any part of it comes from outside, it can run arbitrary commands. Pass an argument list to `subprocess.run` instead.',
  },
  select: { calls: [...SHELL_FUNCTIONS] },
  create(context) {
    const { model } = context;
    return callVisitors(context, (node, call) => {
      const callee = call.qualifiedName;
      if (callee === undefined || !SHELL_FUNCTIONS.has(callee)) return;
      const command = model.argument(call, 'cmd', 0) ?? call.keywords.get('command');
      if (command === undefined) return;
      const verdict = commandVerdict(context, command, node, callee);
      reportCommandVerdict(context, node, verdict, {
        messages: COMMAND_MESSAGES,
        data: { callee },
      });
    });
  },
});
