import {
  defineRule,
  shortText,
  testAdjusted,
  type Confidence,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { SUBPROCESS_FUNCTIONS } from '../_shared/process-apis.js';
import { COMMAND_MESSAGES, commandVerdict } from '../_shared/command-verdict.js';

/** Callables that take `shell=` as plain data, not as an instruction to start a shell. */
const NOT_RUNNERS: ReadonlySet<string> = new Set([
  'dict',
  'builtins.dict',
  'collections.OrderedDict',
]);

/** Keywords under which wrappers usually take their command. */
/** A `shell=` keyword argument (not `shell==`). */
const SHELL_KEYWORD = /(?<![\w.])shell\s*=(?!=)/g;

/** A shell program given by path or name (`/bin/bash`, `zsh`, `cmd.exe`). */
const SHELL_PATH = /[\\/]|^(?:ba|z|k|da|c|tc|fi)?sh$|\.exe$/i;

const COMMAND_KEYWORDS = ['args', 'cmd', 'command', 'command_line', 'cmdline'];

/** Whether an f-string is non-empty whatever it interpolates (`f"sh {x}"`, `f"{x=}"`, `f"{b''}"`). */
function nonEmptyFString(node: SyntaxNode): boolean {
  if (node.type !== 'string' || !/^[a-z]*f/i.test(node.child(0)?.text ?? '')) return false;
  return node.children.some((part) => {
    if (part.type === 'string_content') return part.text !== '';
    if (part.type !== 'interpolation') return false;
    // `{x=}` prints `x=` before the value; a bytes literal prints at least `b''`.
    if (part.children.some((child) => child.type === '=')) return true;
    const expression = part.childForFieldName('expression');
    return (
      expression?.type === 'integer' ||
      expression?.type === 'float' ||
      (expression?.type === 'string' && /^[a-z]*b/i.test(expression.child(0)?.text ?? ''))
    );
  });
}

export default defineRule({
  meta: {
    id: 'PGI007',
    slug: 'shell-true-other-callable',
    title: 'shell=True passed to a callable other than subprocess',
    category: 'injection',
    severity: 'medium',
    confidence: 'low',
    cwe: [78],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags calls with a truthy `shell=` argument to functions other than the `subprocess` functions (wrappers such as `psutil.Popen`, project helpers or task runners), rated high when request data reaches the command.',
    why: 'A `shell=True` keyword almost always means the wrapper hands its command to `/bin/sh -c` in the end, so the same quoting rules apply as for `subprocess`: a spliced-in value containing `;`, `|`, a backtick or `$(…)` runs commands of its own. PyGuard cannot see inside the wrapper, so it reports the call at low confidence and grades it by how the command was built.',
    fix: 'Call the wrapper with an argument list and `shell=False` (or no `shell=` at all). If the wrapper needs a command string, quote every spliced-in value with `shlex.quote()`, or build the line with `shlex.join()`.',
    example: {
      bad: 'import psutil\n\ndef disk_usage(path):\n    return psutil.Popen(f"du -sh {path}", shell=True)\n',
      good: 'import psutil\n\ndef disk_usage(path):\n    return psutil.Popen(["du", "-sh", "--", path])\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/78.html',
      'https://docs.python.org/3/library/subprocess.html#security-considerations',
      'https://docs.python.org/3/library/shlex.html#shlex.quote',
    ],
    bandit: ['B604'],
    ruff: ['S604'],
  },
  messages: {
    taintedCommand:
      '`{{callee}}` gets a command built from {{origin}} together with `shell=True`: {{path}}. If the wrapper runs it through a shell, a value containing `;`, `|` or `$(…)` runs commands of its own; pass an argument list and drop `shell=True`.',
    builtCommand:
      '`{{callee}}` gets a command built with {{how}} together with `shell=True`; a spliced-in value containing `;`, `|` or `$(…)` would run commands of its own. Pass an argument list and drop `shell=True`.',
    dynamicCommand:
      '`{{callee}}` gets `{{command}}` with `shell=True`; if the wrapper runs it through a shell and any part comes from outside, it can run arbitrary commands. Pass an argument list and drop `shell=True`.',
    quotedCommand:
      '`{{callee}}` gets `shell=True`; the spliced-in values are `shlex.quote`d, but an argument list without a shell avoids quoting mistakes.',
    literalCommand:
      '`{{callee}}` gets `{{command}}`, which has nothing spliced in from outside, with `shell=True`; prefer an argument list without a shell unless shell features are needed.',
    noCommand:
      '`{{callee}}` is called with `shell=True`; check that whatever command it runs is not built from outside input, or pass `shell=False`.',
  },
  select: { text: ['shell'] },
  create(context) {
    const { model } = context;
    const check = (node: SyntaxNode): void => {
      const call = context.call(node);
      const callee = call.qualifiedName;
      if (callee !== undefined && (SUBPROCESS_FUNCTIONS.has(callee) || NOT_RUNNERS.has(callee)))
        return;
      const shell = call.keywords.get('shell');
      // Only a literal truthy flag: `shell=shell` in a pass-through wrapper says nothing.
      if (shell === undefined || (model.truthiness(shell) !== true && !nonEmptyFString(shell)))
        return;
      // Invoke and Fabric take `shell="/bin/bash"`: which shell, not whether to use one.
      const named = model.literalValue(shell);
      if (typeof named === 'string' && SHELL_PATH.test(named)) return;
      // functools.partial(runner, cmd, shell=True): the runner and command follow.
      const partial = callee === 'functools.partial' ? 1 : 0;
      const wrapped = partial === 1 ? call.positional[0] : undefined;
      const label = shortText(
        wrapped === undefined
          ? (callee ?? context.textOf(call.callee))
          : `functools.partial(${model.qualifiedName(wrapped) ?? context.textOf(wrapped)})`,
      );
      const command =
        COMMAND_KEYWORDS.map((key) => call.keywords.get(key)).find(
          (value) => value !== undefined,
        ) ?? call.positional[partial];
      if (command === undefined) {
        context.report({
          node,
          messageId: 'noCommand',
          data: { callee: label },
          severity: 'medium',
          confidence: 'low',
        });
        return;
      }
      const verdict = commandVerdict(context, command, node, label);
      // Nothing is known about the wrapper: one step less sure than for subprocess itself.
      let confidence: Confidence = 'low';
      if (verdict.kind === 'tainted') confidence = verdict.confidence === 'high' ? 'medium' : 'low';
      else if (verdict.kind === 'built') confidence = testAdjusted('medium', context.isTestFile);
      context.report({
        node,
        messageId: COMMAND_MESSAGES[verdict.kind],
        data: { callee: label, ...verdict.data },
        severity: verdict.severity,
        confidence,
        flow: verdict.flow,
      });
    };
    return {
      // `shell=` is rare, so one scan of the text beats splitting the arguments of every call.
      end() {
        const root = model.tree.rootNode;
        for (const match of context.text.matchAll(SHELL_KEYWORD)) {
          const name = root.descendantForIndex(match.index);
          const keyword = name.parent;
          const call = keyword?.parent?.parent;
          if (keyword?.type !== 'keyword_argument' || call?.type !== 'call') continue;
          if (keyword.childForFieldName('name')?.startIndex !== name.startIndex) continue;
          check(call);
        }
      },
    };
  },
});
