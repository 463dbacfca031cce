import {
  callVisitors,
  defineRule,
  type CallInfo,
  type ReportFix,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import {
  COMMAND_MESSAGES,
  commandVerdict,
  reportCommandVerdict,
} from '../_shared/command-verdict.js';
import { SUBPROCESS_FUNCTIONS } from '../_shared/process-apis.js';
import { plainArgv } from '../_shared/shell-split.js';

/**
 * `run(["ls", "-l"], shell=False)` for `run("ls -l", shell=True)`: only for a string literal
 * that a shell would split into plain words (see `plainArgv`), `shell=True` written as such,
 * and no `executable=` (which with a shell replaces the shell) or `**kwargs`.
 */
function argumentListFix(
  model: SemanticModel,
  call: CallInfo,
  command: SyntaxNode,
  shell: SyntaxNode,
): ReportFix | undefined {
  if (shell.type !== 'true' || call.keywords.has('executable') || call.hasKwargs) return undefined;
  if (command.type !== 'string' || /^[a-zA-Z]*[bBfFtT]/.test(model.textOf(command)))
    return undefined;
  const value = model.staticString(command);
  const argv = value === undefined ? undefined : plainArgv(value);
  if (argv === undefined) return undefined;
  const quote = /^[a-zA-Z]*'/.test(model.textOf(command)) ? "'" : '"';
  return {
    description: 'Pass an argument list without a shell',
    target: command,
    replacement: `[${argv.map((word) => `${quote}${word}${quote}`).join(', ')}]`,
    additionalEdits: [{ target: shell, replacement: 'False' }],
  };
}

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
      'Flags `subprocess.Popen`, `run`, `call`, `check_call` and `check_output` called with a truthy `shell=` argument, graded by how the command was built and raised when request data or command-line input reaches it unquoted.',
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
    auditAdds: 'constant command lines (`subprocess.run("ls -l", shell=True)`)',
    bandit: ['B602'],
    ruff: ['S602'],
    supersedes: ['PGI010'],
    fixable: true,
  },
  messages: {
    taintedCommand:
      '`{{callee}}` runs a command built from {{origin}} with `shell=True`: {{path}}. A value containing `;`, `|` or `$(…)` runs commands of its own; pass an argument list without `shell=True`.',
    builtCommand:
      '`{{callee}}` runs a command built with {{how}} with `shell=True`; a value containing `;`, `|` or `$(…)` runs commands of its own. Pass an argument list without `shell=True`.',
    dynamicCommand:
      '`{{callee}}` runs `{{command}}` with `shell=True`; if any part of it comes from outside, it can run arbitrary commands. Pass an argument list without `shell=True`.',
    quotedCommand:
      '`{{callee}}` uses `shell=True`; the spliced-in values are `shlex.quote`d, but an argument list without a shell is simpler and safer.',
    literalCommand:
      '`{{callee}}` starts a shell for `{{command}}`, which has nothing spliced in from outside; pass it as an argument list without `shell=True` unless shell features are needed.',
  },
  select: { calls: [...SUBPROCESS_FUNCTIONS] },
  create(context) {
    const { model } = context;
    return callVisitors(context, (node, call) => {
      const callee = call.qualifiedName;
      if (callee === undefined || !SUBPROCESS_FUNCTIONS.has(callee)) return;
      const shell = call.keywords.get('shell');
      if (shell === undefined) return;
      const truthy = model.truthiness(shell);
      if (truthy === false) return;
      const command = model.argument(call, 'args', 0);
      if (command === undefined) return;
      const verdict = commandVerdict(context, command, node, callee);
      reportCommandVerdict(context, node, verdict, {
        messages: COMMAND_MESSAGES,
        data: { callee },
        // `shell=flag`: a shell only when the flag is set at run time.
        confidence:
          truthy !== undefined
            ? undefined
            : verdict.kind === 'tainted' && verdict.confidence === 'high'
              ? 'medium'
              : 'low',
        fix: verdict.kind === 'literal' ? argumentListFix(model, call, command, shell) : undefined,
      });
    });
  },
});
