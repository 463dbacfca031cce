import {
  callVisitors,
  argvOfArguments,
  argvRisks,
  argvVerdict,
  defineRule,
  importsModule,
  positionalWithSplats,
  reportArgvVerdict,
} from '../../src/rules-api/index.js';
import { ARGV_MESSAGES } from '../_shared/argv.js';
import { ASYNCIO_EXEC, ASYNCIO_SHELL } from '../_shared/process-apis.js';
import {
  commandVerdict,
  reportCommandVerdict,
  type CommandVerdict,
} from '../_shared/command-verdict.js';

const SHELL_MESSAGES = {
  literal: 'literalShell',
  tainted: 'taintedShell',
  quoted: 'quotedShell',
  built: 'builtShell',
  dynamic: 'dynamicShell',
} as const satisfies Record<CommandVerdict['kind'], string>;

/** Event-loop methods (`loop.subprocess_shell(factory, cmd)`): the command follows the factory. */
const LOOP_METHODS: ReadonlySet<string> = new Set(['subprocess_shell', 'subprocess_exec']);

export default defineRule({
  meta: {
    id: 'PGI012',
    slug: 'asyncio-subprocess',
    title: 'asyncio subprocess started with a command that is not a constant',
    category: 'injection',
    severity: 'high',
    confidence: 'medium',
    cwe: [78],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags `asyncio.create_subprocess_shell` and `loop.subprocess_shell` with a command that is not a literal, and `asyncio.create_subprocess_exec` and `loop.subprocess_exec` whose program, arguments or inline `-c` code are not constants, rated high when request data reaches them.',
    why: 'The asyncio functions are the async twins of `subprocess`: `create_subprocess_shell` always runs its command through `/bin/sh`, so a spliced-in value containing `;`, `|` or `$(…)` runs commands of its own, and `create_subprocess_exec` with a program or `sh -c` code chosen at run time is no safer. Bandit and ruff do not look at these calls.',
    fix: 'Use `asyncio.create_subprocess_exec(program, arg1, arg2)` with a constant program and each value as its own argument, put `--` before values that must not be read as options, and never pass outside input as `sh -c` code. If a shell is really needed, quote every spliced-in value with `shlex.quote()`.',
    example: {
      bad: 'import asyncio\n\nasync def ping(host):\n    proc = await asyncio.create_subprocess_shell(f"ping -c 1 {host}")\n    return await proc.wait()\n',
      good: 'import asyncio\n\nasync def ping(host):\n    proc = await asyncio.create_subprocess_exec("/bin/ping", "-c", "1", "--", host)\n    return await proc.wait()\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/78.html',
      'https://docs.python.org/3/library/asyncio-subprocess.html#asyncio.create_subprocess_shell',
      'https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.subprocess_shell',
      'https://docs.python.org/3/library/shlex.html#shlex.quote',
    ],
    auditAdds:
      'constant shell command lines (`create_subprocess_shell("ls")`) and programs started with nothing risky in their argument list (`create_subprocess_exec("ls", "-l")`)',
    bandit: [],
    ruff: [],
    supersedes: ['PGI010'],
  },
  messages: {
    literalShell:
      '`{{callee}}` runs the constant command `{{command}}` through the shell; nothing from outside reaches it, but `create_subprocess_exec` with separate arguments needs no shell.',
    ...ARGV_MESSAGES,
    taintedShell:
      '`{{callee}}` runs a shell command built from {{origin}}: {{path}}. A value containing `;`, `|` or `$(…)` runs commands of its own; use `create_subprocess_exec` with separate arguments, or `shlex.quote()` the value.',
    builtShell:
      '`{{callee}}` runs a command built with {{how}} through the shell; a value containing `;`, `|` or `$(…)` runs commands of its own. Use `create_subprocess_exec` with separate arguments.',
    dynamicShell:
      '`{{callee}}` runs `{{command}}` through the shell; if any part of it comes from outside, it can run arbitrary commands. Use `create_subprocess_exec` with separate arguments.',
    quotedShell:
      '`{{callee}}` runs a shell command whose spliced-in values are `shlex.quote`d; `create_subprocess_exec` with separate arguments avoids the shell altogether.',
  },
  select: { calls: [...ASYNCIO_SHELL.keys(), ...ASYNCIO_EXEC], methods: [...LOOP_METHODS] },
  create(context) {
    const { model } = context;
    return callVisitors(context, (node, call) => {
      const name = call.qualifiedName;
      const method = call.methodName;
      let kind: 'shell' | 'exec';
      let first: number;
      if (name !== undefined && ASYNCIO_SHELL.has(name)) [kind, first] = ['shell', 0];
      else if (name !== undefined && ASYNCIO_EXEC.has(name)) [kind, first] = ['exec', 0];
      else if (
        method !== undefined &&
        LOOP_METHODS.has(method) &&
        call.callee.type === 'attribute' &&
        importsModule(model, 'asyncio')
      )
        [kind, first] = [method === 'subprocess_shell' ? 'shell' : 'exec', 1];
      else return;
      const callee = name ?? `loop.${method ?? ''}`;
      if (kind === 'exec') {
        const argv = argvOfArguments(model, positionalWithSplats(node).slice(first));
        const verdict = argvVerdict(context, argvRisks(model, argv), node, callee);
        if (verdict !== undefined) reportArgvVerdict(context, node, callee, verdict);
        return;
      }
      const command = model.argument(call, 'cmd', first);
      if (command === undefined) return;
      const verdict = commandVerdict(context, command, node, callee);
      reportCommandVerdict(context, node, verdict, { messages: SHELL_MESSAGES, data: { callee } });
    });
  },
});
