/**
 * The pull-request review PyGuard posts for a scan: one inline comment per new finding, anchored
 * on an added line of the diff (GitHub rejects the whole review otherwise), at most
 * `comments.max` of them, the rest listed in the review body. Pure: the GitHub code posts it.
 */
import { describeFlow } from '../engine/analyze/tainted-sink.js';
import {
  fingerprintsOf,
  rank,
  type Finding,
  type FixEdit,
  type Severity,
  type Span,
} from '../engine/types.js';
import type { RuleMeta } from '../rules-api/types.js';
import {
  REVIEW_MARKER,
  boundedLines,
  byteLength,
  clampText,
  codeSpan,
  escapeMarkdown,
  fencedBlock,
  fingerprintMarker,
  inlineMarkdown,
  isDisplaySafe,
  markdownLink,
  shortSha,
} from './markers.js';
import { describeSeverities, plural } from './summary.js';

/** Where a rule's documentation lives, when the deployment has a docs site. */
export type DocsUrl = (ruleId: string) => string | undefined;

/**
 * The metadata of the rules a scan ran, by rule id: what the renderers show of a rule beyond its
 * findings (the "how to fix" hint). Built from the rule set the scan used, so a custom rule set
 * renders its own hints.
 */
export type RuleMetaById = ReadonlyMap<string, Pick<RuleMeta, 'fix'>>;

/** Indexes the metadata of a rule set by rule id. */
export function ruleMetaById(rules: readonly { readonly meta: RuleMeta }[]): RuleMetaById {
  return new Map(rules.map((rule) => [rule.meta.id, rule.meta]));
}

export interface ReviewComment {
  path: string;
  line: number;
  side: 'RIGHT';
  start_line?: number;
  start_side?: 'RIGHT';
  body: string;
}

export interface ReviewPlan {
  /** The review body: {@link REVIEW_MARKER}, a summary line, findings not commented inline. */
  body: string;
  comments: ReviewComment[];
  /** The findings of `comments`, in the same order. */
  commented: Finding[];
  /** Anchored findings beyond `maxComments`; listed in the body. */
  overflow: Finding[];
  /** Findings that touch no added line; listed in the body, and belong in the check summary. */
  unanchored: Finding[];
}

export interface ReviewInput {
  /** Unsuppressed findings not commented yet, in report order. */
  findings: readonly Finding[];
  /** Head-side added lines, by path. */
  addedLines: ReadonlyMap<string, ReadonlySet<number>>;
  maxComments: number;
  headSha: string;
  /** The rules of the scan, for their fix hints. */
  rules: RuleMetaById;
  docsUrl?: DocsUrl | undefined;
}

export interface CommentOptions {
  docsUrl?: DocsUrl | undefined;
  /** The rules of the scan; a finding of a rule not given gets no fix hint. */
  rules?: RuleMetaById | undefined;
  /** Offer a ```suggestion block when the finding's fix allows one (single-line comment only). */
  withSuggestion: boolean;
}

/** GitHub caps comment and review bodies at 65,536 characters; stay clearly under. */
const BODY_LIMIT = 65_000;
/** Longest message quoted in a comment or a list (characters). */
const MAX_MESSAGE = 2_000;
/** Longer suggested lines are not offered (minified or generated code). */
const MAX_SUGGESTION = 10_000;

/** The rule's "how to fix" text (Markdown), when the rule is among `rules`. */
export function fixHint(ruleId: string, rules: RuleMetaById | undefined): string | undefined {
  return rules?.get(ruleId)?.fix;
}

/**
 * The last line a span really covers: a span that ends at column 1 ends on the line before
 * (a node that takes its line break with it).
 */
export function lastLineOf(span: Span): number {
  return span.end.line > span.start.line && span.end.column <= 1
    ? span.end.line - 1
    : span.end.line;
}

interface Anchor {
  line: number;
  startLine?: number;
  suggestion: boolean;
}

/** Where a finding's comment goes among the added lines of its file, if anywhere. */
function anchorFor(finding: Finding, added: ReadonlySet<number> | undefined): Anchor | undefined {
  if (added === undefined || added.size === 0) return undefined;
  const start = finding.span.start.line;
  const end = lastLineOf(finding.span);
  const fixLine = finding.fix?.span.start.line;
  if (
    fixLine !== undefined &&
    fixLine >= start &&
    fixLine <= end &&
    added.has(fixLine) &&
    suggestedLine(finding) !== undefined
  ) {
    // A suggestion replaces exactly the commented line, so the comment goes on the fix line.
    return { line: fixLine, suggestion: true };
  }
  if (end > start && everyLineAdded(start, end, added)) {
    return { startLine: start, line: end, suggestion: false };
  }
  const first = firstAddedLine(start, end, added);
  return first === undefined ? undefined : { line: first, suggestion: false };
}

function everyLineAdded(start: number, end: number, added: ReadonlySet<number>): boolean {
  if (end - start + 1 > added.size) return false;
  for (let line = start; line <= end; line++) if (!added.has(line)) return false;
  return true;
}

function firstAddedLine(
  start: number,
  end: number,
  added: ReadonlySet<number>,
): number | undefined {
  if (end - start + 1 <= added.size) {
    for (let line = start; line <= end; line++) if (added.has(line)) return line;
    return undefined;
  }
  let first: number | undefined;
  for (const line of added) {
    if (line >= start && line <= end && (first === undefined || line < first)) first = line;
  }
  return first;
}

/** Whether an edit lies on one line, the given one. */
function onLine(edit: FixEdit, line: number): boolean {
  return edit.span.start.line === line && edit.span.end.line === line;
}

/**
 * The edits of a finding's fix away from the line its suggestion replaces (an import at the top
 * of the file): a suggestion cannot show them, so the comment says them in words.
 */
export function editsBesideSuggestion(finding: Finding): readonly FixEdit[] {
  const fix = finding.fix;
  if (fix === undefined) return [];
  return (fix.additionalEdits ?? []).filter((edit) => !onLine(edit, fix.span.start.line));
}

/**
 * The whole new line a suggestion would put in place of the fix's line: the original line
 * (from the snippet) with the fix's edits on that line applied at their columns (1-based
 * UTF-16). Undefined when the main edit spans lines, falls outside the snippet, changes
 * nothing, or the line holds characters that should not be shown as they are (controls, bidi
 * overrides, a marker), and when an edit elsewhere has no description to say it in words.
 */
export function suggestedLine(finding: Finding): string | undefined {
  const fix = finding.fix;
  if (fix === undefined || fix.span.start.line !== fix.span.end.line) return undefined;
  const lineNumber = fix.span.start.line;
  if (editsBesideSuggestion(finding).some((edit) => edit.description === undefined))
    return undefined;
  const original = finding.snippet.split('\n')[lineNumber - finding.span.start.line];
  if (original === undefined) return undefined;
  const line = original.endsWith('\r') ? original.slice(0, -1) : original;
  const edits = [fix, ...(fix.additionalEdits ?? [])]
    .filter((edit) => onLine(edit, lineNumber))
    .sort((a, b) => b.span.start.column - a.span.start.column);
  let replaced = line;
  let limit = line.length;
  for (const edit of edits) {
    const from = edit.span.start.column - 1;
    const to = edit.span.end.column - 1;
    // From the right: each edit must end before the one after it starts.
    if (from < 0 || to < from || to > limit) return undefined;
    replaced = `${replaced.slice(0, from)}${edit.replacement}${replaced.slice(to)}`;
    limit = from;
  }
  if (replaced === line || replaced.length > MAX_SUGGESTION) return undefined;
  if (!isDisplaySafe(replaced) || replaced.includes('<!--')) return undefined;
  return replaced;
}

/**
 * The sentence under a suggestion whose fix also edits elsewhere (adds an import): what to do
 * besides committing the suggestion, and where.
 */
function besideSuggestion(edits: readonly FixEdit[]): string | undefined {
  const described = edits.flatMap((edit) =>
    edit.description === undefined
      ? []
      : [`${clampText(edit.description, 200)} (line ${edit.span.start.line})`],
  );
  if (described.length === 0) return undefined;
  return `Also ${inlineMarkdown(described.join('; '))} when you commit this suggestion, which cannot change other lines; \`pyguard scan --fix\` makes both changes.`;
}

/** `high severity, medium confidence, CWE-89`, CWE ids linked to MITRE. */
function ratingLine(finding: Finding): string {
  const parts = [`${finding.severity} severity`];
  if (finding.confidence !== 'high') parts.push(`${finding.confidence} confidence`);
  for (const cwe of finding.cwe) {
    parts.push(markdownLink(`CWE-${cwe}`, `https://cwe.mitre.org/data/definitions/${cwe}.html`));
  }
  return parts.join(', ');
}

/**
 * Whether the finding's message already walks its dataflow path (`a` (line 3) → `b` (line 4)),
 * as the dataflow rules' messages do: the path is then not written a second time as a list.
 */
function showsFlow(finding: Finding): boolean {
  return finding.flow !== undefined && finding.message.includes(describeFlow(finding.flow));
}

/** The Markdown of one inline comment, ending with the finding's hidden fingerprint marker. */
export function commentBody(finding: Finding, options: CommentOptions): string {
  const blocks: string[] = [
    `**${escapeMarkdown(finding.ruleId)} · ${escapeMarkdown(finding.title)}** (${ratingLine(finding)})`,
    inlineMarkdown(clampText(finding.message, MAX_MESSAGE)),
  ];
  if (finding.flow !== undefined && finding.flow.length > 0 && !showsFlow(finding)) {
    const steps = finding.flow.map(
      (step, index) => `${index + 1}. line ${step.line}: ${codeSpan(clampText(step.label, 200))}`,
    );
    blocks.push(['**How the value gets here:**', ...steps.slice(0, 20)].join('\n'));
  }
  const hint = fixHint(finding.ruleId, options.rules);
  if (hint !== undefined) blocks.push(`**How to fix:** ${hint}`);
  const suggestion = options.withSuggestion ? suggestedLine(finding) : undefined;
  if (suggestion !== undefined && finding.fix !== undefined) {
    blocks.push(`**Suggested change:** ${inlineMarkdown(clampText(finding.fix.description, 200))}`);
    const beside = besideSuggestion(editsBesideSuggestion(finding));
    if (beside !== undefined) blocks.push(beside);
    blocks.push(fencedBlock(suggestion, 'suggestion'));
  }
  if (finding.alsoReportedBy !== undefined) {
    blocks.push(
      `Also reported by ${finding.alsoReportedBy.map((id) => escapeMarkdown(id)).join(', ')}, whose findings on this code are shown as this one.`,
    );
  }
  if (finding.alongside !== undefined && finding.alongside.length > 0) {
    const others = finding.alongside.map(
      (other) =>
        `- **${escapeMarkdown(other.ruleId)} · ${escapeMarkdown(other.title)}** (${other.severity} severity, column ${other.span.start.column}): ${inlineMarkdown(clampText(other.message, MAX_MESSAGE))}`,
    );
    blocks.push(['**Also on this line:**', ...others].join('\n'));
  }
  const url = options.docsUrl?.(finding.ruleId);
  const suppress = `If this is intended, add ${codeSpan(`# pyguard: ignore[${finding.ruleId}] <reason>`)} to the flagged line.`;
  blocks.push(
    url === undefined
      ? suppress
      : `${markdownLink(`${escapeMarkdown(finding.ruleId)} documentation`, url)} · ${suppress}`,
  );
  blocks.push(fingerprintMarkers(finding));
  return blocks.join('\n\n');
}

/** The hidden markers of a finding's fingerprint and of those it carries, one a line. */
function fingerprintMarkers(finding: Finding): string {
  return fingerprintsOf(finding).map(fingerprintMarker).join('\n');
}

/** `**high** · PGI001 SQL built from strings · `app.py:12` — message` for review-body lists. */
function listLine(finding: Finding, docsUrl: DocsUrl | undefined): string {
  const url = docsUrl?.(finding.ruleId);
  const id = escapeMarkdown(finding.ruleId);
  const rule = url === undefined ? id : markdownLink(id, url);
  const where = codeSpan(`${finding.path}:${finding.span.start.line}`);
  const message = inlineMarkdown(clampText(finding.message, 300));
  const others = (finding.alongside ?? []).map((other) => escapeMarkdown(other.ruleId));
  const alongside = others.length === 0 ? '' : ` (also on this line: ${others.join(', ')})`;
  return `- **${finding.severity}** · ${rule} ${escapeMarkdown(finding.title)} · ${where} — ${message}${alongside}`;
}

interface Listed {
  intro: string;
  findings: readonly Finding[];
}

/** The review body: marker, summary line, the findings not commented inline (with markers). */
function reviewBody(
  total: readonly Finding[],
  headSha: string,
  lists: readonly Listed[],
  docsUrl: DocsUrl | undefined,
): string {
  const bySeverity: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  for (const finding of total) bySeverity[finding.severity]++;
  const head = [
    REVIEW_MARKER,
    `PyGuard found ${plural(total.length, 'new problem')} in this push (${describeSeverities(bySeverity)}) at ${shortSha(headSha)}.`,
  ].join('\n');
  const sections: string[] = [head];
  const markers: string[] = [];
  let used = byteLength(head);
  for (const list of lists) {
    if (list.findings.length === 0) continue;
    const lines = list.findings.map((finding) => listLine(finding, docsUrl));
    const listMarkers = list.findings.map(fingerprintMarkers);
    // A listed finding costs its line and its marker line.
    const costs = lines.map((line, index) => `${line}\n${listMarkers[index] ?? ''}`);
    const budget = BODY_LIMIT - used - byteLength(list.intro) - 4;
    const more = (omitted: number): string => `- … and ${omitted} more`;
    const { shown } = boundedLines(costs, budget, more);
    const kept = lines.slice(0, shown);
    if (shown < lines.length) kept.push(more(lines.length - shown));
    markers.push(...listMarkers.slice(0, shown));
    const section = `${list.intro}\n\n${kept.join('\n')}`;
    sections.push(section);
    used += byteLength(section) + 2 + byteLength(listMarkers.slice(0, shown).join('\n')) + 1;
  }
  if (markers.length > 0) sections.push(markers.join('\n'));
  return sections.join('\n\n');
}

/**
 * What to post for the new findings of a scan, or undefined when there are none. Comments are
 * anchored on an added line inside the finding's span: the fix line when a one-line suggestion
 * can be offered there; the whole span when every line of it is added; otherwise the first
 * added line. Findings touching no added line are `unanchored`. When more than `maxComments`
 * findings can be anchored, the most severe get the inline comments and the rest are listed
 * in the body. The body carries the fingerprint markers of the findings it lists, so a later
 * scan that reads markers from PyGuard's reviews does not list them again.
 */
export function planReview(input: ReviewInput): ReviewPlan | undefined {
  if (input.findings.length === 0) return undefined;
  const anchored: { finding: Finding; anchor: Anchor; index: number }[] = [];
  const unanchored: Finding[] = [];
  for (const finding of input.findings) {
    const anchor = anchorFor(finding, input.addedLines.get(finding.path));
    if (anchor === undefined) unanchored.push(finding);
    else anchored.push({ finding, anchor, index: anchored.length });
  }
  const max = Number.isFinite(input.maxComments) ? Math.max(0, Math.floor(input.maxComments)) : 0;
  const chosen = new Set(
    [...anchored]
      .sort((a, b) => rank(b.finding.severity) - rank(a.finding.severity) || a.index - b.index)
      .slice(0, max)
      .map((entry) => entry.index),
  );
  const comments: ReviewComment[] = [];
  const commented: Finding[] = [];
  const overflow: Finding[] = [];
  // One comment per line: findings of other rules ending on a line already commented join that
  // comment, below the first. GitHub applies one suggestion per line in a batch, so only a
  // finding whose lines are the comment's own may bring one, and only the first such finding.
  const byLine = new Map<string, { comment: ReviewComment; suggested: boolean }>();
  for (const { finding, anchor, index } of anchored) {
    if (!chosen.has(index)) {
      overflow.push(finding);
      continue;
    }
    const key = `${finding.path}\u0000${anchor.line}`;
    const existing = byLine.get(key);
    const sameLines = existing === undefined || existing.comment.start_line === anchor.startLine;
    const withSuggestion = anchor.suggestion && sameLines && existing?.suggested !== true;
    const body = commentBody(finding, {
      docsUrl: input.docsUrl,
      rules: input.rules,
      withSuggestion,
    });
    commented.push(finding);
    if (existing !== undefined) {
      existing.comment.body = `${existing.comment.body}\n\n---\n\n${body}`;
      existing.suggested ||= withSuggestion;
      continue;
    }
    const comment: ReviewComment = { path: finding.path, line: anchor.line, side: 'RIGHT', body };
    if (anchor.startLine !== undefined) {
      comment.start_line = anchor.startLine;
      comment.start_side = 'RIGHT';
    }
    comments.push(comment);
    byLine.set(key, { comment, suggested: withSuggestion });
  }
  const body = reviewBody(
    input.findings,
    input.headSha,
    [
      {
        intro: `${plural(overflow.length, 'more problem')} ${overflow.length === 1 ? 'is' : 'are'} not commented inline: this review is limited to ${plural(max, 'comment')} (\`comments.max\`).`,
        findings: overflow,
      },
      {
        intro: `${plural(unanchored.length, 'problem')} ${unanchored.length === 1 ? 'is' : 'are'} not on a line this push adds, so ${unanchored.length === 1 ? 'it cannot be' : 'they cannot be'} commented inline:`,
        findings: unanchored,
      },
    ],
    input.docsUrl,
  );
  return { body, comments, commented, overflow, unanchored };
}
