/**
 * Whether an expression is a Flask application object, and how sure that is: built by
 * `Flask(...)` (high), returned by an application factory such as `create_app()` (medium), or
 * named like an application (`app`, `self.app`, `application`) in a file that imports flask
 * (medium).
 */
import {
  importsModule,
  lastName,
  unwrapParens,
  type Confidence,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

const FLASK_CLASSES = new Set(['flask.Flask', 'flask.app.Flask', 'quart.Quart']);

/** Classes whose objects register Flask-style routes: applications and blueprints. */
export const FLASK_ROUTE_OWNERS: ReadonlySet<string> = new Set([
  ...FLASK_CLASSES,
  'flask.Blueprint',
  'flask.blueprints.Blueprint',
  'quart.Blueprint',
]);
const FACTORY_NAME = /(?:^|[._])(?:create|make|build|get|init)_?app(?:lication)?$/i;
const APP_NAME = /^(?:app|application|flask_app|web_app|webapp|api|server)$|_app$|App$/;

export function flaskAppConfidence(model: SemanticModel, node: SyntaxNode): Confidence | undefined {
  const maker = model.constructedBy(node);
  if (maker !== undefined) {
    if (FLASK_CLASSES.has(maker)) return 'high';
    return FACTORY_NAME.test(maker) ? 'medium' : undefined;
  }
  // A module or class (`asyncio`, `Flask`) is not an application instance.
  if (model.qualifiedName(unwrapParens(node)) !== undefined) return undefined;
  const name = lastName(model, node);
  if (name === undefined || !APP_NAME.test(name)) return undefined;
  return importsModule(model, 'flask') || importsModule(model, 'quart') ? 'medium' : undefined;
}

/** For `X.config`, the object `X`; otherwise undefined. */
export function configOwner(model: SemanticModel, node: SyntaxNode): SyntaxNode | undefined {
  const target = unwrapParens(node);
  if (target.type !== 'attribute') return undefined;
  const attribute = target.childForFieldName('attribute');
  if (attribute === null || model.textOf(attribute) !== 'config') return undefined;
  return target.childForFieldName('object') ?? undefined;
}
