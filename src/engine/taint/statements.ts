/**
 * The statements around a source offset, found from the top of a function (or module) down. The
 * Node binding computes a node's `parent` by walking down from the root, so climbing from a use
 * deep inside a long expression costs the square of its depth; statements nest shallowly, so
 * descending through them is cheap whatever the expressions look like.
 */
import { startOf } from '../node-offsets.js';
import type { SyntaxNode } from '../parse.js';

/** One level: a block, the statement of it that holds the offset, and the clause entered. */
export interface StatementLevel {
  block: SyntaxNode;
  statement: SyntaxNode;
  /**
   * The `if_statement` or `elif_clause` whose consequence holds the offset, when the offset is
   * in a consequence rather than in a condition, an `else` or another kind of block.
   */
  consequenceOf?: SyntaxNode;
}

const CLAUSES = new Set([
  'elif_clause',
  'else_clause',
  'except_clause',
  'except_group_clause',
  'finally_clause',
  'case_clause',
  'with_clause',
]);

function holds(node: SyntaxNode, offset: number): boolean {
  return startOf(node) <= offset && offset < node.endIndex;
}

/** Named children of a node, possibly from a cache the caller keeps per file. */
export type ChildrenOf = (node: SyntaxNode) => readonly SyntaxNode[];

const directChildren: ChildrenOf = (node) => node.namedChildren;

/** The child (in document order) that holds an offset, found by binary search on start offsets. */
function childAt(children: readonly SyntaxNode[], offset: number): SyntaxNode | undefined {
  let low = 0;
  let high = children.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const child = children[mid];
    if (child !== undefined && startOf(child) <= offset) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  const child = children[found];
  return child !== undefined && offset < child.endIndex ? child : undefined;
}

/** The block of a compound statement (or of one of its clauses) that holds the offset. */
function innerBlock(
  statement: SyntaxNode,
  offset: number,
): { block: SyntaxNode; owner: SyntaxNode } | undefined {
  for (const child of statement.namedChildren) {
    if (!holds(child, offset)) continue;
    if (child.type === 'block') return { block: child, owner: statement };
    if (CLAUSES.has(child.type) || child.type === 'match_statement') {
      return innerBlock(child, offset);
    }
    return undefined;
  }
  return undefined;
}

/**
 * The chain of statements from the scope's body down to the innermost statement holding the
 * offset. Nested functions and classes end the chain (they are scopes of their own).
 */
export function statementsAround(
  scopeNode: SyntaxNode,
  offset: number,
  childrenOf: ChildrenOf = directChildren,
): StatementLevel[] {
  const levels: StatementLevel[] = [];
  let block: SyntaxNode | null =
    scopeNode.type === 'module' ? scopeNode : scopeNode.childForFieldName('body');
  while (block !== null) {
    const statement = childAt(childrenOf(block), offset);
    if (statement === undefined) break;
    const level: StatementLevel = { block, statement };
    levels.push(level);
    if (statement.type === 'function_definition' || statement.type === 'class_definition') break;
    const inner = innerBlock(statement, offset);
    if (inner === undefined) break;
    const owner = inner.owner;
    if (
      (owner.type === 'if_statement' || owner.type === 'elif_clause') &&
      owner.childForFieldName('consequence')?.startIndex === inner.block.startIndex
    ) {
      level.consequenceOf = owner;
    }
    block = inner.block;
  }
  return levels;
}
