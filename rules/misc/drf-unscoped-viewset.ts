/**
 * DRF model viewsets that serve `Model.objects.all()` with no `get_queryset`, so every user can
 * list and open every object.
 */
import {
  defineRule,
  drfViewClass,
  frameworksUsed,
  receiverOf,
  shortText,
  throughManager,
  unwrapParens,
} from '../../src/rules-api/index.js';

const MODEL_VIEWSETS = new Set(['ModelViewSet', 'ReadOnlyModelViewSet']);

export default defineRule({
  meta: {
    id: 'PGM014',
    slug: 'drf-unscoped-viewset',
    title: 'DRF model viewset serves every object to every user',
    category: 'misc',
    severity: 'medium',
    confidence: 'medium',
    cwe: [639, 285],
    owasp: ['A01:2021 Broken Access Control'],
    description:
      'Flags Django REST framework `ModelViewSet` and `ReadOnlyModelViewSet` classes whose `queryset` is `Model.objects.all()` and that define no `get_queryset`, unless an admin-only permission class guards them (read-only viewsets open to anyone are taken for public reference data).',
    why: "A model viewset answers list and detail requests from its `queryset`. When that is every row and nothing narrows it to the current user, any user who can reach the viewset can list all objects and open each one by id, including other users' data. Permission classes such as `IsAuthenticated` check who the user is, not which rows are theirs.",
    fix: "Override `get_queryset` to return only the current user's objects (`return Order.objects.filter(owner=self.request.user)`), or add an object-level permission that checks ownership.",
    example: {
      bad: 'from rest_framework import viewsets\nfrom rest_framework.permissions import IsAuthenticated\n\n\nclass OrderViewSet(viewsets.ModelViewSet):\n    permission_classes = [IsAuthenticated]\n    serializer_class = OrderSerializer\n    queryset = Order.objects.all()\n',
      good: 'from rest_framework import viewsets\nfrom rest_framework.permissions import IsAuthenticated\n\n\nclass OrderViewSet(viewsets.ModelViewSet):\n    permission_classes = [IsAuthenticated]\n    serializer_class = OrderSerializer\n\n    def get_queryset(self):\n        return Order.objects.filter(owner=self.request.user)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/639.html',
      'https://www.django-rest-framework.org/api-guide/filtering/#filtering-against-the-current-user',
      'https://cheatsheetseries.owasp.org/cheatsheets/Insecure_Direct_Object_Reference_Prevention_Cheat_Sheet.html',
    ],
    bandit: [],
    ruff: [],
    replaces: [{ id: 'PGM006', slug: 'authz-idor-heuristics' }],
  },
  messages: {
    unscopedViewSet:
      "`{{view}}` serves `{{queryset}}` and has no `get_queryset`, so every user can list and open every object by id. Override `get_queryset` to return only the current user's objects (`...filter(owner=self.request.user)`).",
  },
  create(context) {
    if (context.isTestFile) return {};
    const { model } = context;
    let drf: boolean | undefined;
    return {
      class_definition(node) {
        drf ??= frameworksUsed(model).drf;
        if (!drf) return;
        const view = drfViewClass(model, node);
        if (view === undefined) return;
        const { bases, body, className, kind } = view;
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
          data: { view: className, queryset: shortText(model.textOf(value), 50) },
          confidence: readOnly || kind === 'custom' ? 'low' : 'medium',
        });
      },
    };
  },
});
