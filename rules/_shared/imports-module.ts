/**
 * Whether a file imports a module or anything from it, at any level (module or function
 * scope): `import flask`, `from flask import Flask`, `import requests.adapters as ra`.
 */
import type { SemanticModel } from '../../src/engine/model.js';

const cache = new WeakMap<SemanticModel, Map<string, boolean>>();

export function importsModule(model: SemanticModel, module: string): boolean {
  let known = cache.get(model);
  if (known === undefined) {
    known = new Map();
    cache.set(model, known);
  }
  const cached = known.get(module);
  if (cached !== undefined) return cached;
  const prefix = `${module}.`;
  let found = false;
  for (const scope of model.scopes) {
    for (const bindings of scope.bindings.values()) {
      for (const binding of bindings) {
        const name = binding.qualifiedName;
        if (
          binding.kind === 'import' &&
          name !== undefined &&
          (name === module || name.startsWith(prefix))
        )
          found = true;
      }
    }
  }
  known.set(module, found);
  return found;
}
