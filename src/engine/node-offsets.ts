/**
 * Fast reads of a node's start offset. The Node binding keeps each node's start byte in the
 * node object itself (UTF-16 input, so bytes / 2 = string index) but its `startIndex` getter
 * makes a native call every time; the model asks for start offsets constantly. The layout is
 * checked once against the getter on a sample parse; if it ever differs, the getter is used.
 */
import type { SyntaxNode, Tree } from './parse.js';

const START_BYTE_FIELD = 2;

type IndexedNode = SyntaxNode & { readonly [field: number]: unknown };

let layoutVerified: boolean | undefined;

function fieldStart(node: SyntaxNode): number | undefined {
  const raw = (node as IndexedNode)[START_BYTE_FIELD];
  return typeof raw === 'number' ? raw >> 1 : undefined;
}

/** Checks the fast path against the binding's own getter on every node of a small tree. */
export function verifyOffsetLayout(tree: Tree): boolean {
  const nodes = tree.rootNode.descendantsOfType(['identifier', 'call', 'string', 'comment']);
  if (nodes.length < 3) return false;
  return nodes.every((node) => fieldStart(node) === node.startIndex);
}

/** Records whether the fast path may be used (called once by the parser module). */
export function setOffsetLayoutVerified(verified: boolean): void {
  layoutVerified = verified;
}

/** The node's start offset in the source string (UTF-16 code units). */
export function startOf(node: SyntaxNode): number {
  if (layoutVerified === true) {
    const fast = fieldStart(node);
    if (fast !== undefined) return fast;
  }
  return node.startIndex;
}
