/**
 * The `def` a node sits in directly: the nearest enclosing function definition, or undefined when
 * a class body or lambda comes first (the node is not in that function's own statements) or the
 * node is at module level.
 */
import type { SyntaxNode } from '../parse.js';

export function enclosingFunction(node: SyntaxNode): SyntaxNode | undefined {
  for (let current = node.parent; current !== null; current = current.parent) {
    if (current.type === 'function_definition') return current;
    if (current.type === 'class_definition' || current.type === 'lambda') return undefined;
  }
  return undefined;
}
