import {
  callVisitors,
  argvOf,
  argvOfArguments,
  argvRisks,
  argvVerdict,
  defineRule,
  positionalWithSplats,
  reportArgvVerdict,
  type Argv,
  type ArgvMessageId,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { ARGV_MESSAGES } from '../_shared/argv.js';
import { EXEC_FUNCTIONS, type ExecLayout } from '../_shared/process-apis.js';

export default defineRule({
  meta: {
    id: 'PGI009',
    slug: 'exec-spawn-no-shell',
    title: 'os.exec*, os.spawn* or os.startfile with a program or arguments that are not constants',
    category: 'injection',
    severity: 'low',
    confidence: 'medium',
    cwe: [78],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags `os.exec*`, `os.spawn*`, `os.posix_spawn*` and `os.startfile` when the program, one of its arguments or inline shell/interpreter code is not a constant, and rates it high when request data chooses what runs.',
    why: 'These functions start a program directly, without a shell, so each argument stays one argument. The risk is in what is chosen at run time: a program path from outside runs anything, `os.execl("/bin/sh", "sh", "-c", cmd)` is a shell command line again, and an argument that starts with `-` can be read as an option. `os.startfile` opens a path with whatever application the system associates with it, which for an `.exe` or `.bat` means running it.',
    fix: 'Keep the program a constant absolute path (or `sys.executable`), never pass outside input as `-c` code to a shell or interpreter, put `--` before values that must not be read as options, and check file names against an allowlist before `os.startfile`. Prefer `subprocess.run([...])` with a list, which is easier to read and to check.',
    example: {
      bad: 'import os\n\ndef run_hook(hook):\n    os.execl("/bin/sh", "sh", "-c", hook)\n',
      good: 'import os\n\nHOOKS = {"lint": "/usr/local/bin/lint-hook"}\n\ndef run_hook(name):\n    os.execv(HOOKS[name], [HOOKS[name]])\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/78.html',
      'https://docs.python.org/3/library/os.html#os.execl',
      'https://docs.python.org/3/library/os.html#os.spawnl',
      'https://docs.python.org/3/library/os.html#os.posix_spawn',
      'https://docs.python.org/3/library/os.html#os.startfile',
    ],
    auditAdds:
      'calls whose argument list holds nothing risky (`os.execv("/bin/ls", ["ls", "-l"])`)',
    bandit: ['B606'],
    ruff: ['S606'],
    supersedes: ['PGI010'],
  },
  messages: {
    ...ARGV_MESSAGES,
    startfileTainted:
      '`{{callee}}` opens a path chosen by {{origin}}: {{path}}. The system runs it with its associated application, which executes programs and scripts; check the path against an allowlist.',
    startfileDynamic:
      '`{{callee}}` opens `{{value}}` with the application the system associates with it, which runs it if it is a program or script; check the path against an allowlist.',
  },
  select: { calls: [...EXEC_FUNCTIONS.keys()] },
  create(context) {
    const { model } = context;
    return callVisitors(context, (node, call) => {
      const callee = call.qualifiedName;
      if (callee === undefined) return;
      const layout = EXEC_FUNCTIONS.get(callee);
      if (layout === undefined) return;
      const positional = positionalWithSplats(node);
      const program =
        positional[layout.program] ?? call.keywords.get('path') ?? call.keywords.get('filepath');
      if (program === undefined || program.type === 'list_splat') return;
      const argv = argumentsOf(model, layout, positional, call.keywords.get('arguments'));
      // The argv's first element is only the name the program sees; what runs is `program`.
      const risks = argvRisks(model, {
        items: [
          { node: program, value: model.staticString(program), exact: true },
          ...argv.items.slice(1),
        ],
        opaque: argv.opaque,
      });
      const verdict = argvVerdict(context, risks, node, callee);
      if (verdict === undefined) return;
      let messageId: ArgvMessageId | 'startfileDynamic' | 'startfileTainted' = verdict.messageId;
      // os.startfile's "program" is a document the system opens with its associated application.
      if (callee === 'os.startfile' && verdict.risk.kind === 'program')
        messageId = verdict.flow === undefined ? 'startfileDynamic' : 'startfileTainted';
      reportArgvVerdict(context, node, callee, verdict, messageId);
    });
  },
});

/** The argv a call passes, with a placeholder first element when it has none of its own. */
function argumentsOf(
  model: Parameters<typeof argvOf>[0],
  layout: ExecLayout,
  positional: readonly SyntaxNode[],
  keyword: SyntaxNode | undefined,
): Argv {
  const { kind, index, env } = layout.argv;
  switch (kind) {
    case 'list': {
      const list = positional[index];
      return list === undefined ? { items: [], opaque: [] } : argvOf(model, list);
    }
    case 'rest': {
      const end = env && positional.length > index + 1 ? -1 : undefined;
      return argvOfArguments(model, positional.slice(index, end));
    }
    case 'string': {
      // os.startfile's `arguments` is one command-line string for the program.
      const line = positional[index] ?? keyword;
      if (line === undefined) return { items: [], opaque: [] };
      const item = { node: line, value: model.staticString(line), exact: true };
      return { items: [item, item], opaque: [] };
    }
  }
}
