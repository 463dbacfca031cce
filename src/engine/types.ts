/** Severity of a finding or a rule, from most to least serious. */
export type Severity = 'high' | 'medium' | 'low';
/** How sure the rule is that the finding is a real problem. */
export type Confidence = 'high' | 'medium' | 'low';

export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low'];
export const CONFIDENCES: readonly Confidence[] = ['high', 'medium', 'low'];

/**
 * What a scan reports. `default` keeps to findings that are worth a reviewer's time; `audit` adds
 * what bandit and ruff's `S` rules report: the audit-only rules and findings (risky imports, any
 * `random` call, asserts, constant-argument calls of risky APIs, ...), every rule that is off by
 * default, and findings below the confidence threshold.
 */
export type Profile = 'default' | 'audit';

export const PROFILES: readonly Profile[] = ['default', 'audit'];

/** Numeric rank: higher is more serious or more certain. */
export function rank(level: Severity | Confidence): number {
  return level === 'high' ? 3 : level === 'medium' ? 2 : 1;
}

/** 1-based line, 1-based column counted in UTF-16 code units (characters for BMP text). */
export interface Position {
  line: number;
  column: number;
}

export interface Span {
  start: Position;
  /** Exclusive end column on `end.line`. */
  end: Position;
}

/** One exact replacement of a source range (an insertion when the range is empty). */
export interface FixEdit {
  span: Span;
  replacement: string;
  /**
   * For an edit away from the flagged code, what it does, as a clause that can follow "also"
   * (`add \`import secrets\` with the file's imports`): a review suggestion, which can only
   * replace the commented line, says it in words.
   */
  description?: string;
}

/**
 * An exact replacement of a source range that fixes the finding, with any further edits the
 * fix needs (such as the import of the module it calls): all of them are applied or none.
 */
export interface Fix {
  description: string;
  span: Span;
  replacement: string;
  /** Further edits of the same file, none overlapping another or the main edit. */
  additionalEdits?: readonly FixEdit[];
}

export type SuppressionKind = 'pyguard' | 'nosec' | 'noqa';

export interface Suppression {
  kind: SuppressionKind;
  /** The comment text that suppressed the finding, for reports. */
  comment: string;
  /** 1-based line of the suppressing comment. */
  line: number;
  reason?: string;
}

/** One step of the explanation of a finding (source → … → sink). */
export interface FlowStep {
  line: number;
  column: number;
  label: string;
}

export interface Finding {
  ruleId: string;
  slug: string;
  title: string;
  /** The key of the rule's message template the finding was reported with. */
  messageId: string;
  severity: Severity;
  confidence: Confidence;
  cwe: readonly number[];
  message: string;
  path: string;
  span: Span;
  /** The source lines covered by the span (at most a few lines), without trailing newline. */
  snippet: string;
  fix?: Fix;
  fingerprint: string;
  /**
   * `audit` when only the audit profile reports this finding: an audit-only rule or finding, a
   * rule that is off by default, or a confidence below the configured minimum. Absent for
   * findings the default profile reports too.
   */
  profile?: 'audit';
  suppression?: Suppression;
  flow?: readonly FlowStep[];
  /**
   * IDs of other rules that reported the same span (or, for rules this one supersedes, a part of
   * it); this finding leads because its rule supersedes theirs (or, when none declares it, ranks
   * first). Absent when no other rule did.
   */
  alsoReportedBy?: readonly string[];
  /**
   * Findings of other rules on other code that starts on the same line (`AES.new(key,
   * AES.MODE_CBC, b"\0" * 16)`: an unauthenticated mode and a constant IV). One place gets one
   * finding: this one leads as for a shared span, and carries the others with what they said.
   * Absent when no other rule reported on the line.
   */
  alongside?: readonly AlongsideFinding[];
}

/**
 * A finding of another rule that a finding on the same line carries (see `Finding.alongside`):
 * what it would have said on its own. Its rule's suppression state is the leading finding's.
 */
export interface AlongsideFinding {
  ruleId: string;
  title: string;
  messageId: string;
  severity: Severity;
  confidence: Confidence;
  message: string;
  span: Span;
  fingerprint: string;
  /** `audit` when only the audit profile reports it (as `Finding.profile`). */
  profile?: 'audit';
  /** Other rules that reported its span (as `Finding.alsoReportedBy`). */
  alsoReportedBy?: readonly string[];
}

/**
 * A problem with an input file that did not stop the scan. What each kind says about coverage:
 * - `refused`: not scanned; the file holds input known to crash the parser (see
 *   `parseRefusal`), so it was never parsed;
 * - `skipped`: not scanned (parsing ran out of time, or the file is too large), or, with a
 *   `line`, checked only up to that line because the checks ran out of time;
 * - `decoding`: bytes that are not valid in the file's encoding were replaced, so the text
 *   scanned is not exactly the file;
 * - `rule-error`: one rule failed on the file (the others ran), so it was scanned only in part;
 * - `syntax-error`: the file was scanned as far as it could be parsed; the rules ran.
 * {@link isIncompleteScan} says which of these mean the file was not fully scanned.
 */
export interface FileNotice {
  path: string;
  kind: FileNoticeKind;
  message: string;
  line?: number;
}

/** Every kind of {@link FileNotice}. */
export type FileNoticeKind = 'syntax-error' | 'decoding' | 'skipped' | 'rule-error' | 'refused';

/**
 * Whether a notice means its file was not fully scanned (not parsed, parsed from replaced bytes,
 * or checked only in part), so a result without findings cannot be read as "clean" and a check
 * should conclude as its `on_error` setting says. A syntax error does not count: the rules ran on
 * everything tree-sitter could parse.
 */
export function isIncompleteScan(notice: FileNotice): boolean {
  return notice.kind !== 'syntax-error';
}

export interface FileResult {
  path: string;
  findings: Finding[];
  notices: FileNotice[];
  /** Number of lines in the decoded source. */
  lines: number;
  /** Milliseconds spent parsing and running rules (measured for benchmarks only). */
  timings: { parseMs: number; rulesMs: number };
}

/**
 * The fingerprints of what a finding stands for: its own and those of the findings it carries
 * alongside. What is done with a finding once (commented, baselined) is done with each of them,
 * so a problem carried by another is never taken for one already seen.
 */
export function fingerprintsOf(finding: Finding): string[] {
  return [finding.fingerprint, ...(finding.alongside ?? []).map((other) => other.fingerprint)];
}
