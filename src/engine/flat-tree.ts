/**
 * The flat syntax tree: PyGuard's native addon (`native/flat-tree.c`) parses a file and returns
 * every node as twelve integers of one Int32Array, having already freed tree-sitter's tree. The
 * classes here give those integers the {@link SyntaxNode} interface: parents, children and
 * fields are array reads, and each node index has one object per tree, so nodes compare with
 * `===` and serve as Map keys.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Point, SyntaxNode, Tree } from './syntax-node.js';

/** What the addon exports (see `native/flat-tree.c`). */
interface FlatTreeAddon {
  parse(text: string, timeoutMs: number): { nodes: Int32Array } | { refused: string } | null;
  language(): { kinds: string[]; fields: string[] };
}

/** Slots of one node in the array; keep in step with `native/flat-tree.c`. */
const KIND = 0;
const FIELD = 1;
const FLAGS = 2;
const START = 3;
const END = 4;
const START_ROW = 5;
const START_COLUMN = 6;
const END_ROW = 7;
const END_COLUMN = 8;
const PARENT = 9;
const FIRST_CHILD = 10;
const NEXT_SIBLING = 11;
const STRIDE = 12;

const NAMED = 1;
const MISSING = 2;
const HAS_ERROR = 4;

const ADDON_FILE = join('build', 'Release', 'pyguard_flat_tree.node');

/** Environment variable naming another build of the addon (an AddressSanitizer build). */
export const ADDON_PATH_VARIABLE = 'PYGUARD_FLAT_TREE_ADDON';

/**
 * The addon's file: the one `PYGUARD_FLAT_TREE_ADDON` names, else `build/Release` of the
 * package root, a few directories above this module.
 */
function addonPath(): string | undefined {
  const named = process.env[ADDON_PATH_VARIABLE];
  if (named !== undefined && named !== '') return named;
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < 5; level++) {
    const candidate = join(directory, ADDON_FILE);
    if (existsSync(candidate)) return candidate;
    directory = dirname(directory);
  }
  return undefined;
}

/** The loaded addon with its name tables, or why it could not be loaded. */
type AddonState =
  | { kind: 'loaded'; addon: FlatTreeAddon; language: Language }
  | { kind: 'missing'; reason: string };

/** Kind and field names of the grammar, read once from the addon. */
interface Language {
  kinds: readonly string[];
  fieldIds: ReadonlyMap<string, number>;
  /** For each list of wanted kinds asked for so far, which kind ids have one of those names. */
  wantedKinds: Map<string, WantedKinds>;
}

/** Most distinct kind lists remembered per language before the memo starts over. */
const MAX_REMEMBERED_KIND_LISTS = 256;

/** Which kind ids carry one of some wanted names (`ERROR` standing for an unknown id). */
interface WantedKinds {
  readonly byId: Uint8Array;
  readonly unknown: boolean;
}

/** The ids of `kinds` whose names are among `types`, remembered per list of names. */
function wantedKinds(language: Language, types: string | readonly string[]): WantedKinds {
  const key = typeof types === 'string' ? types : types.join('\n');
  let wanted = language.wantedKinds.get(key);
  if (wanted === undefined) {
    const names = new Set(typeof types === 'string' ? [types] : types);
    const byId = new Uint8Array(language.kinds.length);
    for (let id = 0; id < byId.length; id++) {
      if (names.has(language.kinds[id] ?? 'ERROR')) byId[id] = 1;
    }
    wanted = { byId, unknown: names.has('ERROR') };
    if (language.wantedKinds.size >= MAX_REMEMBERED_KIND_LISTS) language.wantedKinds.clear();
    language.wantedKinds.set(key, wanted);
  }
  return wanted;
}

let state: AddonState | undefined;

function loadAddon(): AddonState {
  const path = addonPath();
  if (path === undefined) {
    return { kind: 'missing', reason: `${ADDON_FILE} was not built (npm install builds it)` };
  }
  try {
    const addon = createRequire(import.meta.url)(path) as FlatTreeAddon;
    const { kinds, fields } = addon.language();
    const fieldIds = new Map(fields.map((name, id) => [name, id] as const).filter(([n]) => n));
    return { kind: 'loaded', addon, language: { kinds, fieldIds, wantedKinds: new Map() } };
  } catch (error) {
    return { kind: 'missing', reason: error instanceof Error ? error.message : String(error) };
  }
}

function addonState(): AddonState {
  state ??= loadAddon();
  return state;
}

/** Why the flat tree cannot be used on this machine, or undefined when it can. */
export function flatTreeUnavailable(): string | undefined {
  const current = addonState();
  return current.kind === 'missing' ? current.reason : undefined;
}

/** The outcome of one native parse. */
export type FlatParse =
  { kind: 'parsed'; tree: FlatTree } | { kind: 'timed-out' } | { kind: 'refused'; reason: string };

/**
 * Parses `text` (already masked for the parser, see `maskCommentLines`) into a flat tree.
 * @throws Error when the addon is not available ({@link flatTreeUnavailable}).
 */
export function parseFlat(text: string, timeoutMs: number): FlatParse {
  const current = addonState();
  if (current.kind === 'missing') throw new Error(`flat tree unavailable: ${current.reason}`);
  const result = current.addon.parse(text, timeoutMs);
  if (result === null) return { kind: 'timed-out' };
  if ('refused' in result) return { kind: 'refused', reason: result.refused };
  return { kind: 'parsed', tree: new FlatTree(result.nodes, text, current.language) };
}

/** A parsed file as arrays; its nodes are created on first use and kept. */
export class FlatTree implements Tree {
  /** @internal */ readonly nodes: Int32Array;
  /** @internal */ readonly text: string;
  /** @internal */ readonly language: Language;
  private readonly made: (FlatNode | undefined)[];

  constructor(nodes: Int32Array, text: string, language: Language) {
    this.nodes = nodes;
    this.text = text;
    this.language = language;
    this.made = new Array<FlatNode | undefined>(nodes.length / STRIDE);
  }

  get rootNode(): SyntaxNode {
    return this.node(0);
  }

  /** Number of nodes, named and anonymous. */
  get nodeCount(): number {
    return this.made.length;
  }

  /** @internal The one node object of `index`. */
  node(index: number): FlatNode {
    let node = this.made[index];
    if (node === undefined) {
      node = new FlatNode(this, index);
      this.made[index] = node;
    }
    return node;
  }

  /** @internal The node of `index`, or null for -1. */
  nodeOrNull(index: number): FlatNode | null {
    return index < 0 ? null : this.node(index);
  }

  /** @internal One slot of one node. */
  slot(index: number, slot: number): number {
    return this.nodes[index * STRIDE + slot] ?? -1;
  }
}

function comparePoints(a: Point, row: number, column: number): number {
  return a.row !== row ? a.row - row : a.column - column;
}

/** One node of a {@link FlatTree}. */
export class FlatNode implements SyntaxNode {
  private readonly owner: FlatTree;
  private readonly index: number;

  constructor(owner: FlatTree, index: number) {
    this.owner = owner;
    this.index = index;
  }

  private read(slot: number): number {
    return this.owner.slot(this.index, slot);
  }

  get id(): number {
    return this.index;
  }

  get type(): string {
    return this.owner.language.kinds[this.read(KIND)] ?? 'ERROR';
  }

  get text(): string {
    return this.owner.text.slice(this.read(START), this.read(END));
  }

  get isNamed(): boolean {
    return (this.read(FLAGS) & NAMED) !== 0;
  }

  get isMissing(): boolean {
    return (this.read(FLAGS) & MISSING) !== 0;
  }

  get hasError(): boolean {
    return (this.read(FLAGS) & HAS_ERROR) !== 0;
  }

  get startIndex(): number {
    return this.read(START);
  }

  get endIndex(): number {
    return this.read(END);
  }

  get startPosition(): Point {
    return { row: this.read(START_ROW), column: this.read(START_COLUMN) };
  }

  get endPosition(): Point {
    return { row: this.read(END_ROW), column: this.read(END_COLUMN) };
  }

  get parent(): SyntaxNode | null {
    return this.owner.nodeOrNull(this.read(PARENT));
  }

  get children(): SyntaxNode[] {
    const result: SyntaxNode[] = [];
    const { owner } = this;
    for (let child = this.read(FIRST_CHILD); child >= 0; child = owner.slot(child, NEXT_SIBLING)) {
      result.push(owner.node(child));
    }
    return result;
  }

  get namedChildren(): SyntaxNode[] {
    const result: SyntaxNode[] = [];
    const { owner } = this;
    for (let child = this.read(FIRST_CHILD); child >= 0; child = owner.slot(child, NEXT_SIBLING)) {
      if ((owner.slot(child, FLAGS) & NAMED) !== 0) result.push(owner.node(child));
    }
    return result;
  }

  get childCount(): number {
    let count = 0;
    const { owner } = this;
    for (let child = this.read(FIRST_CHILD); child >= 0; child = owner.slot(child, NEXT_SIBLING)) {
      count++;
    }
    return count;
  }

  get namedChildCount(): number {
    let count = 0;
    const { owner } = this;
    for (let child = this.read(FIRST_CHILD); child >= 0; child = owner.slot(child, NEXT_SIBLING)) {
      if ((owner.slot(child, FLAGS) & NAMED) !== 0) count++;
    }
    return count;
  }

  get firstChild(): SyntaxNode | null {
    return this.owner.nodeOrNull(this.read(FIRST_CHILD));
  }

  get firstNamedChild(): SyntaxNode | null {
    return this.namedFrom(this.read(FIRST_CHILD));
  }

  /**
   * As tree-sitter finds it, by offsets: the first later named sibling that ends after this
   * node and starts after it (so an empty node right after this one is passed over).
   */
  get nextNamedSibling(): SyntaxNode | null {
    const { owner } = this;
    const start = this.read(START);
    const end = this.read(END);
    for (let node = this.read(NEXT_SIBLING); node >= 0; node = owner.slot(node, NEXT_SIBLING)) {
      const nodeStart = owner.slot(node, START);
      if (owner.slot(node, END) <= end) continue;
      if (start === end ? nodeStart < start : nodeStart <= start) continue;
      if ((owner.slot(node, FLAGS) & NAMED) !== 0) return owner.node(node);
    }
    return null;
  }

  private namedFrom(first: number): SyntaxNode | null {
    const { owner } = this;
    for (let node = first; node >= 0; node = owner.slot(node, NEXT_SIBLING)) {
      if ((owner.slot(node, FLAGS) & NAMED) !== 0) return owner.node(node);
    }
    return null;
  }

  child(index: number): SyntaxNode | null {
    const { owner } = this;
    let position = 0;
    for (let child = this.read(FIRST_CHILD); child >= 0; child = owner.slot(child, NEXT_SIBLING)) {
      if (position++ === index) return owner.node(child);
    }
    return null;
  }

  childForFieldName(name: string): SyntaxNode | null {
    const field = this.owner.language.fieldIds.get(name);
    if (field === undefined) return null;
    const { owner } = this;
    for (let child = this.read(FIRST_CHILD); child >= 0; child = owner.slot(child, NEXT_SIBLING)) {
      if (owner.slot(child, FIELD) === field) return owner.node(child);
    }
    return null;
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    const field = this.owner.language.fieldIds.get(name);
    const result: SyntaxNode[] = [];
    if (field === undefined) return result;
    const { owner } = this;
    for (let child = this.read(FIRST_CHILD); child >= 0; child = owner.slot(child, NEXT_SIBLING)) {
      if (owner.slot(child, FIELD) === field) result.push(owner.node(child));
    }
    return result;
  }

  descendantsOfType(
    types: string | string[],
    startPosition: Point = { row: 0, column: 0 },
    endPosition?: Point,
  ): SyntaxNode[] {
    const { owner } = this;
    const { byId, unknown } = wantedKinds(owner.language, types);
    const found: SyntaxNode[] = [];
    // Document order is index order: the subtree is this node's index up to its last descendant.
    const last = this.lastDescendant();
    let node = this.index;
    while (node <= last) {
      const endRow = owner.slot(node, END_ROW);
      const endColumn = owner.slot(node, END_COLUMN);
      if (comparePoints(startPosition, endRow, endColumn) >= 0) {
        node = this.skipSubtree(node, last);
        continue;
      }
      const startRow = owner.slot(node, START_ROW);
      const startColumn = owner.slot(node, START_COLUMN);
      if (endPosition !== undefined && comparePoints(endPosition, startRow, startColumn) <= 0) {
        break;
      }
      const kind = owner.slot(node, KIND);
      if (kind >= 0 && kind < byId.length ? byId[kind] === 1 : unknown)
        found.push(owner.node(node));
      node++;
    }
    return found;
  }

  /** The index of the last node of this node's subtree. */
  private lastDescendant(): number {
    const { owner } = this;
    let node = this.index;
    for (;;) {
      let child = owner.slot(node, FIRST_CHILD);
      if (child < 0) return node;
      let next = owner.slot(child, NEXT_SIBLING);
      while (next >= 0) {
        child = next;
        next = owner.slot(child, NEXT_SIBLING);
      }
      node = child;
    }
  }

  /** The index after `node`'s subtree (nodes are numbered in document order). */
  private skipSubtree(node: number, last: number): number {
    const { owner } = this;
    for (let current = node; current !== this.index && current >= 0;) {
      const sibling = owner.slot(current, NEXT_SIBLING);
      if (sibling >= 0) return sibling;
      current = owner.slot(current, PARENT);
    }
    return last + 1;
  }

  descendantForIndex(start: number, end: number = start): SyntaxNode {
    const { owner } = this;
    let node = this.index;
    for (let descended = start <= end; descended;) {
      descended = false;
      for (let child = owner.slot(node, FIRST_CHILD); child >= 0;) {
        const childStart = owner.slot(child, START);
        const childEnd = owner.slot(child, END);
        const empty = childStart === childEnd;
        const tooEarly = childEnd < end || (empty ? childEnd < start : childEnd <= start);
        if (!tooEarly) {
          if (start < childStart) break;
          node = child;
          descended = true;
          break;
        }
        child = owner.slot(child, NEXT_SIBLING);
      }
    }
    return owner.node(node);
  }

  descendantForPosition(start: Point, end: Point = start): SyntaxNode {
    const { owner } = this;
    let node = this.index;
    for (let descended = comparePoints(start, end.row, end.column) <= 0; descended;) {
      descended = false;
      for (let child = owner.slot(node, FIRST_CHILD); child >= 0;) {
        const startRow = owner.slot(child, START_ROW);
        const startColumn = owner.slot(child, START_COLUMN);
        const endRow = owner.slot(child, END_ROW);
        const endColumn = owner.slot(child, END_COLUMN);
        const empty = startRow === endRow && startColumn === endColumn;
        const fromEnd = comparePoints(end, endRow, endColumn);
        const fromStart = comparePoints(start, endRow, endColumn);
        const tooEarly = fromEnd > 0 || (empty ? fromStart > 0 : fromStart >= 0);
        if (!tooEarly) {
          if (comparePoints(start, startRow, startColumn) < 0) break;
          node = child;
          descended = true;
          break;
        }
        child = owner.slot(child, NEXT_SIBLING);
      }
    }
    return owner.node(node);
  }
}
