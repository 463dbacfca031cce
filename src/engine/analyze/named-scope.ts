/**
 * Whether a node sits inside a function or class whose name matches a pattern, e.g. code that
 * builds an app for tests on purpose (`def create_test_app()`, `class TestingConfig`).
 */
import type { SemanticModel } from '../model.js';
import type { SyntaxNode } from '../parse.js';

export function inNamedScope(model: SemanticModel, node: SyntaxNode, pattern: RegExp): boolean {
  for (let current = node.parent; current !== null; current = current.parent) {
    if (current.type !== 'function_definition' && current.type !== 'class_definition') continue;
    const name = current.childForFieldName('name');
    if (name !== null && pattern.test(model.textOf(name))) return true;
  }
  return false;
}
