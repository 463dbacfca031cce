/**
 * DRF throttle settings (`REST_FRAMEWORK` in a Django settings module), shared by
 * `drf-default-throttle-missing` and `auth-view-missing-rate-limit`.
 */
import { literalString, type SemanticModel, type SyntaxNode } from '../../src/rules-api/index.js';

/** The settings keys that turn on DRF's default throttles: classes, and the rates they use. */
export const THROTTLE_KEYS = ['DEFAULT_THROTTLE_CLASSES', 'DEFAULT_THROTTLE_RATES'] as const;
/** `REST_FRAMEWORK[...] = ...`, `REST_FRAMEWORK.update(...)`: settings changed after assignment. */
export const LATER_CHANGE = /\bREST_FRAMEWORK\s*(?:\[|\.(?:update|setdefault)\s*\()/;

/** Throttle keys a settings dictionary sets, or undefined when a `**splat` may set any. */
export function dictionaryKeys(model: SemanticModel, value: SyntaxNode): Set<string> | undefined {
  const keys = new Set<string>();
  for (const child of value.namedChildren) {
    if (child.type === 'dictionary_splat') return undefined;
    if (child.type !== 'pair') continue;
    const key = child.childForFieldName('key');
    const name = key === null ? undefined : literalString(model, key);
    if (name !== undefined) keys.add(name);
  }
  return keys;
}
