/**
 * How a command handed to a shell was put together: a literal, a string built from parts, or a
 * value of unknown origin, whether every spliced-in part went through `shlex.quote`, and whether
 * every spliced-in part is inert (a number, a pick from a constant table, a value an allowlist
 * check accepted, a parameter annotated as a number), which makes the whole command as safe as a
 * literal.
 */
import { analyseString, holesOf, type BuildKind } from './string-build.js';
import { isCheckedValue } from './guards.js';
import { isInertValue } from './inert-value.js';
import { unwrapParens, type SemanticModel } from '../model.js';
import type { SyntaxNode } from '../parse.js';

export type CommandShape =
  | { kind: 'literal' }
  /**
   * `quoted`: every hole is shell-quoted or cannot carry text (a number, a constant); `inert`:
   * every hole cannot carry text, no quoting needed.
   */
  | { kind: 'built'; how: BuildKind; quoted: boolean; inert: boolean }
  | { kind: 'dynamic'; quoted: boolean; inert: boolean };

/** Functions whose result is safe to splice into a POSIX shell command line. */
const SHELL_QUOTERS = new Set(['shlex.quote', 'shlex.join', 'pipes.quote']);

/** Whether a value cannot carry text that changes a command line. */
function isSafeValue(model: SemanticModel, node: SyntaxNode): boolean {
  return isInertValue(model, node) || isCheckedValue(model, node);
}

/** Whether a spliced-in value is shell-quoted (or inert). */
export function isShellQuoted(model: SemanticModel, node: SyntaxNode): boolean {
  if (isInertValue(model, node)) return true;
  const value = model.resolveValue(node);
  if (value.type === 'call') {
    const callee = value.childForFieldName('function');
    const name = callee === null ? undefined : model.qualifiedName(callee);
    return name !== undefined && SHELL_QUOTERS.has(name);
  }
  // `" ".join(shlex.quote(a) for a in args)`
  if (value.type === 'generator_expression' || value.type === 'list_comprehension') {
    const body = value.childForFieldName('body');
    return body !== null && isShellQuoted(model, body);
  }
  return false;
}

export function commandShape(model: SemanticModel, node: SyntaxNode): CommandShape {
  const value = unwrapParens(model.resolveValue(node));
  if (value.type === 'list' || value.type === 'tuple') return sequenceShape(model, value);
  const build = analyseString(model, node);
  if (build !== undefined) {
    if (build.how === undefined) return { kind: 'literal' };
    const holes = holesOf(build);
    const inert = holes.every((hole) => isSafeValue(model, hole));
    const quoted = inert || holes.every((hole) => isShellQuoted(model, hole));
    return { kind: 'built', how: build.how, quoted, inert };
  }
  const inert = isSafeValue(model, node);
  return { kind: 'dynamic', quoted: inert || isShellQuoted(model, node), inert };
}

/** An argv list: literal when every element is, built when an element is built. */
function sequenceShape(model: SemanticModel, sequence: SyntaxNode): CommandShape {
  let built: BuildKind | undefined;
  let quoted = true;
  let inert = true;
  let literal = true;
  for (const item of sequence.namedChildren) {
    if (item.type === 'comment') continue;
    if (item.type === 'list_splat') {
      literal = false;
      quoted = false;
      inert = false;
      continue;
    }
    const shape = commandShape(model, item);
    if (shape.kind === 'literal') continue;
    literal = false;
    quoted &&= shape.quoted;
    inert &&= shape.inert;
    if (shape.kind === 'built') built ??= shape.how;
  }
  if (literal) return { kind: 'literal' };
  return built === undefined
    ? { kind: 'dynamic', quoted, inert }
    : { kind: 'built', how: built, quoted, inert };
}
