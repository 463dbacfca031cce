/**
 * Django and DRF views that load one object by an id the client chooses (a URL argument,
 * `self.kwargs`, request data) and never check the object against the current user or a
 * permission: insecure direct object reference.
 */
import {
  callVisitors,
  baseNames,
  classBody,
  classOf,
  decoratorNames,
  defineRule,
  enclosingFunction,
  frameworksUsed,
  parametersOf,
  permissionKind,
  receiverOf,
  shortText,
  throughManager,
  unwrapParens,
  VIEW_METHODS,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { CONVERTERS, ID_KEYWORD, OWNER_KEYWORD } from '../_shared/access-control.js';

/** Django/DRF shortcuts that load one object from a model or queryset. */
const FETCH_SHORTCUTS = new Set([
  'django.shortcuts.get_object_or_404',
  'django.shortcuts.get_list_or_404',
  'rest_framework.generics.get_object_or_404',
]);
/** ORM methods that select rows by field values (`Model.objects.get(pk=...)`). */
const ORM_LOOKUPS = new Set(['get', 'filter', 'get_or_none']);
/**
 * `filter()` counts only with the primary key (`pk`, `id__in`), so lists narrowed by a foreign
 * key (`filter(category_id=...)`) are not taken for object access.
 */
const PRIMARY_KEYWORD = /^(?:pk|id|uuid)(?:__(?:i?exact|in))?$/;
/** Text of a Django/DRF view that checks who the user is or what they may do. */
const DJANGO_AUTHZ =
  /\brequest\.(?:user|auth)\b|\bhas_(?:perms?|permission|object_permission)\b|\bcheck_(?:object_)?permissions\b|\buser_passes_test\b|\bpermission_required\b|\b(?:staff_member|superuser|admin|staff)_required\b|\bPermissionDenied\b|\bget_queryset\b/;
/** Text that only proves the user logged in. */
const LOGIN_ONLY = /\blogin_required\b|\bLoginRequired|\bIsAuthenticated\b|\bjwt_required\b/;
/** Class-based-view mixins that check permissions, not just a login. */
const AUTHZ_MIXIN =
  /Permission\w*Mixin$|UserPassesTest\w*Mixin$|(?:Staff|Superuser|Group|Owner)\w*Mixin$/;

/** The function's text with its decorators. */
function textWithDecorators(model: SemanticModel, definition: SyntaxNode): string {
  const parent = definition.parent;
  return model.textOf(parent?.type === 'decorated_definition' ? parent : definition);
}

export default defineRule({
  meta: {
    id: 'PGM012',
    slug: 'django-unscoped-object-fetch',
    title: 'Django view loads an object by a client-chosen id without an owner or permission check',
    category: 'misc',
    severity: 'medium',
    confidence: 'medium',
    cwe: [639, 862],
    owasp: ['A01:2021 Broken Access Control'],
    description:
      'Flags Django and DRF views that load one object (`get_object_or_404`, `Model.objects.get/filter`) by an id the client chooses (a URL argument, `self.kwargs`, request data) and never check it against `request.user` or a permission; a view that only requires a login is reported with low confidence.',
    why: "An id in a URL or a form is chosen by the client. If the view loads the object by that id alone, any logged-in user (or anyone at all) can read, change or delete other people's objects by counting through ids (insecure direct object reference). Authentication decorators do not help: they check who the user is, not whether the object is theirs. Static analysis cannot see application-specific checks, so these findings are hints for a reviewer, not proof.",
    fix: 'Scope the query to the current user (`get_object_or_404(Order, pk=pk, owner=request.user)`, `request.user.orders.get(pk=pk)`, `get_queryset()` returning `...filter(owner=self.request.user)`), or check an object permission before using the object (`request.user.has_perm(...)`, DRF `check_object_permissions`, `@permission_required`).',
    example: {
      bad: 'from django.shortcuts import get_object_or_404, render\n\ndef invoice(request, pk):\n    invoice = get_object_or_404(Invoice, pk=pk)\n    return render(request, "invoice.html", {"invoice": invoice})\n',
      good: 'from django.shortcuts import get_object_or_404, render\n\ndef invoice(request, pk):\n    invoice = get_object_or_404(Invoice, pk=pk, owner=request.user)\n    return render(request, "invoice.html", {"invoice": invoice})\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/639.html',
      'https://cwe.mitre.org/data/definitions/862.html',
      'https://cheatsheetseries.owasp.org/cheatsheets/Insecure_Direct_Object_Reference_Prevention_Cheat_Sheet.html',
      'https://docs.djangoproject.com/en/stable/topics/auth/default/#limiting-access-to-logged-in-users',
      'https://www.django-rest-framework.org/api-guide/filtering/#filtering-against-the-current-user',
    ],
    bandit: [],
    ruff: [],
    replaces: [{ id: 'PGM006', slug: 'authz-idor-heuristics' }],
  },
  messages: {
    unscopedFetch:
      "`{{fetch}}` looks up by `{{key}}`, which the client chooses ({{source}}), but `{{view}}` never checks it against `request.user` or a permission, so anyone can open other users' objects by changing the id. Scope the query to the owner (`owner=request.user`) or check a permission before using the object.",
    loginOnlyFetch:
      "`{{fetch}}` looks up by `{{key}}`, which the client chooses ({{source}}); `{{view}}` requires a login but never checks that the object belongs to `request.user`, so any logged-in user can open other users' objects. Scope the query to the owner (`owner=request.user`) or check an object permission.",
  },
  select: { calls: [...FETCH_SHORTCUTS], methods: [...ORM_LOOKUPS, 'get_object_or_404'] },
  create(context) {
    if (context.isTestFile) return {};
    const { model } = context;
    const text = (node: SyntaxNode): string => model.textOf(node);

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

    let django: boolean | undefined;
    return {
      ...callVisitors(context, (node, call) => {
        django ??= frameworksUsed(model).django;
        if (!django) return;
        const method = call.methodName;
        if (method === undefined) return;
        const qualified = call.qualifiedName;
        if (
          ORM_LOOKUPS.has(method) ||
          method === 'get_object_or_404' ||
          (qualified !== undefined && FETCH_SHORTCUTS.has(qualified))
        )
          checkDjangoFetch(node);
      }),
    };
  },
});
