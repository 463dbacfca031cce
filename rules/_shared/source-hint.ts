/**
 * Whether a file can hold any taint source at all, so rules with a frequent sink (`open`,
 * response headers) can skip their own work before asking the engine. The engine makes the same
 * test (once per file) before any taint question.
 */
import type { SemanticModel } from '../../src/engine/model.js';
import { mayHoldSources } from '../../src/engine/taint/sources.js';

const cache = new WeakMap<SemanticModel, boolean>();

export function mayHoldUntrustedInput(model: SemanticModel): boolean {
  let known = cache.get(model);
  if (known === undefined) {
    known = mayHoldSources(model.text);
    cache.set(model, known);
  }
  return known;
}
