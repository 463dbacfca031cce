/**
 * Counting shared by the reports: findings by severity, suppressed findings, files.
 */
import {
  SEVERITIES,
  type FileNotice,
  type FileResult,
  type Finding,
  type Severity,
} from '../engine/types.js';

export interface Summary {
  /** Files scanned. */
  files: number;
  /** Unsuppressed findings. */
  findings: number;
  suppressed: number;
  /** Unsuppressed findings by severity, every severity present. */
  bySeverity: Record<Severity, number>;
  /** Files that were not scanned (unreadable, too large, refused before parsing, parse too slow). */
  skipped: number;
}

/** Unsuppressed findings of every file, in file order. */
export function activeFindings(results: readonly FileResult[]): Finding[] {
  return results.flatMap((result) =>
    result.findings.filter((finding) => finding.suppression === undefined),
  );
}

/** Suppressed findings of every file, in file order. */
export function suppressedFindings(results: readonly FileResult[]): Finding[] {
  return results.flatMap((result) =>
    result.findings.filter((finding) => finding.suppression !== undefined),
  );
}

/** The engine's notices of every file followed by the skipped-file notices, sorted by path. */
export function allNotices(
  results: readonly FileResult[],
  skipped: readonly FileNotice[],
): FileNotice[] {
  const notices = [...results.flatMap((result) => result.notices), ...skipped];
  return notices.sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : (a.line ?? 0) - (b.line ?? 0),
  );
}

export function summarize(
  results: readonly FileResult[],
  skipped: readonly FileNotice[] = [],
): Summary {
  const bySeverity: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  let findings = 0;
  let suppressed = 0;
  for (const result of results) {
    for (const finding of result.findings) {
      if (finding.suppression === undefined) {
        findings++;
        bySeverity[finding.severity]++;
      } else {
        suppressed++;
      }
    }
  }
  const skippedFiles = new Set(
    skipped.filter((notice) => notice.kind === 'skipped').map((notice) => notice.path),
  );
  for (const result of results) {
    if (result.notices.some(isNotScanned)) skippedFiles.add(result.path);
  }
  return { files: results.length, findings, suppressed, bySeverity, skipped: skippedFiles.size };
}

/**
 * Whether an engine notice says its file was not scanned at all: refused before parsing, or
 * skipped because parsing ran out of time (a skip with a line is a partial scan).
 */
function isNotScanned(notice: FileNotice): boolean {
  return notice.kind === 'refused' || (notice.kind === 'skipped' && notice.line === undefined);
}

/** `1 high, 2 medium`: the non-zero severities, most serious first. */
export function describeSeverities(bySeverity: Readonly<Record<Severity, number>>): string {
  return SEVERITIES.filter((severity) => bySeverity[severity] > 0)
    .map((severity) => `${bySeverity[severity]} ${severity}`)
    .join(', ');
}

/** `1 file`, `2 files`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
