/**
 * FastAPI (and Starlette) routes without the authentication dependency that the other routes of
 * the same application or router use.
 */
import {
  decoratorNames,
  defineRule,
  FASTAPI_MODULES,
  FLASK_MODULES,
  frameworksUsed,
  lastSegment,
  parametersOf,
  routeDecorator,
  unwrapParens,
  type NamedDecorator,
  type RouteShape,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { publicByDesign } from '../_shared/access-control.js';

const FASTAPI_APPS = new Set([
  'fastapi.FastAPI',
  'fastapi.applications.FastAPI',
  'fastapi.APIRouter',
  'fastapi.routing.APIRouter',
]);
const FASTAPI_ROUTE_METHODS = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'api_route',
  'head',
  'options',
]);

/** FastAPI and Starlette route decorators (`@router.get("/orders")`). */
const FASTAPI_ROUTES: RouteShape = {
  methods: FASTAPI_ROUTE_METHODS,
  owners: FASTAPI_APPS,
  modules: FASTAPI_MODULES,
  others: FLASK_MODULES,
};
/** `Depends(get_current_user)`, `Security(auth.verify, scopes=[...])`: the dependency's name. */
const DEPENDENCY = /\b(?:Depends|Security)\s*\(\s*([\w.]+)/g;
const AUTH_DEPENDENCY =
  /user|auth|token|current|admin|permission|login|api_?key|principal|credential|jwt/i;
/** `user: CurrentUser`, `token: TokenDep` (an `Annotated[..., Depends(...)]` alias). */
const AUTH_ALIAS = /^(?:Current|Auth|Authenticated|Active|Admin)[A-Z]\w*$|(?:User|Auth|Token)Dep$/;

interface FastApiRoute {
  definition: SyntaxNode;
  group: string;
  path: string;
  method: string;
  /** Name of the auth dependency the route uses, if any. */
  dependency: string | undefined;
}

export default defineRule({
  meta: {
    id: 'PGM016',
    slug: 'fastapi-route-missing-auth',
    title: 'FastAPI route without the auth dependency its sibling routes use',
    category: 'misc',
    severity: 'medium',
    confidence: 'medium',
    cwe: [306, 862],
    owasp: [
      'A01:2021 Broken Access Control',
      'A07:2021 Identification and Authentication Failures',
    ],
    description:
      'Flags FastAPI routes that take no authentication dependency (`Depends(get_current_user)`, `Security(...)`, an `Annotated` alias such as `CurrentUser`) while other routes of the same application or router do, unless the router adds one to every route or the route is public by name (login, sign-up, health); routes with a path parameter or a write method get medium confidence.',
    why: "In FastAPI authentication is a dependency each route asks for. When most routes of a router take `Depends(get_current_user)` and one does not, that route is usually an oversight: it answers anyone, and if it loads or changes data by id, anyone can reach other users' data through it.",
    fix: 'Add the dependency to the route (`user: User = Depends(get_current_user)`) and scope what it loads to that user, or put the dependency on the router (`APIRouter(dependencies=[Depends(get_current_user)])`) so no route can miss it. If the route is public on purpose, suppress the finding with the reason.',
    example: {
      bad: 'from fastapi import APIRouter, Depends\n\nrouter = APIRouter()\n\n\n@router.get("/orders")\ndef list_orders(user: User = Depends(get_current_user)):\n    return orders_of(user)\n\n\n@router.delete("/orders/{order_id}")\ndef delete_order(order_id: int):\n    remove_order(order_id)\n',
      good: 'from fastapi import APIRouter, Depends\n\nrouter = APIRouter()\n\n\n@router.get("/orders")\ndef list_orders(user: User = Depends(get_current_user)):\n    return orders_of(user)\n\n\n@router.delete("/orders/{order_id}")\ndef delete_order(order_id: int, user: User = Depends(get_current_user)):\n    remove_order(order_id, owner=user)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/306.html',
      'https://fastapi.tiangolo.com/tutorial/security/get-current-user/',
      'https://fastapi.tiangolo.com/tutorial/dependencies/global-dependencies/',
    ],
    bandit: [],
    ruff: [],
    replaces: [{ id: 'PGM006', slug: 'authz-idor-heuristics' }],
  },
  messages: {
    fastapiNoAuth:
      'Route `{{route}}` has no authentication dependency, while other routes of `{{router}}` use `{{dependency}}`. Add `Depends({{dependency}})` (and scope what it loads to that user), or document why this route is public.',
  },
  create(context) {
    if (context.isTestFile) return {};
    const { model } = context;
    const text = (node: SyntaxNode): string => model.textOf(node);
    const fastApiRoutes: FastApiRoute[] = [];
    /** FastAPI routers whose constructor already adds an auth dependency to every route. */
    const protectedRouters = new Set<string>();

    const authDependency = (source: string): string | undefined => {
      for (const match of source.matchAll(DEPENDENCY)) {
        const name = match[1] ?? '';
        if (AUTH_DEPENDENCY.test(lastSegment(name))) return name;
      }
      return undefined;
    };

    const noteProtectedRouter = (receiver: SyntaxNode, group: string): void => {
      if (protectedRouters.has(group)) return;
      const made = unwrapParens(model.resolveValue(receiver));
      if (made.type !== 'call') return;
      const dependencies = context.call(made).keywords.get('dependencies');
      if (dependencies !== undefined && authDependency(text(dependencies)) !== undefined)
        protectedRouters.add(group);
    };

    /** Notes a function registered as a FastAPI route, with the auth dependency it takes. */
    const collectRoute = (definition: SyntaxNode, decorators: NamedDecorator[]): void => {
      for (const decorator of decorators) {
        const route = routeDecorator(
          model,
          (node) => context.call(node),
          decorator,
          FASTAPI_ROUTES,
        );
        if (route === undefined) continue;
        const { call, method, receiver, path } = route;
        const group = text(receiver);
        let dependency: string | undefined;
        for (const parameter of parametersOf(model, definition)) {
          const source = `${parameter.annotation ?? ''} ${parameter.default === undefined ? '' : text(parameter.default)}`;
          dependency = authDependency(source);
          const alias = /(\w+)\s*$/.exec(parameter.annotation ?? '')?.[1];
          if (dependency === undefined && alias !== undefined && AUTH_ALIAS.test(alias))
            dependency = alias;
          if (dependency !== undefined) break;
        }
        const dependencies = call.keywords.get('dependencies');
        if (dependency === undefined && dependencies !== undefined)
          dependency = authDependency(text(dependencies));
        fastApiRoutes.push({ definition, group, path, method, dependency });
        noteProtectedRouter(receiver, group);
        return;
      }
    };

    const checkFastApiRoutes = (): void => {
      const dependencyByGroup = new Map<string, string>();
      for (const route of fastApiRoutes) {
        if (route.dependency !== undefined && !dependencyByGroup.has(route.group))
          dependencyByGroup.set(route.group, route.dependency);
      }
      for (const route of fastApiRoutes) {
        const dependency = dependencyByGroup.get(route.group);
        if (route.dependency !== undefined || dependency === undefined) continue;
        if (protectedRouters.has(route.group)) continue;
        const nameNode = route.definition.childForFieldName('name');
        if (nameNode === null) continue;
        const name = text(nameNode);
        if (publicByDesign(name) || publicByDesign(route.path)) continue;
        const keyed = /\{[^}]+\}/.test(route.path);
        const writes =
          route.method !== 'get' && route.method !== 'head' && route.method !== 'options';
        context.report({
          node: nameNode,
          messageId: 'fastapiNoAuth',
          data: {
            route: `${route.method.toUpperCase()} ${route.path}`,
            router: route.group,
            dependency,
          },
          confidence: keyed || writes ? 'medium' : 'low',
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
      end: checkFastApiRoutes,
    };
  },
});
