/**
 * Which lines of Python source begin inside a string literal, found by one linear pass before
 * parsing: triple-quoted strings, f-strings with their replacement fields (nested strings,
 * format specs, PEP 701 reuse of the outer quote), escapes and comments. A line that begins
 * outside every string and starts with `#` is a comment, whatever it holds.
 */

const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const HASH = 0x23;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COLON = 0x3a;

/** An open string literal. */
interface StringFrame {
  kind: 'string';
  quote: number;
  triple: boolean;
  formatted: boolean;
}

/** An open replacement field of an f-string (`{…}`). */
interface FieldFrame {
  kind: 'field';
  /** Brackets opened inside the field's expression and not yet closed. */
  brackets: number;
}

/** The format spec of a replacement field (`:…`), which reads like string content again. */
interface SpecFrame {
  kind: 'spec';
}

type Frame = StringFrame | FieldFrame | SpecFrame;

function isIdentifierCode(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x5f ||
    code > 0x7f
  );
}

/** Whether the quote at `index` opens an f-string (an `f` in the prefix just before it). */
function isFormattedPrefix(text: string, index: number): boolean {
  let start = index;
  while (start > 0 && index - start < 3 && /[rRbBfFuUtT]/.test(text.charAt(start - 1))) start--;
  if (start > 0 && isIdentifierCode(text.charCodeAt(start - 1))) return false;
  return /[fFtT]/.test(text.slice(start, index));
}

/**
 * The characters that can change the state, by state: outside every string (newline, comment,
 * quote) and inside a plain or formatted string of each quote (newline, escape, closing quote,
 * and for f-strings braces). Every other character is passed over in one regular-expression
 * search instead of one step each.
 */
const OUTSIDE_STOPS = /[\n#'"]/g;
const PLAIN_STOPS = new Map([
  [SINGLE_QUOTE, /[\n\\']/g],
  [DOUBLE_QUOTE, /[\n\\"]/g],
]);
const FORMATTED_STOPS = new Map([
  [SINGLE_QUOTE, /[\n\\'{}]/g],
  [DOUBLE_QUOTE, /[\n\\"{}]/g],
]);

/** The index of the next character `stops` matches at or after `index`, or `length`. */
function nextStop(text: string, index: number, stops: RegExp): number {
  stops.lastIndex = index;
  return stops.test(text) ? stops.lastIndex - 1 : text.length;
}

/** Where the state can next change from `index` on, for the innermost frame `top`. */
function skipInert(text: string, index: number, top: Frame | undefined): number {
  if (top === undefined) return nextStop(text, index, OUTSIDE_STOPS);
  if (top.kind !== 'string') return index;
  const stops = (top.formatted ? FORMATTED_STOPS : PLAIN_STOPS).get(top.quote);
  return stops === undefined ? index : nextStop(text, index, stops);
}

/** Offsets of the lines (their first character) that begin inside a string or an f-string field. */
export function linesInsideStrings(text: string): Set<number> {
  const inside = new Set<number>();
  const frames: Frame[] = [];
  const length = text.length;
  let index = 0;
  while (index < length) {
    const top = frames[frames.length - 1];
    index = skipInert(text, index, top);
    if (index >= length) break;
    const code = text.charCodeAt(index);
    if (code === NEWLINE) {
      // A newline ends an unterminated single-quoted string (a syntax error).
      if (top?.kind === 'string' && !top.triple) frames.pop();
      index++;
      if (frames.length > 0 && index < length) inside.add(index);
      continue;
    }
    if (top !== undefined && top.kind !== 'field') {
      index = stringStep(text, index, frames, top);
      continue;
    }
    if (code === HASH) {
      const end = text.indexOf('\n', index);
      index = end < 0 ? length : end;
      continue;
    }
    if (code === SINGLE_QUOTE || code === DOUBLE_QUOTE) {
      const triple = text.charCodeAt(index + 1) === code && text.charCodeAt(index + 2) === code;
      frames.push({
        kind: 'string',
        quote: code,
        triple,
        formatted: isFormattedPrefix(text, index),
      });
      index += triple ? 3 : 1;
      continue;
    }
    if (top !== undefined) fieldStep(text, index, frames, top);
    index++;
  }
  return inside;
}

/** One step inside string content or a format spec; returns the next index. */
function stringStep(
  text: string,
  index: number,
  frames: Frame[],
  top: StringFrame | SpecFrame,
): number {
  const code = text.charCodeAt(index);
  if (code === BACKSLASH) return index + 2;
  if (top.kind === 'spec') {
    if (code === OPEN_BRACE) frames.push({ kind: 'field', brackets: 0 });
    else if (code === CLOSE_BRACE) frames.pop();
    return index + 1;
  }
  const formatted = top.formatted;
  if (formatted && code === OPEN_BRACE) {
    if (text.charCodeAt(index + 1) === OPEN_BRACE) return index + 2;
    frames.push({ kind: 'field', brackets: 0 });
    return index + 1;
  }
  if (formatted && code === CLOSE_BRACE && text.charCodeAt(index + 1) === CLOSE_BRACE)
    return index + 2;
  if (code !== top.quote) return index + 1;
  if (!top.triple) {
    frames.pop();
    return index + 1;
  }
  if (text.charCodeAt(index + 1) === code && text.charCodeAt(index + 2) === code) {
    frames.pop();
    return index + 3;
  }
  return index + 1;
}

/** One step of a replacement field's expression (brackets, `}`, `!r`, `:spec`). */
function fieldStep(text: string, index: number, frames: Frame[], top: FieldFrame): void {
  const code = text.charCodeAt(index);
  switch (code) {
    case 0x28:
    case 0x5b:
    case OPEN_BRACE:
      top.brackets++;
      return;
    case 0x29:
    case 0x5d:
      top.brackets = Math.max(0, top.brackets - 1);
      return;
    case CLOSE_BRACE:
      if (top.brackets > 0) top.brackets--;
      else frames.pop();
      return;
    case COLON:
      if (top.brackets === 0) frames[frames.length - 1] = { kind: 'spec' };
      return;
    default:
      return;
  }
}
