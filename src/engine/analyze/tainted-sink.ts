/**
 * What a rule needs to report a dataflow finding: the trace from the engine's taint pass, the
 * severity and confidence its origin earns (anyone on the web: high; the command line or the
 * environment: medium), the readable path for the message and the steps for the flow.
 */
import type { Confidence, FlowStep, Severity } from '../types.js';
import type { RuleContext, SinkKind, TaintTrace } from '../../rules-api/types.js';
import type { SyntaxNode } from '../parse.js';

export interface TaintedSink {
  trace: TaintTrace;
  severity: Severity;
  confidence: Confidence;
  /** "request data" or "command-line or environment input", for messages. */
  origin: string;
  /** `request.args["q"]` (line 12) → `query` (line 14) → `cursor.execute` (line 15). */
  path: string;
  /** The trace's steps followed by the sink itself. */
  flow: FlowStep[];
}

function code(label: string): string {
  return `\`${label.replace(/`/g, "'")}\``;
}

/** The path of a flow as message text. */
export function describeFlow(steps: readonly FlowStep[]): string {
  return steps.map((step) => `${code(step.label)} (line ${String(step.line)})`).join(' → ');
}

/**
 * Whether untrusted input reaches `value` (the argument a sink consumes) without being made safe
 * for `sink`; `sinkNode` and `sinkLabel` (e.g. `cursor.execute`) close the path.
 */
export function taintedSink(
  context: RuleContext<string>,
  value: SyntaxNode,
  sink: SinkKind,
  sinkNode: SyntaxNode,
  sinkLabel: string,
): TaintedSink | undefined {
  const trace = context.taint(value, sink);
  if (trace === undefined) return undefined;
  const flow: FlowStep[] = [
    ...trace.steps,
    {
      line: sinkNode.startPosition.row + 1,
      column: sinkNode.startPosition.column + 1,
      label: sinkLabel,
    },
  ];
  const web = trace.trust === 'web';
  return {
    trace,
    severity: web ? 'high' : 'medium',
    confidence: web ? 'high' : 'medium',
    origin: web ? 'request data' : 'command-line or environment input',
    path: describeFlow(flow),
    flow,
  };
}

/** Where a rule looks for untrusted input, and how it words and grades what it finds. */
export interface TaintedSinkReport<MessageId extends string> {
  /** The call (or other node) reported. */
  node: SyntaxNode;
  /** The expression the sink consumes. */
  value: SyntaxNode;
  sink: SinkKind;
  /** How the sink reads in the path (`cursor.execute`). */
  label: string;
  /** The message, or how to choose it once a path was found. */
  messageId: MessageId | (() => MessageId);
  /** The message's own placeholders; `origin` and `path` are filled in. */
  data?: Readonly<Record<string, string>>;
  /** The severity reported, from the one the origin earns (a sink that limits the harm). */
  severity?: (earned: Severity) => Severity;
  /** The confidence reported, from the one the origin earns. */
  confidence?: (earned: Confidence) => Confidence;
}

/**
 * The "sink → path → report" step of an injection rule: when untrusted input reaches the value a
 * sink consumes, reports it with the path and the grade its origin earns, and returns the trace;
 * undefined (nothing reported) when no path was found.
 */
export function reportTaintedSink<MessageId extends string>(
  context: RuleContext<MessageId>,
  report: TaintedSinkReport<MessageId>,
): TaintedSink | undefined {
  const tainted = taintedSink(context, report.value, report.sink, report.node, report.label);
  if (tainted === undefined) return undefined;
  context.report({
    node: report.node,
    messageId: typeof report.messageId === 'function' ? report.messageId() : report.messageId,
    data: { ...report.data, origin: tainted.origin, path: tainted.path },
    severity: report.severity?.(tainted.severity) ?? tainted.severity,
    confidence: report.confidence?.(tainted.confidence) ?? tainted.confidence,
    flow: tainted.flow,
  });
  return tainted;
}
