/**
 * The syntax node members the engine and the rules use: the one node interface, whichever
 * backend built the tree (see `parse.ts`). Offsets and columns are JavaScript string indices
 * (UTF-16 code units) of the source text.
 */

/** A position in the source: zero-based row, column in UTF-16 code units. */
export interface Point {
  row: number;
  column: number;
}

/** One node of a Python syntax tree. Within one tree, the same node is the same object. */
export interface SyntaxNode {
  /** A number that identifies the node within its tree. */
  readonly id: number;
  /** The grammar's name of the node (`call`, `identifier`, `(`, `ERROR`, …). */
  readonly type: string;
  /** The node's source text (whole-line comments read as blanks, see `maskCommentLines`). */
  readonly text: string;
  readonly isNamed: boolean;
  /** Whether the parser inserted this node to recover from an error; it has no text. */
  readonly isMissing: boolean;
  /** Whether the node or a descendant is an error or missing node. */
  readonly hasError: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  readonly endPosition: Point;
  readonly parent: SyntaxNode | null;
  readonly children: SyntaxNode[];
  readonly namedChildren: SyntaxNode[];
  readonly childCount: number;
  readonly namedChildCount: number;
  readonly firstChild: SyntaxNode | null;
  readonly firstNamedChild: SyntaxNode | null;
  readonly nextNamedSibling: SyntaxNode | null;
  /** The child at `index` among all children, or null. */
  child(index: number): SyntaxNode | null;
  /** The first child in the field `name`, or null. */
  childForFieldName(name: string): SyntaxNode | null;
  /** Every child in the field `name`, in order. */
  childrenForFieldName(name: string): SyntaxNode[];
  /**
   * This node and its descendants, in document order, whose type is one of `types` (named or
   * anonymous: `lambda` also matches the keyword). Subtrees ending at or before
   * `startPosition` (default: the very start) are skipped; the search stops at the first node
   * starting at or after `endPosition`.
   */
  descendantsOfType(
    types: string | string[],
    startPosition?: Point,
    endPosition?: Point,
  ): SyntaxNode[];
  /** The smallest node, named or not, that spans the offsets `start`..`end` (default `start`). */
  descendantForIndex(start: number, end?: number): SyntaxNode;
  /** The smallest node, named or not, that spans the positions `start`..`end`. */
  descendantForPosition(start: Point, end?: Point): SyntaxNode;
}

/** A parsed file: its root node. */
export interface Tree {
  readonly rootNode: SyntaxNode;
}
