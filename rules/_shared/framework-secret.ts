/**
 * The names under which web frameworks keep their signing key: Django's and Flask's
 * `SECRET_KEY` (and Django's `SECRET_KEY_FALLBACKS`), Flask-JWT-Extended's `JWT_SECRET_KEY`,
 * Flask-WTF's `WTF_CSRF_SECRET_KEY`, and Flask's `app.secret_key` attribute. Literals stored under
 * these names are reported by hardcoded-framework-secret; the generic hardcoded-password rules
 * leave them alone so that nothing is reported twice.
 */
import {
  targetName,
  unwrapParens,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** Setting names (exact, as Django and Flask spell them). */
export const FRAMEWORK_SECRET_SETTINGS: ReadonlySet<string> = new Set([
  'SECRET_KEY',
  'SECRET_KEY_FALLBACKS',
  'JWT_SECRET_KEY',
  'WTF_CSRF_SECRET_KEY',
]);

/** The attribute Flask (and Quart, Sanic's session extensions) read the key from. */
const SECRET_KEY_ATTRIBUTE = 'secret_key';

/**
 * Whether an assignment target or dictionary key names a framework signing key: `SECRET_KEY`,
 * `settings.SECRET_KEY`, `app.config["SECRET_KEY"]`, `{"SECRET_KEY": ...}` or `app.secret_key`.
 * A plain variable named `secret_key` is not a framework setting.
 */
export function isFrameworkSecretTarget(model: SemanticModel, target: SyntaxNode): boolean {
  const node = unwrapParens(target);
  const name = targetName(model, node);
  if (name === undefined) return false;
  if (FRAMEWORK_SECRET_SETTINGS.has(name)) return true;
  return node.type === 'attribute' && name === SECRET_KEY_ATTRIBUTE;
}
