/**
 * Python string literals as tree-sitter-python shapes them: `string` nodes with `string_start`,
 * `string_content`, `escape_sequence`, `interpolation` and `string_end` children.
 */
import type { SyntaxNode } from './parse.js';
import { ownEntry } from './own-entry.js';

/** The literal's prefix letters in lower case (`f`, `rb`, `u`, ...). */
export function stringPrefix(node: SyntaxNode, text: string): string {
  const start = node.firstChild;
  if (start?.type !== 'string_start') return '';
  const raw = text.slice(start.startIndex, start.endIndex);
  return raw.replace(/['"]/g, '').toLowerCase();
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\n': '',
};

/** Decodes one escape sequence such as `\n`, `\x41` or `\u00e9`; unknown escapes stay as written. */
export function decodeEscape(escape: string): string {
  const body = escape.slice(1);
  const simple = ownEntry(SIMPLE_ESCAPES, body);
  if (simple !== undefined) return simple;
  const hex = /^(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))$/.exec(body);
  const digits = hex?.[1] ?? hex?.[2] ?? hex?.[3];
  if (digits !== undefined) {
    const code = Number.parseInt(digits, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : escape;
  }
  if (/^[0-7]{1,3}$/.test(body)) return String.fromCharCode(Number.parseInt(body, 8));
  return escape;
}

/** Text of a `string_content` node with escape sequences decoded (unless raw). */
function contentText(content: SyntaxNode, text: string, isRaw: boolean): string {
  if (content.childCount === 0) return text.slice(content.startIndex, content.endIndex);
  let out = '';
  let cursor = content.startIndex;
  for (const escape of content.children) {
    out += text.slice(cursor, escape.startIndex);
    const raw = text.slice(escape.startIndex, escape.endIndex);
    if (escape.type === 'escape_interpolation') out += raw.slice(1);
    else out += isRaw ? raw : decodeEscape(raw);
    cursor = escape.endIndex;
  }
  return out + text.slice(cursor, content.endIndex);
}

export interface StringParts {
  /** Literal text pieces in order; interpolations are marked by `null`. */
  pieces: (string | null)[];
  isFString: boolean;
  isBytes: boolean;
}

/** Splits a `string` node into literal pieces and interpolation holes, decoding escapes. */
export function stringParts(node: SyntaxNode, text: string): StringParts {
  const prefix = stringPrefix(node, text);
  const isRaw = prefix.includes('r');
  const pieces: (string | null)[] = [];
  let current = '';
  for (const child of node.children) {
    if (child.type === 'string_content') current += contentText(child, text, isRaw);
    else if (child.type === 'interpolation') {
      pieces.push(current, null);
      current = '';
    }
  }
  pieces.push(current);
  return {
    pieces,
    isFString: prefix.includes('f') || prefix.includes('t'),
    isBytes: prefix.includes('b'),
  };
}
