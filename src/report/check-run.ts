/**
 * The "PyGuard" check run: conclusion, title, a Markdown summary kept under GitHub's 65,535
 * character limit, and one annotation per new finding. Pure: the GitHub code sends it (in
 * batches of 50 annotations).
 */
import type { ConfigProblem, FailOn } from '../config/schema.js';
import type { AffectedPackage } from '../deps/audit.js';
import { escapeForTerminal } from './ansi.js';
import {
  SEVERITIES,
  isIncompleteScan,
  rank,
  type FileNotice,
  type Finding,
  type Severity,
} from '../engine/types.js';
import {
  boundedLines,
  byteLength,
  clampBytes,
  clampText,
  codeSpan,
  escapeMarkdown,
  inlineMarkdown,
  markdownLink,
  plainText,
  shortSha,
  tableCell,
} from './markers.js';
import { fixHint, lastLineOf, type DocsUrl, type RuleMetaById } from './review.js';
import { describeSeverities, plural } from './summary.js';

export type CheckConclusion = 'success' | 'neutral' | 'failure';

/** Conclusions PyGuard completes a check run with, a stopped worker's `cancelled` included. */
export type CompletedConclusion = CheckConclusion | 'cancelled';

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface FixedFinding {
  ruleId: string;
  title: string;
  path: string;
  line: number;
}

export interface CheckRunReport {
  /** Unsuppressed findings on added lines (the "new" ones). */
  findings: readonly Finding[];
  /** Suppressed findings on added lines. */
  suppressed: readonly Finding[];
  /** Previously reported, gone in this head. */
  fixed: readonly FixedFinding[];
  /** Syntax errors, decoding problems, rule errors, refused and skipped files (engine notices). */
  notices: readonly FileNotice[];
  /** Binary, too large, undecodable, removed… */
  skipped: readonly SkippedFile[];
  configProblems: readonly ConfigProblem[];
  filesScanned: number;
  pythonFilesChanged: number;
  failOn: FailOn;
  /** The conclusion when a changed file could not be fully scanned (`on_error`). */
  onError: 'failure' | 'neutral';
  headSha: string;
  /** Suppressed findings whose suppression comment is on an added line. */
  addedSuppressions: readonly Finding[];
  /** Link to the rule doc, when configured. */
  docsUrl?: DocsUrl | undefined;
  /** The rules of the scan, for the fix hints of the annotations. */
  rules?: RuleMetaById | undefined;
  /** The dependency audit of the changed manifests, when any was audited. */
  dependencies?: DependencyReport | undefined;
  /**
   * Fingerprints of the findings that have an inline review comment on the pull request (posted
   * by this scan or an earlier one): they are shown there, so they get no annotation.
   */
  commented?: ReadonlySet<string> | undefined;
  /** Findings on the changed lines left out because the baseline file lists them. */
  baselined?: number | undefined;
}

/** What the dependency audit adds to the summary. */
export interface DependencyReport {
  /** Changed dependency manifests (removed ones excluded). */
  manifestsChanged: number;
  /** Changed requirements with known vulnerabilities; listed when a new finding sits on their line. */
  affected: readonly AffectedPackage[];
  /**
   * Why known vulnerabilities were not checked (OSV unreachable…). Said in the summary only:
   * the code scan is complete, so the conclusion does not follow `on_error`.
   */
  skippedReason?: string | undefined;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  title: string;
  message: string;
  raw_details?: string;
}

export interface CheckRunOutput {
  conclusion: CheckConclusion;
  title: string;
  summary: string;
  text?: string;
  annotations: Annotation[];
}

export interface CheckRunMessage<Conclusion extends CompletedConclusion = CheckConclusion> {
  conclusion: Conclusion;
  title: string;
  summary: string;
}

/** GitHub's limit for `output.summary`, counted here in UTF-8 bytes (the strictest reading). */
export const SUMMARY_LIMIT = 65_535;
/** Room kept free below the limit. */
const SUMMARY_MARGIN = 512;
/** Each later section keeps at least this much room when the findings table is cut. */
const SECTION_FLOOR = 4_000;
/** Annotation `message` and `raw_details` are limited to 64 KB. */
const ANNOTATION_TEXT_LIMIT = 60_000;
const ANNOTATION_TITLE_LIMIT = 255;
/** Longest message shown in a summary table cell or list item (characters). */
const MAX_CELL_MESSAGE = 300;

const LEVELS: Readonly<Record<Severity, Annotation['annotation_level']>> = {
  high: 'failure',
  medium: 'warning',
  low: 'notice',
};

const SEVERITY_LABELS: Readonly<Record<Severity, string>> = {
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

/**
 * `failure` when a finding is at or above `failOn` (never with `never`), `neutral` when there
 * are only findings below it, `success` when there are none.
 */
export function conclusionFor(findings: readonly Finding[], failOn: FailOn): CheckConclusion {
  if (findings.length === 0) return 'success';
  if (failOn !== 'never' && findings.some((finding) => atOrAbove(finding, failOn))) {
    return 'failure';
  }
  return 'neutral';
}

function atOrAbove(finding: Finding, failOn: Severity): boolean {
  return rank(finding.severity) >= rank(failOn);
}

/** A changed file not fully scanned, with why (and where the scan stopped, when known). */
export interface IncompleteFile extends SkippedFile {
  line?: number | undefined;
}

/** Every changed file not fully scanned: files not fetched, then incomplete scans. */
export function incompleteFiles(report: CheckRunReport): IncompleteFile[] {
  return [
    ...report.skipped,
    ...report.notices
      .filter(isIncompleteScan)
      .map((notice) => ({ path: notice.path, line: notice.line, reason: notice.message })),
  ];
}

/** How many distinct files are not fully scanned. */
function incompleteCount(report: CheckRunReport): number {
  return new Set(incompleteFiles(report).map((file) => file.path)).size;
}

/**
 * The check's conclusion: from the findings and `fail_on`, except that a changed file not
 * fully scanned makes it follow `on_error` (unless the findings already fail it), so an
 * unscanned file never passes silently.
 */
export function reportConclusion(report: CheckRunReport): CheckConclusion {
  const fromFindings = conclusionFor(report.findings, report.failOn);
  if (fromFindings === 'failure' || incompleteFiles(report).length === 0) return fromFindings;
  return report.onError;
}

function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

/** Changed files PyGuard looks at: Python and template files, and dependency manifests. */
function filesChanged(report: CheckRunReport): number {
  return report.pythonFilesChanged + (report.dependencies?.manifestsChanged ?? 0);
}

/** `2 new findings (1 high, 1 medium)`, `No new findings`, `No Python or template files changed`. */
function titleFor(report: CheckRunReport): string {
  const count = report.findings.length;
  const incomplete = incompleteCount(report);
  const unscanned = incomplete === 0 ? '' : `; ${plural(incomplete, 'file')} not fully scanned`;
  if (count === 0) {
    return filesChanged(report) === 0 && incomplete === 0
      ? 'No Python or template files changed'
      : `No new findings${unscanned}`;
  }
  return `${plural(count, 'new finding')} (${describeSeverities(countBySeverity(report.findings))})${unscanned}`;
}

/** What `fail_on` means for this check, in one sentence. */
function policyLine(failOn: FailOn): string {
  const setting = codeSpan(`fail_on: ${failOn}`);
  switch (failOn) {
    case 'never':
      return `This check never fails (${setting}): new findings make it \`neutral\`, which does not block merging.`;
    case 'low':
      return `This check fails on any new finding (${setting}).`;
    case 'medium':
    case 'high':
      return `This check fails on new findings of ${failOn} severity and above (${setting}); findings below that make it \`neutral\`, which does not block merging.`;
  }
}

function conclusionLine(report: CheckRunReport, conclusion: CheckConclusion): string {
  const failOn = report.failOn;
  const fromFindings = conclusionFor(report.findings, failOn);
  if (conclusion !== fromFindings) {
    const count = incompleteCount(report);
    const files = `${plural(count, 'changed file')} ${count === 1 ? 'was' : 'were'} not fully scanned (listed below)`;
    const setting = codeSpan(`on_error: ${report.onError}`);
    return conclusion === 'failure'
      ? `**Conclusion: \`failure\`.** ${files}, so PyGuard cannot vouch for ${count === 1 ? 'it' : 'them'}: the check fails (${setting}) so that unscanned code is not merged unnoticed.`
      : `**Conclusion: \`neutral\`.** ${files}; the check is \`neutral\` (${setting}), which does not block merging.`;
  }
  switch (conclusion) {
    case 'failure': {
      const blocking =
        failOn === 'never' ? 0 : report.findings.filter((f) => atOrAbove(f, failOn)).length;
      const verb = blocking === 1 ? 'is' : 'are';
      return `**Conclusion: \`failure\`.** ${plural(blocking, 'new finding')} ${verb} at or above the \`fail_on\` threshold. Fix ${blocking === 1 ? 'it' : 'them'}, or suppress a finding that is intended with \`# pyguard: ignore[RULE] <reason>\` on its line.`;
    }
    case 'neutral':
      return failOn === 'never'
        ? '**Conclusion: `neutral`.** The new findings are reported without failing the check.'
        : '**Conclusion: `neutral`.** The new findings are below the threshold: they are reported, but do not block merging.';
    case 'success':
      return filesChanged(report) === 0 && report.filesScanned === 0
        ? '**Conclusion: `success`.** This push changes no Python or template files, so there was nothing to scan.'
        : '**Conclusion: `success`.** No new findings on the lines this pull request adds or changes.';
  }
}

function countsTable(findings: readonly Finding[], suppressed: readonly Finding[]): string {
  const fresh = countBySeverity(findings);
  const quiet = countBySeverity(suppressed);
  return [
    '| Severity | New | Suppressed |',
    '| :-- | --: | --: |',
    ...SEVERITIES.map(
      (severity) => `| ${SEVERITY_LABELS[severity]} | ${fresh[severity]} | ${quiet[severity]} |`,
    ),
  ].join('\n');
}

function scanLine(report: CheckRunReport): string {
  const parts = [
    `PyGuard scanned ${plural(report.filesScanned, 'file')} at ${shortSha(report.headSha)}`,
  ];
  const manifests = report.dependencies?.manifestsChanged ?? 0;
  if (filesChanged(report) !== report.filesScanned) {
    parts.push(`(${plural(report.pythonFilesChanged, 'Python or template file')} changed)`);
  }
  if (manifests > 0) {
    parts.push(`and audited ${plural(manifests, 'changed dependency manifest')} against OSV`);
  }
  let line = parts.join(' ');
  if (report.skipped.length > 0) {
    line += `; ${plural(report.skipped.length, 'file')} not scanned (listed below)`;
  }
  const incomplete = new Set(report.notices.filter(isIncompleteScan).map((notice) => notice.path));
  if (incomplete.size > 0) {
    line += `; ${plural(incomplete.size, 'file')} not fully scanned (listed below)`;
  }
  if (report.fixed.length > 0) {
    line += `; ${plural(report.fixed.length, 'earlier finding')} fixed`;
  }
  const baselined = report.baselined ?? 0;
  if (baselined > 0) {
    line += `; ${plural(baselined, 'finding')} on the changed lines ${baselined === 1 ? 'is' : 'are'} in the baseline file and not reported`;
  }
  return `${line}.`;
}

/** A part of the summary whose lines can be cut to fit. */
interface Section {
  /** Heading, intro and table header: always shown when the section is. */
  head: string;
  lines: readonly string[];
  more: (omitted: number) => string;
  /** Budget priority: lower goes first. */
  priority: number;
}

function renderSection(section: Section, budget: number): string {
  const room = budget - byteLength(section.head) - 1;
  const { lines } = boundedLines(section.lines, room, section.more);
  return [section.head, ...lines].join('\n');
}

/** Sections in display order, each cut so that the whole fits in `available` bytes. */
function fitSections(sections: readonly Section[], available: number): string[] {
  const full = sections.map((section) => renderSection(section, Number.POSITIVE_INFINITY));
  const separators = 2 * sections.length;
  if (full.reduce((sum, text) => sum + byteLength(text), separators) <= available) return full;
  const order = sections
    .map((section, index) => ({ section, index }))
    .sort((a, b) => a.section.priority - b.section.priority || a.index - b.index);
  const reserve = (index: number): number =>
    Math.min(byteLength(full[index] ?? ''), SECTION_FLOOR) + 2;
  const rendered: string[] = sections.map(() => '');
  let remaining = available;
  order.forEach(({ section, index }, position) => {
    const later = order.slice(position + 1).reduce((sum, entry) => sum + reserve(entry.index), 0);
    const text = renderSection(section, remaining - later - 2);
    rendered[index] = text;
    remaining -= byteLength(text) + 2;
  });
  return rendered;
}

function ruleLabel(ruleId: string, title: string, docsUrl: DocsUrl | undefined): string {
  const url = docsUrl?.(ruleId);
  const id = escapeMarkdown(ruleId);
  return `${url === undefined ? `**${id}**` : markdownLink(`**${id}**`, url)} ${escapeMarkdown(title)}`;
}

function message(text: string): string {
  return inlineMarkdown(clampText(text, MAX_CELL_MESSAGE));
}

/** ` Also on this line: PGC006.` for a finding that carries others; empty otherwise. */
function alsoOnLine(finding: Finding): string {
  const ids = (finding.alongside ?? []).map((other) => escapeMarkdown(other.ruleId));
  return ids.length === 0 ? '' : ` Also on this line: ${ids.join(', ')}.`;
}

function findingsSection(report: CheckRunReport): Section {
  return {
    head: '### New findings\n\n| Severity | Rule | Location | Message |\n| :-- | :-- | :-- | :-- |',
    lines: report.findings.map(
      (finding) =>
        `| ${finding.severity} | ${tableCell(ruleLabel(finding.ruleId, finding.title, report.docsUrl))} | ${tableCell(codeSpan(`${finding.path}:${finding.span.start.line}`))} | ${tableCell(message(finding.message))}${tableCell(alsoOnLine(finding))} |`,
    ),
    more: (omitted) => `| … | … and ${omitted} more | | |`,
    priority: 0,
  };
}

/** The affected packages a new (unsuppressed) finding sits on. */
function vulnerableDependencies(report: CheckRunReport): readonly AffectedPackage[] {
  const affected = report.dependencies?.affected ?? [];
  if (affected.length === 0) return [];
  const flagged = new Set(
    report.findings.map((finding) => `${finding.path}:${finding.span.start.line}`),
  );
  return affected.filter((entry) => flagged.has(`${entry.path}:${entry.line}`));
}

function dependenciesSection(affected: readonly AffectedPackage[]): Section {
  return {
    head: `### Vulnerable dependencies (${affected.length})\n\n| Package | Version | Advisories | Fixed in | Location |\n| :-- | :-- | :-- | :-- | :-- |`,
    lines: affected.map((entry) => {
      const version = entry.pinned
        ? codeSpan(entry.version)
        : `${codeSpan(entry.version)} (lowest allowed)`;
      const fixed = entry.fixed === undefined ? 'no fix released' : codeSpan(entry.fixed);
      return `| ${tableCell(codeSpan(entry.name))} | ${tableCell(version)} | ${tableCell(escapeMarkdown(entry.advisories.join(', ')))} | ${tableCell(fixed)} | ${tableCell(codeSpan(`${entry.path}:${entry.line}`))} |`;
    }),
    more: (omitted) => `| … and ${omitted} more | | | | |`,
    priority: 1,
  };
}

/** Says why known vulnerabilities were not checked, when they were not. */
function dependencyAuditNote(report: CheckRunReport): string[] {
  const reason = report.dependencies?.skippedReason;
  if (reason === undefined) return [];
  return [
    `**Dependency audit skipped:** the changed requirements were not checked for known vulnerabilities because ${escapeMarkdown(sanitizeReason(reason))}. The code scan and the other dependency checks ran, so the conclusion stands; the next scan tries again.`,
  ];
}

function fixedSection(report: CheckRunReport): Section {
  return {
    head: `### Fixed since the last push (${report.fixed.length})\n`,
    lines: report.fixed.map(
      (fixed) =>
        `- ${ruleLabel(fixed.ruleId, fixed.title, report.docsUrl)} · ${codeSpan(`${fixed.path}:${fixed.line}`)}`,
    ),
    more: (omitted) => `- … and ${omitted} more`,
    priority: 4,
  };
}

function suppressedSection(report: CheckRunReport): Section | undefined {
  const added = report.addedSuppressions;
  const addedPrints = new Set(added.map((finding) => finding.fingerprint));
  const existing = report.suppressed.filter((finding) => !addedPrints.has(finding.fingerprint));
  const total = added.length + existing.length;
  if (total === 0) return undefined;
  const line = (finding: Finding, isNew: boolean): string => {
    const suppression = finding.suppression;
    const how =
      suppression === undefined
        ? ''
        : ` — ${codeSpan(clampText(suppression.comment, 200))} (${suppression.reason === undefined ? 'no reason given' : `reason: ${message(suppression.reason)}`})`;
    const tag = isNew ? '**added by this pull request** · ' : '';
    return `- ${tag}${ruleLabel(finding.ruleId, finding.title, report.docsUrl)} · ${codeSpan(`${finding.path}:${finding.span.start.line}`)}${how}`;
  };
  const intro =
    added.length > 0
      ? `${plural(total, 'finding')} on the changed lines ${total === 1 ? 'is' : 'are'} suppressed by comments and ${total === 1 ? 'does' : 'do'} not affect the conclusion. **${plural(added.length, 'suppression')} ${added.length === 1 ? 'is' : 'are'} added by this pull request**: review ${added.length === 1 ? 'it' : 'them'} like code.`
      : `${plural(total, 'finding')} on the changed lines ${total === 1 ? 'is' : 'are'} suppressed by comments and ${total === 1 ? 'does' : 'do'} not affect the conclusion.`;
  return {
    head: `### Suppressed (${total})\n\n${intro}\n`,
    lines: [...added.map((f) => line(f, true)), ...existing.map((f) => line(f, false))],
    more: (omitted) => `- … and ${omitted} more`,
    priority: 3,
  };
}

function incompleteSection(files: readonly IncompleteFile[]): Section {
  return {
    head: `### Files not fully scanned (${files.length})\n\nPyGuard could not check every line of these files, so findings in them may be missing:\n`,
    lines: files.map((file) => {
      const where = file.line === undefined ? file.path : `${file.path}:${file.line}`;
      return `- ${codeSpan(where)} — ${message(file.reason)}`;
    }),
    more: (omitted) => `- … and ${omitted} more`,
    priority: 1,
  };
}

function noticesSection(notices: readonly FileNotice[]): Section {
  return {
    head: `### File problems (${notices.length})\n\nThese files were scanned as far as possible:\n`,
    lines: notices.map((notice) => {
      const where = notice.line === undefined ? notice.path : `${notice.path}:${notice.line}`;
      return `- ${codeSpan(where)} — ${message(notice.message)}`;
    }),
    more: (omitted) => `- … and ${omitted} more`,
    priority: 2,
  };
}

function configSection(report: CheckRunReport): Section {
  return {
    head: `### Configuration problems (${report.configProblems.length})\n\n\`.github/pyguard.yml\` has problems; the scan used defaults for these keys:\n`,
    lines: report.configProblems.map(
      (problem) => `- ${codeSpan(problem.key)}: ${message(problem.message)}`,
    ),
    more: (omitted) => `- … and ${omitted} more`,
    priority: 1,
  };
}

/** The summary Markdown: counts, what the conclusion means, then the non-empty sections. */
function summaryFor(report: CheckRunReport, conclusion: CheckConclusion): string {
  const nothingChanged =
    filesChanged(report) === 0 && report.findings.length === 0 && report.suppressed.length === 0;
  const head = [
    ...(nothingChanged ? [] : [countsTable(report.findings, report.suppressed)]),
    `${conclusionLine(report, conclusion)} ${policyLine(report.failOn)}`,
    scanLine(report),
    ...dependencyAuditNote(report),
  ].join('\n\n');
  const sections: Section[] = [];
  if (report.findings.length > 0) sections.push(findingsSection(report));
  const vulnerable = vulnerableDependencies(report);
  if (vulnerable.length > 0) sections.push(dependenciesSection(vulnerable));
  if (report.fixed.length > 0) sections.push(fixedSection(report));
  const suppressed = suppressedSection(report);
  if (suppressed !== undefined) sections.push(suppressed);
  const incomplete = incompleteFiles(report);
  if (incomplete.length > 0) sections.push(incompleteSection(incomplete));
  const problems = report.notices.filter((notice) => !isIncompleteScan(notice));
  if (problems.length > 0) sections.push(noticesSection(problems));
  if (report.configProblems.length > 0) sections.push(configSection(report));
  const available = SUMMARY_LIMIT - SUMMARY_MARGIN - byteLength(head);
  const summary = [head, ...fitSections(sections, available)].join('\n\n');
  // The budget above already guarantees this; the clamp is a last line of defence.
  return clampBytes(summary, SUMMARY_LIMIT);
}

/** Untrusted text for a plain-text field: controls and bidi overrides made visible. */
function visible(text: string): string {
  return text
    .split('\n')
    .map((line) => escapeForTerminal(line.endsWith('\r') ? line.slice(0, -1) : line))
    .join('\n');
}

/**
 * The annotation of one finding, in plain text (GitHub shows annotation text verbatim).
 * Columns are sent only for a finding on one line.
 */
export function annotationFor(
  finding: Finding,
  docsUrl?: DocsUrl,
  rules?: RuleMetaById,
): Annotation {
  const startLine = finding.span.start.line;
  const endLine = Math.max(startLine, lastLineOf(finding.span));
  const parts = [plainText(visible(finding.message))];
  const hint = fixHint(finding.ruleId, rules);
  if (hint !== undefined) parts.push(`How to fix: ${plainText(hint)}`);
  if (finding.fix !== undefined) {
    const also = (finding.fix.additionalEdits ?? []).flatMap((edit) =>
      edit.description === undefined ? [] : [`; also ${edit.description}`],
    );
    parts.push(
      `Suggested change: ${plainText(visible(`${finding.fix.description}${also.join('')}`))}`,
    );
  }
  for (const other of finding.alongside ?? []) {
    parts.push(
      `Also on this line, ${other.ruleId} (${other.severity} severity, column ${other.span.start.column}): ${plainText(visible(other.message))}`,
    );
  }
  const url = docsUrl?.(finding.ruleId);
  if (url !== undefined) parts.push(`Rule documentation: ${url}`);
  parts.push(`Suppress with: # pyguard: ignore[${finding.ruleId}] <reason>`);
  const annotation: Annotation = {
    path: finding.path,
    start_line: startLine,
    end_line: endLine,
    annotation_level: LEVELS[finding.severity],
    title: clampText(`${finding.ruleId} ${finding.slug}`, ANNOTATION_TITLE_LIMIT),
    message: clampBytes(parts.join('\n\n'), ANNOTATION_TEXT_LIMIT),
  };
  if (startLine === endLine) {
    annotation.start_column = finding.span.start.column;
    // GitHub's end column is inclusive; the span's is exclusive.
    annotation.end_column = Math.max(finding.span.start.column, finding.span.end.column - 1);
  }
  if (finding.snippet !== '') {
    annotation.raw_details = clampBytes(visible(finding.snippet), ANNOTATION_TEXT_LIMIT);
  }
  return annotation;
}

/** The annotation of a changed file refused before parsing (it has no finding to show). */
export function refusedFileAnnotation(notice: FileNotice): Annotation {
  const line = Math.max(1, notice.line ?? 1);
  return {
    path: notice.path,
    start_line: line,
    end_line: line,
    annotation_level: 'warning',
    title: 'PyGuard did not scan this file',
    message: clampBytes(plainText(visible(notice.message)), ANNOTATION_TEXT_LIMIT),
  };
}

/**
 * The check's annotations: one per finding without an inline comment (over the comment cap,
 * on no added line, or when no review is posted), then one per refused file. A finding with
 * an inline comment is shown there only.
 */
export function checkAnnotations(report: CheckRunReport): Annotation[] {
  const commented = report.commented ?? new Set<string>();
  return [
    ...report.findings
      .filter((finding) => !commented.has(finding.fingerprint))
      .map((finding) => annotationFor(finding, report.docsUrl, report.rules)),
    ...report.notices
      .filter((notice) => notice.kind === 'refused')
      .map((notice) => refusedFileAnnotation(notice)),
  ];
}

/** GitHub accepts at most this many annotations per check-run create or update request. */
export const ANNOTATIONS_PER_REQUEST = 50;

/** Annotations split into request-sized batches (later updates append to earlier ones). */
export function annotationBatches(
  annotations: readonly Annotation[],
  size = ANNOTATIONS_PER_REQUEST,
): Annotation[][] {
  const step = Math.max(1, Math.floor(size));
  const batches: Annotation[][] = [];
  for (let start = 0; start < annotations.length; start += step) {
    batches.push(annotations.slice(start, start + step));
  }
  return batches;
}

/** The completed check run for a finished scan. */
export function renderCheckRun(report: CheckRunReport): CheckRunOutput {
  const conclusion = reportConclusion(report);
  return {
    conclusion,
    title: titleFor(report),
    summary: summaryFor(report, conclusion),
    annotations: checkAnnotations(report),
  };
}

/** Credentials that an error message could carry, and what replaces them. */
const SECRET_PATTERNS: readonly (readonly [RegExp, string])[] = [
  [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    '[redacted]',
  ],
  [/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g, '[redacted]'],
  [/\beyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/g, '[redacted]'],
  [/\b(bearer|token)\s+[\w.~+/-]{16,}=*/gi, '$1 [redacted]'],
  [
    /\b(token|authorization|password|passwd|secret|api[_-]?key)(\s*[:=]\s*)(["']?)[^\s,;"']+/gi,
    '$1$2$3[redacted]',
  ],
  [/(\/\/)[^/\s:@]+:[^/\s@]+@/g, '$1[redacted]@'],
];

/** The first line of an error's reason, with anything that looks like a credential removed. */
export function sanitizeReason(reason: string): string {
  let text = reason;
  for (const [pattern, replacement] of SECRET_PATTERNS) text = text.replace(pattern, replacement);
  const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  const trimmed = firstLine.trim().replace(/[.\s]+$/, '');
  return clampText(trimmed === '' ? 'an unexpected error' : trimmed, 300);
}

/** How people ask for another scan, in one sentence. */
const RESCAN_HINT =
  '**To retry:** comment `/pyguard rescan` on the pull request, or use the **Rescan** button above or **Re-run** on this check. If it keeps failing, ask whoever runs PyGuard to look at its logs.';

/**
 * The completed check run when a scan cannot finish: what failed, what the conclusion means,
 * and how to retry. No stack traces, no secrets.
 */
export function renderErrorCheckRun(error: {
  reason: string;
  onError: 'failure' | 'neutral';
  /** Attempts made, when more than one. */
  attempts?: number | undefined;
}): CheckRunMessage {
  const setting = codeSpan(`on_error: ${error.onError}`);
  const consequence =
    error.onError === 'failure'
      ? `The check fails (${setting}) so that an unscanned change is not merged unnoticed.`
      : `The check is \`neutral\` (${setting}), which does not block merging: this change was not checked.`;
  const tries =
    error.attempts !== undefined && error.attempts > 1 ? ` (after ${error.attempts} attempts)` : '';
  const summary = [
    `PyGuard could not finish scanning this commit${tries}: ${escapeMarkdown(sanitizeReason(error.reason))}.`,
    `No findings are reported for this commit. ${consequence}`,
    RESCAN_HINT,
  ].join('\n\n');
  return {
    conclusion: error.onError,
    title: 'PyGuard could not finish the scan',
    summary,
  };
}

/** The completed check run of a scan stopped with its worker, when no other worker takes it. */
export function renderCancelledCheckRun(reason: string): CheckRunMessage<'cancelled'> {
  return {
    conclusion: 'cancelled',
    title: 'Scan stopped',
    summary: [
      `PyGuard stopped before it finished scanning this commit: ${escapeMarkdown(sanitizeReason(reason))}.`,
      'No findings are reported for this commit, and a cancelled check blocks merging when it is required.',
      RESCAN_HINT,
    ].join('\n\n'),
  };
}

/** The output of a check run left pending while its job waits for another attempt. */
export function renderRetryingOutput(failure: { reason: string; attempt: number }): {
  title: string;
  summary: string;
} {
  return {
    title: 'Retrying',
    summary: `Attempt ${failure.attempt} could not finish: ${escapeMarkdown(sanitizeReason(failure.reason))}. PyGuard is retrying after this temporary failure; this check completes when the scan does.`,
  };
}

/**
 * A note added to a completed check's summary when an optional step (the review, resolving
 * fixed threads) failed: the result above stands.
 */
export function optionalStepsNote(failures: readonly string[]): string {
  const what = failures.map((failure) => sanitizeReason(failure)).join('; ');
  return `**Note:** ${escapeMarkdown(what)}. Every finding is listed above; the next scan tries again.`;
}

/** The completed check run of a scan replaced by a newer push to the same pull request. */
export function renderSupersededCheckRun(newerSha: string): CheckRunMessage<'neutral'> {
  return {
    conclusion: 'neutral',
    title: 'Superseded by a newer push',
    summary: `A newer commit (${shortSha(newerSha)}) was pushed before this scan finished, so PyGuard scans that commit instead. Its results are on the PyGuard check of the newer commit.`,
  };
}
