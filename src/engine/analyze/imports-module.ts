/**
 * Whether a file imports a module or anything from it, at any level (module or function
 * scope): `import flask`, `from flask import Flask`, `import requests.adapters as ra`.
 * Call it from a visitor or `end()`: the model only knows every import once the file is traversed.
 */
import type { SemanticModel } from '../model.js';

export function importsModule(model: SemanticModel, module: string): boolean {
  return model.importsModule(module);
}
