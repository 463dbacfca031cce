/**
 * Untrusted input as rules ask about it. The dataflow pass (`context.taint`) is the real answer:
 * it follows request data, the command line and the environment to a sink. Around it:
 *
 * - {@link mayHoldUntrustedInput}: whether a file can hold any taint source at all, so rules with
 *   a frequent sink (`open`, response headers) skip their own work before asking the engine. It
 *   is the engine's own test, made once per file and shared with the dataflow pass.
 * - {@link UNTRUSTED_INPUT} with {@link mentions}: a textual stand-in that only raises a grade
 *   where no sink is involved (a comparison, a CORS header), never decides on its own whether
 *   something is reported.
 */
import type { CallInfo, SemanticModel } from '../model.js';
import type { SyntaxNode } from '../parse.js';
import { mayHoldSources } from '../taint/sources.js';
import type { Visitors } from '../../rules-api/types.js';
import { callVisitors, type CallSource } from './calls.js';

export function mayHoldUntrustedInput(model: SemanticModel): boolean {
  return mayHoldSources(model);
}

/**
 * The visitors of a rule that reports only traced input at calls: the handler gets each call with
 * its breakdown, and files that cannot hold a source get no visitors at all.
 */
export function callsWhenInputPossible(
  context: CallSource,
  handler: (node: SyntaxNode, call: CallInfo) => void,
): Visitors {
  if (!mayHoldUntrustedInput(context.model)) return {};
  return callVisitors(context, handler);
}

/**
 * Source text that reads as input from outside the program: web request data (`request.args`,
 * `request.GET`, `self.request.body`), `input()`, `sys.argv` and socket reads. For use with
 * {@link mentions}.
 */
export const UNTRUSTED_INPUT = /\brequest\b|\binput\s*\(|\bsys\.argv\b|\.recv(?:from)?\s*\(/;

/**
 * Whether the source text of an expression, or of the value a name holds (followed through single
 * assignments), matches a pattern (give one without the `g` flag):
 * `pickle.loads(request.data)`, or `body = request.get_data(); pickle.loads(body)`.
 */
export function mentions(model: SemanticModel, node: SyntaxNode, pattern: RegExp): boolean {
  return pattern.test(model.textOf(node)) || pattern.test(model.textOf(model.resolveValue(node)));
}
