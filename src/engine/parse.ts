/**
 * The only module that knows which tree-sitter binding is used.
 */
import Parser from 'tree-sitter';
import Python from 'tree-sitter-python';

export type SyntaxNode = Parser.SyntaxNode;
export type Tree = Parser.Tree;

let sharedParser: Parser | undefined;

function parser(): Parser {
  if (sharedParser === undefined) {
    sharedParser = new Parser();
    sharedParser.setLanguage(Python as unknown as Parser.Language);
  }
  return sharedParser;
}

/** Characters handed to tree-sitter per read; inputs of any size are fed in chunks. */
const CHUNK = 16 * 1024;

/** Parses Python source of any size. Never throws on bad syntax: the tree holds ERROR nodes. */
export function parsePython(text: string): Tree {
  const input = (index: number): string | null =>
    index < text.length ? text.slice(index, index + CHUNK) : null;
  return parser().parse(input, undefined, { bufferSize: CHUNK * 2 });
}

/** Language handle, for callers that need node type ids. */
export function pythonLanguage(): Parser.Language {
  return Python as unknown as Parser.Language;
}
