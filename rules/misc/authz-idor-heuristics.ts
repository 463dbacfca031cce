import { unwrapParens, type SemanticModel } from '../../src/engine/model.js';
import type { SyntaxNode } from '../../src/engine/parse.js';
import {
  VIEW_METHODS,
  classOf,
  decoratorsOf,
  parametersOf,
} from '../../src/engine/taint/sources.js';
import { defineRule } from '../../src/rules-api/define-rule.js';
import { lastSegment } from '../_shared/dotted-name.js';
import { enclosingFunction } from '../_shared/enclosing-function.js';
import { importsModule } from '../_shared/imports-module.js';
import { findTerm } from '../_shared/name-terms.js';
import { receiverOf } from '../_shared/receiver.js';
import { nameWords } from '../_shared/secret-names.js';
import { shortText } from '../_shared/short-text.js';
import { FLASK_ROUTE_OWNERS } from '../_shared/flask-app.js';

// ── vocabulary ───────────────────────────────────────────────────────────────────────────────

/** Django/DRF shortcuts that load one object from a model or queryset. */
const FETCH_SHORTCUTS = new Set([
  'django.shortcuts.get_object_or_404',
  'django.shortcuts.get_list_or_404',
  'rest_framework.generics.get_object_or_404',
]);
/** ORM methods that select rows by field values (`Model.objects.get(pk=...)`). */
const ORM_LOOKUPS = new Set(['get', 'filter', 'get_or_none']);
/** Names under which a model exposes its unrestricted manager. */
const MANAGERS = new Set(['objects', '_default_manager', '_base_manager', 'all_objects']);
/**
 * Lookup keywords that name one object: `pk`, `id`, `uuid`, `order_id` (slugs are left out: they
 * mostly name public pages). `filter()` counts only with the primary key (`pk`, `id__in`), so
 * lists narrowed by a foreign key (`filter(category_id=...)`) are not taken for object access.
 */
const ID_KEYWORD = /^(?:pk|id|uuid|\w+_(?:id|pk|uuid))(?:__(?:i?exact|in))?$/;
const PRIMARY_KEYWORD = /^(?:pk|id|uuid)(?:__(?:i?exact|in))?$/;
/** Lookup keywords that tie a row to its owner: `owner=`, `user=`, `created_by_id=`. */
const OWNER_KEYWORD =
  /^(?:owner|user|created_by|author|creator|tenant|organi[sz]ation|members?)(?:_id|_pk)?(?:__\w+)?$/;
/** Calls that change a value's type but not who chose it. */
const CONVERTERS = new Set(['int', 'str', 'uuid.UUID', 'decimal.Decimal']);
/** Text of a Django/DRF view that checks who the user is or what they may do. */
const DJANGO_AUTHZ =
  /\brequest\.(?:user|auth)\b|\bhas_(?:perms?|permission|object_permission)\b|\bcheck_(?:object_)?permissions\b|\buser_passes_test\b|\bpermission_required\b|\b(?:staff_member|superuser|admin|staff)_required\b|\bPermissionDenied\b|\bget_queryset\b/;
/** Text that only proves the user logged in. */
const LOGIN_ONLY = /\blogin_required\b|\bLoginRequired|\bIsAuthenticated\b|\bjwt_required\b/;
/** Class-based-view mixins that check permissions, not just a login. */
const AUTHZ_MIXIN =
  /Permission\w*Mixin$|UserPassesTest\w*Mixin$|(?:Staff|Superuser|Group|Owner)\w*Mixin$/;

/** DRF permission classes that admit anyone or any logged-in user. */
const OPEN_PERMISSIONS = new Set(['AllowAny']);
const LOGIN_PERMISSIONS = new Set(['IsAuthenticated', 'IsAuthenticatedOrReadOnly']);
const ADMIN_PERMISSION = /Admin|Staff|Superuser/;
/** Methods of a DRF view or viewset that change data. */
const UNSAFE_METHODS = new Set([
  'post',
  'put',
  'patch',
  'delete',
  'create',
  'update',
  'partial_update',
  'destroy',
  'perform_create',
  'perform_update',
  'perform_destroy',
]);
const CREATE_METHODS = new Set(['post', 'create', 'perform_create']);
/** DRF generic views and mixins whose inherited handlers change data. */
const WRITE_BASE =
  /^(?:ModelViewSet|(?:Create|Update|Destroy|ListCreate|RetrieveUpdate|RetrieveDestroy|RetrieveUpdateDestroy)APIView|(?:Create|Update|Destroy)ModelMixin)$/;
const CREATE_BASE = /^(?:Create|ListCreate)APIView$|^CreateModelMixin$/;
const MODEL_VIEWSETS = new Set(['ModelViewSet', 'ReadOnlyModelViewSet']);
/** Words naming views that are public by design: sign-up, log-in, password reset, health checks. */
const PUBLIC_TERMS = [
  'register',
  'registration',
  'signup',
  'sign_up',
  'signin',
  'sign_in',
  'login',
  'log_in',
  'logout',
  'log_out',
  'token',
  'password',
  'passwd',
  'reset',
  'forgot',
  'verify',
  'verification',
  'activate',
  'activation',
  'confirm',
  'confirmation',
  'invite',
  'invitation',
  'webhook',
  'callback',
  'health',
  'healthcheck',
  'healthz',
  'ping',
  'contact',
  'subscribe',
  'newsletter',
  'feedback',
  'otp',
  'public',
  'metrics',
];

const FLASK_MODULES = ['flask', 'flask_login', 'quart'];
const FASTAPI_MODULES = ['fastapi', 'starlette'];
const FLASK_ROUTE_METHODS = new Set(['route', 'get', 'post', 'put', 'patch', 'delete']);
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
/** `Depends(get_current_user)`, `Security(auth.verify, scopes=[...])`: the dependency's name. */
const DEPENDENCY = /\b(?:Depends|Security)\s*\(\s*([\w.]+)/g;
const AUTH_DEPENDENCY =
  /user|auth|token|current|admin|permission|login|api_?key|principal|credential|jwt/i;
/** `user: CurrentUser`, `token: TokenDep` (an `Annotated[..., Depends(...)]` alias). */
const AUTH_ALIAS = /^(?:Current|Auth|Authenticated|Active|Admin)[A-Z]\w*$|(?:User|Auth|Token)Dep$/;

/** PAM account checks: ctypes `pam_acct_mgmt`, pamela's `check_account`. */
const ACCOUNT_CHECKS = new Set(['pam_acct_mgmt', 'acct_mgmt', 'check_account']);
const PYTHON_PAM_FUNCTIONS = new Set(['pam.authenticate', 'simplepam.authenticate']);
const PYTHON_PAM_CLASSES = new Set([
  'pam.pam',
  'pam.PamAuthenticator',
  'pam.__internals.PamAuthenticator',
]);

const PAM_MODULES = ['pam', 'pamela', 'simplepam'];
/** Method names that start or finish a PAM login. */
const PAM_METHODS = new Set([
  'authenticate',
  'pam_authenticate',
  'PAM_ACCT_MGMT',
  ...ACCOUNT_CHECKS,
]);
/** Qualified names of PAM functions, for imports under another name. */
const PAM_NAMES = new Set(['pamela.authenticate', 'pamela.check_account', ...PYTHON_PAM_FUNCTIONS]);

const MAX_CHAIN = 8;

// ── helpers ──────────────────────────────────────────────────────────────────────────────────

/** How a DRF `permission_classes` list limits access, or undefined when it cannot be read. */
type PermissionKind = 'open' | 'login' | 'admin' | 'custom';

function permissionKind(model: SemanticModel, value: SyntaxNode): PermissionKind | undefined {
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
function throughManager(model: SemanticModel, start: SyntaxNode | undefined): boolean {
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
interface ClassBody {
  assignments: Map<string, SyntaxNode>;
  methods: Set<string>;
}

function classBody(model: SemanticModel, definition: SyntaxNode): ClassBody {
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
function baseNames(
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

/** The decorators' callee names (qualified when they resolve), with the decorator expressions. */
function decoratorNames(
  model: SemanticModel,
  definition: SyntaxNode,
): { name: string; node: SyntaxNode }[] {
  return decoratorsOf(definition).map((node) => {
    const callee = node.type === 'call' ? (node.childForFieldName('function') ?? node) : node;
    return { name: lastSegment(model.qualifiedName(callee) ?? model.textOf(callee)), node };
  });
}

/** The function's text with its decorators. */
function textWithDecorators(model: SemanticModel, definition: SyntaxNode): string {
  const parent = definition.parent;
  return model.textOf(parent?.type === 'decorated_definition' ? parent : definition);
}

/** The outermost function or class around a node (the module when there is none). */
function topLevelUnit(node: SyntaxNode): SyntaxNode | undefined {
  let unit: SyntaxNode | undefined;
  for (let current = node.parent; current !== null; current = current.parent) {
    if (current.type === 'function_definition' || current.type === 'class_definition')
      unit = current;
  }
  return unit;
}

/** Whether a view, class or path name says it is public by design (`RegisterView`, `/health`). */
function publicByDesign(name: string): boolean {
  return findTerm(nameWords(name), PUBLIC_TERMS) !== undefined;
}

function contains(outer: SyntaxNode, inner: SyntaxNode): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

interface FlaskRoute {
  definition: SyntaxNode;
  group: string;
  path: string;
  /** URL parameters that name an object: `<int:order_id>`, `<doc_id>`. */
  ids: Set<string>;
  login: string | undefined;
  authorised: boolean;
}

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
    id: 'PGM006',
    slug: 'authz-idor-heuristics',
    title: 'Object access without an ownership or permission check (IDOR hint)',
    category: 'misc',
    severity: 'medium',
    confidence: 'medium',
    cwe: [639, 284, 285, 862],
    owasp: ['A01:2021 Broken Access Control'],
    description:
      'Flags review hints for broken access control: views that load an object by a request or URL id without checking the current user, DRF views open to anyone that change data, model viewsets whose queryset is not narrowed to the user, routes missing the auth decorator or dependency their siblings use, and PAM logins that skip `pam_acct_mgmt`.',
    why: "An id in a URL or a form is chosen by the client. If the view loads the object by that id alone, any logged-in user (or anyone at all) can read, change or delete other people's objects by counting through ids (insecure direct object reference). Authentication decorators do not help: they check who the user is, not whether the object is theirs. Static analysis cannot see application-specific checks, so these findings are hints for a reviewer, not proof.",
    fix: 'Scope the query to the current user (`get_object_or_404(Order, pk=pk, owner=request.user)`, `request.user.orders.get(pk=pk)`, `get_queryset()` returning `...filter(owner=self.request.user)`), or check an object permission before using the object (`request.user.has_perm(...)`, DRF `check_object_permissions`, `@permission_required`). Give DRF views that change data a permission class other than `AllowAny`, keep auth decorators and `Depends(get_current_user)` consistent across a router, and call `pam_acct_mgmt` after `pam_authenticate`.',
    example: {
      bad: 'from django.shortcuts import get_object_or_404, render\n\ndef invoice(request, pk):\n    invoice = get_object_or_404(Invoice, pk=pk)\n    return render(request, "invoice.html", {"invoice": invoice})\n',
      good: 'from django.shortcuts import get_object_or_404, render\n\ndef invoice(request, pk):\n    invoice = get_object_or_404(Invoice, pk=pk, owner=request.user)\n    return render(request, "invoice.html", {"invoice": invoice})\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/639.html',
      'https://cwe.mitre.org/data/definitions/862.html',
      'https://cwe.mitre.org/data/definitions/285.html',
      'https://cheatsheetseries.owasp.org/cheatsheets/Insecure_Direct_Object_Reference_Prevention_Cheat_Sheet.html',
      'https://docs.djangoproject.com/en/stable/topics/auth/default/#limiting-access-to-logged-in-users',
      'https://www.django-rest-framework.org/api-guide/permissions/',
      'https://www.django-rest-framework.org/api-guide/filtering/#filtering-against-the-current-user',
      'https://fastapi.tiangolo.com/tutorial/security/get-current-user/',
      'https://man7.org/linux/man-pages/man3/pam_acct_mgmt.3.html',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    unscopedFetch:
      "`{{fetch}}` looks up by `{{key}}`, which the client chooses ({{source}}), but `{{view}}` never checks it against `request.user` or a permission, so anyone can open other users' objects by changing the id. Scope the query to the owner (`owner=request.user`) or check a permission before using the object.",
    loginOnlyFetch:
      "`{{fetch}}` looks up by `{{key}}`, which the client chooses ({{source}}); `{{view}}` requires a login but never checks that the object belongs to `request.user`, so any logged-in user can open other users' objects. Scope the query to the owner (`owner=request.user`) or check an object permission.",
    openWriteView:
      '`{{view}}` sets `permission_classes` to `{{value}}` but {{exposes}}, so anyone, logged in or not, can change data through it. Use `IsAuthenticated` with an object-level permission (owner check), or limit the view to safe methods.',
    unscopedViewSet:
      "`{{view}}` serves `{{queryset}}` and has no `get_queryset`, so every user can list and open every object by id. Override `get_queryset` to return only the current user's objects (`...filter(owner=self.request.user)`).",
    flaskMissingDecorator:
      "Route `{{route}}` loads an object by the URL's `{{param}}` without the `@{{decorator}}` that other routes of `{{app}}` use, and never checks `current_user`. Add the decorator and check that the object belongs to the current user (or filter by owner).",
    flaskNoOwner:
      "Route `{{route}}` loads an object by the URL's `{{param}}` and never checks it against `current_user`, `g.user` or the session, so anyone who changes the id reaches other users' objects. Filter by owner (`filter_by(id=..., owner_id=current_user.id)`) or check a permission.",
    fastapiNoAuth:
      'Route `{{route}}` has no authentication dependency, while other routes of `{{router}}` use `{{dependency}}`. Add `Depends({{dependency}})` (and scope what it loads to that user), or document why this route is public.',
    pamNoAccountCheck:
      "`{{call}}` checks only the password: PAM's account step (`pam_acct_mgmt`) never runs, so expired, locked or barred accounts still log in. Call `pam_acct_mgmt` on the handle after a successful authentication (pamela: keep `check=True`).",
  },
  create(context) {
    if (context.isTestFile) return {};
    const { model } = context;
    const text = (node: SyntaxNode): string => model.textOf(node);

    // ── 1. Django/DRF object fetches ──

    /** A Django/DRF view function or view method, and the class it belongs to. */
    const djangoView = (definition: SyntaxNode): { owner: SyntaxNode | undefined } | undefined => {
      const parameters = parametersOf(model, definition);
      const owner = classOf(definition);
      if (owner === undefined) return parameters[0]?.name === 'request' ? { owner } : undefined;
      if (parameters[0]?.name !== 'self' || parameters[1]?.name !== 'request') return undefined;
      const name = text(definition.childForFieldName('name') ?? definition);
      if (VIEW_METHODS.has(name)) return { owner };
      return decoratorNames(model, definition).some((decorator) => decorator.name === 'action')
        ? { owner }
        : undefined;
    };

    /**
     * Where a lookup value comes from when the client chooses it: a URL argument of the view,
     * `self.kwargs[...]`, or request data (the dataflow pass), seen through `int()`/`str()`.
     */
    const clientChosen = (value: SyntaxNode, view: SyntaxNode): string | undefined => {
      const current = unconverted(value);
      const readsKwargs = (node: SyntaxNode | null | undefined): boolean =>
        node?.type === 'attribute' && /^self\s*\.\s*kwargs$/.test(text(node));
      if (current.type === 'subscript' && readsKwargs(current.childForFieldName('value')))
        return 'a URL argument';
      if (current.type === 'call') {
        const callee = current.childForFieldName('function');
        if (callee?.type === 'attribute' && readsKwargs(callee.childForFieldName('object')))
          return 'a URL argument';
      }
      if (current.type === 'identifier') {
        const name = text(current);
        const found = model.lookup(name, model.scopeAt(current));
        if (
          found?.scope.node.id === view.id &&
          found.bindings.some((binding) => binding.kind === 'param') &&
          name !== 'self' &&
          name !== 'request'
        ) {
          const parameter = parametersOf(model, view).find((candidate) => candidate.name === name);
          if (parameter !== undefined && !parameter.splat) return 'a URL argument';
        }
      }
      const trace = context.taint(current, 'sql');
      if (trace === undefined) return undefined;
      return trace.trust === 'web' ? `from \`${shortText(trace.source, 50)}\`` : undefined;
    };

    /**
     * The value under type conversions (`int(x)`, `uuid.UUID(x)`), followed through names
     * assigned once: the dataflow pass counts `int()` as a sanitiser, but a number chosen by the
     * client still picks someone else's object.
     */
    const unconverted = (value: SyntaxNode): SyntaxNode => {
      let current = unwrapParens(value);
      for (let step = 0; step < 4; step++) {
        if (current.type === 'identifier') {
          const next = unwrapParens(model.resolveValue(current));
          if (next.id === current.id) break;
          current = next;
          continue;
        }
        if (current.type !== 'call') break;
        const call = context.call(current);
        const inner = call.positional[0];
        if (inner === undefined || !CONVERTERS.has(call.qualifiedName ?? '')) break;
        current = unwrapParens(inner);
      }
      return current;
    };

    /** Authorisation seen in a view: `authorised`, `login` (authentication only) or `none`. */
    const viewGuards = new Map<number, 'authorised' | 'login' | 'none'>();
    const viewGuard = (
      definition: SyntaxNode,
      owner: SyntaxNode | undefined,
    ): 'authorised' | 'login' | 'none' => {
      const cached = viewGuards.get(definition.id);
      if (cached !== undefined) return cached;
      let guard: 'authorised' | 'login' | 'none' = 'none';
      const source = textWithDecorators(model, definition);
      if (DJANGO_AUTHZ.test(source)) guard = 'authorised';
      else if (LOGIN_ONLY.test(source)) guard = 'login';
      if (guard !== 'authorised') {
        for (const { name, node } of decoratorNames(model, definition)) {
          if (name !== 'permission_classes' || node.type !== 'call') continue;
          const list = context.call(node).positional[0];
          const kind = list === undefined ? undefined : permissionKind(model, list);
          if (kind === 'admin' || kind === 'custom') guard = 'authorised';
          else if (kind === 'login') guard = 'login';
        }
      }
      if (guard !== 'authorised' && hasOwnerFilter(definition, definition)) guard = 'authorised';
      if (guard !== 'authorised' && owner !== undefined) {
        const ownerGuard = classGuard(owner);
        if (ownerGuard === 'authorised' || ownerGuard === 'login') guard = ownerGuard;
      }
      viewGuards.set(definition.id, guard);
      return guard;
    };

    /** Permission mixins, `permission_classes` and permission decorators of a view class. */
    const classGuard = (owner: SyntaxNode): 'authorised' | 'login' | 'none' => {
      const bases = baseNames(model, owner);
      if (bases.some((base) => AUTHZ_MIXIN.test(base.name))) return 'authorised';
      const decorated = owner.parent?.type === 'decorated_definition' ? owner.parent : undefined;
      if (decorated !== undefined) {
        const header = text(decorated).slice(0, owner.startIndex - decorated.startIndex);
        if (DJANGO_AUTHZ.test(header)) return 'authorised';
      }
      const permissions = classBody(model, owner).assignments.get('permission_classes');
      const value = permissions?.childForFieldName('right');
      const kind = value === null || value === undefined ? undefined : permissionKind(model, value);
      if (kind === 'admin' || kind === 'custom') return 'authorised';
      if (kind === 'login' || bases.some((base) => base.name === 'LoginRequiredMixin'))
        return 'login';
      return 'none';
    };

    /** Whether calls in a function filter by an owner keyword the client does not choose. */
    const hasOwnerFilter = (root: SyntaxNode, view: SyntaxNode): boolean =>
      root.descendantsOfType('keyword_argument').some((argument) => {
        const name = argument.childForFieldName('name');
        const value = argument.childForFieldName('value');
        if (name === null || value === null || !OWNER_KEYWORD.test(text(name))) return false;
        return clientChosen(value, view) === undefined;
      });

    /** The lookup keyword that names the object, when its value is chosen by the client. */
    const clientKey = (
      keywords: ReadonlyMap<string, SyntaxNode>,
      view: SyntaxNode,
      idPattern: RegExp,
    ): { key: string; source: string } | undefined => {
      for (const key of keywords.keys()) {
        if (!idPattern.test(key) && !OWNER_KEYWORD.test(key)) continue;
        const value = keywords.get(key);
        const source = value === undefined ? undefined : clientChosen(value, view);
        if (source !== undefined) return { key, source };
      }
      return undefined;
    };

    const checkDjangoFetch = (node: SyntaxNode): void => {
      const call = context.call(node);
      const method = call.methodName;
      if (method === undefined) return;
      const qualified = call.qualifiedName;
      const shortcut =
        (qualified !== undefined && FETCH_SHORTCUTS.has(qualified)) ||
        (qualified === undefined && method === 'get_object_or_404');
      if (!shortcut && !ORM_LOOKUPS.has(method)) return;
      if (shortcut) {
        const target = call.positional[0];
        if (target === undefined) return;
        const unwrapped = unwrapParens(target);
        if (unwrapped.type === 'call' && !throughManager(model, unwrapped)) return;
      } else if (!throughManager(model, receiverOf(call))) {
        return;
      }
      if (call.keywords.size === 0) return;
      const definition = enclosingFunction(node);
      if (definition === undefined) return;
      const view = djangoView(definition);
      if (view === undefined) return;
      const key = clientKey(
        call.keywords,
        definition,
        method === 'filter' && !shortcut ? PRIMARY_KEYWORD : ID_KEYWORD,
      );
      if (key === undefined) return;
      const guard = viewGuard(definition, view.owner);
      if (guard === 'authorised') return;
      const name = text(definition.childForFieldName('name') ?? definition);
      const ownerName = view.owner?.childForFieldName('name');
      context.report({
        node,
        messageId: guard === 'login' ? 'loginOnlyFetch' : 'unscopedFetch',
        data: {
          fetch: shortText(text(call.callee), 50),
          key: key.key,
          source: key.source,
          view: ownerName === null || ownerName === undefined ? name : `${text(ownerName)}.${name}`,
        },
        confidence: guard === 'login' ? 'low' : 'medium',
      });
    };

    // ── 2 and 3. DRF classes ──

    const checkDrfClass = (node: SyntaxNode): void => {
      const bases = baseNames(model, node);
      if (bases.length === 0) return;
      const drf = bases.some(
        (base) =>
          /(?:APIView|ViewSet|ModelMixin)$/.test(base.name) &&
          (base.qualified.startsWith('rest_framework.') || importsModule(model, 'rest_framework')),
      );
      if (!drf) return;
      const body = classBody(model, node);
      const className = text(node.childForFieldName('name') ?? node);
      const permissions = body.assignments.get('permission_classes');
      const permissionValue = permissions?.childForFieldName('right') ?? undefined;
      const kind =
        permissionValue === undefined ? undefined : permissionKind(model, permissionValue);

      if (permissions !== undefined && permissionValue !== undefined && kind === 'open') {
        const writes = [...body.methods].filter((method) => UNSAFE_METHODS.has(method));
        const writeBases = bases.filter((base) => WRITE_BASE.test(base.name));
        const createsOnly =
          writes.every((method) => CREATE_METHODS.has(method)) &&
          writeBases.every((base) => CREATE_BASE.test(base.name));
        if (
          (writes.length > 0 || writeBases.length > 0) &&
          !(createsOnly && publicByDesign(className))
        ) {
          const exposes =
            writeBases.length > 0
              ? `inherits handlers that change data from \`${writeBases[0]?.name ?? ''}\``
              : `defines \`${writes.join('`, `')}\``;
          context.report({
            node: permissions,
            messageId: 'openWriteView',
            data: { view: className, value: shortText(text(permissionValue), 40), exposes },
          });
        }
      }

      const viewset = bases.find((base) => MODEL_VIEWSETS.has(base.name));
      const queryset = body.assignments.get('queryset');
      const querysetValue = queryset?.childForFieldName('right');
      if (
        viewset === undefined ||
        queryset === undefined ||
        querysetValue === null ||
        querysetValue === undefined ||
        body.methods.has('get_queryset') ||
        kind === 'admin'
      )
        return;
      const readOnly = viewset.name === 'ReadOnlyModelViewSet';
      if (readOnly && kind === 'open') return; // deliberately public reference data
      const value = unwrapParens(querysetValue);
      if (value.type !== 'call') return;
      const all = context.call(value);
      if (all.methodName !== 'all' || !throughManager(model, receiverOf(all))) return;
      context.report({
        node: queryset,
        messageId: 'unscopedViewSet',
        data: { view: className, queryset: shortText(text(value), 50) },
        confidence: readOnly || kind === 'custom' ? 'low' : 'medium',
      });
    };

    /** `@api_view(["POST", "DELETE"])` with `@permission_classes([AllowAny])`. */
    const checkDrfFunction = (
      definition: SyntaxNode,
      decorators: { name: string; node: SyntaxNode }[],
    ): void => {
      const permissions = decorators.find(
        (decorator) => decorator.name === 'permission_classes' && decorator.node.type === 'call',
      );
      const apiView = decorators.find((decorator) => decorator.name === 'api_view');
      if (permissions === undefined || apiView === undefined) return;
      const list = context.call(permissions.node).positional[0];
      if (list === undefined || permissionKind(model, list) !== 'open') return;
      const methodsNode =
        apiView.node.type === 'call'
          ? model.argument(context.call(apiView.node), 'http_method_names', 0)
          : undefined;
      const methodList = methodsNode === undefined ? undefined : unwrapParens(methodsNode);
      if (methodList === undefined || (methodList.type !== 'list' && methodList.type !== 'tuple'))
        return;
      const writes = methodList.namedChildren
        .map((item) => model.staticString(item)?.toLowerCase())
        .filter((method): method is string => method !== undefined && UNSAFE_METHODS.has(method));
      if (writes.length === 0) return;
      const name = text(definition.childForFieldName('name') ?? definition);
      if (writes.every((method) => method === 'post') && publicByDesign(name)) return;
      context.report({
        node: permissions.node,
        messageId: 'openWriteView',
        data: {
          view: name,
          value: shortText(text(list), 40),
          exposes: `accepts ${writes.map((method) => method.toUpperCase()).join(', ')}`,
        },
      });
    };

    // ── 4 and 5. Flask and FastAPI routes, compared with their siblings in end() ──

    const flaskRoutes: FlaskRoute[] = [];
    const fastApiRoutes: FastApiRoute[] = [];
    /** FastAPI routers whose constructor already adds an auth dependency to every route. */
    const protectedRouters = new Set<string>();

    const routeOwner = (
      receiver: SyntaxNode,
      classes: ReadonlySet<string>,
      modules: readonly string[],
      others: readonly string[],
    ): boolean => {
      const maker = model.constructedBy(receiver);
      if (maker !== undefined) return classes.has(maker);
      // An application imported from elsewhere (`from .main import app`): trust the imports.
      const imports = (module: string): boolean => importsModule(model, module);
      return modules.some(imports) && !others.some(imports);
    };

    const authDependency = (source: string): string | undefined => {
      for (const match of source.matchAll(DEPENDENCY)) {
        const name = match[1] ?? '';
        if (AUTH_DEPENDENCY.test(lastSegment(name))) return name;
      }
      return undefined;
    };

    const collectRoute = (
      definition: SyntaxNode,
      decorators: { name: string; node: SyntaxNode }[],
    ): void => {
      for (const decorator of decorators) {
        if (decorator.node.type !== 'call') continue;
        const call = context.call(decorator.node);
        const method = call.methodName ?? '';
        const receiver = receiverOf(call);
        if (receiver === undefined) continue;
        const pathNode = call.positional[0];
        const path = pathNode === undefined ? undefined : model.staticString(pathNode);
        if (path === undefined) continue;
        const group = text(receiver);
        if (
          FLASK_ROUTE_METHODS.has(method) &&
          routeOwner(receiver, FLASK_ROUTE_OWNERS, FLASK_MODULES, FASTAPI_MODULES)
        ) {
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
          flaskRoutes.push({ definition, group, path, ids, login, authorised });
          return;
        }
        if (
          FASTAPI_ROUTE_METHODS.has(method) &&
          routeOwner(receiver, FASTAPI_APPS, FASTAPI_MODULES, FLASK_MODULES)
        ) {
          const parameters = parametersOf(model, definition);
          let dependency: string | undefined;
          for (const parameter of parameters) {
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
      }
    };

    const noteProtectedRouter = (receiver: SyntaxNode, group: string): void => {
      if (protectedRouters.has(group)) return;
      const made = unwrapParens(model.resolveValue(receiver));
      if (made.type !== 'call') return;
      const dependencies = context.call(made).keywords.get('dependencies');
      if (dependencies !== undefined && authDependency(text(dependencies)) !== undefined)
        protectedRouters.add(group);
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
          severity: 'medium',
          confidence: missing ? 'medium' : 'low',
        });
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

    // ── 6. PAM ──

    const pamCalls: SyntaxNode[] = [];
    const accountChecks: SyntaxNode[] = [];

    const checkPam = (node: SyntaxNode): void => {
      const call = context.call(node);
      const qualified = call.qualifiedName;
      const method = qualified === undefined ? call.methodName : lastSegment(qualified);
      if (method === undefined) return;
      if (ACCOUNT_CHECKS.has(method) || method === 'PAM_ACCT_MGMT') {
        accountChecks.push(node);
        return;
      }
      if (method === 'pam_authenticate') {
        pamCalls.push(node);
        return;
      }
      if (method !== 'authenticate') return;
      if (qualified === 'pamela.authenticate') {
        const check = call.keywords.get('check');
        if (check !== undefined && model.truthiness(check) === false) pamCalls.push(node);
        return;
      }
      if (qualified !== undefined && PYTHON_PAM_FUNCTIONS.has(qualified)) {
        pamCalls.push(node);
        return;
      }
      const receiver = receiverOf(call);
      const maker = receiver === undefined ? undefined : model.constructedBy(receiver);
      if (maker !== undefined && PYTHON_PAM_CLASSES.has(maker)) pamCalls.push(node);
    };

    const checkPamCalls = (): void => {
      if (pamCalls.length === 0) return;
      const helpers = new Set<string>();
      for (const check of accountChecks) {
        const owner = enclosingFunction(check);
        const name = owner?.childForFieldName('name');
        if (name !== null && name !== undefined) helpers.add(text(name));
      }
      for (const node of pamCalls) {
        const unit = topLevelUnit(node);
        const checked =
          unit === undefined
            ? accountChecks.length > 0
            : accountChecks.some((check) => contains(unit, check)) ||
              (helpers.size > 0 &&
                unit
                  .descendantsOfType('call')
                  .some((call) => helpers.has(context.call(call).methodName ?? '')));
        if (checked) continue;
        context.report({
          node,
          messageId: 'pamNoAccountCheck',
          data: { call: shortText(text(context.call(node).callee), 40) },
        });
      }
    };

    /** Which frameworks the file uses, read once from its imports: most files need no check. */
    let frameworks: { django: boolean; drf: boolean; routes: boolean; pam: boolean } | undefined;
    const uses = (): NonNullable<typeof frameworks> => {
      if (frameworks !== undefined) return frameworks;
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
      frameworks = {
        django: drf || imports('django'),
        drf,
        routes: FLASK_MODULES.some(imports) || FASTAPI_MODULES.some(imports),
        pam: PAM_MODULES.some(imports),
      };
      return frameworks;
    };

    return {
      call(node) {
        const call = context.call(node);
        const method = call.methodName;
        if (method === undefined) return;
        if (PAM_METHODS.has(method)) {
          checkPam(node);
          return;
        }
        const { django, pam } = uses();
        if (!django && !pam) return;
        const qualified = call.qualifiedName;
        if (qualified !== undefined && PAM_NAMES.has(qualified)) checkPam(node);
        else if (
          django &&
          (ORM_LOOKUPS.has(method) ||
            method === 'get_object_or_404' ||
            (qualified !== undefined && FETCH_SHORTCUTS.has(qualified)))
        )
          checkDjangoFetch(node);
      },
      class_definition(node) {
        if (uses().drf) checkDrfClass(node);
      },
      function_definition(node) {
        if (node.parent?.type !== 'decorated_definition') return;
        const { drf, routes } = uses();
        if (!drf && !routes) return;
        const decorators = decoratorNames(model, node);
        if (drf) checkDrfFunction(node, decorators);
        if (routes) collectRoute(node, decorators);
      },
      end() {
        checkFlaskRoutes();
        checkFastApiRoutes();
        checkPamCalls();
      },
    };
  },
});
