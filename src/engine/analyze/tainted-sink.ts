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
