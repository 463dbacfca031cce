/**
 * Values the program has already checked or converted before they reach a sink, for the audit
 * tier of injection rules (the one that reports without a proven path from outside input): a name
 * used where `if x in ALLOWED:` or an early exit `if x not in ALLOWED: return` has accepted it
 * (the dataflow pass's own guard logic), and a function parameter annotated as a number, a
 * boolean or a UUID (`item_id: int`, which route frameworks convert before the handler runs).
 * Splicing such a value into a statement cannot change its structure.
 *
 * `holdsOnlyCheckedValues`: whether a value is such a value, a literal-like inert value (see
 * `inert-value.ts`), or text built only from them (`f"x = {int(n)}"`).
 */
import { isGuardedAt } from '../taint/guards.js';
import { parametersOf } from '../taint/sources.js';
import { unwrapParens, type SemanticModel } from '../model.js';
import type { SyntaxNode } from '../parse.js';
import { enclosingFunction } from './enclosing-function.js';
import { isInertValue } from './inert-value.js';
import { analyseString, holesOf } from './string-build.js';

/** `int`, `Optional[int]`, `int | None`, `uuid.UUID`, `Decimal`, `PositiveInt`. */
const NUMERIC_ANNOTATION =
  /^(?:(?:typing\.)?Optional\[\s*)?(?:int|float|bool|complex|(?:uuid\.)?UUID\d?|(?:decimal\.)?Decimal|PositiveInt|NonNegativeInt)\s*\]?(?:\s*\|\s*None)?$/;

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

export function holdsOnlyCheckedValues(model: SemanticModel, node: SyntaxNode): boolean {
  const safe = (value: SyntaxNode): boolean =>
    isInertValue(model, value) || isCheckedValue(model, value);
  if (safe(node)) return true;
  const build = analyseString(model, node);
  return build?.how !== undefined && holesOf(build).every(safe);
}
