/**
 * The check-run report of a scan, assembled from what the job gathered. Pure.
 */
import type { ConfigProblem, FailOn, OnError } from '../config/index.js';
import type { Finding, FileResult } from '../engine/types.js';
import type { CheckRunReport, FixedFinding } from '../report/check-run.js';
import type { DocsUrl, RuleMetaById } from '../report/review.js';
import type { FilesScan } from './scan-files.js';

export type { FixedFinding };

/** Unsuppressed and suppressed findings of every scanned file, in file order. */
export function splitFindings(results: readonly FileResult[]): {
  active: Finding[];
  suppressed: Finding[];
} {
  const active: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const result of results) {
    for (const finding of result.findings) {
      (finding.suppression === undefined ? active : suppressed).push(finding);
    }
  }
  return { active, suppressed };
}

/** Suppressed findings whose suppression comment sits on a line the pull request adds. */
export function addedSuppressions(
  suppressed: readonly Finding[],
  changedLines: ReadonlyMap<string, ReadonlySet<number> | null>,
): Finding[] {
  return suppressed.filter((finding) => {
    const line = finding.suppression?.line;
    if (line === undefined) return false;
    const lines = changedLines.get(finding.path);
    return lines === null || (lines?.has(line) ?? false);
  });
}

export interface CheckReportInput {
  scan: FilesScan;
  active: readonly Finding[];
  suppressed: readonly Finding[];
  fixed: readonly FixedFinding[];
  configProblems: readonly ConfigProblem[];
  failOn: FailOn;
  onError: OnError;
  headSha: string;
  docsUrl: DocsUrl | undefined;
  /** The rules of the scan, for their fix hints. */
  rules: RuleMetaById;
  /** Fingerprints of findings with an inline comment (they get no annotation). */
  commented?: ReadonlySet<string> | undefined;
  /** Findings hidden because the baseline file lists them. */
  baselined?: number | undefined;
}

export function buildCheckReport(input: CheckReportInput): CheckRunReport {
  const { scan } = input;
  return {
    findings: input.active,
    suppressed: input.suppressed,
    fixed: input.fixed,
    notices: scan.results.flatMap((result) => result.notices),
    skipped: scan.skipped.map((notice) => ({ path: notice.path, reason: notice.message })),
    configProblems: input.configProblems,
    filesScanned: scan.results.length,
    pythonFilesChanged: scan.pythonFiles,
    failOn: input.failOn,
    onError: input.onError,
    headSha: input.headSha,
    addedSuppressions: addedSuppressions(input.suppressed, scan.changedLines),
    docsUrl: input.docsUrl,
    rules: input.rules,
    commented: input.commented,
    baselined: input.baselined,
  };
}
