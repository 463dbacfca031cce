/**
 * The engine's entry point: source text in, findings out. One parse and one traversal per file
 * feed every enabled rule.
 */
import type {
  AnyRule,
  ReportDescriptor,
  ReportEdit,
  RuleContext,
  RuleOptionValues,
  VisitedType,
  Visitors,
} from '../rules-api/types.js';
import { interpolate } from '../rules-api/define-rule.js';
import { defaultRuleOptions } from '../rules-api/options.js';
import { spanTouchesLines } from './diff.js';
import { fingerprint, normaliseSnippet } from './fingerprint.js';
import { MODEL_NODE_TYPES, SemanticModel, type Scope } from './model.js';
import { startOf } from './node-offsets.js';
import { DEFAULT_PARSE_TIMEOUT_MS, parseSource, type SyntaxNode } from './parse.js';
import { decodeSource } from './source.js';
import { findSuppressions, suppressionFor, type SuppressionComment } from './suppressions.js';
import { CallRouter, passesTextPrefilter, textPrefilter, wordsPresent } from './selectors.js';
import { TaintAnalysis } from './taint/analysis.js';
import {
  rank,
  type AlongsideFinding,
  type Confidence,
  type FileNotice,
  type FileResult,
  type Finding,
  type Fix,
  type FixEdit,
  type FlowStep,
  type Profile,
  type Severity,
  type Span,
  type Suppression,
} from './types.js';

export interface ScanOptions {
  /** The rules to run (already filtered by configuration). */
  rules: readonly AnyRule[];
  /** Severity overrides by rule id. */
  severityOverrides?: ReadonlyMap<string, Severity>;
  /**
   * Each rule's resolved option values by rule id (see `selectRules`); a rule missing here
   * gets its declared defaults.
   */
  ruleOptions?: ReadonlyMap<string, RuleOptionValues>;
  /** When given, only findings whose span touches one of these (1-based) lines are kept. */
  addedLines?: ReadonlySet<number> | null;
  /**
   * Findings below this confidence are dropped (under the `audit` profile they are kept and
   * marked). Default: keep all.
   */
  minConfidence?: Confidence;
  /**
   * `default` (the default) drops audit-only reports and findings below `minConfidence`;
   * `audit` keeps them and marks each finding the default profile would not report. Which rules
   * run is decided before (`selectRules`, which runs every rule under `audit`).
   */
  profile?: Profile;
  /** Longest time one file's parse may take before the file is skipped. */
  parseTimeoutMs?: number;
  /**
   * Longest time the rules may spend on one file; past it the rest of the file is not checked
   * (findings so far are kept) and a notice says so.
   */
  rulesTimeoutMs?: number;
  /** When given, milliseconds spent in each rule are added here by rule id (benchmarks). */
  ruleTimings?: Map<string, number>;
}

const MAX_SNIPPET_LINES = 5;

const TEST_PATH = /(^|\/)(tests?|testing)\/|(^|\/)test_[^/]*\.py$|_tests?\.py$|(^|\/)conftest\.py$/;

/** Whether a repository path looks like test code. */
export function isTestPath(path: string): boolean {
  return TEST_PATH.test(path.replace(/\\/g, '/'));
}

/** The option values a rule runs with in this scan. */
export function optionsFor(
  rule: AnyRule,
  ruleOptions: ReadonlyMap<string, RuleOptionValues> | undefined,
): RuleOptionValues {
  return ruleOptions?.get(rule.meta.id) ?? defaultRuleOptions(rule);
}

/** One report of a rule, before suppressions, filters and fingerprints are applied. */
export interface RawReport {
  rule: AnyRule;
  /** Offsets of the flagged text in the file's text (start inclusive, end exclusive). */
  startIndex: number;
  endIndex: number;
  span: Span;
  /** The key of the rule's message template. */
  messageId: string;
  message: string;
  severity: Severity;
  confidence: Confidence;
  fix?: Fix;
  flow?: readonly FlowStep[];
  /** The report asked to be shown under the audit profile only. */
  auditOnly?: boolean;
}

/** Span of a node in 1-based lines and columns. */
export function spanOf(node: SyntaxNode): Span {
  return {
    start: { line: node.startPosition.row + 1, column: node.startPosition.column + 1 },
    end: { line: node.endPosition.row + 1, column: node.endPosition.column + 1 },
  };
}

function isSpan(target: SyntaxNode | Span): target is Span {
  return 'start' in target && 'end' in target && typeof target.start === 'object';
}

/** The engine's form of one more edit of a reported fix. */
function fixEdit(edit: ReportEdit): FixEdit {
  const span = isSpan(edit.target) ? edit.target : spanOf(edit.target);
  return edit.description === undefined
    ? { span, replacement: edit.replacement }
    : { span, replacement: edit.replacement, description: edit.description };
}

/** Scans one file. Never throws for bad input: problems come back as notices. */
export function scanSource(
  path: string,
  source: string | Uint8Array,
  options: ScanOptions,
): FileResult {
  const notices: FileNotice[] = [];
  const decoded = decodeSource(source);
  if (decoded.decodingProblem !== undefined) {
    notices.push({ path, kind: 'decoding', message: decoded.decodingProblem });
  }
  const text = decoded.text;
  const parseStart = performance.now();
  const outcome = parseSource(text, options.parseTimeoutMs);
  const parseMs = performance.now() - parseStart;
  if (outcome.kind !== 'parsed') {
    const seconds = ((options.parseTimeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS) / 1000).toFixed(0);
    notices.push(
      outcome.kind === 'refused'
        ? { path, kind: 'refused', message: outcome.reason }
        : { path, kind: 'skipped', message: `not scanned: parsing took longer than ${seconds} s` },
    );
    return {
      path,
      findings: [],
      notices,
      lines: countLines(text),
      timings: { parseMs, rulesMs: 0 },
    };
  }
  const rulesStart = performance.now();
  const { tree } = outcome;
  const root = tree.rootNode;
  if (root.hasError) notices.push(syntaxErrorNotice(path, root));

  const model = new SemanticModel(tree, text, path);
  const reports: RawReport[] = [];
  const handlers = new Map<string, ((node: SyntaxNode) => void)[]>();
  const endHandlers: { rule: AnyRule; end: () => void }[] = [];
  const isTestFile = isTestPath(path);
  let taint: TaintAnalysis | undefined;
  const taintAnalysis = (): TaintAnalysis => (taint ??= new TaintAnalysis(model));

  const prefilter = textPrefilter(options.rules);
  const present = prefilter === null ? undefined : wordsPresent(prefilter, [text, path]);
  const calls = new CallRouter(options.rules, (node) => model.call(node));
  for (const [order, rule] of options.rules.entries()) {
    if (present !== undefined && !passesTextPrefilter(rule, present)) continue;
    const context = createContext(
      rule,
      path,
      text,
      model,
      isTestFile,
      reports,
      options,
      taintAnalysis,
    );
    let visitors: Visitors;
    try {
      visitors = rule.create(context);
    } catch (error) {
      notices.push(ruleErrorNotice(path, rule, error, undefined));
      continue;
    }
    for (const [type, handler] of Object.entries(visitors) as [
      VisitedType | 'end',
      ((node: SyntaxNode) => void) | (() => void),
    ][]) {
      if (type === 'end') {
        endHandlers.push({ rule, end: handler as () => void });
        continue;
      }
      const guarded = guard(rule, handler, notices, path, options.ruleTimings);
      if (type === 'call') {
        calls.add(order, guarded);
        continue;
      }
      const list = handlers.get(type) ?? [];
      list.push(guarded);
      handlers.set(type, list);
    }
  }
  if (!calls.isEmpty) {
    handlers.set('call', [
      (node) => {
        calls.visit(node);
      },
    ]);
  }

  const events = traverse(root, model, handlers);
  const rulesDeadline = performance.now() + (options.rulesTimeoutMs ?? DEFAULT_RULES_TIMEOUT_MS);
  for (let index = 0; index < events.length; index++) {
    const event = events[index];
    if (event === undefined) break;
    for (const handler of handlers.get(event.type) ?? []) handler(event.node);
    if (index % DEADLINE_CHECK_EVERY === 0 && performance.now() > rulesDeadline) {
      notices.push(rulesTimeoutNotice(path, event.node, options.rulesTimeoutMs));
      break;
    }
  }
  for (const { rule, end } of endHandlers) {
    const start = performance.now();
    try {
      end();
    } catch (error) {
      notices.push(ruleErrorNotice(path, rule, error, undefined));
    }
    const timings = options.ruleTimings;
    timings?.set(rule.meta.id, (timings.get(rule.meta.id) ?? 0) + performance.now() - start);
  }

  const findings = buildFindings(path, text, reports, options, () => findSuppressions(text, root));
  const rulesMs = performance.now() - rulesStart;
  return { path, findings, notices, lines: countLines(text), timings: { parseMs, rulesMs } };
}

/**
 * One traversal of the tree: every node the model or an enabled rule needs, in document order.
 * The model is complete before any rule runs, so rules see every binding of the file.
 */
function traverse(
  root: SyntaxNode,
  model: SemanticModel,
  handlers: ReadonlyMap<string, unknown>,
): { node: SyntaxNode; type: string }[] {
  const types = new Set<string>([...MODEL_NODE_TYPES, ...handlers.keys()]);
  const nodes = root.descendantsOfType([...types]);
  const modelTypes = new Set(MODEL_NODE_TYPES);
  const stack: Scope[] = [model.module];
  let top: Scope = model.module;
  const events: { node: SyntaxNode; type: string }[] = [];
  let lastCallStart = -1;
  for (const node of nodes) {
    const type = node.type;
    // The `lambda` keyword token has the type of the expression it starts: skip it.
    if (type === 'lambda' && !node.isNamed) continue;
    const start = startOf(node);
    if (type === 'call') {
      if (start === lastCallStart) model.sharedCallStarts.add(start);
      lastCallStart = start;
      model.calls.push(node);
    }
    while (start >= top.end) {
      stack.pop();
      top = stack[stack.length - 1] ?? model.module;
    }
    if (modelTypes.has(type)) {
      const inner = model.enter(node, top);
      if (inner !== top) {
        stack.push(inner);
        top = inner;
      }
    }
    if (handlers.has(type)) events.push({ node, type });
  }
  model.allCallsSeen = types.has('call');
  model.complete = true;
  return events;
}

/** Default for {@link ScanOptions.rulesTimeoutMs}. */
export const DEFAULT_RULES_TIMEOUT_MS = 30_000;
/** Nodes visited between two looks at the clock. */
const DEADLINE_CHECK_EVERY = 64;

function rulesTimeoutNotice(
  path: string,
  node: SyntaxNode,
  timeoutMs: number | undefined,
): FileNotice {
  const line = node.startPosition.row + 1;
  const seconds = ((timeoutMs ?? DEFAULT_RULES_TIMEOUT_MS) / 1000).toFixed(0);
  return {
    path,
    kind: 'skipped',
    line,
    message: `checks stopped at line ${String(line)} after ${seconds} s; findings before that line are reported, the rest of the file was not checked`,
  };
}

function guard(
  rule: AnyRule,
  handler: (node: SyntaxNode) => void,
  notices: FileNotice[],
  path: string,
  timings: Map<string, number> | undefined,
): (node: SyntaxNode) => void {
  const safe = (node: SyntaxNode): void => {
    try {
      handler(node);
    } catch (error) {
      notices.push(ruleErrorNotice(path, rule, error, node.startPosition.row + 1));
    }
  };
  if (timings === undefined) return safe;
  return (node) => {
    const start = performance.now();
    safe(node);
    timings.set(rule.meta.id, (timings.get(rule.meta.id) ?? 0) + performance.now() - start);
  };
}

/** The notice for a rule that threw while checking a file. */
export function ruleErrorNotice(
  path: string,
  rule: AnyRule,
  error: unknown,
  line: number | undefined,
): FileNotice {
  const reason = error instanceof Error ? error.message : String(error);
  const notice: FileNotice = {
    path,
    kind: 'rule-error',
    message: `rule ${rule.meta.id} (${rule.meta.slug}) failed${line === undefined ? '' : ` at line ${line}`}: ${reason}`,
  };
  if (line !== undefined) notice.line = line;
  return notice;
}

function createContext(
  rule: AnyRule,
  path: string,
  text: string,
  model: SemanticModel,
  isTestFile: boolean,
  reports: RawReport[],
  options: Pick<ScanOptions, 'severityOverrides' | 'ruleOptions' | 'profile'>,
  taintAnalysis: () => TaintAnalysis,
): RuleContext<string> {
  const { severityOverrides } = options;
  return {
    path,
    text,
    model,
    isTestFile,
    profile: options.profile ?? 'default',
    options: optionsFor(rule, options.ruleOptions),
    textOf: (node) => model.textOf(node),
    call: (node) => model.call(node),
    taint: (node, sink) => taintAnalysis().trace(node, sink),
    report(descriptor: ReportDescriptor<string>) {
      if (descriptor.fix !== undefined && !rule.meta.fixable) {
        throw new Error('reported a fix but meta.fixable is false');
      }
      const { node } = descriptor;
      const report: RawReport = {
        ...reportBasics(rule, descriptor, severityOverrides),
        startIndex: node.startIndex,
        endIndex: node.endIndex,
        span: spanOf(node),
      };
      if (descriptor.flow !== undefined && descriptor.flow.length > 0) {
        report.flow = descriptor.flow;
      }
      if (descriptor.fix !== undefined) {
        const target = descriptor.fix.target;
        report.fix = {
          description: descriptor.fix.description,
          span: isSpan(target) ? target : spanOf(target),
          replacement: descriptor.fix.replacement,
        };
        const more = descriptor.fix.additionalEdits;
        if (more !== undefined && more.length > 0) report.fix.additionalEdits = more.map(fixEdit);
      }
      reports.push(report);
    },
  };
}

/**
 * The rule, message, severity (after overrides) and confidence of one report.
 * @throws Error for a message id the rule does not declare.
 */
export function reportBasics(
  rule: AnyRule,
  descriptor: {
    messageId: string;
    data?: Readonly<Record<string, string | number>> | undefined;
    severity?: Severity | undefined;
    confidence?: Confidence | undefined;
    profile?: 'audit' | undefined;
  },
  severityOverrides: ReadonlyMap<string, Severity> | undefined,
): Pick<RawReport, 'rule' | 'messageId' | 'message' | 'severity' | 'confidence' | 'auditOnly'> {
  const template = rule.messages[descriptor.messageId];
  if (template === undefined) throw new Error(`unknown message id "${descriptor.messageId}"`);
  const basics: Pick<
    RawReport,
    'rule' | 'messageId' | 'message' | 'severity' | 'confidence' | 'auditOnly'
  > = {
    rule,
    messageId: descriptor.messageId,
    message: interpolate(template, descriptor.data),
    severity: severityOverrides?.get(rule.meta.id) ?? descriptor.severity ?? rule.meta.severity,
    confidence: descriptor.confidence ?? rule.meta.confidence,
  };
  if (descriptor.profile === 'audit') basics.auditOnly = true;
  return basics;
}

/** A raw report that passed the duplicate and confidence filters, with its fingerprint inputs. */
interface KeptReport {
  report: RawReport;
  normalised: string;
  ordinal: number;
  /** Kept only because the scan runs the audit profile. */
  auditOnly: boolean;
}

/** A finding to be: the report that leads, and the reports of other rules on the same span. */
interface GroupedReport extends KeptReport {
  others: readonly AnyRule[];
}

/** The highest severity, then confidence, a rule reported on a span (for choosing the lead). */
function strongest(reports: readonly KeptReport[]): [number, number] {
  let best: [number, number] = [0, 0];
  for (const { report } of reports) {
    const candidate: [number, number] = [rank(report.severity), rank(report.confidence)];
    if (candidate[0] > best[0] || (candidate[0] === best[0] && candidate[1] > best[1]))
      best = candidate;
  }
  return best;
}

/**
 * The rule whose finding stands for a span several rules reported: one that no other rule there
 * supersedes (see `RuleMeta.supersedes`), and among those the one with the highest severity,
 * then confidence, then the smallest id.
 */
function leadingRule(byRule: ReadonlyMap<AnyRule, readonly KeptReport[]>): AnyRule {
  const rules = [...byRule.keys()];
  const superseded = (rule: AnyRule): boolean =>
    rules.some((other) => other !== rule && (other.meta.supersedes ?? []).includes(rule.meta.id));
  const candidates = rules.filter((rule) => !superseded(rule));
  const ranked = (candidates.length > 0 ? candidates : rules).map((rule) => ({
    rule,
    grade: strongest(byRule.get(rule) ?? []),
  }));
  ranked.sort(
    (a, b) =>
      b.grade[0] - a.grade[0] ||
      b.grade[1] - a.grade[1] ||
      (a.rule.meta.id < b.rule.meta.id ? -1 : a.rule.meta.id > b.rule.meta.id ? 1 : 0),
  );
  const lead = ranked[0]?.rule;
  if (lead === undefined) throw new Error('a span group has no reports');
  return lead;
}

/**
 * One finding per place: reports of different rules on the same span (same start and end) are
 * grouped, and only the leading rule's reports remain, each listing the other rules; so are
 * reports inside the span of a rule that supersedes theirs.
 */
function groupBySpan(kept: readonly KeptReport[]): GroupedReport[] {
  const bySpan = groupedBy(kept, (entry) => `${entry.report.startIndex}:${entry.report.endIndex}`);
  const grouped: GroupedReport[] = [];
  for (const group of bySpan.values()) {
    const byRule = byRuleOf(group);
    if (byRule.size === 1) {
      for (const entry of group) grouped.push({ ...entry, others: [] });
      continue;
    }
    const lead = leadingRule(byRule);
    const others = [...byRule.keys()].filter((rule) => rule !== lead).sort(byId);
    // The place is shown by the default profile when any of its reports is.
    const auditOnly = group.every((entry) => entry.auditOnly);
    for (const entry of byRule.get(lead) ?? []) grouped.push({ ...entry, others, auditOnly });
  }
  return absorbContained(grouped);
}

/** Entries by a key, each list and the keys in first-seen order. */
function groupedBy<Key, Entry>(
  entries: readonly Entry[],
  keyOf: (entry: Entry) => Key,
): Map<Key, Entry[]> {
  const groups = new Map<Key, Entry[]>();
  for (const entry of entries) {
    const key = keyOf(entry);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [entry]);
    else group.push(entry);
  }
  return groups;
}

/** Entries by the rule that reported them, in first-report order. */
function byRuleOf<Entry extends KeptReport>(entries: readonly Entry[]): Map<AnyRule, Entry[]> {
  return groupedBy(entries, (entry) => entry.report.rule);
}

function byId(a: AnyRule, b: AnyRule): number {
  return a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0;
}

/**
 * A finding inside the span of a finding whose rule supersedes its rule (`subprocess.run("ls",
 * shell=True)` and the `"ls"` in it) joins that finding's list, as if reported on its span.
 * Smaller spans go first, so a chain of such findings ends in the outermost one.
 */
function absorbContained(grouped: GroupedReport[]): GroupedReport[] {
  const outers = grouped.filter((entry) => (entry.report.rule.meta.supersedes ?? []).length > 0);
  if (outers.length === 0) return grouped;
  const byStart = [...grouped].sort((a, b) => a.report.startIndex - b.report.startIndex);
  const length = (entry: GroupedReport): number => entry.report.endIndex - entry.report.startIndex;
  outers.sort((a, b) => length(a) - length(b));
  const absorbed = new Set<GroupedReport>();
  const lists = new Map<GroupedReport, Set<AnyRule>>();
  const shownByDefault = new Set<GroupedReport>();
  for (const outer of outers) {
    if (absorbed.has(outer)) continue;
    const { startIndex, endIndex, rule } = outer.report;
    const superseded = rule.meta.supersedes ?? [];
    let index = firstStartingAt(byStart, startIndex);
    for (let inner = byStart[index]; inner !== undefined; inner = byStart[++index]) {
      if (inner.report.startIndex >= endIndex) break;
      if (inner === outer || absorbed.has(inner) || inner.report.endIndex > endIndex) continue;
      if (!superseded.includes(inner.report.rule.meta.id)) continue;
      absorbed.add(inner);
      if (!inner.auditOnly || shownByDefault.has(inner)) shownByDefault.add(outer);
      const list = lists.get(outer) ?? new Set(outer.others);
      for (const other of [inner.report.rule, ...(lists.get(inner) ?? inner.others)]) {
        if (other !== rule) list.add(other);
      }
      lists.set(outer, list);
    }
  }
  return grouped
    .filter((entry) => !absorbed.has(entry))
    .map((entry) => {
      const list = lists.get(entry);
      const auditOnly = entry.auditOnly && !shownByDefault.has(entry);
      return list === undefined
        ? { ...entry, auditOnly }
        : { ...entry, others: [...list].sort(byId), auditOnly };
    });
}

/** The first index of entries sorted by start whose report starts at or after `start`. */
function firstStartingAt(sorted: readonly GroupedReport[], start: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle]?.report.startIndex ?? start) < start) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** A grouped report on a changed line, with the suppression comment that covers it. */
interface PlacedReport extends GroupedReport {
  suppression: Suppression | undefined;
}

/** One finding to be: the report that leads, and the reports of other rules it carries. */
interface Place {
  lead: PlacedReport;
  alongside: readonly PlacedReport[];
}

/**
 * A group is suppressed by a comment naming its rule or any rule it lists (they reported the
 * same code).
 */
function suppressionOf(
  suppressions: ReadonlyMap<number, SuppressionComment[]>,
  entry: GroupedReport,
): Suppression | undefined {
  const { span } = entry.report;
  for (const named of [entry.report.rule, ...entry.others]) {
    const suppression = suppressionFor(suppressions, named.meta, span.start.line, span.end.line);
    if (suppression !== undefined) return suppression;
  }
  return undefined;
}

/**
 * The rule whose report leads a line: of the rules the default profile shows there (all of them
 * when it shows none), one that reported their highest severity (so the finding keeps the grade
 * that gates a check), and among those as for a shared span.
 */
function lineLeadingRule(byRule: ReadonlyMap<AnyRule, readonly KeptReport[]>): AnyRule {
  const shown = [...byRule].filter(([, entries]) => entries.some((entry) => !entry.auditOnly));
  const eligible = shown.length > 0 ? shown : [...byRule];
  const severity = ([, entries]: (typeof eligible)[number]): number => strongest(entries)[0];
  const highest = Math.max(...eligible.map(severity));
  return leadingRule(new Map(eligible.filter((entry) => severity(entry) === highest)));
}

/**
 * One finding per line: reports of different rules on different code starting on the same line
 * (and equally suppressed or not) become one finding. The most severe rule the default profile
 * shows leads (supersedes, confidence and id decide among equals); one of its reports (the first
 * the default profile shows, else the first) carries the others as `alongside`, and is left to
 * the audit profile only when all of them are. Further reports of the leading rule on the line
 * stay findings of their own, as do reports of a line only one rule reported.
 */
function groupByLine(placed: readonly PlacedReport[]): Place[] {
  const byLine = groupedBy(
    placed,
    (entry) =>
      `${entry.report.span.start.line}:${entry.suppression === undefined ? 'shown' : 'suppressed'}`,
  );
  const places: Place[] = [];
  for (const group of byLine.values()) {
    const byRule = byRuleOf(group);
    if (byRule.size === 1) {
      for (const entry of group) places.push({ lead: entry, alongside: [] });
      continue;
    }
    const lead = lineLeadingRule(byRule);
    const reports = byRule.get(lead) ?? [];
    const carrier = reports.find((entry) => !entry.auditOnly) ?? reports[0];
    if (carrier === undefined) throw new Error('a line group has no reports');
    const alongside = group.filter((entry) => entry.report.rule !== lead);
    const auditOnly = carrier.auditOnly && alongside.every((entry) => entry.auditOnly);
    for (const entry of reports) {
      places.push(
        entry === carrier
          ? { lead: { ...entry, auditOnly }, alongside }
          : { lead: entry, alongside: [] },
      );
    }
  }
  return places;
}

/**
 * Findings from raw reports: duplicates dropped, the confidence filter, one finding per span
 * (reports of several rules on one span grouped under the most specific rule), fingerprints,
 * snippets, the changed-line filter, suppressions (`suppressionsOf` runs only when there is a
 * report), then one finding per line (reports of other rules on other code of the line carried
 * by the leading one). A grouped finding is suppressed by a comment naming its rule or any rule
 * it lists; a line's suppressed and shown reports are grouped apart.
 */
export function buildFindings(
  path: string,
  text: string,
  reports: RawReport[],
  options: Pick<ScanOptions, 'addedLines' | 'minConfidence' | 'profile'>,
  suppressionsOf: () => ReadonlyMap<number, SuppressionComment[]>,
): Finding[] {
  // Most files have nothing to report: skip the comment search and the line split for them.
  if (reports.length === 0) return [];
  const minConfidence = rank(options.minConfidence ?? 'low');
  const audit = options.profile === 'audit';
  const addedLines = options.addedLines ?? null;
  const suppressions = suppressionsOf();
  const lines = text.split('\n');
  const seen = new Set<string>();
  const ordinals = new Map<string, number>();
  const kept: KeptReport[] = [];
  reports.sort((a, b) => a.startIndex - b.startIndex || a.endIndex - b.endIndex);
  for (const report of reports) {
    const { rule } = report;
    const duplicateKey = `${rule.meta.id}:${report.startIndex}:${report.endIndex}:${report.message}`;
    if (seen.has(duplicateKey)) continue;
    seen.add(duplicateKey);
    const normalised = normaliseSnippet(text.slice(report.startIndex, report.endIndex));
    const identity = `${rule.meta.id}\u0000${normalised}`;
    const ordinal = ordinals.get(identity) ?? 0;
    ordinals.set(identity, ordinal + 1);
    const notInDefault = report.auditOnly === true || rank(report.confidence) < minConfidence;
    if (notInDefault && !audit) continue;
    // Rules that are off by default or audit-only run under `default` only when configuration
    // enables them (the selection of rules is made before the scan).
    const auditOnly =
      audit && (notInDefault || !rule.meta.enabledByDefault || rule.meta.profile === 'audit');
    kept.push({ report, normalised, ordinal, auditOnly });
  }
  const placed: PlacedReport[] = [];
  for (const entry of groupBySpan(kept)) {
    const { span } = entry.report;
    if (addedLines !== null && !spanTouchesLines(span.start.line, span.end.line, addedLines))
      continue;
    placed.push({ ...entry, suppression: suppressionOf(suppressions, entry) });
  }
  const findings: Finding[] = [];
  for (const { lead, alongside } of groupByLine(placed)) {
    const finding = findingOf(path, lines, lead);
    if (alongside.length > 0) {
      finding.alongside = alongside.map((entry) => alongsideOf(findingOf(path, lines, entry)));
    }
    findings.push(finding);
  }
  return findings.sort(compareFindings);
}

/** The finding a placed report stands for, without the reports it carries. */
function findingOf(path: string, lines: readonly string[], entry: PlacedReport): Finding {
  const { report, normalised, ordinal, others, auditOnly, suppression } = entry;
  const { rule, span } = report;
  const finding: Finding = {
    ruleId: rule.meta.id,
    slug: rule.meta.slug,
    title: rule.meta.title,
    messageId: report.messageId,
    severity: report.severity,
    confidence: report.confidence,
    cwe: rule.meta.cwe,
    message: report.message,
    path,
    span,
    snippet: lines
      .slice(span.start.line - 1, Math.min(span.end.line, span.start.line - 1 + MAX_SNIPPET_LINES))
      .join('\n'),
    fingerprint: fingerprint(rule.meta.id, path, normalised, ordinal),
  };
  if (auditOnly) finding.profile = 'audit';
  if (report.fix !== undefined) finding.fix = report.fix;
  if (report.flow !== undefined) finding.flow = report.flow;
  if (others.length > 0) finding.alsoReportedBy = others.map((other) => other.meta.id);
  if (suppression !== undefined) finding.suppression = suppression;
  return finding;
}

/** What a finding carried by another on its line keeps of itself. */
function alongsideOf(finding: Finding): AlongsideFinding {
  const { ruleId, title, messageId, severity, confidence, message, span } = finding;
  const alongside: AlongsideFinding = {
    ruleId,
    title,
    messageId,
    severity,
    confidence,
    message,
    span,
    fingerprint: finding.fingerprint,
  };
  if (finding.profile !== undefined) alongside.profile = finding.profile;
  if (finding.alsoReportedBy !== undefined) alongside.alsoReportedBy = finding.alsoReportedBy;
  return alongside;
}

/** Stable order: path, line, column, rule id, message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    a.span.start.line - b.span.start.line ||
    a.span.start.column - b.span.start.column ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

function syntaxErrorNotice(path: string, root: SyntaxNode): FileNotice {
  const problem = firstSyntaxProblem(root);
  const line = (problem ?? root).startPosition.row + 1;
  const what = problem?.isMissing === true ? `missing "${problem.type}"` : 'invalid syntax';
  return {
    path,
    kind: 'syntax-error',
    line,
    message: `syntax error (${what}) at line ${line}; the rest of the file was scanned as far as it could be parsed`,
  };
}

function firstSyntaxProblem(root: SyntaxNode): SyntaxNode | undefined {
  let node: SyntaxNode = root;
  for (;;) {
    if (node.type === 'ERROR' || node.isMissing) return node;
    const next = node.children.find(
      (child) => child.hasError || child.isMissing || child.type === 'ERROR',
    );
    if (next === undefined) return node === root ? undefined : node;
    node = next;
  }
}

/** Lines in a decoded text (a final newline does not start another line). */
export function countLines(text: string): number {
  if (text === '') return 0;
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return text.endsWith('\n') ? count - 1 : count;
}
