/**
 * The only module that knows which parser backend builds the tree: PyGuard's native flat tree
 * (`flat-tree.ts`, the default when its addon was built at install) or the tree-sitter Node
 * binding (the fallback). `PYGUARD_PARSER=binding|flat` picks one explicitly.
 */
import { createRequire } from 'node:module';
import type Parser from 'tree-sitter';
import { flatTreeUnavailable, parseFlat } from './flat-tree.js';
import { indentationRefusal } from './indentation.js';
import { linesInsideStrings } from './string-lines.js';
import { setOffsetLayoutVerified, verifyOffsetLayout } from './node-offsets.js';
import type { SyntaxNode as Node, Tree as ParsedTree } from './syntax-node.js';

export type SyntaxNode = Node;
export type Tree = ParsedTree;

/** The two ways to build a tree: see the module comment. */
export type ParserBackend = 'binding' | 'flat';

/** Environment variable that picks the backend (`binding` or `flat`). */
export const PARSER_BACKEND_VARIABLE = 'PYGUARD_PARSER';

let chosenBackend: ParserBackend | undefined;

/**
 * The backend in use: the one named by `PYGUARD_PARSER`, else the flat tree when its addon is
 * available, else the binding.
 * @throws Error when `PYGUARD_PARSER` names an unknown backend, or `flat` without its addon.
 */
export function parserBackend(): ParserBackend {
  chosenBackend ??= backendFromEnvironment(process.env[PARSER_BACKEND_VARIABLE]);
  return chosenBackend;
}

function backendFromEnvironment(requested: string | undefined): ParserBackend {
  if (requested === undefined || requested === '') {
    return flatTreeUnavailable() === undefined ? 'flat' : 'binding';
  }
  if (requested !== 'binding' && requested !== 'flat') {
    throw new Error(`${PARSER_BACKEND_VARIABLE} must be "binding" or "flat", not "${requested}"`);
  }
  const unavailable = requested === 'flat' ? flatTreeUnavailable() : undefined;
  if (unavailable !== undefined) {
    throw new Error(
      `${PARSER_BACKEND_VARIABLE}=flat, but the flat tree is unavailable: ${unavailable}`,
    );
  }
  return requested;
}

/** Why `backend` cannot be used in this process, or undefined when it can. */
export function backendUnavailable(backend: ParserBackend): string | undefined {
  return backend === 'flat' ? flatTreeUnavailable() : undefined;
}

/**
 * Switches the backend for this process and for the worker threads and child processes it
 * starts afterwards (through `PYGUARD_PARSER`). For comparisons and benchmarks.
 * @throws Error when `flat` is asked for but its addon is not available.
 */
export function setParserBackend(backend: ParserBackend): void {
  chosenBackend = backendFromEnvironment(backend);
  process.env[PARSER_BACKEND_VARIABLE] = backend;
}

let sharedParser: Parser | undefined;

/**
 * The binding's parser, created (and the binding and grammar loaded) on first use: a process
 * that parses with the flat tree never loads them.
 */
function parser(): Parser {
  if (sharedParser === undefined) {
    const load = createRequire(import.meta.url);
    const Binding = load('tree-sitter') as typeof Parser;
    sharedParser = new Binding();
    sharedParser.setLanguage(load('tree-sitter-python') as Parser.Language);
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
    if (KEEP_IN_STRING.test(line) && (insideStrings ??= linesInsideStrings(text)).has(offset))
      return line;
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
  if (parserBackend() === 'flat') return parseFlat(maskCommentLines(text), timeoutMs);
  const tree = parseChecked(text, timeoutMs);
  return tree === null ? { kind: 'timed-out' } : { kind: 'parsed', tree };
}

/**
 * Parses Python source of any size. Never throws on bad syntax: the tree holds ERROR nodes.
 * Returns null when parsing takes longer than the timeout.
 * @throws Error for input the parser must not read (see {@link parseRefusal}).
 */
export function parsePython(text: string, timeoutMs = DEFAULT_PARSE_TIMEOUT_MS): Tree | null {
  const outcome = parseSource(text, timeoutMs);
  if (outcome.kind === 'refused') throw new Error(outcome.reason);
  return outcome.kind === 'parsed' ? outcome.tree : null;
}

/** The binding's parse, for text already checked by {@link parseRefusal}. */
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
    }) as Parser.Tree | null | undefined;
    // A cancelled parse would otherwise be resumed by the next call, on the next file's text.
    if (tree === null || tree === undefined) instance.reset();
    return tree ?? null;
  } catch {
    // A cancelled parse can surface as an exception in some binding versions.
    instance.reset();
    return null;
  }
}
