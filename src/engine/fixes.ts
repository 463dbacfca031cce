/**
 * Applying findings' mechanical fixes to a file's text (for `pyguard scan --fix`). Pure: the CLI
 * reads and writes the file. A fix is applied only when its range is where the scan saw it, and
 * whole or not at all; of fixes that touch the same text only the first is applied.
 */
import type { Finding, FixEdit } from './types.js';

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

/** One edit as offsets in the text. */
interface Edit {
  start: number;
  end: number;
  replacement: string;
}

/** A finding's fix as offsets: its main edit first, then the edits it needs elsewhere. */
interface PlannedFix {
  finding: Finding;
  edits: Edit[];
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

/** The line break of the text (of its first line): `\r\n` or `\n`. */
function newlineOf(text: string): string {
  const index = text.indexOf('\n');
  return index > 0 && text[index - 1] === '\r' ? '\r\n' : '\n';
}

function editAt(
  text: string,
  starts: readonly number[],
  edit: FixEdit,
  newline: string,
): Edit | undefined {
  const { span } = edit;
  const start = offsetOf(text, starts, span.start.line, span.start.column);
  const end = offsetOf(text, starts, span.end.line, span.end.column);
  if (start === undefined || end === undefined || end < start) return undefined;
  // The engine sees `\n` line breaks; an edit that adds lines writes the file's own.
  return { start, end, replacement: edit.replacement.replace(/\r?\n/g, newline) };
}

/** The fix's edits as offsets, or undefined when one of them is not in the text as scanned. */
function planOf(text: string, starts: readonly number[], finding: Finding): PlannedFix | undefined {
  const fix = finding.fix;
  if (fix === undefined || !sameLine(text, starts, finding)) return undefined;
  const edits: Edit[] = [];
  const newline = newlineOf(text);
  for (const edit of [fix, ...(fix.additionalEdits ?? [])]) {
    const at = editAt(text, starts, edit, newline);
    if (at === undefined) return undefined;
    edits.push(at);
  }
  const sorted = [...edits].sort(byPosition);
  for (let index = 1; index < sorted.length; index++) {
    const before = sorted[index - 1];
    const edit = sorted[index];
    // The edits of one fix never share text (an insertion may sit right before a replacement).
    if (before !== undefined && edit !== undefined && edit.start < before.end) return undefined;
  }
  return { finding, edits };
}

function byPosition(a: Edit, b: Edit): number {
  return a.start - b.start || a.end - b.end;
}

function sameEdit(a: Edit, b: Edit): boolean {
  return a.start === b.start && a.end === b.end && a.replacement === b.replacement;
}

/**
 * Whether two edits of different fixes conflict: they share text, or both change the text at
 * the same place (whose order would be a guess). The very same edit (two fixes adding one
 * import) does not conflict: it is made once.
 */
function clash(a: Edit, b: Edit): boolean {
  if (sameEdit(a, b)) return false;
  return a.start === b.start || (a.start < b.end && b.start < a.end);
}

/**
 * Applies the fixes of the unsuppressed findings of one file to its text. A fix is applied
 * whole (its main edit and the edits it needs, such as an import) or not at all. Of two fixes
 * whose edits overlap (share text or insert at the same place) the first in the file is applied
 * and the other deferred (a scan of the fixed text reports it again, with a fix that fits); an
 * edit two fixes both make (the same import) is made once.
 */
export function applyFixes(text: string, findings: readonly Finding[]): FixOutcome {
  const starts = lineStarts(text);
  const skipped: Finding[] = [];
  const plans: PlannedFix[] = [];
  for (const finding of findings) {
    if (finding.fix === undefined || finding.suppression !== undefined) continue;
    const plan = planOf(text, starts, finding);
    if (plan === undefined) skipped.push(finding);
    else plans.push(plan);
  }
  plans.sort((a, b) => byPosition(a.edits[0] as Edit, b.edits[0] as Edit));
  const made: Edit[] = [];
  const applied: Finding[] = [];
  const deferred: Finding[] = [];
  for (const plan of plans) {
    if (plan.edits.some((edit) => made.some((other) => clash(edit, other)))) {
      deferred.push(plan.finding);
      continue;
    }
    for (const edit of plan.edits)
      if (!made.some((other) => sameEdit(edit, other))) made.push(edit);
    applied.push(plan.finding);
  }
  let result = text;
  // From the end, so earlier offsets stay valid; at one offset, the insertion goes first.
  for (const edit of made.sort(byPosition).reverse()) {
    result = `${result.slice(0, edit.start)}${edit.replacement}${result.slice(edit.end)}`;
  }
  return { text: result, applied, skipped, deferred };
}
