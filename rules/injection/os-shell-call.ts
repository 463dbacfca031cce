import { defineRule } from '../../src/rules-api/define-rule.js';
import type { Confidence, Severity } from '../../src/engine/types.js';
import { mentions } from '../_shared/mentions.js';
import { commandShape } from '../_shared/shell-command.js';
import { shortText } from '../_shared/short-text.js';
import { describeBuild } from '../_shared/string-pieces.js';
import { testAdjusted } from '../_shared/test-confidence.js';
import { UNTRUSTED_INPUT } from '../_shared/untrusted-input.js';

/** Functions that always hand their command string to `/bin/sh -c` (or `cmd.exe /c`). */
const SHELL_FUNCTIONS: ReadonlySet<string> = new Set([
  'os.system',
  'os.popen',
  'os.popen2',
  'os.popen3',
  'os.popen4',
  'posix.system',
  'posix.popen',
  'nt.system',
  'nt.popen',
  'subprocess.getoutput',
  'subprocess.getstatusoutput',
  'commands.getoutput',
  'commands.getstatusoutput',
  'popen2.popen2',
  'popen2.popen3',
  'popen2.popen4',
  'popen2.Popen3',
  'popen2.Popen4',
]);

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
      'Flags `os.system`, `os.popen*`, `subprocess.getoutput`/`getstatusoutput`, `commands.*` and `popen2.*` called with a command that is not a string literal.',
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
    bandit: ['B605'],
    ruff: ['S605'],
  },
  messages: {
    builtCommand:
      '`{{callee}}` runs a command built with {{how}} through the shell; a value containing `;`, `|` or `$(…)` runs commands of its own. Pass an argument list to `subprocess.run` instead.',
    quotedCommand:
      '`{{callee}}` runs a command through the shell; its spliced-in values are `shlex.quote`d, but an argument list for `subprocess.run` avoids the shell altogether.',
    dynamicCommand:
      '`{{callee}}` runs `{{command}}` through the shell; if any part of it comes from outside, it can run arbitrary commands. Pass an argument list to `subprocess.run` instead.',
  },
  create(context) {
    const { model } = context;
    return {
      call(node) {
        const call = context.call(node);
        const callee = call.qualifiedName;
        if (callee === undefined || !SHELL_FUNCTIONS.has(callee)) return;
        const command = model.argument(call, 'cmd', 0) ?? call.keywords.get('command');
        if (command === undefined) return;
        const shape = commandShape(model, command);
        if (shape.kind === 'literal') return;
        const untrusted = mentions(model, command, UNTRUSTED_INPUT);
        let severity: Severity;
        let confidence: Confidence;
        let messageId: 'builtCommand' | 'quotedCommand' | 'dynamicCommand';
        if (shape.quoted) {
          [severity, confidence, messageId] = ['low', 'medium', 'quotedCommand'];
        } else if (shape.kind === 'built') {
          [severity, confidence, messageId] = ['high', 'high', 'builtCommand'];
        } else {
          [severity, confidence, messageId] = [
            untrusted ? 'high' : 'medium',
            'medium',
            'dynamicCommand',
          ];
        }
        context.report({
          node,
          messageId,
          data: {
            callee,
            how: shape.kind === 'built' ? describeBuild(shape.how) : '',
            command: shortText(context.textOf(command)),
          },
          severity,
          confidence: testAdjusted(confidence, context.isTestFile),
        });
      },
    };
  },
});
