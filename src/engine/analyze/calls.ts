/**
 * The opening most rules share: visit every call, break it down once, and go on only for the calls
 * the rule is about.
 */
import type { CallInfo, SemanticModel } from '../model.js';
import type { SyntaxNode } from '../parse.js';
import type { Visitors } from '../../rules-api/types.js';

/** What the call helpers need of a rule's context. */
export interface CallSource {
  readonly model: SemanticModel;
  call(node: SyntaxNode): CallInfo;
}

/** Visitors that hand each call, with its breakdown, to `check`. */
export function callVisitors(
  context: CallSource,
  check: (node: SyntaxNode, call: CallInfo) => void,
): Visitors {
  return {
    call(node) {
      check(node, context.call(node));
    },
  };
}

/**
 * Visitors of a rule that judges one kind of sink: `find` picks the sink out of a call (undefined
 * for any other call) and `check` judges each sink found.
 */
export function sinkCalls<Sink>(
  context: CallSource,
  find: (model: SemanticModel, call: CallInfo) => Sink | undefined,
  check: (node: SyntaxNode, sink: Sink, call: CallInfo) => void,
): Visitors {
  return callVisitors(context, (node, call) => {
    const sink = find(context.model, call);
    if (sink !== undefined) check(node, sink, call);
  });
}
