/**
 * The grading of a command line handed to a shell. Untrusted input that reaches it without
 * `shlex.quote` (found by the dataflow pass) is `tainted`, graded by where the input came from
 * (request data: high/high; command line or environment: medium/medium), with the path for the
 * message. Otherwise bandit's B602/B605 split applies as an audit, at most medium confidence (one
 * step less in test files): a literal (or a line whose spliced-in values are all numbers or
 * constants) is low, a line whose spliced-in values are all `shlex.quote`d is low, a line built
 * with an f-string, `+`, `%` or `.format()` is high, and a value of unknown origin is medium.
 */
import {
  commandShape,
  describeBuild,
  shortText,
  taintedSink,
  testAdjusted,
  type Confidence,
  type FlowStep,
  type ReportFix,
  type RuleContext,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

export interface CommandVerdict {
  kind: 'tainted' | 'literal' | 'quoted' | 'built' | 'dynamic';
  severity: Severity;
  confidence: Confidence;
  /**
   * Message data: `how` ("an f-string", …; empty unless `built`), `command` (the argument as
   * written, shortened), and for `tainted` the `origin` and `path` of the input.
   */
  data: { how: string; command: string; origin: string; path: string };
  /** For `tainted`: the steps from the source to the call, for the report's `flow`. */
  flow: FlowStep[] | undefined;
}

/**
 * How `command`, the command line `sinkNode` (a call shown as `label`, e.g. `os.system`) hands to
 * a shell, was made and how serious that is.
 */
export function commandVerdict(
  context: RuleContext<string>,
  command: SyntaxNode,
  sinkNode: SyntaxNode,
  label: string,
): CommandVerdict {
  const { model } = context;
  const data = { how: '', command: shortText(context.textOf(command)), origin: '', path: '' };
  const audit = testAdjusted('medium', context.isTestFile);
  const shape = commandShape(model, command);
  if (shape.kind === 'literal' || shape.inert)
    return { kind: 'literal', severity: 'low', confidence: audit, data, flow: undefined };
  const tainted = taintedSink(context, command, 'command', sinkNode, label);
  if (tainted !== undefined) {
    return {
      kind: 'tainted',
      severity: tainted.severity,
      confidence: tainted.confidence,
      data: { ...data, origin: tainted.origin, path: tainted.path },
      flow: tainted.flow,
    };
  }
  if (shape.quoted)
    return { kind: 'quoted', severity: 'low', confidence: audit, data, flow: undefined };
  if (shape.kind === 'built') {
    return {
      kind: 'built',
      severity: 'high',
      confidence: audit,
      data: { ...data, how: describeBuild(shape.how) },
      flow: undefined,
    };
  }
  return { kind: 'dynamic', severity: 'medium', confidence: audit, data, flow: undefined };
}

/** The message of each verdict, as most rules about shell command lines name them. */
export const COMMAND_MESSAGES = {
  literal: 'literalCommand',
  tainted: 'taintedCommand',
  quoted: 'quotedCommand',
  built: 'builtCommand',
  dynamic: 'dynamicCommand',
} as const satisfies Record<CommandVerdict['kind'], string>;

/** How a rule reports a verdict: its messages, the data before the verdict's, its own grading. */
export interface CommandReport<MessageId extends string> {
  readonly messages: Readonly<Record<CommandVerdict['kind'], MessageId>>;
  /** Message data of the call (`callee`, …), followed by the verdict's data. */
  readonly data: Readonly<Record<string, string>>;
  /** The confidence to report instead of the verdict's. */
  readonly confidence?: Confidence | undefined;
  /** A mechanical fix for this call, when one is safe. */
  readonly fix?: ReportFix | undefined;
}

/**
 * Reports the verdict on a command line at `node`. A constant command line is an audit finding:
 * nothing from outside reaches the shell.
 */
export function reportCommandVerdict<MessageId extends string>(
  context: RuleContext<MessageId>,
  node: SyntaxNode,
  verdict: CommandVerdict,
  how: CommandReport<MessageId>,
): void {
  context.report({
    node,
    messageId: how.messages[verdict.kind],
    data: { ...how.data, ...verdict.data },
    severity: verdict.severity,
    confidence: how.confidence ?? verdict.confidence,
    flow: verdict.flow,
    profile: verdict.kind === 'literal' ? 'audit' : undefined,
    fix: how.fix,
  });
}
