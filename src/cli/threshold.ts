/**
 * The exit code of a scan: whether any finding reaches the fail-on severity.
 */
import type { FailOn } from '../config/schema.js';
import { rank, type FileResult, type Finding } from '../engine/types.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/** True when an unsuppressed finding is at or above `failOn` (never for `never`). */
export function failsThreshold(findings: Iterable<Finding>, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  const threshold = rank(failOn);
  for (const finding of findings) {
    if (finding.suppression === undefined && rank(finding.severity) >= threshold) return true;
  }
  return false;
}

/** 1 when any file has an unsuppressed finding at or above `failOn`, else 0. */
export function exitCodeFor(results: Iterable<FileResult>, failOn: FailOn): number {
  for (const result of results) {
    if (failsThreshold(result.findings, failOn)) return EXIT_FINDINGS;
  }
  return EXIT_OK;
}
