from django.shortcuts import get_object_or_404
from rest_framework import generics, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Document, Order
from .serializers import DocumentSerializer

# ── DRF views open to anyone that change data ─────────────────────────────────────────────


class BadOpenOrderView(APIView):
    # ruleid: drf-open-write-view
    permission_classes = [AllowAny]

    def delete(self, request, pk):
        order = get_object_or_404(Order, pk=pk, owner=request.user)
        order.delete()
        return Response(status=204)


class BadOpenViewSet(viewsets.ModelViewSet):
    # ruleid: drf-open-write-view
    permission_classes = ()
    serializer_class = DocumentSerializer

    def get_queryset(self):
        return Document.objects.filter(owner=self.request.user)


class BadOpenUpdateView(generics.RetrieveUpdateAPIView):
    # ruleid: drf-open-write-view
    permission_classes = []
    serializer_class = DocumentSerializer

    def get_queryset(self):
        return Document.objects.filter(owner=self.request.user)


@api_view(["POST", "DELETE"])
# ruleid: drf-open-write-view
@permission_classes([AllowAny])
def bad_open_function_view(request):
    return Response(status=204)


@api_view(["GET"])
# ok: drf-open-write-view
@permission_classes([AllowAny])
def ok_open_read_only_function_view(request):
    return Response([])


class OkRegisterView(generics.CreateAPIView):
    # Sign-up is public on purpose.
    # ok: drf-open-write-view
    permission_classes = [AllowAny]
    serializer_class = DocumentSerializer


class OkPublicReadView(APIView):
    # ok: drf-open-write-view
    permission_classes = [AllowAny]

    def get(self, request):
        return Response([])


class OkAuthenticatedWriteView(APIView):
    # ok: drf-open-write-view
    permission_classes = [IsAuthenticated]

    def post(self, request):
        Order.objects.create(owner=request.user)
        return Response(status=201)
