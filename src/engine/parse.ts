/**
 * The only module that knows which tree-sitter binding is used.
 */
import Parser from 'tree-sitter';
import Python from 'tree-sitter-python';
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
const KEEP_COMMENT = /pyguard|nosec|noqa|"""|'''|\{/i;

/**
 * tree-sitter-python's scanner re-reads every following comment line at each comment line after
 * a statement, so long comment blocks parse in quadratic time (4,000 lines: seconds). The parser
 * therefore reads a copy in which whole-line comments are blanked to spaces of the same length;
 * positions stay identical and callers slice the original text. Comments that may matter
 * (suppressions), that might close a triple-quoted string or hold an f-string interpolation
 * (`{`), and lines continued from a backslash, are kept as written.
 */
export function maskCommentLines(text: string): string {
  if (!text.includes('#')) return text;
  return text.replace(COMMENT_LINE, (line: string, indent: string, offset: number) => {
    if (KEEP_COMMENT.test(line)) return line;
    if (offset >= 2 && text[offset - 1] === '\n' && text[offset - 2] === '\\') return line;
    return indent + ' '.repeat(line.length - indent.length);
  });
}

/**
 * Parses Python source of any size. Never throws on bad syntax: the tree holds ERROR nodes.
 * Returns null when parsing takes longer than the timeout.
 */
export function parsePython(text: string, timeoutMs = DEFAULT_PARSE_TIMEOUT_MS): Tree | null {
  const masked = maskCommentLines(text);
  const input = (index: number): string | null =>
    index < masked.length ? masked.slice(index, index + CHUNK) : null;
  const deadline = performance.now() + timeoutMs;
  const instance = parser();
  try {
    const tree = instance.parse(input, undefined, {
      bufferSize: CHUNK * 2,
      progressCallback: () => performance.now() > deadline,
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
