/**
 * Whether a function is a view whose returned string becomes an HTML response: a route handler
 * of Flask, Quart or bottle (`@app.route`, `@bp.get`, `@route`), or a verb method of a Flask
 * `MethodView`/`View` class. Those frameworks send a returned `str` as `text/html`; FastAPI and
 * Starlette handlers are left out, because they encode a returned string as JSON.
 */
import {
  classOf,
  decoratorsOf,
  importsModule,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { FLASK_ROUTE_OWNERS } from './flask-app.js';

const ROUTE_METHODS = new Set(['route', 'get', 'post', 'put', 'patch', 'delete']);
/** Objects whose route decorators register HTML-by-default handlers. */
const HTML_APPS = new Set([...FLASK_ROUTE_OWNERS, 'bottle.Bottle']);
const BOTTLE_ROUTES = new Set(['bottle.route', 'bottle.get', 'bottle.post']);
const VIEW_CLASSES = new Set(['flask.views.MethodView', 'flask.views.View']);
const VIEW_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'dispatch_request']);

function routeDecorator(model: SemanticModel, decorator: SyntaxNode): boolean {
  if (decorator.type !== 'call') return false;
  const call = model.call(decorator);
  if (call.qualifiedName !== undefined && BOTTLE_ROUTES.has(call.qualifiedName)) return true;
  const callee = call.callee;
  if (callee.type !== 'attribute' || !ROUTE_METHODS.has(call.methodName ?? '')) return false;
  const owner = callee.childForFieldName('object');
  if (owner === null) return false;
  const maker = model.constructedBy(owner);
  if (maker !== undefined) return HTML_APPS.has(maker);
  // An application object built elsewhere (`from . import app`, `current_app`): trust imports.
  return (
    (importsModule(model, 'flask') || importsModule(model, 'quart')) &&
    !importsModule(model, 'fastapi') &&
    !importsModule(model, 'starlette')
  );
}

/** Whether `definition` (a `function_definition`) is an HTML-by-default view. */
export function isHtmlView(model: SemanticModel, definition: SyntaxNode): boolean {
  if (decoratorsOf(definition).some((decorator) => routeDecorator(model, decorator))) return true;
  const owner = classOf(definition);
  const bases = owner?.childForFieldName('superclasses');
  if (bases === null || bases === undefined) return false;
  const name = definition.childForFieldName('name');
  if (name === null || !VIEW_METHODS.has(model.textOf(name))) return false;
  return bases.namedChildren.some((base) => VIEW_CLASSES.has(model.qualifiedName(base) ?? ''));
}
