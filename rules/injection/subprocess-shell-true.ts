import { defineRule } from '../../src/rules-api/define-rule.js';
import { commandVerdict } from '../_shared/command-verdict.js';
import { SUBPROCESS_FUNCTIONS } from '../_shared/process-apis.js';
import { shortText } from '../_shared/short-text.js';
import { testAdjusted } from '../_shared/test-confidence.js';

export default defineRule({
  meta: {
    id: 'PGI006',
    slug: 'subprocess-shell-true',
    title: 'subprocess call with shell=True',
    category: 'injection',
    severity: 'high',
    confidence: 'high',
    cwe: [78],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags `subprocess.Popen`, `run`, `call`, `check_call` and `check_output` called with a truthy `shell=` argument.',
    why: 'With `shell=True` the command string is parsed by `/bin/sh` (or `cmd.exe`), so quotes, `;`, `|`, `&&` and `$(…)` inside any value spliced into it start commands of their own. A literal command is only a hardening issue; a formatted one is command injection as soon as one part comes from outside.',
    fix: 'Pass the command as a list (`["git", "log", ref]`) and drop `shell=True`; each element then reaches the program as exactly one argument. If shell features are really needed, quote every spliced-in value with `shlex.quote()`.',
    example: {
      bad: 'import subprocess\n\ndef grep(pattern, path):\n    return subprocess.check_output(f"grep {pattern} {path}", shell=True)\n',
      good: 'import subprocess\n\ndef grep(pattern, path):\n    return subprocess.check_output(["grep", "--", pattern, path])\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/78.html',
      'https://docs.python.org/3/library/subprocess.html#security-considerations',
      'https://docs.python.org/3/library/shlex.html#shlex.quote',
    ],
    bandit: ['B602'],
    ruff: ['S602'],
  },
  messages: {
    builtCommand:
      '`{{callee}}` runs a command built with {{how}} with `shell=True`; a value containing `;`, `|` or `$(…)` runs commands of its own. Pass an argument list without `shell=True`.',
    dynamicCommand:
      '`{{callee}}` runs `{{command}}` with `shell=True`; if any part of it comes from outside, it can run arbitrary commands. Pass an argument list without `shell=True`.',
    quotedCommand:
      '`{{callee}}` uses `shell=True`; the spliced-in values are `shlex.quote`d, but an argument list without a shell is simpler and safer.',
    literalCommand:
      '`{{callee}}` starts a shell for the fixed command `{{command}}`; pass it as an argument list without `shell=True` unless shell features are needed.',
  },
  create(context) {
    const { model } = context;
    return {
      call(node) {
        const call = context.call(node);
        const callee = call.qualifiedName;
        if (callee === undefined || !SUBPROCESS_FUNCTIONS.has(callee)) return;
        const shell = call.keywords.get('shell');
        if (shell === undefined) return;
        const truthy = model.truthiness(shell);
        if (truthy === false) return;
        const command = model.argument(call, 'args', 0);
        if (command === undefined) return;
        const verdict = commandVerdict(model, command);
        const messageId = (
          {
            literal: 'literalCommand',
            quoted: 'quotedCommand',
            built: 'builtCommand',
            dynamic: 'dynamicCommand',
          } as const
        )[verdict.kind];
        // `shell=flag`: a shell only when the flag is set at run time.
        const confidence = truthy === undefined ? 'low' : verdict.confidence;
        context.report({
          node,
          messageId,
          data: {
            callee,
            how: verdict.how,
            command: shortText(context.textOf(command)),
          },
          severity: verdict.severity,
          confidence: testAdjusted(confidence, context.isTestFile),
        });
      },
    };
  },
});
