import { TextDecoder } from 'node:util';

/**
 * Turning raw file contents into the text the parser sees: encoding detection (PEP 263 cookie,
 * BOM, UTF-8 with replacement), and line-ending normalisation.
 */

export interface DecodedSource {
  text: string;
  /** Set when the bytes could not be decoded cleanly; the text then holds U+FFFD replacements. */
  decodingProblem?: string;
  encoding: string;
}

const CODING_COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

/** PEP 263: the encoding named in a comment on line 1 or 2, if any. */
export function codingCookie(head: string): string | undefined {
  const lines = head.split('\n', 2);
  for (const line of lines) {
    const match = CODING_COOKIE.exec(line);
    if (match?.[1] !== undefined) return match[1].toLowerCase();
    if (!/^[ \t\f]*(#.*)?\r?$/.test(line)) break;
  }
  return undefined;
}

function normaliseEncodingName(name: string): string {
  const lower = name.toLowerCase().replace(/_/g, '-');
  if (lower === 'utf8' || lower.startsWith('utf-8')) return 'utf-8';
  if (lower === 'latin-1' || lower === 'iso-latin-1' || lower === 'l1') return 'latin1';
  return lower;
}

function decoderFor(encoding: string, fatal: boolean): TextDecoder | undefined {
  try {
    return new TextDecoder(encoding, { fatal, ignoreBOM: false });
  } catch {
    return undefined;
  }
}

/** Normalises CRLF and lone CR line endings to LF; line and column numbers are unchanged. */
export function normaliseLineEndings(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/**
 * Decodes file contents. Strings are taken as already decoded (a leading BOM is dropped).
 * Bytes are decoded as the PEP 263 cookie says, else UTF-8; undecodable bytes become U+FFFD and
 * the result says so.
 */
export function decodeSource(input: string | Uint8Array): DecodedSource {
  if (typeof input === 'string') {
    const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
    return { text: normaliseLineEndings(text), encoding: 'utf-8' };
  }
  const hasBom = input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf;
  const head = new TextDecoder('latin1').decode(input.subarray(0, 512));
  const cookie = hasBom ? undefined : codingCookie(head);
  const encoding = cookie === undefined ? 'utf-8' : normaliseEncodingName(cookie);
  const strict = decoderFor(encoding, true);
  if (strict === undefined) {
    const text = new TextDecoder('utf-8').decode(input);
    return {
      text: normaliseLineEndings(text),
      encoding: 'utf-8',
      decodingProblem: `unknown encoding "${cookie ?? encoding}" declared; decoded as UTF-8`,
    };
  }
  try {
    return { text: normaliseLineEndings(strict.decode(input)), encoding };
  } catch {
    const lenient = decoderFor(encoding, false) ?? new TextDecoder('utf-8');
    const text = lenient.decode(input);
    const firstBad = text.indexOf('\uFFFD');
    const line = firstBad < 0 ? 1 : text.slice(0, firstBad).split(/\r\n?|\n/).length;
    return {
      text: normaliseLineEndings(text),
      encoding,
      decodingProblem: `bytes that are not valid ${encoding} (first on line ${line}) were replaced with U+FFFD`,
    };
  }
}
