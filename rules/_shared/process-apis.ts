/**
 * The standard library's ways of starting a process, grouped the way bandit's shell-injection
 * checks group them: functions that always go through a shell, the `subprocess` functions that
 * take an argv (or a shell command with `shell=True`), and the `os` exec/spawn family that starts
 * a program directly. For the last group, where the program and its arguments sit in the call.
 */

function qualified(module: string, functions: string): string[] {
  return functions.split(' ').map((name) => `${module}.${name}`);
}

/** Functions that always hand their command string to `/bin/sh -c` (or `cmd.exe /c`). */
export const SHELL_FUNCTIONS: ReadonlySet<string> = new Set([
  ...qualified('os', 'system popen popen2 popen3 popen4'),
  ...qualified('posix', 'system popen'),
  ...qualified('nt', 'system popen'),
  ...qualified('subprocess', 'getoutput getstatusoutput'),
  ...qualified('commands', 'getoutput getstatusoutput'),
  ...qualified('popen2', 'popen2 popen3 popen4 Popen3 Popen4'),
]);

/** `subprocess` functions whose first argument is an argv list, or a command with `shell=True`. */
export const SUBPROCESS_FUNCTIONS: ReadonlySet<string> = new Set(
  qualified('subprocess', 'Popen run call check_call check_output'),
);

/** `asyncio` functions that run a command string through the shell, with its position. */
export const ASYNCIO_SHELL: ReadonlyMap<string, number> = new Map([
  ['asyncio.create_subprocess_shell', 0],
  ['asyncio.subprocess.create_subprocess_shell', 0],
]);

/** `asyncio` functions that take the program and its arguments as separate positionals. */
export const ASYNCIO_EXEC: ReadonlySet<string> = new Set([
  'asyncio.create_subprocess_exec',
  'asyncio.subprocess.create_subprocess_exec',
]);

/**
 * Where an `os` exec/spawn function takes its program and its arguments: `list` is one argv
 * sequence at `index`; `rest` is every positional from `index` on (minus a trailing `env` when
 * `env` is set); `string` is one command-line string at `index` (`os.startfile`).
 */
export interface ExecLayout {
  program: number;
  argv: { kind: 'list' | 'rest' | 'string'; index: number; env: boolean };
}

function layouts(
  names: string,
  program: number,
  kind: ExecLayout['argv']['kind'],
  index: number,
): [string, ExecLayout][] {
  return qualified('os', names).map((name) => [
    name,
    { program, argv: { kind, index, env: /e$/.test(name) } },
  ]);
}

/** The `os` functions that replace the process or start a new one without a shell. */
export const EXEC_FUNCTIONS: ReadonlyMap<string, ExecLayout> = new Map([
  ...layouts('execl execle execlp execlpe', 0, 'rest', 1),
  ...layouts('execv execve execvp execvpe', 0, 'list', 1),
  ...layouts('spawnl spawnle spawnlp spawnlpe', 1, 'rest', 2),
  ...layouts('spawnv spawnve spawnvp spawnvpe', 1, 'list', 2),
  ...layouts('posix_spawn posix_spawnp', 0, 'list', 1),
  ['os.startfile', { program: 0, argv: { kind: 'string', index: 2, env: false } }],
]);
