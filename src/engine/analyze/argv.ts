/**
 * The argument vector of a process started without a shell (`subprocess.run([...])`,
 * `os.execv(path, [...])`, `asyncio.create_subprocess_exec(prog, *args)`), read element by
 * element: lists and tuples (followed through names, `+`, `*splat`, `list()`, `shlex.split()` and
 * later `.append()`/`.extend()`/`.insert()` calls), and what makes it risky: inline code for a
 * shell or interpreter (`["sh", "-c", cmd]`), a program chosen at run time, a script chosen at run
 * time, or an argument that is not a constant. `argvVerdict` grades those risks, first by whether
 * outside input reaches them (the dataflow pass), then by their shape.
 */
import type { RuleContext, TaintTrace } from '../../rules-api/types.js';
import { unwrapParens, type SemanticModel } from '../model.js';
import { ownEntry } from '../own-entry.js';
import type { SyntaxNode } from '../parse.js';
import type { Confidence, FlowStep, Severity } from '../types.js';
import { isCheckedValue } from './guards.js';
import { isInertValue } from './inert-value.js';
import { commandShape, type CommandShape } from './shell-command.js';
import { shortText } from './short-text.js';
import { analyseString, describeBuild } from './string-build.js';
import { taintedSink } from './tainted-sink.js';
import { testAdjusted } from './test-files.js';

export interface ArgvItem {
  node: SyntaxNode;
  /** The literal text of the element, when it is a constant. */
  value: string | undefined;
  /** False once an element of unknown length came before it. */
  exact: boolean;
}

export interface Argv {
  items: ArgvItem[];
  /** Expressions that add elements which cannot be listed one by one (`*args`, `+ extra`). */
  opaque: SyntaxNode[];
}

export type ArgvRisk =
  /** Code handed to a shell or interpreter (`sh -c`, `python -c`) that is not a literal. */
  | {
      kind: 'code';
      node: SyntaxNode;
      interpreter: string;
      shape: Exclude<CommandShape, { kind: 'literal' }>;
    }
  /** The program itself is not a constant. */
  | { kind: 'program'; node: SyntaxNode }
  /** An interpreter runs a script (or module) that is not a constant. */
  | { kind: 'script'; node: SyntaxNode; interpreter: string }
  /** An argument is not a constant. */
  | { kind: 'argument'; node: SyntaxNode }
  /**
   * Elements the rule cannot see into (`*args`, `+ extra`); `start` when they may hold the
   * program itself (the whole argv, or its start).
   */
  | { kind: 'opaque'; node: SyntaxNode; start: boolean }
  /**
   * No risk found: the program and every argument are constants, checked values, values after
   * `--` or values this program's own command line passes on. Reported under the audit profile
   * only; `node` is the call.
   */
  | { kind: 'constant'; node: SyntaxNode };

const MAX_DEPTH = 6;

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'csh', 'tcsh']);
/** Interpreters and the options that make them run the next argument as code. */
const CODE_FLAGS: Readonly<Record<string, RegExp>> = {
  python: /^-c$/,
  pypy: /^-c$/,
  perl: /^-[eE]$/,
  ruby: /^-e$/,
  node: /^(?:-e|--eval|-p|--print)$/,
  php: /^-r$/,
  cmd: /^\/[cCkK]$/,
  powershell: /^-(?:c|command|encodedcommand|ec)$/i,
  pwsh: /^-(?:c|command|encodedcommand|ec)$/i,
};
/** `-c`, `-lc`, `-ec`, `-xc`: shell options ending in (or containing) `c`. */
const SHELL_CODE_FLAG = /^-[a-zA-Z]*c[a-zA-Z]*$/;

const PATH_FUNCTIONS = new Set([
  'os.path.join',
  'os.path.dirname',
  'os.path.abspath',
  'os.path.realpath',
  'os.path.normpath',
  'os.path.expanduser',
  'os.fspath',
  'pathlib.Path',
  'pathlib.PurePath',
  'str',
]);
const SELF_PATH = new Set(['__file__', 'sys.executable', 'sys.prefix', 'sys.exec_prefix']);
const OWN_ARGV = new Set(['sys.argv', 'sys.orig_argv']);

/** The program name an argv element names: `/usr/bin/python3.12` → `python`, `cmd.exe` → `cmd`. */
export function programName(value: string): string {
  const base = value
    .replace(/^.*[\\/]/, '')
    .toLowerCase()
    .replace(/\.exe$/, '');
  return base.replace(/(?<=[a-z])[\d.]+$/, '');
}

/**
 * Reads an argv expression. A string counts as a one-element argv (the program); a value the
 * rule cannot see into is all `opaque`.
 */
export function argvOf(model: SemanticModel, node: SyntaxNode): Argv {
  const argv: Argv = { items: [], opaque: [] };
  expand(model, node, argv, 0);
  return argv;
}

/** Reads positional arguments that form an argv (`create_subprocess_exec(prog, *args)`). */
export function argvOfArguments(model: SemanticModel, nodes: readonly SyntaxNode[]): Argv {
  const argv: Argv = { items: [], opaque: [] };
  for (const node of nodes) addElement(model, node, argv, 0);
  return argv;
}

/** Positional arguments of a call, `*splat` arguments included, in order. */
export function positionalWithSplats(call: SyntaxNode): SyntaxNode[] {
  const args = call.childForFieldName('arguments');
  if (args?.type !== 'argument_list') return [];
  return args.namedChildren.filter(
    (arg) =>
      arg.type !== 'keyword_argument' && arg.type !== 'dictionary_splat' && arg.type !== 'comment',
  );
}

function push(model: SemanticModel, node: SyntaxNode, argv: Argv): void {
  const literal = model.literalValue(node);
  argv.items.push({
    node,
    value: literal === undefined || literal === null ? undefined : String(literal),
    exact: argv.opaque.length === 0,
  });
}

function addElement(model: SemanticModel, node: SyntaxNode, argv: Argv, depth: number): void {
  if (node.type === 'comment') return;
  if (node.type === 'list_splat') {
    const inner = node.namedChildren[0];
    if (inner !== undefined) expand(model, inner, argv, depth + 1);
    return;
  }
  push(model, node, argv);
}

function isSequence(model: SemanticModel, node: SyntaxNode): boolean {
  const value = unwrapParens(model.resolveValue(node));
  return value.type === 'list' || value.type === 'tuple';
}

function expand(model: SemanticModel, node: SyntaxNode, argv: Argv, depth: number): void {
  if (depth > MAX_DEPTH) {
    argv.opaque.push(node);
    return;
  }
  const value = unwrapParens(model.resolveValue(node));
  switch (value.type) {
    case 'list':
    case 'tuple':
      for (const element of value.namedChildren) addElement(model, element, argv, depth);
      appendMutations(model, node, argv, depth);
      return;
    case 'binary_operator': {
      const left = value.childForFieldName('left');
      const right = value.childForFieldName('right');
      const operator = value.childForFieldName('operator');
      if (
        left !== null &&
        right !== null &&
        operator !== null &&
        model.textOf(operator) === '+' &&
        (isSequence(model, left) || isSequence(model, right))
      ) {
        expand(model, left, argv, depth + 1);
        expand(model, right, argv, depth + 1);
        return;
      }
      break;
    }
    case 'call': {
      const callee = value.childForFieldName('function');
      const name = callee === null ? undefined : model.qualifiedName(callee);
      const first = model.call(value).positional[0];
      if ((name === 'list' || name === 'tuple') && first !== undefined) {
        expand(model, first, argv, depth + 1);
        return;
      }
      if (name === 'shlex.split' && first !== undefined) {
        splitWords(model, first, argv);
        return;
      }
      break;
    }
    default:
      break;
  }
  if (value.type === 'string' || value.type === 'concatenated_string') {
    push(model, value, argv);
    return;
  }
  if (analyseString(model, value) !== undefined || model.literalValue(value) !== undefined) {
    push(model, value, argv);
    return;
  }
  argv.opaque.push(value);
}

/** `shlex.split("git log")` → two literal items; a built string keeps its literal leading words. */
function splitWords(model: SemanticModel, source: SyntaxNode, argv: Argv): void {
  const literal = model.staticString(source);
  if (literal !== undefined) {
    for (const word of literal.split(/\s+/).filter((part) => part !== '')) {
      argv.items.push({ node: source, value: word.replace(/^(['"])(.*)\1$/, '$2'), exact: true });
    }
    return;
  }
  const build = analyseString(model, source);
  const head = build?.pieces[0];
  if (head?.kind === 'text') {
    const words = head.text.split(/\s+/);
    // The last word runs into the first hole unless the text ends with a blank.
    const complete = /\s$/.test(head.text) ? words : words.slice(0, -1);
    for (const word of complete.filter((part) => part !== '')) {
      argv.items.push({ node: source, value: word, exact: argv.opaque.length === 0 });
    }
  }
  argv.opaque.push(source);
}

/** `cmd = ["git"]` … `cmd.append(url)` before the use: the appended values join the argv. */
function appendMutations(model: SemanticModel, node: SyntaxNode, argv: Argv, depth: number): void {
  const id = unwrapParens(node);
  if (id.type !== 'identifier') return;
  const name = model.textOf(id);
  const found = model.lookup(name, model.scopeAt(id));
  if (found === undefined) return;
  const pattern = new RegExp(`(?<![\\w.])${name}\\s*\\.\\s*(append|extend|insert)\\s*\\(`, 'g');
  pattern.lastIndex = Math.max(0, found.scope.start);
  const root = model.tree.rootNode;
  for (let match = pattern.exec(model.text); match !== null; match = pattern.exec(model.text)) {
    if (match.index >= id.startIndex) break;
    let call: SyntaxNode | null = root.descendantForIndex(match.index);
    while (call !== null && call.type !== 'call') call = call.parent;
    if (call === null || model.scopeAt(call) !== found.scope) continue;
    const args = model.call(call).positional;
    const added = match[1] === 'insert' ? args[1] : args[0];
    if (added === undefined) continue;
    if (match[1] === 'extend') expand(model, added, argv, depth + 1);
    else push(model, added, argv);
  }
}

/**
 * Whether an argv element is a constant, a value an allowlist check or a numeric annotation
 * accepted, or a path derived from constants and the script's own location (`sys.executable`,
 * `os.path.join(os.path.dirname(__file__), "x.py")`, `shutil.which("git")`).
 */
export function isTrustedArgument(model: SemanticModel, node: SyntaxNode, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  if (isInertValue(model, node) || isCheckedValue(model, node)) return true;
  const value = unwrapParens(model.resolveValue(node));
  switch (value.type) {
    case 'identifier':
    case 'attribute': {
      const name = model.qualifiedName(value) ?? model.textOf(value);
      if (SELF_PATH.has(name)) return true;
      if (value.type !== 'attribute') return false;
      // Path(__file__).parent, Path(__file__).resolve().parent
      const attribute = value.childForFieldName('attribute');
      const object = value.childForFieldName('object');
      return (
        attribute !== null &&
        object !== null &&
        ['parent', 'stem', 'name'].includes(model.textOf(attribute)) &&
        isTrustedArgument(model, object, depth + 1)
      );
    }
    case 'call': {
      const call = model.call(value);
      const name = call.qualifiedName;
      if (name === 'shutil.which') {
        const program = call.positional[0];
        return program !== undefined && model.staticString(program) !== undefined;
      }
      if (name !== undefined && PATH_FUNCTIONS.has(name)) {
        return (
          !call.hasStarArgs &&
          call.positional.every((argument) => isTrustedArgument(model, argument, depth + 1))
        );
      }
      // Path(__file__).resolve(), .absolute(), .with_name("x")
      const callee = call.callee;
      const object = callee.type === 'attribute' ? callee.childForFieldName('object') : null;
      return (
        object !== null &&
        ['resolve', 'absolute', 'with_name', 'with_suffix', 'joinpath'].includes(
          call.methodName ?? '',
        ) &&
        isTrustedArgument(model, object, depth + 1) &&
        call.positional.every((argument) => isTrustedArgument(model, argument, depth + 1))
      );
    }
    case 'binary_operator': {
      // Path(__file__).parent / "x.py"
      const operator = value.childForFieldName('operator');
      const left = value.childForFieldName('left');
      const right = value.childForFieldName('right');
      return (
        operator !== null &&
        model.textOf(operator) === '/' &&
        left !== null &&
        right !== null &&
        isTrustedArgument(model, left, depth + 1) &&
        isTrustedArgument(model, right, depth + 1)
      );
    }
    default:
      return false;
  }
}

/** `sys.argv`, `sys.argv[1:]`: the program's own command line, as the restart idiom passes on. */
function isOwnArgv(model: SemanticModel, node: SyntaxNode): boolean {
  let value = unwrapParens(model.resolveValue(node));
  if (value.type === 'subscript') value = value.childForFieldName('value') ?? value;
  const name = value.type === 'attribute' ? model.qualifiedName(value) : undefined;
  return name !== undefined && OWN_ARGV.has(name);
}

/**
 * Whether a program taken from the own command line restarts this program: `sys.argv[0]`,
 * `sys.argv` or a slice of it from the start. `sys.argv[1]` names another program, chosen by
 * whoever runs this one.
 */
function isOwnProgram(model: SemanticModel, node: SyntaxNode): boolean {
  if (!isOwnArgv(model, node)) return false;
  const value = unwrapParens(model.resolveValue(node));
  if (value.type !== 'subscript') return true;
  const index = value.childForFieldName('subscript');
  if (index === null) return false;
  if (index.type === 'slice') {
    // `sys.argv[:n]` starts at the program; `sys.argv[1:]` does not.
    if (model.textOf(index).trimStart().startsWith(':')) return true;
    const start = index.namedChildren[0];
    return start !== undefined && model.literalValue(start) === 0;
  }
  return model.literalValue(index) === 0;
}

/** The program an argv starts with, as a lower-case name, when it is known. */
function interpreterOf(model: SemanticModel, item: ArgvItem | undefined): string | undefined {
  if (item === undefined || !item.exact) return undefined;
  if (item.value !== undefined) return programName(item.value);
  const name = model.qualifiedName(unwrapParens(model.resolveValue(item.node)));
  return name === 'sys.executable' ? 'python' : undefined;
}

/** The code a shell or interpreter is told to run (`["bash", "-lc", X]` → X), if any. */
export function inlineCode(
  model: SemanticModel,
  argv: Argv,
): { interpreter: string; code: SyntaxNode } | undefined {
  const interpreter = interpreterOf(model, argv.items[0]);
  if (interpreter === undefined) return undefined;
  const flag = SHELLS.has(interpreter) ? SHELL_CODE_FLAG : ownEntry(CODE_FLAGS, interpreter);
  if (flag === undefined) return undefined;
  const index = argv.items.findIndex(
    (item, position) => position > 0 && item.value !== undefined && flag.test(item.value),
  );
  if (index < 0) return undefined;
  const code = argv.items[index + 1]?.node ?? argv.opaque[0];
  return code === undefined ? undefined : { interpreter, code };
}

/**
 * Every reason an argv is risky, most serious first (inline code, the program, then each
 * argument in order, then values it cannot see into); empty when every part of it is constant.
 */
export function argvRisks(model: SemanticModel, argv: Argv): ArgvRisk[] {
  const risks: ArgvRisk[] = [];
  const inline = inlineCode(model, argv);
  if (inline !== undefined) {
    const shape = commandShape(model, inline.code);
    if (shape.kind !== 'literal' && !shape.inert) {
      risks.push({ kind: 'code', node: inline.code, interpreter: inline.interpreter, shape });
    }
  }
  // The inline code was judged as code; it is not also an argument.
  const items = argv.items.filter((item) => item.node !== inline?.code);
  const opaque = argv.opaque.filter((node) => node !== inline?.code);
  const program = argv.items[0];
  if (program === undefined || !program.exact) {
    // The start of the argv is unknown: every value in it may be the program.
    const [first, ...rest] = opaque;
    if (first !== undefined) risks.push({ kind: 'opaque', node: first, start: true });
    for (const item of items) {
      if (item.value === undefined && !isTrustedArgument(model, item.node))
        risks.push({ kind: 'argument', node: item.node });
    }
    for (const node of rest) risks.push({ kind: 'opaque', node, start: false });
    return risks;
  }
  const ownArgv = isOwnProgram(model, program.node);
  if (program.value === undefined && !isTrustedArgument(model, program.node) && !ownArgv)
    risks.push({ kind: 'program', node: program.node });
  const interpreter = interpreterOf(model, program);
  const restarts = ownArgv || interpreter === 'python';
  const untrusted = (node: SyntaxNode): boolean =>
    !isTrustedArgument(model, node) && !(restarts && isOwnArgv(model, node));
  const scripted =
    interpreter !== undefined &&
    (Object.hasOwn(CODE_FLAGS, interpreter) || SHELLS.has(interpreter));
  // The first argument that is not an option is the script an interpreter runs.
  const script = scripted
    ? argv.items.find((item, index) => index > 0 && !(item.value?.startsWith('-') ?? false))
    : undefined;
  // After `--` the program reads every argument as an operand, never as an option.
  const endOfOptions = items.findIndex((item, index) => index > 0 && item.value === '--');
  items.slice(1).forEach((item, offset) => {
    if (item.value !== undefined || !untrusted(item.node)) return;
    if (item === script && item.exact && interpreter !== undefined) {
      risks.push({ kind: 'script', node: item.node, interpreter });
    } else if (endOfOptions < 0 || offset + 1 < endOfOptions) {
      risks.push({ kind: 'argument', node: item.node });
    }
  });
  for (const node of opaque) {
    if (untrusted(node)) risks.push({ kind: 'opaque', node, start: false });
  }
  return risks;
}

/** Severity and confidence of an argv risk when no path from outside input reaches it. */
export function argvRiskLevel(risk: ArgvRisk): { severity: Severity; confidence: Confidence } {
  switch (risk.kind) {
    case 'code':
      return risk.shape.quoted
        ? { severity: 'low', confidence: 'medium' }
        : { severity: 'high', confidence: 'medium' };
    case 'program':
    case 'script':
      return { severity: 'medium', confidence: 'low' };
    case 'argument':
      return { severity: 'low', confidence: 'medium' };
    case 'opaque':
      return { severity: 'low', confidence: 'low' };
    case 'constant':
      return { severity: 'low', confidence: 'high' };
  }
}

/** Whether a risk lets the value choose what runs (rather than only what a program is told). */
function choosesWhatRuns(risk: ArgvRisk): boolean {
  return risk.kind === 'opaque' ? risk.start : risk.kind !== 'argument';
}

/** Interpreters whose inline code is a shell command line (the rest run a language's code). */
const COMMAND_LINE_INTERPRETERS = new Set([...SHELLS, 'cmd', 'powershell', 'pwsh']);

/** Message data for an argv risk: the value, the interpreter, and how inline code was made. */
export function argvRiskData(
  model: SemanticModel,
  risk: ArgvRisk,
): { value: string; interpreter: string; detail: string } {
  const value = shortText(model.textOf(risk.node));
  const interpreter = risk.kind === 'code' || risk.kind === 'script' ? risk.interpreter : '';
  let detail = '';
  if (risk.kind === 'code') {
    if (risk.shape.quoted) detail = 'whose spliced-in values are `shlex.quote`d';
    else if (risk.shape.kind === 'built')
      detail = `built with ${describeBuild(risk.shape.how)}, so a spliced-in value can run anything`;
    else detail = `taken from \`${value}\`, which runs anything if it comes from outside`;
  }
  return { value, interpreter, detail };
}

/** The message id each kind of argv risk is reported under. */
export const ARGV_MESSAGE_IDS = {
  code: 'inlineCode',
  program: 'dynamicProgram',
  script: 'dynamicScript',
  argument: 'dynamicArgument',
  opaque: 'opaqueArgv',
  constant: 'constantArgv',
} as const satisfies Record<ArgvRisk['kind'], string>;

/** The message id an argv risk that carries outside input is reported under. */
function taintedMessageId(risk: ArgvRisk): ArgvMessageId {
  switch (risk.kind) {
    case 'code':
      return 'taintedCode';
    case 'script':
      return 'taintedScript';
    case 'argument':
      return 'taintedArgument';
    case 'program':
    case 'opaque':
      return choosesWhatRuns(risk) ? 'taintedProgram' : 'taintedArgument';
    case 'constant':
      return 'constantArgv';
  }
}

/**
 * The message ids argv risks are reported under: rules that report argv verdicts declare a
 * message template for each (`rules/_shared/argv.ts` words them for the process rules).
 */
export type ArgvMessageId =
  | 'taintedCode'
  | 'taintedProgram'
  | 'taintedScript'
  | 'taintedArgument'
  | (typeof ARGV_MESSAGE_IDS)[ArgvRisk['kind']];

export interface ArgvVerdict {
  risk: ArgvRisk;
  messageId: ArgvMessageId;
  severity: Severity;
  confidence: Confidence;
  /** Message data apart from `{{callee}}`. */
  data: { value: string; interpreter: string; detail: string; origin: string; path: string };
  /** When outside input reaches the risk: the steps from the source to the call. */
  flow: FlowStep[] | undefined;
  /** `audit` for a constant argv (`risk.kind === 'constant'`): a finding of the audit profile. */
  profile?: 'audit';
}

/** Sources that are the command line this program was started with (not the environment). */
const COMMAND_LINE_SOURCE =
  /^(?:sys\s*\.\s*(?:orig_)?argv\b|argv\b|getopt\s*\.|gnu_getopt\b|getopt\b|[\w.]*parse_(?:known_)?args\s*\()/;

/** Whether a trace starts at this program's own command line and stays on this machine. */
function fromOwnCommandLine(trace: TaintTrace): boolean {
  return trace.trust === 'local' && COMMAND_LINE_SOURCE.test(trace.source);
}

/**
 * What to report for the risks of an argv that `sinkNode` (shown as `label`) starts: the most
 * serious risk that outside input reaches (found by the dataflow pass; request data that chooses
 * what runs is high/high, as an argument it is medium, and command-line or environment input one
 * step lower), or else the most serious risk as an audit finding, graded by its shape and one step
 * less sure in test files. With no risk, a `constant` verdict of the audit profile.
 */
export function argvVerdict(
  context: RuleContext<string>,
  risks: readonly ArgvRisk[],
  sinkNode: SyntaxNode,
  label: string,
): ArgvVerdict | undefined {
  const { model } = context;
  const passedOn = new Set<ArgvRisk>();
  for (const risk of risks) {
    const sink =
      risk.kind === 'code' && !COMMAND_LINE_INTERPRETERS.has(risk.interpreter) ? 'code' : 'command';
    const tainted = taintedSink(context, risk.node, sink, sinkNode, label);
    if (tainted === undefined) continue;
    const lower = !choosesWhatRuns(risk);
    // Arguments from this program's own command line, passed on to another program: whoever
    // chose them runs this program already.
    if (lower && risk.kind !== 'code' && fromOwnCommandLine(tainted.trace)) {
      passedOn.add(risk);
      continue;
    }
    return {
      risk,
      messageId: taintedMessageId(risk),
      severity: lower ? (tainted.severity === 'high' ? 'medium' : 'low') : tainted.severity,
      confidence: tainted.confidence,
      data: { ...argvRiskData(model, risk), origin: tainted.origin, path: tainted.path },
      flow: tainted.flow,
    };
  }
  const risk: ArgvRisk = risks.find((candidate) => !passedOn.has(candidate)) ?? {
    kind: 'constant',
    node: sinkNode,
  };
  const { severity, confidence } = argvRiskLevel(risk);
  if (risk.kind === 'constant')
    return {
      risk,
      messageId: 'constantArgv',
      severity,
      confidence,
      data: { value: '', interpreter: '', detail: '', origin: '', path: '' },
      flow: undefined,
      profile: 'audit',
    };
  return {
    risk,
    messageId: ARGV_MESSAGE_IDS[risk.kind],
    severity,
    confidence: testAdjusted(confidence, context.isTestFile),
    data: { ...argvRiskData(model, risk), origin: '', path: '' },
    flow: undefined,
  };
}

/**
 * Reports an argv verdict at the call that starts the program (`callee` names it in the
 * message); `messageId` replaces the verdict's own when a rule words a case differently.
 */
export function reportArgvVerdict(
  context: RuleContext<string>,
  node: SyntaxNode,
  callee: string,
  verdict: ArgvVerdict,
  messageId: string = verdict.messageId,
): void {
  context.report({
    node,
    messageId,
    data: { callee, ...verdict.data },
    severity: verdict.severity,
    confidence: verdict.confidence,
    flow: verdict.flow,
    profile: verdict.profile,
  });
}
