/**
 * When a constant command line means the same without a shell: the words `shlex.split` gives
 * for it are exactly what `/bin/sh` would pass to the program, and the program is one the
 * operating system can start by itself (not a shell builtin or keyword).
 */

/**
 * Characters a word may hold for the shell to pass it on unchanged: `shlex.quote`'s safe set.
 * No quotes, escapes, globs (`*?[`), expansions (`$`, `` ` ``, `~`), redirections, pipes,
 * separators, comments, braces or `!`.
 */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Commands a shell runs itself, POSIX `sh` and `cmd.exe` alike: as a program they do not exist
 * or do something else (`cd`, `export`, `echo` on Windows, `if`).
 */
const SHELL_COMMANDS = new Set([
  // POSIX special and regular builtins without a program of the same effect, and keywords.
  '.',
  ':',
  'alias',
  'bg',
  'break',
  'case',
  'cd',
  'command',
  'continue',
  'do',
  'done',
  'elif',
  'else',
  'esac',
  'eval',
  'exec',
  'exit',
  'export',
  'fc',
  'fg',
  'fi',
  'for',
  'function',
  'getopts',
  'hash',
  'if',
  'in',
  'jobs',
  'local',
  'read',
  'readonly',
  'return',
  'select',
  'set',
  'shift',
  'source',
  'then',
  'time',
  'times',
  'trap',
  'type',
  'ulimit',
  'umask',
  'unalias',
  'unset',
  'until',
  'wait',
  'while',
  // cmd.exe builtins (on Windows `shell=True` runs `cmd.exe /c`).
  'assoc',
  'call',
  'cls',
  'color',
  'copy',
  'date',
  'del',
  'dir',
  'echo',
  'endlocal',
  'erase',
  'ftype',
  'goto',
  'md',
  'mkdir',
  'mklink',
  'move',
  'path',
  'pause',
  'popd',
  'prompt',
  'pushd',
  'rd',
  'ren',
  'rename',
  'rmdir',
  'setlocal',
  'start',
  'title',
  'ver',
  'vol',
]);

/**
 * The argument list a shell would build from `command`, when giving it without a shell changes
 * nothing: words of plain characters separated by spaces or tabs, a first word that is not an
 * environment assignment (`LANG=C make`) or a shell command. Undefined otherwise.
 */
export function plainArgv(command: string): string[] | undefined {
  const words = command.split(/[ \t]+/).filter((word) => word !== '');
  const program = words[0];
  if (program === undefined || !words.every((word) => PLAIN_WORD.test(word))) return undefined;
  if (program.includes('=') || SHELL_COMMANDS.has(program.toLowerCase())) return undefined;
  return words;
}
