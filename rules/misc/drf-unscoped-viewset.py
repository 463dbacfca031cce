from rest_framework import generics, viewsets
from rest_framework.decorators import permission_classes
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated

from .models import Category, Document, Order
from .serializers import CategorySerializer, DocumentSerializer, OrderSerializer

# ── Model viewsets whose queryset is never narrowed to the user ───────────────────────────


class BadOrderModelViewSet(viewsets.ModelViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = OrderSerializer
    # ruleid: drf-unscoped-viewset
    queryset = Order.objects.all()


class BadReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DocumentSerializer
    # ruleid: drf-unscoped-viewset
    queryset = Document.objects.all()


class OkScopedModelViewSet(viewsets.ModelViewSet):
    serializer_class = OrderSerializer
    # ok: drf-unscoped-viewset
    queryset = Order.objects.all()

    def get_queryset(self):
        return self.queryset.filter(owner=self.request.user)


class OkAdminModelViewSet(viewsets.ModelViewSet):
    permission_classes = [IsAdminUser]
    serializer_class = OrderSerializer
    # ok: drf-unscoped-viewset
    queryset = Order.objects.all()


class OkPublicCategories(viewsets.ReadOnlyModelViewSet):
    # Public reference data, deliberately open.
    permission_classes = [AllowAny]
    serializer_class = CategorySerializer
    # ok: drf-unscoped-viewset
    queryset = Category.objects.all()


class OkFilteredViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DocumentSerializer
    # ok: drf-unscoped-viewset
    queryset = Document.objects.filter(published=True)


class OkPublicList(generics.ListAPIView):
    # A read-only list keyed by nothing.
    serializer_class = CategorySerializer
    # ok: drf-unscoped-viewset
    queryset = Category.objects.all()
