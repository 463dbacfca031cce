import {
  callVisitors,
  analyseString,
  argvOf,
  defineRule,
  positionalWithSplats,
  type CallInfo,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import {
  ASYNCIO_EXEC,
  ASYNCIO_SHELL,
  EXEC_FUNCTIONS,
  SHELL_FUNCTIONS,
  SUBPROCESS_FUNCTIONS,
} from '../_shared/process-apis.js';

/** Shell builtins and keywords: the shell runs these itself, without a `PATH` lookup. */
const SHELL_BUILTINS = new Set(
  (
    '. : [ [[ ! { ( alias bg break case cd command continue declare echo eval exec exit export ' +
    'false fg for getopts hash if let local printf pwd read readonly return set shift source ' +
    'test time times trap true type ulimit umask unalias unset until wait while'
  ).split(' '),
);

/** `/usr/bin/git`, `\\server\x`, `C:\x`, `./x`, `../x`, `~/x`, `$HOME/x`, `%WINDIR%\x`. */
const NOT_A_PATH_LOOKUP = /^(?:[/\\.~$%]|[A-Za-z]:)/;

/** `FOO=bar` before a command in a shell line. */
const ASSIGNMENT = /^[A-Za-z_]\w*=/;

interface Program {
  name: string;
  node: SyntaxNode;
}

export default defineRule({
  meta: {
    id: 'PGI010',
    slug: 'partial-executable-path',
    title: 'Process started by program name instead of a full path',
    category: 'injection',
    severity: 'low',
    // Informational: nearly every command-line tool starts programs by name, so these findings
    // are shown only to those who ask for low-confidence results.
    confidence: 'low',
    cwe: [426, 78],
    owasp: ['A08:2021 Software and Data Integrity Failures'],
    description:
      'Flags `subprocess`, `os.system`/`os.popen`, `os.exec*`/`os.spawn*` and `asyncio` subprocess calls whose program is a constant name that is not an absolute or explicitly relative path (`"git"`, `["ls", "-l"]`).',
    why: 'A bare program name is looked up in the `PATH` directories (and on Windows in the working directory first), so whoever controls `PATH` or a writable directory early in it decides which file actually runs. This matters for services and privileged scripts; for ordinary developer tools it is mostly a hardening hint, hence the low severity.',
    fix: 'Use the absolute path (`/usr/bin/git`), resolve the name once at start-up with `shutil.which("git")` and check the result, or use `sys.executable` for Python itself. Suppress the finding where looking the program up in `PATH` is intended.',
    example: {
      bad: 'import subprocess\n\nsubprocess.run(["git", "pull"], check=True)\n',
      good: 'import shutil\nimport subprocess\n\nGIT = shutil.which("git") or "/usr/bin/git"\nsubprocess.run([GIT, "pull"], check=True)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/426.html',
      'https://docs.python.org/3/library/subprocess.html#popen-constructor',
      'https://docs.python.org/3/library/shutil.html#shutil.which',
    ],
    bandit: ['B607'],
    ruff: ['S607'],
    auditAdds:
      '`os.spawn*` calls given the program where the mode belongs (`os.spawnl("true")`), which fail before starting anything',
  },
  messages: {
    partialPath:
      '`{{callee}}` starts `{{program}}` by name, so the first matching file on `PATH` runs; use an absolute path or resolve it once with `shutil.which("{{program}}")`.',
  },
  select: {
    calls: [
      ...SUBPROCESS_FUNCTIONS,
      ...SHELL_FUNCTIONS,
      ...ASYNCIO_SHELL.keys(),
      ...ASYNCIO_EXEC,
      ...EXEC_FUNCTIONS.keys(),
    ],
  },
  create(context) {
    const { model } = context;

    /** `os.spawnl("true")`: the program where the mode belongs; the call fails, so audit only. */
    function reportModelessSpawn(program: Program, callee: string): void {
      if (NOT_A_PATH_LOOKUP.test(program.name)) return;
      context.report({
        node: program.node,
        messageId: 'partialPath',
        data: { callee, program: program.name },
        confidence: 'low',
        profile: 'audit',
      });
    }

    return callVisitors(context, (node, call) => {
      const callee = call.qualifiedName;
      if (callee === undefined) return;
      const modeless = modelessSpawnProgram(model, call, callee);
      if (modeless !== undefined) {
        reportModelessSpawn(modeless, callee);
        return;
      }
      const program = programOf(model, call, callee);
      if (program === undefined || NOT_A_PATH_LOOKUP.test(program.name)) return;
      // The literal itself when it sits in the call, else the call (`cmd = [...]; run(cmd)`).
      const inside =
        program.node.startIndex >= node.startIndex && program.node.endIndex <= node.endIndex;
      context.report({
        node: inside ? program.node : node,
        messageId: 'partialPath',
        data: { callee, program: program.name },
        confidence: 'low',
      });
    });
  },
});

/** The constant program a call starts, if the call starts one and it is a constant. */
function programOf(model: SemanticModel, call: CallInfo, callee: string): Program | undefined {
  if (SUBPROCESS_FUNCTIONS.has(callee)) {
    const executable = call.keywords.get('executable');
    if (executable !== undefined) return argvProgram(model, executable);
    const args = model.argument(call, 'args', 0);
    if (args === undefined) return undefined;
    const shell = call.keywords.get('shell');
    const viaShell = shell !== undefined && model.truthiness(shell) !== false;
    if (!viaShell) return argvProgram(model, args);
    const first = argvOf(model, args).items[0];
    return first === undefined || !first.exact ? undefined : shellProgram(model, first.node);
  }
  if (SHELL_FUNCTIONS.has(callee)) {
    const command = model.argument(call, 'cmd', 0) ?? call.keywords.get('command');
    return command === undefined ? undefined : shellProgram(model, command);
  }
  const shellPosition = ASYNCIO_SHELL.get(callee);
  if (shellPosition !== undefined) {
    const command = model.argument(call, 'cmd', shellPosition);
    return command === undefined ? undefined : shellProgram(model, command);
  }
  if (ASYNCIO_EXEC.has(callee)) {
    const program = model.argument(call, 'program', 0);
    return program === undefined ? undefined : argvProgram(model, program);
  }
  const layout = EXEC_FUNCTIONS.get(callee);
  if (layout === undefined || callee === 'os.startfile') return undefined;
  const program = positionalWithSplats(call.node)[layout.program];
  return program === undefined || program.type === 'list_splat'
    ? undefined
    : argvProgram(model, program);
}

/**
 * The program of an `os.spawn*` call given a string where its mode belongs (`os.spawnl("true")`,
 * what bandit and ruff read as the program). Such a call raises `TypeError` before it starts
 * anything, so this is only an audit finding.
 */
function modelessSpawnProgram(
  model: SemanticModel,
  call: CallInfo,
  callee: string,
): Program | undefined {
  const layout = EXEC_FUNCTIONS.get(callee);
  if (layout === undefined || layout.program === 0) return undefined;
  const mode = positionalWithSplats(call.node)[0];
  if (mode === undefined || mode.type === 'list_splat') return undefined;
  const name = model.staticString(mode);
  if (name === undefined || name === '') return undefined;
  return { name, node: mode };
}

/** The first element of an argv (or a lone program string) when it is a constant. */
function argvProgram(model: SemanticModel, node: SyntaxNode): Program | undefined {
  const first = argvOf(model, node).items[0];
  if (first?.value === undefined || !first.exact || first.value === '') return undefined;
  return { name: first.value, node: first.node };
}

/** The first word of a shell command line when it is constant text and names a program. */
function shellProgram(model: SemanticModel, node: SyntaxNode): Program | undefined {
  const build = analyseString(model, node);
  const head = build?.pieces[0];
  if (head?.kind !== 'text') return undefined;
  // Only a word followed by a blank (or ending a literal line) is complete.
  const complete = build?.how === undefined ? `${head.text} ` : head.text;
  const words = complete.trimStart().split(/[ \t\n]+/);
  words.pop();
  const word = words.find((candidate) => !ASSIGNMENT.test(candidate));
  if (word === undefined) return undefined;
  const name = word.replace(/^(['"])(.*)\1$/, '$2');
  if (name === '' || SHELL_BUILTINS.has(name) || /[;&|<>()`]/.test(name)) return undefined;
  return { name, node };
}
