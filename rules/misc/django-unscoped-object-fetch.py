from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.shortcuts import get_object_or_404 as fetch_or_404
from django.shortcuts import get_object_or_404, render
from django.views import View
from rest_framework import viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.response import Response

from .models import Document, Invoice, Order, Product
from .permissions import IsOwner
from .serializers import DocumentSerializer, OrderSerializer

# ── Django / DRF views that fetch one object by a request id ─────────────────────────────


def bad_document_detail(request, pk):
    # ruleid: django-unscoped-object-fetch
    document = get_object_or_404(Document, pk=pk)
    return render(request, "document.html", {"document": document})


def bad_alias_import(request, doc_id):
    # ruleid: django-unscoped-object-fetch
    document = fetch_or_404(Document, id=doc_id)
    return render(request, "document.html", {"document": document})


def bad_id_from_query_string(request):
    # ruleid: django-unscoped-object-fetch
    invoice = Invoice.objects.get(id=request.GET["invoice"])
    return render(request, "invoice.html", {"invoice": invoice})


def bad_id_converted_to_int(request):
    invoice_id = int(request.POST.get("invoice_id"))
    # ruleid: django-unscoped-object-fetch
    Invoice.objects.filter(pk=invoice_id).delete()
    return render(request, "done.html")


def bad_multi_line_chain(request, order_id):
    order = (
        # ruleid: django-unscoped-object-fetch
        Order.objects.select_related("customer").get(
            pk=order_id,
        )
    )
    return render(request, "order.html", {"order": order})


def bad_bulk_delete(request):
    # ruleid: django-unscoped-object-fetch
    Document.objects.filter(pk__in=request.POST.getlist("ids")).delete()
    return render(request, "done.html")


@login_required
def bad_login_only(request, pk):
    # Logging in is authentication, not authorisation: still reported (at low confidence).
    # ruleid: django-unscoped-object-fetch
    document = get_object_or_404(Document, pk=pk)
    return render(request, "document.html", {"document": document})


def bad_owner_from_url(request, user_id):
    # The "owner" is taken from the URL, so it is the id being guessed.
    # ruleid: django-unscoped-object-fetch
    orders = Order.objects.filter(user_id=user_id)
    return render(request, "orders.html", {"orders": orders})


class BadDocumentView(View):
    def get(self, request, pk):
        # ruleid: django-unscoped-object-fetch
        document = Document.objects.get(pk=pk)
        return render(request, "document.html", {"document": document})

    def delete(self, request, *args, **kwargs):
        # ruleid: django-unscoped-object-fetch
        Document.objects.get(pk=self.kwargs["pk"]).delete()
        return render(request, "done.html")


class BadLoginMixinView(LoginRequiredMixin, View):
    def post(self, request, pk):
        # ruleid: django-unscoped-object-fetch
        order = get_object_or_404(Order, pk=pk)
        order.cancel()
        return render(request, "order.html", {"order": order})


class BadOrderViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticated]

    def retrieve(self, request, pk=None):
        # ruleid: django-unscoped-object-fetch
        order = Order.objects.get(pk=pk)
        return Response(OrderSerializer(order).data)

    def destroy(self, request, pk=None):
        # ruleid: django-unscoped-object-fetch
        get_object_or_404(Order, pk=pk).delete()
        return Response(status=204)


@api_view(["GET"])
def bad_api_view(request, pk):
    # ruleid: django-unscoped-object-fetch
    document = Document.objects.get(pk=pk)
    return Response(DocumentSerializer(document).data)


def ok_scoped_to_user(request, pk):
    # ok: django-unscoped-object-fetch
    document = get_object_or_404(Document, pk=pk, owner=request.user)
    return render(request, "document.html", {"document": document})


def ok_checked_after_fetch(request, pk):
    # ok: django-unscoped-object-fetch
    document = get_object_or_404(Document, pk=pk)
    if document.owner != request.user:
        return render(request, "403.html", status=403)
    return render(request, "document.html", {"document": document})


def ok_has_perm(request, pk):
    # ok: django-unscoped-object-fetch
    document = Document.objects.get(pk=pk)
    if not request.user.has_perm("docs.view_document", document):
        return render(request, "403.html", status=403)
    return render(request, "document.html", {"document": document})


def ok_owner_keyword(request, pk):
    # ok: django-unscoped-object-fetch
    invoice = Invoice.objects.get(pk=pk, created_by=current_account())
    return render(request, "invoice.html", {"invoice": invoice})


def ok_related_manager(request, pk):
    # ok: django-unscoped-object-fetch
    order = request.user.orders.get(pk=pk)
    return render(request, "order.html", {"order": order})


@staff_member_required
def ok_staff_only(request, pk):
    # ok: django-unscoped-object-fetch
    document = get_object_or_404(Document, pk=pk)
    return render(request, "document.html", {"document": document})


@permission_required("docs.change_document")
def ok_permission_decorator(request, pk):
    # ok: django-unscoped-object-fetch
    Document.objects.filter(pk=pk).update(archived=True)
    return render(request, "done.html")


def ok_public_list(request):
    # Public catalogue data, nothing keyed by an id.
    # ok: django-unscoped-object-fetch
    products = Product.objects.filter(category__slug=request.GET.get("category"))
    return render(request, "products.html", {"products": products})


def ok_public_list_by_category(request, category_id):
    # A list narrowed by a foreign key, not one object picked by its id.
    # ok: django-unscoped-object-fetch
    products = Product.objects.filter(category_id=category_id)
    return render(request, "products.html", {"products": products})


def ok_public_page_by_slug(request, slug):
    # ok: django-unscoped-object-fetch
    product = get_object_or_404(Product, slug=slug)
    return render(request, "product.html", {"product": product})


def ok_constant_id(request):
    # ok: django-unscoped-object-fetch
    product = Product.objects.get(pk=1)
    return render(request, "product.html", {"product": product})


def ok_not_a_view(pk):
    # ok: django-unscoped-object-fetch
    return Document.objects.get(pk=pk)


class OkPermissionMixinView(PermissionRequiredMixin, View):
    permission_required = "docs.view_document"

    def get(self, request, pk):
        # ok: django-unscoped-object-fetch
        document = Document.objects.get(pk=pk)
        return render(request, "document.html", {"document": document})


class OkObjectPermissionViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticated, IsOwner]

    def retrieve(self, request, pk=None):
        # ok: django-unscoped-object-fetch
        order = Order.objects.get(pk=pk)
        self.check_object_permissions(request, order)
        return Response(OrderSerializer(order).data)


class OkAdminViewSet(viewsets.ViewSet):
    permission_classes = [IsAdminUser]

    def retrieve(self, request, pk=None):
        # ok: django-unscoped-object-fetch
        return Response(OrderSerializer(Order.objects.get(pk=pk)).data)
