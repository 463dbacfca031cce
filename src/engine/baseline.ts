/**
 * Baselines: a file listing the findings a repository already has (by fingerprint), so a team
 * adopting PyGuard on existing code sees only what is new. Fingerprints carry no line numbers
 * (see fingerprint.ts), so a baselined finding stays hidden when code above it moves. Pure:
 * the CLI, the Action and the App read and write the file.
 */
import { fingerprintsOf, type FileResult, type Finding } from './types.js';

/** Where the baseline is looked for, relative to the repository root. */
export const BASELINE_FILE = '.pyguard-baseline.json';

/** The version of the file format this PyGuard writes and reads. */
export const BASELINE_VERSION = 1;

/** One baselined finding: its rule and path (for people reading the file) and fingerprint. */
export interface BaselineEntry {
  ruleId: string;
  path: string;
  fingerprint: string;
}

export interface Baseline {
  version: typeof BASELINE_VERSION;
  /** Sorted by path, rule and fingerprint; one entry per finding. */
  findings: BaselineEntry[];
}

/** A baseline file that cannot be used, with a message naming what is wrong. */
export class BaselineError extends Error {
  override readonly name = 'BaselineError';
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  return (
    compareText(a.path, b.path) ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.fingerprint, b.fingerprint)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The baseline of the unsuppressed findings of a scan (a suppressed one needs no baseline), each
 * finding a finding carries alongside listed as a finding of its own.
 */
export function createBaseline(results: readonly FileResult[]): Baseline {
  const seen = new Set<string>();
  const findings: BaselineEntry[] = [];
  for (const result of results) {
    for (const finding of result.findings) {
      if (finding.suppression !== undefined) continue;
      for (const { ruleId, fingerprint } of [finding, ...(finding.alongside ?? [])]) {
        if (seen.has(fingerprint)) continue;
        seen.add(fingerprint);
        findings.push({ ruleId, path: finding.path, fingerprint });
      }
    }
  }
  return { version: BASELINE_VERSION, findings: findings.sort(compareEntries) };
}

/** The file's text: stable JSON (sorted entries, fixed key order), one entry per line. */
export function formatBaseline(baseline: Baseline): string {
  const lines = baseline.findings.map((entry) =>
    JSON.stringify({ ruleId: entry.ruleId, path: entry.path, fingerprint: entry.fingerprint }),
  );
  const body = lines.length === 0 ? '[]' : `[\n    ${lines.join(',\n    ')}\n  ]`;
  return `{\n  "version": ${BASELINE_VERSION},\n  "tool": "pyguard",\n  "findings": ${body}\n}\n`;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a baseline file's text.
 * @throws BaselineError when it is not JSON, has another version, or an entry is malformed.
 */
export function parseBaseline(text: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BaselineError(`not valid JSON (${reason})`);
  }
  if (!isRecord(raw)) throw new BaselineError('expected a JSON object');
  if (raw['version'] !== BASELINE_VERSION) {
    throw new BaselineError(
      `unsupported version ${JSON.stringify(raw['version'])}: this PyGuard reads version ${BASELINE_VERSION} (write a new one with 'pyguard baseline')`,
    );
  }
  const entries = raw['findings'];
  if (!Array.isArray(entries)) throw new BaselineError("'findings' must be a list");
  const findings = entries.map((entry: unknown, index): BaselineEntry => {
    if (
      !isRecord(entry) ||
      typeof entry['ruleId'] !== 'string' ||
      typeof entry['path'] !== 'string' ||
      typeof entry['fingerprint'] !== 'string' ||
      !/^[0-9a-f]{32}$/.test(entry['fingerprint'])
    ) {
      throw new BaselineError(
        `findings[${index}] must have a ruleId, a path and a 32-digit hex fingerprint`,
      );
    }
    return { ruleId: entry['ruleId'], path: entry['path'], fingerprint: entry['fingerprint'] };
  });
  return { version: BASELINE_VERSION, findings };
}

/**
 * Whether the baseline lists a finding and every finding it carries alongside (so a new problem
 * on a baselined line still shows); suppressed findings are never counted as baselined.
 */
export function baselineFilter(baseline: Baseline | undefined): (finding: Finding) => boolean {
  if (baseline === undefined || baseline.findings.length === 0) return () => false;
  const known = new Set(baseline.findings.map((entry) => entry.fingerprint));
  return (finding) =>
    finding.suppression === undefined &&
    fingerprintsOf(finding).every((fingerprint) => known.has(fingerprint));
}

/** The scan without the unsuppressed findings the baseline lists, and how many were hidden. */
export function applyBaseline(
  results: readonly FileResult[],
  baseline: Baseline | undefined,
): { results: FileResult[]; hidden: number } {
  const isKnown = baselineFilter(baseline);
  let hidden = 0;
  const kept = results.map((result) => {
    const findings = result.findings.filter((finding) => !isKnown(finding));
    hidden += result.findings.length - findings.length;
    return findings.length === result.findings.length ? result : { ...result, findings };
  });
  return { results: kept, hidden };
}
