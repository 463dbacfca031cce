/**
 * The human-readable report: one block per finding (location, rule, severity, message and a
 * code frame with a caret underline), then a summary line.
 *
 *     app.py:3:8: PGD003 [high] `yaml.load` without a safe `Loader` ...
 *       3 | data = yaml.load(body)
 *         |        ^^^^^^^^^^^^^^^
 *
 *     1 finding (1 high) in 1 file
 */
import type { FileNotice, FileResult, Finding } from '../engine/types.js';
import { createStyle, escapeForTerminal, type Style } from './ansi.js';
import { activeFindings, describeSeverities, plural, summarize, type Summary } from './summary.js';

export interface TextOptions {
  /** Use ANSI colours. */
  color: boolean;
  /** Files that were not scanned, for the summary. */
  skipped?: readonly FileNotice[];
  /** Findings left out because the baseline lists them, for the summary. */
  baselined?: number | undefined;
}

/** Source lines longer than this are shown as a window around the flagged span. */
const MAX_LINE_WIDTH = 160;
/** Characters of context kept before the span when a long line is cut. */
const LEAD = 40;
const ELLIPSIS = '…';

/** The text report. Suppressed findings are only counted. Ends with a newline. */
export function formatText(results: readonly FileResult[], options: TextOptions): string {
  const style = createStyle(options.color);
  const blocks = activeFindings(results).map((finding) => formatFinding(finding, style));
  const summary = style.bold(
    summaryLine(summarize(results, options.skipped ?? []), options.baselined ?? 0),
  );
  return [...blocks, `${summary}\n`].join('');
}

/** One finding: header, code frame, blank line. */
export function formatFinding(finding: Finding, style: Style): string {
  const { start } = finding.span;
  const location = `${style.bold(escapeForTerminal(finding.path))}${style.dim(`:${start.line}:${start.column}:`)}`;
  // Findings only the audit profile reports say so, as the JSON report's `profile` does.
  const grade = finding.profile === 'audit' ? `${finding.severity}, audit` : finding.severity;
  const rule = style.severity(finding.severity, `${style.bold(finding.ruleId)} [${grade}]`);
  const also =
    finding.alsoReportedBy === undefined
      ? ''
      : style.dim(` (also reported by ${finding.alsoReportedBy.join(', ')})`);
  const header = `${location} ${rule} ${escapeForTerminal(finding.message)}${also}`;
  const alongside = (finding.alongside ?? []).map((other) => {
    const where = style.dim(`${other.span.start.line}:${other.span.start.column}:`);
    const otherRule = style.severity(
      other.severity,
      `${style.bold(other.ruleId)} [${other.severity}]`,
    );
    return `  also ${where} ${otherRule} ${escapeForTerminal(other.message)}`;
  });
  return [header, ...alongside, ...codeFrame(finding, style), ''].join('\n') + '\n';
}

/** The flagged lines with a line-number gutter and carets under the span on the first line. */
function codeFrame(finding: Finding, style: Style): string[] {
  const lines = finding.snippet.split('\n');
  const { start, end } = finding.span;
  const lastShown = start.line + lines.length - 1;
  const width = String(lastShown).length;
  const gutter = (label: string): string => style.dim(`${label.padStart(width + 2)} |`);
  const frame: string[] = [];
  lines.forEach((line, index) => {
    const from = index === 0 ? start.column - 1 : 0;
    const to = index === 0 && end.line === start.line ? end.column - 1 : line.length;
    const clipped = clipLine(escapeForTerminal(line), from, to);
    frame.push(withText(gutter(String(start.line + index)), clipped.text));
    if (index === 0) {
      const padding = clipped.text.slice(0, clipped.start).replace(/[^\t]/g, ' ');
      const carets = '^'.repeat(Math.max(1, clipped.end - clipped.start));
      frame.push(`${gutter('')} ${padding}${style.caret(carets)}`);
    }
  });
  if (end.line > lastShown) frame.push(`${gutter('')} ${ELLIPSIS}`);
  return frame;
}

/** `gutter text`, without a trailing space for an empty line. */
function withText(gutter: string, text: string): string {
  return text === '' ? gutter : `${gutter} ${text}`;
}

interface Clipped {
  text: string;
  /** The span within `text` (0-based, end exclusive). */
  start: number;
  end: number;
}

/** A long line cut to a window that shows the start of the span. */
export function clipLine(line: string, start: number, end: number): Clipped {
  const from = Math.min(Math.max(0, start), line.length);
  const to = Math.min(Math.max(from, end), line.length);
  if (line.length <= MAX_LINE_WIDTH) return { text: line, start: from, end: to };
  const windowStart = Math.max(0, Math.min(from - LEAD, line.length - MAX_LINE_WIDTH));
  const windowEnd = Math.min(line.length, windowStart + MAX_LINE_WIDTH);
  const prefix = windowStart > 0 ? ELLIPSIS : '';
  const suffix = windowEnd < line.length ? ELLIPSIS : '';
  return {
    text: `${prefix}${line.slice(windowStart, windowEnd)}${suffix}`,
    start: from - windowStart + prefix.length,
    end: Math.min(to, windowEnd) - windowStart + prefix.length,
  };
}

/** `3 findings (1 high, 2 medium) in 2 files; 1 suppressed; 1 file skipped`. */
export function summaryLine(summary: Summary, baselined = 0): string {
  const parts = [describeFindings(summary)];
  if (summary.suppressed > 0) parts.push(`${summary.suppressed} suppressed`);
  if (baselined > 0) parts.push(`${baselined} in the baseline`);
  if (summary.skipped > 0) parts.push(`${plural(summary.skipped, 'file')} skipped`);
  return parts.join('; ');
}

function describeFindings(summary: Summary): string {
  if (summary.files === 0) return 'No files scanned';
  const files = plural(summary.files, 'file');
  if (summary.findings === 0) return `No findings in ${files}`;
  return `${plural(summary.findings, 'finding')} (${describeSeverities(summary.bySeverity)}) in ${files}`;
}
