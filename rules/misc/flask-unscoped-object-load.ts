/**
 * Flask (and Quart) routes that load a model by an id from the URL and never look at who the
 * user is: no `current_user`, `g.user`, session or owner filter, and no role decorator.
 */
import {
  decoratorNames,
  defineRule,
  FASTAPI_MODULES,
  FLASK_MODULES,
  frameworksUsed,
  receiverOf,
  routeDecorator,
  unwrapParens,
  type NamedDecorator,
  type RouteShape,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { CONVERTERS, ID_KEYWORD, OWNER_KEYWORD } from '../_shared/access-control.js';
import { FLASK_ROUTE_OWNERS } from '../_shared/flask-app.js';

/** Flask and Quart route decorators (`@app.route("/orders/<int:order_id>")`). */
const FLASK_ROUTES: RouteShape = {
  methods: new Set(['route', 'get', 'post', 'put', 'patch', 'delete']),
  owners: FLASK_ROUTE_OWNERS,
  modules: FLASK_MODULES,
  others: FASTAPI_MODULES,
};
/** `<int:order_id>`, `<doc_id>` in a Flask route path. */
const FLASK_PARAM = /<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>/g;
const ID_NAME = /^(?:id|pk|uuid|\w+_(?:id|pk|uuid))$/;
/** Decorators that check a role or permission (authorisation). */
const AUTHZ_DECORATOR =
  /^(?:(?:admin|staff|superuser|roles?|permissions?|perms?|owner|groups?)s?_(?:required|accepted|only)|requires?_(?:admin|roles?|permissions?|owner|staff)|check_(?:permissions?|owner|roles?))$/i;
/** Decorators that check only that someone is logged in (authentication). */
const LOGIN_DECORATOR =
  /(?:^|_)required$|^requires?_\w+$|^(?:login|auth|authenticated|authorized|protected)$/i;
/** Names that, read in a Flask view, show the code knows who the user is. */
const FLASK_USER_NAMES = new Set([
  'current_user',
  'get_jwt_identity',
  'current_identity',
  'get_current_user',
]);

interface FlaskRoute {
  definition: SyntaxNode;
  group: string;
  path: string;
  /** URL parameters that name an object: `<int:order_id>`, `<doc_id>`. */
  ids: Set<string>;
  login: string | undefined;
  authorised: boolean;
}

export default defineRule({
  meta: {
    id: 'PGM015',
    slug: 'flask-unscoped-object-load',
    title: 'Flask route loads an object by a URL id without checking the current user',
    category: 'misc',
    severity: 'medium',
    confidence: 'low',
    cwe: [639, 862],
    owasp: ['A01:2021 Broken Access Control'],
    description:
      "Flags Flask and Quart routes with an id in the URL (`<int:order_id>`) that load a model by it (`Model.query.get`, `db.session.get`, `filter_by(id=...)`) and never read `current_user`, `g.user` or the session, with no role decorator; a route without the login decorator its application's other routes use is reported with medium confidence.",
    why: "An id in a URL is chosen by the client. If the route loads the object by that id alone, anyone who changes the number reaches other users' objects (insecure direct object reference). A login decorator checks who the user is, not whether the object is theirs. Static analysis cannot see application-specific checks, so these findings are hints for a reviewer, not proof.",
    fix: 'Filter by owner (`Order.query.filter_by(id=order_id, owner_id=current_user.id).first_or_404()`) or check a permission before using the object, and give the route the same login decorator as its siblings.',
    example: {
      bad: 'from flask import Flask, jsonify\n\napp = Flask(__name__)\n\n\n@app.route("/orders/<int:order_id>")\ndef order(order_id):\n    order = Order.query.get_or_404(order_id)\n    return jsonify(order.to_dict())\n',
      good: 'from flask import Flask, jsonify\nfrom flask_login import current_user, login_required\n\napp = Flask(__name__)\n\n\n@app.route("/orders/<int:order_id>")\n@login_required\ndef order(order_id):\n    order = Order.query.filter_by(id=order_id, owner_id=current_user.id).first_or_404()\n    return jsonify(order.to_dict())\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/639.html',
      'https://cheatsheetseries.owasp.org/cheatsheets/Insecure_Direct_Object_Reference_Prevention_Cheat_Sheet.html',
      'https://flask-login.readthedocs.io/en/latest/#flask_login.current_user',
    ],
    bandit: [],
    ruff: [],
    replaces: [{ id: 'PGM006', slug: 'authz-idor-heuristics' }],
  },
  messages: {
    flaskMissingDecorator:
      "Route `{{route}}` loads an object by the URL's `{{param}}` without the `@{{decorator}}` that other routes of `{{app}}` use, and never checks `current_user`. Add the decorator and check that the object belongs to the current user (or filter by owner).",
    flaskNoOwner:
      "Route `{{route}}` loads an object by the URL's `{{param}}` and never checks it against `current_user`, `g.user` or the session, so anyone who changes the id reaches other users' objects. Filter by owner (`filter_by(id=..., owner_id=current_user.id)`) or check a permission.",
  },
  create(context) {
    if (context.isTestFile) return {};
    const { model } = context;
    const text = (node: SyntaxNode): string => model.textOf(node);
    const flaskRoutes: FlaskRoute[] = [];

    /** Notes a function registered as a Flask route, with its URL ids and auth decorators. */
    const collectRoute = (definition: SyntaxNode, decorators: NamedDecorator[]): void => {
      for (const decorator of decorators) {
        const route = routeDecorator(model, (node) => context.call(node), decorator, FLASK_ROUTES);
        if (route === undefined) continue;
        const { receiver, path } = route;
        const ids = new Set<string>();
        for (const match of path.matchAll(FLASK_PARAM)) {
          const [, converter, name] = match;
          if (
            name !== undefined &&
            (ID_NAME.test(name) || converter === 'int' || converter === 'uuid')
          )
            ids.add(name);
        }
        let login: string | undefined;
        let authorised = false;
        for (const other of decorators) {
          if (other.node.id === decorator.node.id) continue;
          if (AUTHZ_DECORATOR.test(other.name)) authorised = true;
          else if (LOGIN_DECORATOR.test(other.name))
            login ??= text(
              other.node.type === 'call'
                ? (other.node.childForFieldName('function') ?? other.node)
                : other.node,
            );
        }
        flaskRoutes.push({ definition, group: text(receiver), path, ids, login, authorised });
        return;
      }
    };

    /** The first call in a Flask view that loads a model by one of the URL ids. */
    const flaskLoad = (route: FlaskRoute): { node: SyntaxNode; param: string } | undefined => {
      const isParam = (node: SyntaxNode | undefined): string | undefined => {
        if (node === undefined) return undefined;
        let value = unwrapParens(node);
        if (value.type === 'call') {
          const call = context.call(value);
          const inner = call.positional[0];
          if (inner !== undefined && CONVERTERS.has(call.qualifiedName ?? ''))
            value = unwrapParens(inner);
        }
        const name = value.type === 'identifier' ? text(value) : undefined;
        return name !== undefined && route.ids.has(name) ? name : undefined;
      };
      for (const node of route.definition.descendantsOfType('call')) {
        const call = context.call(node);
        const method = call.methodName;
        const receiver = receiverOf(call);
        if (method === undefined || receiver === undefined) continue;
        let param: string | undefined;
        if (method === 'get' || method === 'get_or_404') {
          const owner = unwrapParens(receiver);
          const tail =
            owner.type === 'attribute'
              ? text(owner.childForFieldName('attribute') ?? owner)
              : owner.type === 'identifier'
                ? text(owner)
                : owner.type === 'call'
                  ? (context.call(owner).methodName ?? '')
                  : '';
          if (tail === 'query') param = isParam(call.positional[0]);
          else if (tail === 'session' || tail === 'db') param = isParam(call.positional[1]);
        } else if (method === 'filter_by') {
          for (const key of call.keywords.keys()) {
            if (ID_KEYWORD.test(key) && !OWNER_KEYWORD.test(key))
              param ??= isParam(call.keywords.get(key));
          }
        } else if (method === 'filter' || method === 'where') {
          for (const argument of call.positional) {
            if (argument.type !== 'comparison_operator') continue;
            const [left, right] = argument.namedChildren;
            const attribute =
              left?.type === 'attribute' ? text(left.childForFieldName('attribute') ?? left) : '';
            if (ID_NAME.test(attribute) && !OWNER_KEYWORD.test(attribute)) param ??= isParam(right);
          }
        }
        if (param !== undefined) return { node, param };
      }
      return undefined;
    };

    /** Whether a Flask view reads who the user is: `current_user`, `g.user`, `session[...]`. */
    const flaskKnowsUser = (definition: SyntaxNode, ids: ReadonlySet<string>): boolean => {
      for (const id of definition.descendantsOfType('identifier')) {
        const parent = id.parent;
        if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === id.id)
          continue;
        if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === id.id) {
          const value = parent.childForFieldName('value');
          const valueName = value?.type === 'identifier' ? text(value) : undefined;
          if (OWNER_KEYWORD.test(text(id)) && (valueName === undefined || !ids.has(valueName)))
            return true;
          continue;
        }
        const name = text(id);
        if (FLASK_USER_NAMES.has(name)) return true;
        if (name !== 'session' && name !== 'g' && !name.includes('_')) continue;
        const qualified = model.qualifiedName(id);
        if (qualified === 'flask.session' || qualified === 'flask_login.current_user') return true;
        if (qualified === 'flask.g' && parent?.type === 'attribute') {
          const attribute = text(parent.childForFieldName('attribute') ?? parent);
          if (/user|identity|account/.test(attribute)) return true;
        }
      }
      return false;
    };

    const checkFlaskRoutes = (): void => {
      const loginByGroup = new Map<string, string>();
      for (const route of flaskRoutes) {
        if (route.login !== undefined && !loginByGroup.has(route.group))
          loginByGroup.set(route.group, route.login);
      }
      for (const route of flaskRoutes) {
        if (route.ids.size === 0 || route.authorised) continue;
        const load = flaskLoad(route);
        if (load === undefined || flaskKnowsUser(route.definition, route.ids)) continue;
        const sibling = loginByGroup.get(route.group);
        const missing = route.login === undefined && sibling !== undefined;
        context.report({
          node: load.node,
          messageId: missing ? 'flaskMissingDecorator' : 'flaskNoOwner',
          data: {
            route: route.path,
            param: load.param,
            decorator: sibling ?? '',
            app: route.group,
          },
          confidence: missing ? 'medium' : 'low',
        });
      }
    };

    let routes: boolean | undefined;
    return {
      function_definition(node) {
        if (node.parent?.type !== 'decorated_definition') return;
        routes ??= frameworksUsed(model).routes;
        if (routes) collectRoute(node, decoratorNames(model, node));
      },
      end: checkFlaskRoutes,
    };
  },
});
