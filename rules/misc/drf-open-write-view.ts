/**
 * DRF views whose `permission_classes` admit anyone (`AllowAny`, an empty list) while they
 * change data: write handlers of their own, inherited ones, or `@api_view` write methods.
 */
import {
  decoratorNames,
  defineRule,
  drfViewClass,
  frameworksUsed,
  permissionKind,
  shortText,
  unwrapParens,
  type NamedDecorator,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { publicByDesign } from '../_shared/access-control.js';

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

export default defineRule({
  meta: {
    id: 'PGM013',
    slug: 'drf-open-write-view',
    title: 'DRF view open to anyone changes data',
    category: 'misc',
    severity: 'medium',
    confidence: 'medium',
    cwe: [862, 284],
    owasp: ['A01:2021 Broken Access Control'],
    description:
      'Flags Django REST framework views whose `permission_classes` admit anyone (`AllowAny`, an empty list or tuple) while they change data: write handlers (`post`, `delete`, `perform_update`, ...), generic views and mixins that inherit them, or `@api_view` with write methods. Public sign-up and similar create-only views are left alone.',
    why: "`permission_classes = [AllowAny]` (or an empty list) turns off DRF's permission checks for the view, so anyone, logged in or not, can create, change or delete data through it. Setting it on a view that writes is usually a leftover from development or a copy of a public read-only view.",
    fix: 'Use `IsAuthenticated` together with an object-level permission that checks ownership, or limit the view to safe methods. Views that are public by design (sign-up, password reset) should accept only what that flow needs.',
    example: {
      bad: 'from rest_framework.permissions import AllowAny\nfrom rest_framework.response import Response\nfrom rest_framework.views import APIView\n\n\nclass OrderView(APIView):\n    permission_classes = [AllowAny]\n\n    def delete(self, request, pk):\n        Order.objects.filter(pk=pk, owner=request.user).delete()\n        return Response(status=204)\n',
      good: 'from rest_framework.permissions import IsAuthenticated\nfrom rest_framework.response import Response\nfrom rest_framework.views import APIView\n\n\nclass OrderView(APIView):\n    permission_classes = [IsAuthenticated]\n\n    def delete(self, request, pk):\n        Order.objects.filter(pk=pk, owner=request.user).delete()\n        return Response(status=204)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/862.html',
      'https://www.django-rest-framework.org/api-guide/permissions/',
    ],
    bandit: [],
    ruff: [],
    replaces: [{ id: 'PGM006', slug: 'authz-idor-heuristics' }],
  },
  messages: {
    openWriteView:
      '`{{view}}` sets `permission_classes` to `{{value}}` but {{exposes}}, so anyone, logged in or not, can change data through it. Use `IsAuthenticated` with an object-level permission (owner check), or limit the view to safe methods.',
  },
  create(context) {
    if (context.isTestFile) return {};
    const { model } = context;
    const text = (node: SyntaxNode): string => model.textOf(node);

    const checkDrfClass = (node: SyntaxNode): void => {
      const view = drfViewClass(model, node);
      if (view === undefined) return;
      const { bases, body, className, permissions, permissionValue, kind } = view;
      if (permissions === undefined || permissionValue === undefined || kind !== 'open') return;
      const writes = [...body.methods].filter((method) => UNSAFE_METHODS.has(method));
      const writeBases = bases.filter((base) => WRITE_BASE.test(base.name));
      const createsOnly =
        writes.every((method) => CREATE_METHODS.has(method)) &&
        writeBases.every((base) => CREATE_BASE.test(base.name));
      if (writes.length === 0 && writeBases.length === 0) return;
      if (createsOnly && publicByDesign(className)) return;
      const exposes =
        writeBases.length > 0
          ? `inherits handlers that change data from \`${writeBases[0]?.name ?? ''}\``
          : `defines \`${writes.join('`, `')}\``;
      context.report({
        node: permissions,
        messageId: 'openWriteView',
        data: { view: className, value: shortText(text(permissionValue), 40), exposes },
      });
    };

    /** `@api_view(["POST", "DELETE"])` with `@permission_classes([AllowAny])`. */
    const checkDrfFunction = (definition: SyntaxNode, decorators: NamedDecorator[]): void => {
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

    let drf: boolean | undefined;
    return {
      class_definition(node) {
        drf ??= frameworksUsed(model).drf;
        if (drf) checkDrfClass(node);
      },
      function_definition(node) {
        if (node.parent?.type !== 'decorated_definition') return;
        drf ??= frameworksUsed(model).drf;
        if (drf) checkDrfFunction(node, decoratorNames(model, node));
      },
    };
  },
});
