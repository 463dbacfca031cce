/**
 * The name a value is stored under, for rules that judge names: `password` in `password = ...`,
 * `self.password = ...`, `d["password"] = ...` and `{"password": ...}`.
 */
import { unwrapParens, type SemanticModel } from '../model.js';
import type { SyntaxNode } from '../parse.js';

export function targetName(model: SemanticModel, node: SyntaxNode): string | undefined {
  const target = unwrapParens(node);
  switch (target.type) {
    case 'identifier':
      return model.textOf(target);
    case 'attribute': {
      const attribute = target.childForFieldName('attribute');
      return attribute === null ? undefined : model.textOf(attribute);
    }
    case 'subscript': {
      const key = target.childForFieldName('subscript');
      return key === null || (key.type !== 'string' && key.type !== 'concatenated_string')
        ? undefined
        : model.staticString(key);
    }
    case 'string':
    case 'concatenated_string':
      return model.staticString(target);
    default:
      return undefined;
  }
}

/** The literal text of a string node (not followed through names), or undefined. */
export function literalString(model: SemanticModel, node: SyntaxNode): string | undefined {
  const value = unwrapParens(node);
  if (value.type !== 'string' && value.type !== 'concatenated_string') return undefined;
  return model.staticString(value);
}
