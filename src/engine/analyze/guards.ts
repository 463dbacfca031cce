/**
 * Guards: checks a program makes before a value reaches a sink. Three questions, from strict to
 * loose:
 *
 * - The dataflow pass's own guard model (`../taint/guards.ts`, `isGuardedAt`): membership in a
 *   fixed set, equality with a constant, character-class predicates, full-match validation and
 *   the frameworks' URL-safety helpers, in the positive form or as an early exit. A guarded value
 *   is not tainted past the guard.
 * - {@link holdsOnlyCheckedValues}, for the audit tier of injection rules (the one that reports
 *   without a proven path from outside input): values the taint guards accept, parameters
 *   annotated as numbers (route frameworks convert them), inert values, and text built only
 *   from them.
 * - {@link checkedBefore}: a validation `if` the taint guards do not model, recognised by a
 *   rule's own pattern (`startswith(BASE)`, `urlparse(url).netloc`).
 */
import { unwrapParens, type SemanticModel } from '../model.js';
import type { SyntaxNode } from '../parse.js';
import { isGuardedAt } from '../taint/guards.js';
import { parametersOf } from '../taint/sources.js';
import { enclosingFunction } from './enclosing-function.js';
import { isInertValue } from './inert-value.js';
import { analyseString, holesOf } from './string-build.js';

/** `int`, `Optional[int]`, `int | None`, `uuid.UUID`, `Decimal`, `PositiveInt`. */
const NUMERIC_ANNOTATION =
  /^(?:(?:typing\.)?Optional\[\s*)?(?:int|float|bool|complex|(?:uuid\.)?UUID\d?|(?:decimal\.)?Decimal|PositiveInt|NonNegativeInt)\s*\]?(?:\s*\|\s*None)?$/;

/**
 * A value the program has already checked or converted before it reaches a sink: a name used
 * where `if x in ALLOWED:` or an early exit `if x not in ALLOWED: return` has accepted it (the
 * dataflow pass's own guard logic), or a function parameter annotated as a number, a boolean or a
 * UUID (`item_id: int`, which route frameworks convert before the handler runs). Splicing such a
 * value into a statement cannot change its structure.
 */
export function isCheckedValue(model: SemanticModel, node: SyntaxNode): boolean {
  const target = unwrapParens(node);
  if (target.type !== 'identifier') return false;
  const name = model.textOf(target);
  const owner = enclosingFunction(target);
  if (isGuardedAt(model, owner ?? model.tree.rootNode, target, name)) return true;
  const found = model.lookup(name, model.scopeAt(target));
  const binding = found?.bindings.length === 1 ? found.bindings[0] : undefined;
  if (binding?.kind !== 'param' || found === undefined) return false;
  const parameter = parametersOf(model, found.scope.node).find(
    (candidate) => candidate.name === name,
  );
  return parameter?.annotation !== undefined && NUMERIC_ANNOTATION.test(parameter.annotation);
}

/** Whether a value is checked, inert (`inert-value.ts`), or text built only from such values (`f"x = {int(n)}"`). */
export function holdsOnlyCheckedValues(model: SemanticModel, node: SyntaxNode): boolean {
  const safe = (value: SyntaxNode): boolean =>
    isInertValue(model, value) || isCheckedValue(model, value);
  if (safe(node)) return true;
  const build = analyseString(model, node);
  return build?.how !== undefined && holesOf(build).every(safe);
}

const MAX_NAMES = 8;

/** Variables (assigned names and parameters) an expression reads. */
function variablesOf(model: SemanticModel, node: SyntaxNode): Set<string> {
  const names = new Set<string>();
  const visit = (current: SyntaxNode): void => {
    if (names.size >= MAX_NAMES) return;
    if (current.type === 'identifier') {
      const parent = current.parent;
      // `x.attr`: only the object is a variable; keyword names are not either.
      if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === current.id)
        return;
      if (
        parent?.type === 'keyword_argument' &&
        parent.childForFieldName('name')?.id === current.id
      )
        return;
      const found = model.lookup(model.textOf(current), model.scopeAt(current));
      if (
        found?.bindings.some(
          (binding) => binding.kind !== 'import' && binding.kind !== 'definition',
        )
      )
        names.add(model.textOf(current));
      return;
    }
    for (const child of current.namedChildren) visit(child);
  };
  visit(node);
  return names;
}

function mentionsAny(text: string, names: ReadonlySet<string>): boolean {
  for (const name of names) if (new RegExp(`(?<![\\w.])${name}(?!\\w)`).test(text)) return true;
  return false;
}

/** Whether a block ends by leaving, or assigns one of the names. */
function leavesOrReassigns(
  model: SemanticModel,
  block: SyntaxNode,
  names: ReadonlySet<string>,
): boolean {
  const statements = block.namedChildren.filter((child) => child.type !== 'comment');
  const last = statements.at(-1);
  if (last === undefined) return false;
  if (
    ['return_statement', 'raise_statement', 'continue_statement', 'break_statement'].includes(
      last.type,
    )
  )
    return true;
  if (
    last.type === 'expression_statement' &&
    /^\s*[\w.]*(?:abort|exit)\s*\(/.test(model.textOf(last))
  )
    return true;
  return statements.some((statement) => {
    const assignment = statement.namedChildren[0];
    if (statement.type !== 'expression_statement' || assignment?.type !== 'assignment')
      return false;
    const left = assignment.childForFieldName('left');
    return left !== null && names.has(model.textOf(left));
  });
}

/**
 * Whether a sink's argument sits behind a validation `if` that the taint pass's guards do not
 * model, such as `if not path.startswith(BASE): abort(403)` or `if urlparse(url).netloc: url = "/"`.
 * The check counts when its condition mentions a variable the argument reads and matches a
 * pattern, and either the argument is inside one of its branches or the `if` comes earlier in an
 * enclosing block of the same function and leaves (return, raise, `abort()`) or reassigns the
 * variable. The direction of the check is not judged: a validation the code bothers to write is
 * taken as the author's intent, which trades a few missed findings for no noise on guarded code.
 */
export function checkedBefore(
  model: SemanticModel,
  argument: SyntaxNode,
  pattern: RegExp,
): boolean {
  const names = variablesOf(model, argument);
  if (names.size === 0) return false;
  const matches = (condition: SyntaxNode | null): boolean => {
    if (condition === null) return false;
    const text = model.textOf(condition);
    return pattern.test(text) && mentionsAny(text, names);
  };
  let child = argument;
  for (let parent = argument.parent; parent !== null; parent = parent.parent) {
    if (parent.type === 'if_statement' || parent.type === 'elif_clause') {
      const condition = parent.childForFieldName('condition');
      if (condition !== null && condition.id !== child.id && matches(condition)) return true;
    }
    if (parent.type === 'block' || parent.type === 'module') {
      for (const statement of parent.namedChildren) {
        if (statement.startIndex >= child.startIndex) break;
        if (statement.type !== 'if_statement') continue;
        const consequence = statement.childForFieldName('consequence');
        if (
          consequence !== null &&
          matches(statement.childForFieldName('condition')) &&
          leavesOrReassigns(model, consequence, names)
        )
          return true;
      }
    }
    if (parent.type === 'function_definition' || parent.type === 'lambda') break;
    child = parent;
  }
  return false;
}
