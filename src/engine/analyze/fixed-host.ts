/**
 * Whether a URL built from parts (`f"https://api.example.com/users/{name}"`, `BASE + path` with a
 * literal `BASE`) starts with literal text that fixes the host it addresses: a scheme and host
 * followed by `/`, `?` or `#`, so the spliced-in parts can only choose a path or a query. With
 * `relative`, a path on the same site also counts (`f"/users/{name}"`), but not `"/" + x`, which
 * becomes `//evil.example` when `x` starts with a slash.
 */
import type { SemanticModel } from '../model.js';
import type { SyntaxNode } from '../parse.js';

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:\/\/[^/?#{}\\@]+[/?#]/i;
const SITE_PATH = /^\/[^/\\{]/;

export function builtWithFixedHost(
  model: SemanticModel,
  node: SyntaxNode,
  relative: boolean,
): boolean {
  const shape = model.stringShape(node);
  if (shape.kind !== 'built') return false;
  return ABSOLUTE.test(shape.template) || (relative && SITE_PATH.test(shape.template));
}
