/**
 * The engine's entry point: source text in, findings out. One parse and one traversal per file
 * feed every enabled rule.
 */
import type {
  AnyRule,
  ReportDescriptor,
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
import { TaintAnalysis } from './taint/analysis.js';
import {
  rank,
  type Confidence,
  type FileNotice,
  type FileResult,
  type Finding,
  type Fix,
  type FlowStep,
  type Severity,
  type Span,
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
  /** Findings below this confidence are dropped. Default: keep all. */
  minConfidence?: Confidence;
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
  message: string;
  severity: Severity;
  confidence: Confidence;
  fix?: Fix;
  flow?: readonly FlowStep[];
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

  for (const rule of options.rules) {
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
      const list = handlers.get(type) ?? [];
      list.push(guard(rule, handler, notices, path, options.ruleTimings));
      handlers.set(type, list);
    }
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
  options: Pick<ScanOptions, 'severityOverrides' | 'ruleOptions'>,
  taintAnalysis: () => TaintAnalysis,
): RuleContext<string> {
  const { severityOverrides } = options;
  return {
    path,
    text,
    model,
    isTestFile,
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
  },
  severityOverrides: ReadonlyMap<string, Severity> | undefined,
): Pick<RawReport, 'rule' | 'message' | 'severity' | 'confidence'> {
  const template = rule.messages[descriptor.messageId];
  if (template === undefined) throw new Error(`unknown message id "${descriptor.messageId}"`);
  return {
    rule,
    message: interpolate(template, descriptor.data),
    severity: severityOverrides?.get(rule.meta.id) ?? descriptor.severity ?? rule.meta.severity,
    confidence: descriptor.confidence ?? rule.meta.confidence,
  };
}

/**
 * Findings from raw reports: duplicates dropped, fingerprints, snippets, the confidence and
 * changed-line filters, and suppressions (`suppressionsOf` runs only when there is a report).
 */
export function buildFindings(
  path: string,
  text: string,
  reports: RawReport[],
  options: Pick<ScanOptions, 'addedLines' | 'minConfidence'>,
  suppressionsOf: () => ReadonlyMap<number, SuppressionComment[]>,
): Finding[] {
  // Most files have nothing to report: skip the comment search and the line split for them.
  if (reports.length === 0) return [];
  const minConfidence = rank(options.minConfidence ?? 'low');
  const addedLines = options.addedLines ?? null;
  const suppressions = suppressionsOf();
  const lines = text.split('\n');
  const seen = new Set<string>();
  const ordinals = new Map<string, number>();
  const findings: Finding[] = [];
  reports.sort((a, b) => a.startIndex - b.startIndex || a.endIndex - b.endIndex);
  for (const report of reports) {
    const { rule, span } = report;
    const duplicateKey = `${rule.meta.id}:${report.startIndex}:${report.endIndex}:${report.message}`;
    if (seen.has(duplicateKey)) continue;
    seen.add(duplicateKey);
    const normalised = normaliseSnippet(text.slice(report.startIndex, report.endIndex));
    const identity = `${rule.meta.id}\u0000${normalised}`;
    const ordinal = ordinals.get(identity) ?? 0;
    ordinals.set(identity, ordinal + 1);
    if (rank(report.confidence) < minConfidence) continue;
    if (addedLines !== null && !spanTouchesLines(span.start.line, span.end.line, addedLines))
      continue;
    const finding: Finding = {
      ruleId: rule.meta.id,
      slug: rule.meta.slug,
      title: rule.meta.title,
      severity: report.severity,
      confidence: report.confidence,
      cwe: rule.meta.cwe,
      message: report.message,
      path,
      span,
      snippet: lines
        .slice(
          span.start.line - 1,
          Math.min(span.end.line, span.start.line - 1 + MAX_SNIPPET_LINES),
        )
        .join('\n'),
      fingerprint: fingerprint(rule.meta.id, path, normalised, ordinal),
    };
    if (report.fix !== undefined) finding.fix = report.fix;
    if (report.flow !== undefined) finding.flow = report.flow;
    const suppression = suppressionFor(suppressions, rule.meta, span.start.line, span.end.line);
    if (suppression !== undefined) finding.suppression = suppression;
    findings.push(finding);
  }
  return findings.sort(compareFindings);
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
