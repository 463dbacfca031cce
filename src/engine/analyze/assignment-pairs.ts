/**
 * What an assignment statement stores where, as (target, value) pairs: `x = "v"` gives one pair,
 * `a = b = "v"` gives `a` with `"v"` (each assignment node of the chain reports its own target),
 * and `a, b = "x", "y"` gives `a` with `"x"` and `b` with `"y"`. Unpacking of anything other than
 * a same-length literal sequence gives no pairs.
 */
import type { SyntaxNode } from '../parse.js';

const SEQUENCE_TYPES = new Set([
  'pattern_list',
  'tuple_pattern',
  'list_pattern',
  'tuple',
  'list',
  'expression_list',
]);

export function assignedPairs(assignment: SyntaxNode): [SyntaxNode, SyntaxNode][] {
  const left = assignment.childForFieldName('left');
  let right = assignment.childForFieldName('right');
  if (left === null || right === null) return [];
  while (right.type === 'assignment') {
    const next: SyntaxNode | null = right.childForFieldName('right');
    if (next === null) return [];
    right = next;
  }
  if (SEQUENCE_TYPES.has(left.type) && SEQUENCE_TYPES.has(right.type)) {
    const targets = left.namedChildren;
    const values = right.namedChildren;
    if (targets.length !== values.length) return [];
    return targets.flatMap((target, index): [SyntaxNode, SyntaxNode][] => {
      const value = values[index];
      return value === undefined ? [] : [[target, value]];
    });
  }
  return [[left, right]];
}
