/**
 * Applying findings' mechanical fixes to a file's text (for `pyguard scan --fix`). Pure: the CLI
 * reads and writes the file. A fix is applied only when its range is where the scan saw it; of
 * fixes that touch the same text only the first is applied, never two at once.
 */
import type { Finding, Span } from './types.js';

export interface FixOutcome {
  /** The text with the applied fixes. */
  text: string;
  /** Findings whose fix was applied, in file order. */
  applied: Finding[];
  /** Findings whose range is not in the text as scanned (the file changed since the scan). */
  skipped: Finding[];
  /**
   * Findings whose fix overlaps one applied before it in the file: left for another round, on
   * the fixed text.
   */
  deferred: Finding[];
}

interface Edit {
  finding: Finding;
  start: number;
  end: number;
  replacement: string;
}

/** Offsets of the start of each line (lines split at `\n`, as the parser counts them). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
    starts.push(index + 1);
  }
  return starts;
}

/** The text offset of a 1-based line and UTF-16 column, if the position is inside the text. */
function offsetOf(
  text: string,
  starts: readonly number[],
  line: number,
  column: number,
): number | undefined {
  const start = starts[line - 1];
  if (start === undefined || column < 1) return undefined;
  const next = starts[line];
  const lineEnd = next === undefined ? text.length : next - 1;
  const offset = start + column - 1;
  return offset <= lineEnd ? offset : undefined;
}

/** Whether the finding's first snippet line is still the text's line (the file did not change). */
function sameLine(text: string, starts: readonly number[], finding: Finding): boolean {
  const line = finding.span.start.line;
  const start = starts[line - 1];
  if (start === undefined) return false;
  const next = starts[line];
  const actual = text.slice(start, next === undefined ? text.length : next - 1).replace(/\r$/, '');
  const seen = (finding.snippet.split('\n')[0] ?? '').replace(/\r$/, '');
  return actual === seen;
}

function editOf(text: string, starts: readonly number[], finding: Finding): Edit | undefined {
  const fix = finding.fix;
  if (fix === undefined || !sameLine(text, starts, finding)) return undefined;
  const span: Span = fix.span;
  const start = offsetOf(text, starts, span.start.line, span.start.column);
  const end = offsetOf(text, starts, span.end.line, span.end.column);
  if (start === undefined || end === undefined || end < start) return undefined;
  return { finding, start, end, replacement: fix.replacement };
}

/**
 * Applies the fixes of the unsuppressed findings of one file to its text. Two fixes overlap when
 * their ranges share text or they insert at the same place: the first in the file is applied,
 * the other deferred (a scan of the fixed text reports it again, with a fix that fits).
 */
export function applyFixes(text: string, findings: readonly Finding[]): FixOutcome {
  const starts = lineStarts(text);
  const skipped: Finding[] = [];
  const edits: Edit[] = [];
  for (const finding of findings) {
    if (finding.fix === undefined || finding.suppression !== undefined) continue;
    const edit = editOf(text, starts, finding);
    if (edit === undefined) skipped.push(finding);
    else edits.push(edit);
  }
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  const kept: Edit[] = [];
  const deferred: Finding[] = [];
  for (const edit of edits) {
    const previous = kept.at(-1);
    const overlaps =
      previous !== undefined && (edit.start < previous.end || edit.start === previous.start);
    if (overlaps) deferred.push(edit.finding);
    else kept.push(edit);
  }
  let result = text;
  // From the end, so earlier offsets stay valid.
  for (const edit of [...kept].reverse()) {
    result = `${result.slice(0, edit.start)}${edit.replacement}${result.slice(edit.end)}`;
  }
  return { text: result, applied: kept.map((edit) => edit.finding), skipped, deferred };
}
