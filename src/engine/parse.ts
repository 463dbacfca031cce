/**
 * The only module that knows which tree-sitter binding is used.
 */
import Parser from 'tree-sitter';
import Python from 'tree-sitter-python';
import { indentationRefusal } from './indentation.js';
import { linesInsideStrings } from './string-lines.js';
import { setOffsetLayoutVerified, verifyOffsetLayout } from './node-offsets.js';

export type SyntaxNode = Parser.SyntaxNode;
export type Tree = Parser.Tree;

let sharedParser: Parser | undefined;

function parser(): Parser {
  if (sharedParser === undefined) {
    sharedParser = new Parser();
    sharedParser.setLanguage(Python);
    const sample = 'import os\nx = f(a, "é😀")  # c\ny = g(b)\n';
    setOffsetLayoutVerified(verifyOffsetLayout(sharedParser.parse(sample)));
  }
  return sharedParser;
}

/** Characters handed to tree-sitter per read; inputs of any size are fed in chunks. */
const CHUNK = 16 * 1024;

/** Default limit for one file's parse. */
export const DEFAULT_PARSE_TIMEOUT_MS = 20_000;

const COMMENT_LINE = /^([ \t\f]*)#[^\n]*/gm;
const KEEP_IN_STRING = /"""|'''|\{/;

/**
 * tree-sitter-python's scanner re-reads every following comment line at each comment line after
 * a statement, so long comment blocks parse in quadratic time (4,000 lines: seconds). The parser
 * therefore reads a copy in which whole-line comments are blanked to spaces of the same length;
 * positions stay identical and callers slice the original text. A line that begins inside a
 * string (found by a linear pass, see `string-lines.ts`) is string content, not a comment: it is
 * blanked only when it cannot close the string or hold an f-string interpolation. Lines
 * continued from a backslash are kept as written.
 */
export function maskCommentLines(text: string): string {
  if (!text.includes('#')) return text;
  let insideStrings: Set<number> | undefined;
  return text.replace(COMMENT_LINE, (line: string, indent: string, offset: number) => {
    if (offset >= 2 && text[offset - 1] === '\n' && text[offset - 2] === '\\') return line;
    insideStrings ??= linesInsideStrings(text);
    if (insideStrings.has(offset) && KEEP_IN_STRING.test(line)) return line;
    return indent + ' '.repeat(line.length - indent.length);
  });
}

/** The outcome of one parse: a tree, or why there is none. */
export type ParseOutcome =
  { kind: 'parsed'; tree: Tree } | { kind: 'timed-out' } | { kind: 'refused'; reason: string };

/**
 * Why the parser must not read `text` (input known to crash tree-sitter natively, which would
 * abort the whole process), or undefined when it may.
 */
export function parseRefusal(text: string): string | undefined {
  return indentationRefusal(text);
}

/**
 * The deadline of the parse in progress. The binding keeps a persistent reference to every
 * progress callback it is given and never releases it, so one function serves every parse and
 * reads its deadline from here; a closure per parse would keep each file's text alive forever.
 */
let parseDeadline = 0;
const pastDeadline = (): boolean => performance.now() > parseDeadline;

/**
 * Parses Python source of any size, unless it is refused. Never throws on bad syntax: the tree
 * holds ERROR nodes.
 */
export function parseSource(text: string, timeoutMs = DEFAULT_PARSE_TIMEOUT_MS): ParseOutcome {
  const refusal = parseRefusal(text);
  if (refusal !== undefined) return { kind: 'refused', reason: refusal };
  const tree = parseChecked(text, timeoutMs);
  return tree === null ? { kind: 'timed-out' } : { kind: 'parsed', tree };
}

/**
 * Parses Python source of any size. Never throws on bad syntax: the tree holds ERROR nodes.
 * Returns null when parsing takes longer than the timeout.
 * @throws Error for input the parser must not read (see {@link parseRefusal}).
 */
export function parsePython(text: string, timeoutMs = DEFAULT_PARSE_TIMEOUT_MS): Tree | null {
  const refusal = parseRefusal(text);
  if (refusal !== undefined) throw new Error(refusal);
  return parseChecked(text, timeoutMs);
}

/** The parse itself, for text already checked by {@link parseRefusal}. */
function parseChecked(text: string, timeoutMs: number): Tree | null {
  const masked = maskCommentLines(text);
  const input = (index: number): string | null =>
    index < masked.length ? masked.slice(index, index + CHUNK) : null;
  parseDeadline = performance.now() + timeoutMs;
  const instance = parser();
  try {
    const tree = instance.parse(input, undefined, {
      bufferSize: CHUNK * 2,
      progressCallback: pastDeadline,
    }) as Tree | null | undefined;
    // A cancelled parse would otherwise be resumed by the next call, on the next file's text.
    if (tree === null || tree === undefined) instance.reset();
    return tree ?? null;
  } catch {
    // A cancelled parse can surface as an exception in some binding versions.
    instance.reset();
    return null;
  }
}
