/**
 * Whether a file can hold any taint source at all, so rules with a frequent sink (`open`,
 * response headers) can skip their own work before asking the engine. It is the engine's own
 * test, made once per file and shared with the dataflow pass.
 */
import type { CallInfo, SemanticModel } from '../../src/engine/model.js';
import type { SyntaxNode } from '../../src/engine/parse.js';
import type { Visitors } from '../../src/rules-api/types.js';
import { mayHoldSources } from '../../src/engine/taint/sources.js';

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
