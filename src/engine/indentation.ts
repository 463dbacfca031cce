/**
 * Indentation as tree-sitter-python's external scanner sees it, measured before parsing.
 *
 * The scanner keeps a stack of indentation widths and serialises it, two bytes per level, after
 * one byte per open string delimiter, into a 1,024-byte buffer; past that the binding aborts the
 * whole process (`length <= 1024`). With one open string a stack of 511 levels aborts, and with
 * 255 nested f-strings 384 levels do. Input that could get there is refused before the parser
 * ever sees it.
 */

/** What a linear pass over the text learns about its indentation. */
export interface IndentationProfile {
  /**
   * Deepest indentation stack of the code: logical lines outside brackets and strings, each
   * deeper than the one it follows opening one level, each shallower one closing levels.
   */
  depth: number;
  /**
   * Distinct indentation widths of all lines holding anything but a comment, strings and
   * brackets included: the stack holds strictly increasing widths, so it can never be deeper
   * than this, whatever the parser does while it recovers from errors.
   */
  widths: number;
}

/** CPython refuses more levels than this ("too many levels of indentation"). */
export const MAX_INDENT_DEPTH = 100;
/** The shallowest stack that can overflow the scanner's buffer (with 255 open f-strings). */
export const SCANNER_CRASH_DEPTH = 384;

const SPACE = 0x20;
const TAB = 0x09;
const FORM_FEED = 0x0c;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const HASH = 0x23;
const BACKSLASH = 0x5c;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;

const OPEN_PAREN = 0x28;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_PAREN = 0x29;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;

/** Where a string literal being read stands: its quote and whether it is triple-quoted. */
interface OpenString {
  quote: number;
  triple: boolean;
}

/** Measures the indentation of `text` in one pass (widths counted as the scanner does: tab 8). */
export function indentationProfile(text: string): IndentationProfile {
  const length = text.length;
  const stack: number[] = [0];
  const widths = new Set<number>();
  let depth = 0;
  let brackets = 0;
  let open: OpenString | undefined;
  let continued = false;
  let carried = 0;
  let index = 0;
  while (index < length) {
    // Leading whitespace, measured like the scanner: a form feed starts the count again.
    let width = carried;
    let code = text.charCodeAt(index);
    while (code === SPACE || code === TAB || code === FORM_FEED) {
      width = code === SPACE ? width + 1 : code === TAB ? width + 8 : 0;
      code = text.charCodeAt(++index);
    }
    carried = 0;
    const blank = index >= length || code === NEWLINE || code === CARRIAGE_RETURN;
    if (!blank && code === BACKSLASH && isLineEnd(text, index + 1)) {
      // The scanner keeps counting across a backslash that ends a whitespace-only line.
      carried = width;
    } else if (!blank && code !== HASH) {
      widths.add(width & 0xffff);
      if (open === undefined && brackets === 0 && !continued) {
        let top = stack[stack.length - 1] ?? 0;
        if (width > top) {
          stack.push(width);
          depth = Math.max(depth, stack.length - 1);
        } else {
          while (width < top && stack.length > 1) {
            stack.pop();
            top = stack[stack.length - 1] ?? 0;
          }
        }
      }
    }
    continued = false;
    // The rest of the line: strings, comments, brackets and a closing backslash.
    while (index < length) {
      code = text.charCodeAt(index);
      if (code === NEWLINE) break;
      if (open !== undefined) {
        index = readStringCharacter(text, index, open);
        if (index < 0) {
          index = -index;
          open = undefined;
        }
        continue;
      }
      if (code === HASH) {
        const end = text.indexOf('\n', index);
        index = end < 0 ? length : end;
        break;
      }
      if (code === SINGLE_QUOTE || code === DOUBLE_QUOTE) {
        const triple = text.charCodeAt(index + 1) === code && text.charCodeAt(index + 2) === code;
        open = { quote: code, triple };
        index += triple ? 3 : 1;
        continue;
      }
      if (code === BACKSLASH && isLineEnd(text, index + 1)) continued = true;
      else if (code === OPEN_PAREN || code === OPEN_BRACKET || code === OPEN_BRACE) brackets++;
      else if (code === CLOSE_PAREN || code === CLOSE_BRACKET || code === CLOSE_BRACE) {
        brackets = Math.max(0, brackets - 1);
      }
      index++;
    }
    // A newline ends a single-quoted string that is still open (a syntax error).
    if (open !== undefined && !open.triple && !continued) open = undefined;
    index++;
  }
  return { depth, widths: widths.size };
}

/** Whether a line ends at `index` (a newline, a CR LF pair, or the end of the text). */
function isLineEnd(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return (
    index >= text.length ||
    code === NEWLINE ||
    (code === CARRIAGE_RETURN && text.charCodeAt(index + 1) === NEWLINE)
  );
}

/**
 * Reads one character (or escape) inside an open string. Returns the next index, negated when
 * the string closed there.
 */
function readStringCharacter(text: string, index: number, open: OpenString): number {
  const code = text.charCodeAt(index);
  if (code === BACKSLASH) return index + 2;
  if (code !== open.quote) return index + 1;
  if (!open.triple) return -(index + 1);
  if (text.charCodeAt(index + 1) === code && text.charCodeAt(index + 2) === code) {
    return -(index + 3);
  }
  return index + 1;
}

const WIDE_RUN = ' '.repeat(MAX_INDENT_DEPTH + 1);

/** Whether only spaces stand between the start of its line and `index`. */
function onlySpacesBefore(text: string, index: number): boolean {
  let at = index - 1;
  while (at >= 0 && text.charCodeAt(at) === SPACE) at--;
  return at < 0 || text.charCodeAt(at) === NEWLINE;
}

/**
 * Whether some line of `text` could measure wider than {@link MAX_INDENT_DEPTH} columns: it holds
 * a tab or a form feed, a run of 101 spaces, or a line of spaces ended by a backslash (whose width
 * carries into the next line). Plain searches, conservative, far cheaper than the profile.
 */
function mayIndentPastLimit(text: string): boolean {
  if (text.includes('\t') || text.includes('\f') || text.includes(WIDE_RUN)) return true;
  for (const ending of ['\\\n', '\\\r']) {
    for (let at = text.indexOf(ending); at >= 0; at = text.indexOf(ending, at + 2)) {
      if (onlySpacesBefore(text, at)) return true;
    }
  }
  return text.endsWith('\\') && onlySpacesBefore(text, text.length - 1);
}

/**
 * Why the parser must not read `text`, or undefined when it may: indentation deeper than Python
 * allows, or indentation that could overflow the scanner's state buffer.
 */
export function indentationRefusal(text: string): string | undefined {
  // Widths of at most 100 columns leave at most 100 levels and 101 distinct widths, so neither
  // limit can be passed: most files never need the full profile.
  if (!mayIndentPastLimit(text)) return undefined;
  const { depth, widths } = indentationProfile(text);
  if (depth > MAX_INDENT_DEPTH) {
    return `not scanned: indentation nested ${String(depth)} levels deep; Python accepts at most ${String(MAX_INDENT_DEPTH)}, and tree-sitter cannot parse more than ${String(SCANNER_CRASH_DEPTH - 1)} safely`;
  }
  if (widths >= SCANNER_CRASH_DEPTH) {
    return `not scanned: lines start at ${String(widths)} different indentation widths; tree-sitter cannot parse input that may nest more than ${String(SCANNER_CRASH_DEPTH - 1)} levels safely`;
  }
  return undefined;
}
