/**
 * How web frameworks declare views and routes, as the access-control rules read them: how a DRF
 * view limits access, which frameworks a file uses, the shape of view classes (their bases,
 * assignments and methods) and of route decorators (`@app.get("/path")`), and whether a query
 * goes through a Django model manager.
 */
import { unwrapParens, type CallInfo, type SemanticModel } from '../model.js';
import type { SyntaxNode } from '../parse.js';
import { decoratorsOf } from '../taint/sources.js';
import { lastSegment } from './dotted-name.js';
import { importsModule } from './imports-module.js';
import { receiverOf } from './receiver.js';

/** Names under which a model exposes its unrestricted manager. */
const MANAGERS = new Set(['objects', '_default_manager', '_base_manager', 'all_objects']);
/** DRF permission classes that admit anyone or any logged-in user. */
const OPEN_PERMISSIONS = new Set(['AllowAny']);
const LOGIN_PERMISSIONS = new Set(['IsAuthenticated', 'IsAuthenticatedOrReadOnly']);
const ADMIN_PERMISSION = /Admin|Staff|Superuser/;

/** Modules whose import makes a file's routes Flask's (or Quart's) and FastAPI's (or Starlette's). */
export const FLASK_MODULES: readonly string[] = ['flask', 'flask_login', 'quart'];
export const FASTAPI_MODULES: readonly string[] = ['fastapi', 'starlette'];

const MAX_CHAIN = 8;

/** How a DRF `permission_classes` list limits access, or undefined when it cannot be read. */
export type PermissionKind = 'open' | 'login' | 'admin' | 'custom';

/** How a DRF `permission_classes` value limits access; undefined when it is not a list or tuple. */
export function permissionKind(
  model: SemanticModel,
  value: SyntaxNode,
): PermissionKind | undefined {
  const list = unwrapParens(model.resolveValue(value));
  if (list.type !== 'list' && list.type !== 'tuple') return undefined;
  const names = list.namedChildren
    .filter((item) => item.type !== 'comment')
    .map((item) => lastSegment(model.qualifiedName(item) ?? model.textOf(item)));
  if (names.every((name) => OPEN_PERMISSIONS.has(name))) return 'open';
  if (names.some((name) => ADMIN_PERMISSION.test(name))) return 'admin';
  if (names.every((name) => OPEN_PERMISSIONS.has(name) || LOGIN_PERMISSIONS.has(name)))
    return 'login';
  return 'custom';
}

/** Whether a receiver chain (`Model.objects.select_related(...)`) goes through a model manager. */
export function throughManager(model: SemanticModel, start: SyntaxNode | undefined): boolean {
  let current = start;
  for (let step = 0; current !== undefined && step < MAX_CHAIN; step++) {
    current = unwrapParens(current);
    if (current.type === 'call') {
      current = current.childForFieldName('function') ?? undefined;
    } else if (current.type === 'attribute') {
      const attribute = current.childForFieldName('attribute');
      if (attribute !== null && MANAGERS.has(model.textOf(attribute))) return true;
      current = current.childForFieldName('object') ?? undefined;
    } else {
      return false;
    }
  }
  return false;
}

/** The statements of a class body: assignments by target name and methods by name. */
export interface ClassBody {
  assignments: Map<string, SyntaxNode>;
  methods: Set<string>;
}

/** Reads the top-level assignments and methods of a class definition. */
export function classBody(model: SemanticModel, definition: SyntaxNode): ClassBody {
  const assignments = new Map<string, SyntaxNode>();
  const methods = new Set<string>();
  const body = definition.childForFieldName('body');
  for (const statement of body?.namedChildren ?? []) {
    if (statement.type === 'expression_statement') {
      const assignment = statement.namedChildren[0];
      const left = assignment?.childForFieldName('left');
      if (assignment?.type === 'assignment' && left?.type === 'identifier')
        assignments.set(model.textOf(left), assignment);
      continue;
    }
    const method =
      statement.type === 'decorated_definition'
        ? statement.childForFieldName('definition')
        : statement;
    const name = method?.type === 'function_definition' ? method.childForFieldName('name') : null;
    if (name != null) methods.add(model.textOf(name));
  }
  return { assignments, methods };
}

/** Last names of a class's bases (`viewsets.ModelViewSet` → `ModelViewSet`), qualified when known. */
export function baseNames(
  model: SemanticModel,
  definition: SyntaxNode,
): { name: string; qualified: string }[] {
  const bases = definition.childForFieldName('superclasses');
  if (bases === null) return [];
  return bases.namedChildren
    .filter((base) => base.type === 'identifier' || base.type === 'attribute')
    .map((base) => {
      const qualified = model.qualifiedName(base) ?? model.textOf(base);
      return { name: lastSegment(qualified), qualified };
    });
}

/** A decorator's callee name (qualified when it resolves) with the decorator expression. */
export interface NamedDecorator {
  name: string;
  node: SyntaxNode;
}

/** The decorators' callee names (qualified when they resolve), with the decorator expressions. */
export function decoratorNames(model: SemanticModel, definition: SyntaxNode): NamedDecorator[] {
  return decoratorsOf(definition).map((node) => {
    const callee = node.type === 'call' ? (node.childForFieldName('function') ?? node) : node;
    return { name: lastSegment(model.qualifiedName(callee) ?? model.textOf(callee)), node };
  });
}

/** A DRF view class with what its body says about access. */
export interface DrfViewClass {
  bases: { name: string; qualified: string }[];
  body: ClassBody;
  className: string;
  /** The `permission_classes = ...` assignment, when the class has one. */
  permissions: SyntaxNode | undefined;
  permissionValue: SyntaxNode | undefined;
  kind: PermissionKind | undefined;
}

/** A class deriving from a DRF view, viewset or model mixin, read once; undefined for others. */
export function drfViewClass(model: SemanticModel, node: SyntaxNode): DrfViewClass | undefined {
  const bases = baseNames(model, node);
  if (bases.length === 0) return undefined;
  const drf = bases.some(
    (base) =>
      /(?:APIView|ViewSet|ModelMixin)$/.test(base.name) &&
      (base.qualified.startsWith('rest_framework.') || importsModule(model, 'rest_framework')),
  );
  if (!drf) return undefined;
  const body = classBody(model, node);
  const permissions = body.assignments.get('permission_classes');
  const permissionValue = permissions?.childForFieldName('right') ?? undefined;
  return {
    bases,
    body,
    className: model.textOf(node.childForFieldName('name') ?? node),
    permissions,
    permissionValue,
    kind: permissionValue === undefined ? undefined : permissionKind(model, permissionValue),
  };
}

/** Which frameworks a file uses, read from its imports: most files need no access check. */
export interface FrameworkUse {
  django: boolean;
  drf: boolean;
  /** Flask, Quart, FastAPI or Starlette routes. */
  routes: boolean;
}

/** The frameworks a file imports (the root module of every import binding). */
export function frameworksUsed(model: SemanticModel): FrameworkUse {
  const roots = new Set<string>();
  for (const scope of model.scopes) {
    for (const bindings of scope.bindings.values()) {
      for (const binding of bindings) {
        if (binding.kind === 'import' && binding.qualifiedName !== undefined)
          roots.add(binding.qualifiedName.split('.', 1)[0] ?? '');
      }
    }
  }
  const imports = (module: string): boolean => roots.has(module);
  const drf = imports('rest_framework');
  return {
    django: drf || imports('django'),
    drf,
    routes: FLASK_MODULES.some(imports) || FASTAPI_MODULES.some(imports),
  };
}

/**
 * Whether a route decorator's receiver is an application or router of one framework: built by
 * one of `classes`, or (an application imported from elsewhere, `from .main import app`) in a
 * file that imports one of `modules` and none of `others`.
 */
export function ownsRoutes(
  model: SemanticModel,
  receiver: SyntaxNode,
  classes: ReadonlySet<string>,
  modules: readonly string[],
  others: readonly string[],
): boolean {
  const maker = model.constructedBy(receiver);
  if (maker !== undefined) return classes.has(maker);
  const imports = (module: string): boolean => importsModule(model, module);
  return modules.some(imports) && !others.some(imports);
}

/** A route a decorator registers: its call, route method, owning object and literal path. */
export interface RouteDecorator {
  call: CallInfo;
  method: string;
  receiver: SyntaxNode;
  path: string;
}

/** What a framework's route decorators look like: `@<owner>.<method>("<path>")`. */
export interface RouteShape {
  methods: ReadonlySet<string>;
  /** Classes whose instances own routes (`Flask`, `APIRouter`…). */
  owners: ReadonlySet<string>;
  /** Modules that make an unresolved receiver this framework's… */
  modules: readonly string[];
  /** …unless one of these is imported too. */
  others: readonly string[];
}

/**
 * The route a decorator registers, when it is a call of one of the framework's route methods on
 * an object that owns routes, with a literal path; undefined for any other decorator.
 */
export function routeDecorator(
  model: SemanticModel,
  callOf: (node: SyntaxNode) => CallInfo,
  decorator: NamedDecorator,
  shape: RouteShape,
): RouteDecorator | undefined {
  if (decorator.node.type !== 'call') return undefined;
  const call = callOf(decorator.node);
  const method = call.methodName ?? '';
  const receiver = receiverOf(call);
  if (receiver === undefined || !shape.methods.has(method)) return undefined;
  const pathNode = call.positional[0];
  const path = pathNode === undefined ? undefined : model.staticString(pathNode);
  if (path === undefined) return undefined;
  if (!ownsRoutes(model, receiver, shape.owners, shape.modules, shape.others)) return undefined;
  return { call, method, receiver, path };
}
