import type { SemanticModel, SyntaxNode } from '../../src/rules-api/index.js';

/**
 * Whether the source text of an expression, or of the value a name holds (followed through single
 * assignments), matches a pattern (give one without the `g` flag). A cheap stand-in for taint:
 * `pickle.loads(request.data)`, or `body = request.get_data(); pickle.loads(body)`.
 */
export function mentions(model: SemanticModel, node: SyntaxNode, pattern: RegExp): boolean {
  return pattern.test(model.textOf(node)) || pattern.test(model.textOf(model.resolveValue(node)));
}
