/**
 * The object a method is called on (`s` in `s.get(...)`, `self.session` in
 * `self.session.get(...)`), and the last name of such an object, for rules that recognise
 * receivers by what built them or, failing that, by how they are named.
 */
import { unwrapParens, type CallInfo, type SemanticModel } from '../model.js';
import type { SyntaxNode } from '../parse.js';

/** The receiver of `x.method(...)`, or undefined for a plain call `f(...)`. */
export function receiverOf(call: CallInfo): SyntaxNode | undefined {
  return call.callee.type === 'attribute'
    ? (call.callee.childForFieldName('object') ?? undefined)
    : undefined;
}

/** The last name of an expression: `session` for `self.session`, `s` for `s`; else undefined. */
export function lastName(model: SemanticModel, node: SyntaxNode): string | undefined {
  const target = unwrapParens(node);
  if (target.type === 'identifier') return model.textOf(target);
  if (target.type !== 'attribute') return undefined;
  const attribute = target.childForFieldName('attribute');
  return attribute === null ? undefined : model.textOf(attribute);
}
