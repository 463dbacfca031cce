/**
 * Finding where a value sits in a manifest's text, for formats whose parsers give values
 * without positions (TOML, JSON). Pure string searches over the original text.
 */
import type { LineSpan } from '../types.js';

/** Offsets and lines of one text. */
export class TextPositions {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
      this.lineStarts.push(i + 1);
    }
  }

  /** The 1-based line of an offset. */
  lineOf(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if ((this.lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  }

  /** A span from an offset and a length, cut at the end of its line. */
  spanAt(offset: number, length: number): LineSpan {
    const line = this.lineOf(offset);
    const lineStart = this.lineStarts[line - 1] ?? 0;
    const lineEnd = this.lineEnd(line);
    const end = Math.min(offset + length, lineEnd);
    return { line, column: offset - lineStart + 1, endColumn: end - lineStart + 1 };
  }

  /** The span of a whole line without its leading and trailing spaces. */
  lineSpan(line: number): LineSpan {
    const start = this.lineStarts[line - 1] ?? 0;
    const text = this.text.slice(start, this.lineEnd(line));
    const leading = text.length - text.trimStart().length;
    return { line, column: leading + 1, endColumn: text.trimEnd().length + 1 };
  }

  /** Offset of the end of a line (before its newline). */
  lineEnd(line: number): number {
    const next = this.lineStarts[line];
    if (next === undefined) return this.text.length;
    return this.text[next - 2] === '\r' ? next - 2 : next - 1;
  }

  /** Offset of the first line at or after `from` matching a regular expression (multiline). */
  findLine(pattern: RegExp, from = 0): number | undefined {
    const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
    const search = new RegExp(pattern.source, flags.includes('m') ? flags : `${flags}m`);
    search.lastIndex = from;
    const match = search.exec(this.text);
    return match === null ? undefined : match.index;
  }

  /** Offset of a quoted string's content (`"value"` or `'value'`) at or after `from`. */
  findQuoted(value: string, from = 0, before = this.text.length): number | undefined {
    for (const quote of ['"', "'"]) {
      const at = this.text.indexOf(`${quote}${value}${quote}`, from);
      if (at !== -1 && at < before) return at + 1;
    }
    return undefined;
  }
}

/** Escapes text for use inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A TOML table header line such as `[project.optional-dependencies]`, for `findLine`. */
export function tableHeader(dottedName: string): RegExp {
  const parts = dottedName.split('.').map((part) => `["']?${escapeRegExp(part)}["']?`);
  return new RegExp(`^[ \\t]*\\[[ \\t]*${parts.join('[ \\t]*\\.[ \\t]*')}[ \\t]*\\]`);
}

/** A TOML array-of-tables header line such as `[[package]]`, for `findLine`. */
export function arrayTableHeader(name: string): RegExp {
  return new RegExp(`^[ \\t]*\\[\\[[ \\t]*${escapeRegExp(name)}[ \\t]*\\]\\]`);
}

/** A `key =` line (bare or quoted key), for `findLine`. */
export function keyLine(key: string): RegExp {
  return new RegExp(`^[ \\t]*["']?${escapeRegExp(key)}["']?[ \\t]*=`, 'i');
}
