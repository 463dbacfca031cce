/** Severity of a finding or a rule, from most to least serious. */
export type Severity = 'high' | 'medium' | 'low';
/** How sure the rule is that the finding is a real problem. */
export type Confidence = 'high' | 'medium' | 'low';

export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low'];
export const CONFIDENCES: readonly Confidence[] = ['high', 'medium', 'low'];

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

/** An exact replacement of a source range that fixes the finding. */
export interface Fix {
  description: string;
  span: Span;
  replacement: string;
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
  suppression?: Suppression;
  flow?: readonly FlowStep[];
  /**
   * IDs of other rules that reported the same span (or, for rules this one supersedes, a part of
   * it); this finding leads because its rule supersedes theirs (or, when none declares it, ranks
   * first). Absent when no other rule did.
   */
  alsoReportedBy?: readonly string[];
}

/** A problem with an input file that did not stop the scan. */
export interface FileNotice {
  path: string;
  kind: 'syntax-error' | 'decoding' | 'skipped' | 'rule-error' | 'refused';
  message: string;
  line?: number;
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
