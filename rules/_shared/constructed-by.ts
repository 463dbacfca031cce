/**
 * The qualified callee that produced a value, like `SemanticModel.constructedBy`, but also
 * through a `with` item: `with requests.Session() as s:` / `async with aiohttp.ClientSession() as
 * session:` make `s` and `session` values built by those calls.
 */
import type { SemanticModel } from '../../src/engine/model.js';
import type { SyntaxNode } from '../../src/engine/parse.js';

export function constructedByOrWith(model: SemanticModel, node: SyntaxNode): string | undefined {
  const direct = model.constructedBy(node);
  if (direct !== undefined) return direct;
  const value = model.resolveValue(node);
  if (value.type !== 'identifier') return undefined;
  const found = model.lookup(model.textOf(value), model.scopeAt(value));
  const binding = found?.bindings.length === 1 ? found.bindings[0] : undefined;
  if (binding === undefined || binding.kind !== 'other') return undefined;
  const target = binding.node.parent;
  const pattern = target?.parent;
  if (target?.type !== 'as_pattern_target' || pattern?.type !== 'as_pattern') return undefined;
  const source = pattern.namedChildren[0];
  if (source?.type !== 'call') return undefined;
  const callee = source.childForFieldName('function');
  return callee === null ? undefined : model.qualifiedName(callee);
}
