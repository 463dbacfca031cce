/**
 * Whether a file can hold any taint source at all, so rules with a frequent sink (`open`,
 * response headers) can skip their own work before asking the engine. It is the engine's own
 * test, made once per file and shared with the dataflow pass.
 */
import {
  mayHoldSources,
  type CallInfo,
  type SemanticModel,
  type SyntaxNode,
  type Visitors,
} from '../../src/rules-api/index.js';

export function mayHoldUntrustedInput(model: SemanticModel): boolean {
  return mayHoldSources(model);
}

/**
 * The visitors of a rule that reports only traced input at calls: the handler gets each call with
 * its breakdown, and files that cannot hold a source get no visitors at all.
 */
export function callsWhenInputPossible(
  context: { readonly model: SemanticModel; call(node: SyntaxNode): CallInfo },
  handler: (node: SyntaxNode, call: CallInfo) => void,
): Visitors {
  if (!mayHoldUntrustedInput(context.model)) return {};
  return {
    call(node) {
      handler(node, context.call(node));
    },
  };
}
