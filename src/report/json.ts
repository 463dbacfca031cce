/**
 * The machine-readable report: findings, suppressed findings, notices and a summary, with a
 * stable key order so the output diffs cleanly between runs.
 */
import type { AlongsideFinding, FileNotice, FileResult, Finding, Span } from '../engine/types.js';
import { activeFindings, allNotices, summarize, suppressedFindings } from './summary.js';

export interface JsonOptions {
  /** PyGuard's version. */
  version: string;
  /** Files that were not scanned. */
  skipped?: readonly FileNotice[];
  /** Findings left out because the baseline lists them (`summary.baselined` when any). */
  baselined?: number | undefined;
}

/** The JSON report, pretty-printed with two spaces and a final newline. */
export function formatJson(results: readonly FileResult[], options: JsonOptions): string {
  const skipped = options.skipped ?? [];
  const summary = summarize(results, skipped);
  const report = {
    version: options.version,
    tool: 'pyguard',
    findings: activeFindings(results).map(orderFinding),
    suppressed: suppressedFindings(results).map(orderFinding),
    notices: allNotices(results, skipped).map(orderNotice),
    summary: {
      files: summary.files,
      findings: summary.findings,
      suppressed: summary.suppressed,
      skipped: summary.skipped,
      ...((options.baselined ?? 0) > 0 ? { baselined: options.baselined } : {}),
      bySeverity: {
        high: summary.bySeverity.high,
        medium: summary.bySeverity.medium,
        low: summary.bySeverity.low,
      },
    },
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** A span with its keys in a fixed order. */
function orderSpan(span: Span): Record<string, unknown> {
  return {
    start: { line: span.start.line, column: span.start.column },
    end: { line: span.end.line, column: span.end.column },
  };
}

/** A finding with its keys in a fixed order (optional keys last, only when present). */
export function orderFinding(finding: Finding): Record<string, unknown> {
  const ordered: Record<string, unknown> = {
    ruleId: finding.ruleId,
    slug: finding.slug,
    title: finding.title,
    severity: finding.severity,
    confidence: finding.confidence,
    cwe: [...finding.cwe],
    message: finding.message,
    path: finding.path,
    span: {
      start: { line: finding.span.start.line, column: finding.span.start.column },
      end: { line: finding.span.end.line, column: finding.span.end.column },
    },
    snippet: finding.snippet,
    fingerprint: finding.fingerprint,
  };
  if (finding.fix !== undefined) {
    const { fix } = finding;
    const orderedFix: Record<string, unknown> = {
      description: fix.description,
      span: orderSpan(fix.span),
      replacement: fix.replacement,
    };
    if (fix.additionalEdits !== undefined && fix.additionalEdits.length > 0) {
      orderedFix['additionalEdits'] = fix.additionalEdits.map((edit) =>
        edit.description === undefined
          ? { span: orderSpan(edit.span), replacement: edit.replacement }
          : {
              span: orderSpan(edit.span),
              replacement: edit.replacement,
              description: edit.description,
            },
      );
    }
    ordered['fix'] = orderedFix;
  }
  if (finding.profile !== undefined) ordered['profile'] = finding.profile;
  if (finding.suppression !== undefined) {
    const { kind, comment, line, reason } = finding.suppression;
    ordered['suppression'] =
      reason === undefined ? { kind, comment, line } : { kind, comment, line, reason };
  }
  if (finding.flow !== undefined) {
    ordered['flow'] = finding.flow.map((step) => ({
      line: step.line,
      column: step.column,
      label: step.label,
    }));
  }
  if (finding.alsoReportedBy !== undefined) ordered['alsoReportedBy'] = [...finding.alsoReportedBy];
  if (finding.alongside !== undefined) ordered['alongside'] = finding.alongside.map(orderAlongside);
  return ordered;
}

/** A finding carried by another on its line, keys in a fixed order. */
function orderAlongside(other: AlongsideFinding): Record<string, unknown> {
  const { start, end } = other.span;
  const ordered: Record<string, unknown> = {
    ruleId: other.ruleId,
    title: other.title,
    messageId: other.messageId,
    severity: other.severity,
    confidence: other.confidence,
    message: other.message,
    span: {
      start: { line: start.line, column: start.column },
      end: { line: end.line, column: end.column },
    },
    fingerprint: other.fingerprint,
  };
  if (other.profile !== undefined) ordered['profile'] = other.profile;
  if (other.alsoReportedBy !== undefined) ordered['alsoReportedBy'] = [...other.alsoReportedBy];
  return ordered;
}

function orderNotice(notice: FileNotice): Record<string, unknown> {
  return notice.line === undefined
    ? { path: notice.path, kind: notice.kind, message: notice.message }
    : { path: notice.path, kind: notice.kind, line: notice.line, message: notice.message };
}
