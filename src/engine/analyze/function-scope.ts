/**
 * The scope of the function a node is in (skipping class bodies and comprehensions), or the
 * module scope at top level: the unit "in the same function" checks compare.
 */
import type { Scope, SemanticModel } from '../model.js';
import type { SyntaxNode } from '../parse.js';

export function functionScopeOf(model: SemanticModel, node: SyntaxNode): Scope {
  let current: Scope | null = model.scopeAt(node);
  while (current !== null) {
    if (current.kind === 'function' || current.kind === 'lambda' || current.kind === 'module')
      return current;
    current = current.parent;
  }
  return model.module;
}
