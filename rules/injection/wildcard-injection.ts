import {
  callVisitors,
  analyseString,
  argvOf,
  argvOfArguments,
  defineRule,
  inlineCode,
  positionalWithSplats,
  programName,
  testAdjusted,
  unwrapParens,
  type Argv,
  type CallInfo,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import {
  ASYNCIO_EXEC,
  ASYNCIO_SHELL,
  SHELL_FUNCTIONS,
  SUBPROCESS_FUNCTIONS,
} from '../_shared/process-apis.js';

/** Commands with options that run programs or change files outside the named ones. */
const COMMANDS = new Set(['chown', 'chmod', 'tar', 'rsync']);
/** Words that run the next word as the command. */
const PREFIXES = new Set(['sudo', 'doas', 'nohup', 'nice', 'exec', 'time', 'command', 'env']);
/** Stands in for a spliced-in value: never a glob character, never a blank. */
const HOLE = '\u0001';
const GLOB_FUNCTIONS = new Set(['glob.glob', 'glob.iglob']);

interface Wildcard {
  command: string;
  pattern: string;
}

export default defineRule({
  meta: {
    id: 'PGI011',
    slug: 'wildcard-injection',
    title: 'Wildcard expanded into the arguments of chown, chmod, tar or rsync',
    category: 'injection',
    severity: 'high',
    confidence: 'medium',
    cwe: [155],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags shell command lines (and argv lists filled from `glob.glob`) that run `chown`, `chmod`, `tar` or `rsync` on a wildcard at the start of a word, such as `tar czf backup.tgz *`.',
    why: 'The shell replaces `*` with the file names it matches, and a file name that starts with `-` then reads as an option. Anyone who can create a file in that directory can name it `--checkpoint-action=exec=sh x.sh` (tar), `-e sh x.sh` (rsync) or `--reference=mine` (chown/chmod) and make the command run code or change other files.',
    fix: 'End the options with `--` before the wildcard (`tar czf backup.tgz -- *`), or anchor it to a directory (`./*`, `/srv/data/*`) so every expanded name starts with a path rather than `-`. Better still, list the files in Python and pass them in an argument list after `--`.',
    example: {
      bad: 'import os\n\nos.system("cd /srv/uploads && tar czf /backup/uploads.tgz *")\n',
      good: 'import os\n\nos.system("cd /srv/uploads && tar czf /backup/uploads.tgz -- ./*")\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/155.html',
      'https://www.gnu.org/software/tar/manual/html_node/checkpoints.html',
      'https://docs.python.org/3/library/glob.html',
    ],
    bandit: ['B609'],
    ruff: ['S609'],
    supersedes: ['PGI006', 'PGI008', 'PGI010'],
  },
  messages: {
    shellWildcard:
      '`{{command}}` gets the wildcard `{{pattern}}` from the shell; a file named like an option (`--checkpoint-action=...`, `--reference=...`) becomes one. Put `--` before it or write `./{{pattern}}`.',
    globArguments:
      '`{{command}}` gets file names from `glob.glob({{pattern}})`; a file named like an option becomes one. Put `"--"` before them in the argument list.',
  },
  select: {
    calls: [...SHELL_FUNCTIONS, ...ASYNCIO_SHELL.keys(), ...SUBPROCESS_FUNCTIONS, ...ASYNCIO_EXEC],
  },
  create(context) {
    const { model } = context;
    return callVisitors(context, (node, call) => {
      const callee = call.qualifiedName;
      if (callee === undefined) return;
      const target = commandOf(model, call, callee);
      if (target === undefined) return;
      if (target.kind === 'line') {
        const found = shellWildcard(model, target.node);
        if (found === undefined) return;
        context.report({
          node,
          messageId: 'shellWildcard',
          data: { ...found },
          confidence: testAdjusted('medium', context.isTestFile),
        });
        return;
      }
      const found = globbedArgv(model, target.argv);
      if (found === undefined) return;
      context.report({
        node,
        messageId: 'globArguments',
        data: { ...found },
        confidence: testAdjusted('medium', context.isTestFile),
      });
    });
  },
});

type Target = { kind: 'line'; node: SyntaxNode } | { kind: 'argv'; argv: Argv };

/** The shell command line a call runs, or the argv it runs without a shell. */
function commandOf(model: SemanticModel, call: CallInfo, callee: string): Target | undefined {
  let argv: Argv;
  if (SHELL_FUNCTIONS.has(callee)) {
    const line = model.argument(call, 'cmd', 0) ?? call.keywords.get('command');
    return line === undefined ? undefined : { kind: 'line', node: line };
  }
  const shellPosition = ASYNCIO_SHELL.get(callee);
  if (shellPosition !== undefined) {
    const line = model.argument(call, 'cmd', shellPosition);
    return line === undefined ? undefined : { kind: 'line', node: line };
  }
  if (SUBPROCESS_FUNCTIONS.has(callee)) {
    const args = model.argument(call, 'args', 0);
    if (args === undefined) return undefined;
    argv = argvOf(model, args);
    const shell = call.keywords.get('shell');
    if (shell !== undefined && model.truthiness(shell) !== false) {
      const line = argv.items[0];
      return line?.exact === true ? { kind: 'line', node: line.node } : undefined;
    }
  } else if (ASYNCIO_EXEC.has(callee)) {
    argv = argvOfArguments(model, positionalWithSplats(call.node));
  } else {
    return undefined;
  }
  const code = inlineCode(model, argv);
  return code === undefined ? { kind: 'argv', argv } : { kind: 'line', node: code.code };
}

/** A risky command with a word-initial wildcard in a shell command line. */
function shellWildcard(model: SemanticModel, node: SyntaxNode): Wildcard | undefined {
  const build = analyseString(model, node);
  if (build === undefined) return undefined;
  const line = build.pieces.map((piece) => (piece.kind === 'text' ? piece.text : HOLE)).join('');
  if (!line.includes('*') && !line.includes('?')) return undefined;
  for (const segment of line.split(/[;&|\n(){}`]+|\$\(/)) {
    const words = segment.trim().split(/[ \t]+/);
    let index = 0;
    while (index < words.length) {
      const word = words[index] ?? '';
      if (/^[A-Za-z_]\w*=/.test(word) || PREFIXES.has(word)) index++;
      else break;
    }
    const command = programName(words[index] ?? '');
    if (!COMMANDS.has(command)) continue;
    for (const word of words.slice(index + 1)) {
      if (word === '--') break;
      // Quoted words are not expanded; `dir/*` and `./*` expand to names that start with a path.
      if (/^[*?]/.test(word)) return { command, pattern: word };
    }
  }
  return undefined;
}

/** `["tar", "czf", "x.tgz", *glob.glob("*")]`: a risky command given globbed names before `--`. */
function globbedArgv(model: SemanticModel, argv: Argv): Wildcard | undefined {
  const first = argv.items[0];
  if (first?.value === undefined || !first.exact) return undefined;
  const command = programName(first.value);
  if (!COMMANDS.has(command)) return undefined;
  const parts = [
    ...argv.items.slice(1).map((item) => item),
    ...argv.opaque.map((node) => ({ node, value: undefined })),
  ];
  for (const part of parts) {
    if (part.value === '--') return undefined;
    const value = unwrapParens(model.resolveValue(part.node));
    if (value.type !== 'call') continue;
    const glob = model.call(value);
    if (glob.qualifiedName === undefined || !GLOB_FUNCTIONS.has(glob.qualifiedName)) continue;
    const pattern = model.argument(glob, 'pathname', 0);
    const text = pattern === undefined ? undefined : model.staticString(pattern);
    if (text !== undefined && /^[*?]/.test(text)) return { command, pattern: JSON.stringify(text) };
  }
  return undefined;
}
