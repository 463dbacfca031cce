import ctypes
from ctypes.util import find_library
from typing import Annotated

import pam
import pam as pamlib
import pamela
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.shortcuts import get_object_or_404 as fetch_or_404
from django.shortcuts import get_object_or_404, render
from django.views import View
from fastapi import APIRouter, Depends, FastAPI, Security
from flask import Blueprint, Flask, abort, g, jsonify
from flask import session as flask_session
from flask_login import current_user
from flask_login import login_required as flask_login_required
from flask_security import roles_required
from rest_framework import generics, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Category, Document, Invoice, Order, Product
from .permissions import IsOwner
from .serializers import CategorySerializer, DocumentSerializer, OrderSerializer

# ── 1. Django / DRF views that fetch one object by a request id ─────────────────────────────


def bad_document_detail(request, pk):
    # ruleid: authz-idor-heuristics
    document = get_object_or_404(Document, pk=pk)
    return render(request, "document.html", {"document": document})


def bad_alias_import(request, doc_id):
    # ruleid: authz-idor-heuristics
    document = fetch_or_404(Document, id=doc_id)
    return render(request, "document.html", {"document": document})


def bad_id_from_query_string(request):
    # ruleid: authz-idor-heuristics
    invoice = Invoice.objects.get(id=request.GET["invoice"])
    return render(request, "invoice.html", {"invoice": invoice})


def bad_id_converted_to_int(request):
    invoice_id = int(request.POST.get("invoice_id"))
    # ruleid: authz-idor-heuristics
    Invoice.objects.filter(pk=invoice_id).delete()
    return render(request, "done.html")


def bad_multi_line_chain(request, order_id):
    order = (
        # ruleid: authz-idor-heuristics
        Order.objects.select_related("customer").get(
            pk=order_id,
        )
    )
    return render(request, "order.html", {"order": order})


def bad_bulk_delete(request):
    # ruleid: authz-idor-heuristics
    Document.objects.filter(pk__in=request.POST.getlist("ids")).delete()
    return render(request, "done.html")


@login_required
def bad_login_only(request, pk):
    # Logging in is authentication, not authorisation: still reported (at low confidence).
    # ruleid: authz-idor-heuristics
    document = get_object_or_404(Document, pk=pk)
    return render(request, "document.html", {"document": document})


def bad_owner_from_url(request, user_id):
    # The "owner" is taken from the URL, so it is the id being guessed.
    # ruleid: authz-idor-heuristics
    orders = Order.objects.filter(user_id=user_id)
    return render(request, "orders.html", {"orders": orders})


class BadDocumentView(View):
    def get(self, request, pk):
        # ruleid: authz-idor-heuristics
        document = Document.objects.get(pk=pk)
        return render(request, "document.html", {"document": document})

    def delete(self, request, *args, **kwargs):
        # ruleid: authz-idor-heuristics
        Document.objects.get(pk=self.kwargs["pk"]).delete()
        return render(request, "done.html")


class BadLoginMixinView(LoginRequiredMixin, View):
    def post(self, request, pk):
        # ruleid: authz-idor-heuristics
        order = get_object_or_404(Order, pk=pk)
        order.cancel()
        return render(request, "order.html", {"order": order})


class BadOrderViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticated]

    def retrieve(self, request, pk=None):
        # ruleid: authz-idor-heuristics
        order = Order.objects.get(pk=pk)
        return Response(OrderSerializer(order).data)

    def destroy(self, request, pk=None):
        # ruleid: authz-idor-heuristics
        get_object_or_404(Order, pk=pk).delete()
        return Response(status=204)


@api_view(["GET"])
def bad_api_view(request, pk):
    # ruleid: authz-idor-heuristics
    document = Document.objects.get(pk=pk)
    return Response(DocumentSerializer(document).data)


def ok_scoped_to_user(request, pk):
    # ok: authz-idor-heuristics
    document = get_object_or_404(Document, pk=pk, owner=request.user)
    return render(request, "document.html", {"document": document})


def ok_checked_after_fetch(request, pk):
    # ok: authz-idor-heuristics
    document = get_object_or_404(Document, pk=pk)
    if document.owner != request.user:
        return render(request, "403.html", status=403)
    return render(request, "document.html", {"document": document})


def ok_has_perm(request, pk):
    # ok: authz-idor-heuristics
    document = Document.objects.get(pk=pk)
    if not request.user.has_perm("docs.view_document", document):
        return render(request, "403.html", status=403)
    return render(request, "document.html", {"document": document})


def ok_owner_keyword(request, pk):
    # ok: authz-idor-heuristics
    invoice = Invoice.objects.get(pk=pk, created_by=current_account())
    return render(request, "invoice.html", {"invoice": invoice})


def ok_related_manager(request, pk):
    # ok: authz-idor-heuristics
    order = request.user.orders.get(pk=pk)
    return render(request, "order.html", {"order": order})


@staff_member_required
def ok_staff_only(request, pk):
    # ok: authz-idor-heuristics
    document = get_object_or_404(Document, pk=pk)
    return render(request, "document.html", {"document": document})


@permission_required("docs.change_document")
def ok_permission_decorator(request, pk):
    # ok: authz-idor-heuristics
    Document.objects.filter(pk=pk).update(archived=True)
    return render(request, "done.html")


def ok_public_list(request):
    # Public catalogue data, nothing keyed by an id.
    # ok: authz-idor-heuristics
    products = Product.objects.filter(category__slug=request.GET.get("category"))
    return render(request, "products.html", {"products": products})


def ok_public_list_by_category(request, category_id):
    # A list narrowed by a foreign key, not one object picked by its id.
    # ok: authz-idor-heuristics
    products = Product.objects.filter(category_id=category_id)
    return render(request, "products.html", {"products": products})


def ok_public_page_by_slug(request, slug):
    # ok: authz-idor-heuristics
    product = get_object_or_404(Product, slug=slug)
    return render(request, "product.html", {"product": product})


def ok_constant_id(request):
    # ok: authz-idor-heuristics
    product = Product.objects.get(pk=1)
    return render(request, "product.html", {"product": product})


def ok_not_a_view(pk):
    # ok: authz-idor-heuristics
    return Document.objects.get(pk=pk)


class OkPermissionMixinView(PermissionRequiredMixin, View):
    permission_required = "docs.view_document"

    def get(self, request, pk):
        # ok: authz-idor-heuristics
        document = Document.objects.get(pk=pk)
        return render(request, "document.html", {"document": document})


class OkObjectPermissionViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticated, IsOwner]

    def retrieve(self, request, pk=None):
        # ok: authz-idor-heuristics
        order = Order.objects.get(pk=pk)
        self.check_object_permissions(request, order)
        return Response(OrderSerializer(order).data)


class OkAdminViewSet(viewsets.ViewSet):
    permission_classes = [IsAdminUser]

    def retrieve(self, request, pk=None):
        # ok: authz-idor-heuristics
        return Response(OrderSerializer(Order.objects.get(pk=pk)).data)


# ── 2. DRF views open to anyone that change data ─────────────────────────────────────────────


class BadOpenOrderView(APIView):
    # ruleid: authz-idor-heuristics
    permission_classes = [AllowAny]

    def delete(self, request, pk):
        order = get_object_or_404(Order, pk=pk, owner=request.user)
        order.delete()
        return Response(status=204)


class BadOpenViewSet(viewsets.ModelViewSet):
    # ruleid: authz-idor-heuristics
    permission_classes = ()
    serializer_class = DocumentSerializer

    def get_queryset(self):
        return Document.objects.filter(owner=self.request.user)


class BadOpenUpdateView(generics.RetrieveUpdateAPIView):
    # ruleid: authz-idor-heuristics
    permission_classes = []
    serializer_class = DocumentSerializer

    def get_queryset(self):
        return Document.objects.filter(owner=self.request.user)


@api_view(["POST", "DELETE"])
# ruleid: authz-idor-heuristics
@permission_classes([AllowAny])
def bad_open_function_view(request):
    return Response(status=204)


@api_view(["GET"])
# ok: authz-idor-heuristics
@permission_classes([AllowAny])
def ok_open_read_only_function_view(request):
    return Response([])


class OkRegisterView(generics.CreateAPIView):
    # Sign-up is public on purpose.
    # ok: authz-idor-heuristics
    permission_classes = [AllowAny]
    serializer_class = DocumentSerializer


class OkPublicReadView(APIView):
    # ok: authz-idor-heuristics
    permission_classes = [AllowAny]

    def get(self, request):
        return Response([])


class OkAuthenticatedWriteView(APIView):
    # ok: authz-idor-heuristics
    permission_classes = [IsAuthenticated]

    def post(self, request):
        Order.objects.create(owner=request.user)
        return Response(status=201)


# ── 3. Model viewsets whose queryset is never narrowed to the user ───────────────────────────


class BadOrderModelViewSet(viewsets.ModelViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = OrderSerializer
    # ruleid: authz-idor-heuristics
    queryset = Order.objects.all()


class BadReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DocumentSerializer
    # ruleid: authz-idor-heuristics
    queryset = Document.objects.all()


class OkScopedModelViewSet(viewsets.ModelViewSet):
    serializer_class = OrderSerializer
    # ok: authz-idor-heuristics
    queryset = Order.objects.all()

    def get_queryset(self):
        return self.queryset.filter(owner=self.request.user)


class OkAdminModelViewSet(viewsets.ModelViewSet):
    permission_classes = [IsAdminUser]
    serializer_class = OrderSerializer
    # ok: authz-idor-heuristics
    queryset = Order.objects.all()


class OkPublicCategories(viewsets.ReadOnlyModelViewSet):
    # Public reference data, deliberately open.
    permission_classes = [AllowAny]
    serializer_class = CategorySerializer
    # ok: authz-idor-heuristics
    queryset = Category.objects.all()


class OkFilteredViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DocumentSerializer
    # ok: authz-idor-heuristics
    queryset = Document.objects.filter(published=True)


class OkPublicList(generics.ListAPIView):
    # A read-only list keyed by nothing.
    serializer_class = CategorySerializer
    # ok: authz-idor-heuristics
    queryset = Category.objects.all()


# ── 4. Flask routes that load a model by a URL id ────────────────────────────────────────────

app = Flask(__name__)


@app.route("/account")
@flask_login_required
def ok_account_page():
    return jsonify(current_user.to_dict())


@app.route("/invoices/<int:invoice_id>")
def bad_missing_decorator(invoice_id):
    # ruleid: authz-idor-heuristics
    invoice = Invoice.query.get_or_404(invoice_id)
    return jsonify(invoice.to_dict())


@app.route("/orders/<int:order_id>", methods=["DELETE"])
def bad_missing_decorator_filter_by(order_id):
    # ruleid: authz-idor-heuristics
    order = Order.query.filter_by(id=order_id).first_or_404()
    order.delete()
    return "", 204


@app.get("/docs/<doc_id>")
def bad_missing_decorator_session_get(doc_id):
    # ruleid: authz-idor-heuristics
    document = db.session.get(Document, doc_id)
    return jsonify(document.to_dict())


@app.route("/orders/<int:order_id>/view")
@flask_login_required
def bad_logged_in_but_any_order(order_id):
    # ruleid: authz-idor-heuristics
    order = Order.query.get(order_id)
    return jsonify(order.to_dict())


@app.route("/orders/<int:order_id>/mine")
@flask_login_required
def ok_owner_checked(order_id):
    # ok: authz-idor-heuristics
    order = Order.query.get_or_404(order_id)
    if order.owner_id != current_user.id:
        abort(403)
    return jsonify(order.to_dict())


@app.route("/orders/<int:order_id>/scoped")
@flask_login_required
def ok_owner_filter(order_id):
    # ok: authz-idor-heuristics
    order = Order.query.filter_by(id=order_id, owner=current_user).first_or_404()
    return jsonify(order.to_dict())


@app.route("/notes/<int:note_id>")
def ok_g_user(note_id):
    # ok: authz-idor-heuristics
    note = Document.query.filter_by(id=note_id, owner_id=g.user.id).first_or_404()
    return jsonify(note.to_dict())


@app.route("/cart/<int:item_id>")
def ok_session_user(item_id):
    # ok: authz-idor-heuristics
    item = Order.query.get(item_id)
    if item.user_id != flask_session["user_id"]:
        abort(403)
    return jsonify(item.to_dict())


@app.route("/admin/orders/<int:order_id>")
@roles_required("admin")
def ok_admin_route(order_id):
    # ok: authz-idor-heuristics
    return jsonify(Order.query.get_or_404(order_id).to_dict())


@app.route("/products/<slug>")
def ok_public_by_slug(slug):
    # ok: authz-idor-heuristics
    product = Product.query.filter_by(slug=slug).first_or_404()
    return jsonify(product.to_dict())


@app.route("/lookup/<int:product_id>")
def ok_not_a_model_load(product_id):
    # ok: authz-idor-heuristics
    return jsonify(CACHE.get(product_id))


public = Blueprint("public", __name__)


@public.route("/articles/<int:article_id>")
def bad_no_decorator_anywhere(article_id):
    # No route of this blueprint logs users in: reported at low confidence only.
    # ruleid: authz-idor-heuristics
    article = Document.query.get_or_404(article_id)
    return jsonify(article.to_dict())


# ── 5. FastAPI routes without the auth dependency their siblings use ─────────────────────────

api = FastAPI()
router = APIRouter(prefix="/orders")


def get_current_user(token: str = Depends(oauth2_scheme)):
    return token


def get_db():
    return None


@router.get("/")
def ok_list_orders(user=Depends(get_current_user), db=Depends(get_db)):
    return db.list_orders(user)


@router.get("/{order_id}")
def ok_get_order(order_id: int, user: Annotated[dict, Depends(get_current_user)]):
    return {"order": order_id, "user": user}


@router.delete("/{order_id}")
# ruleid: authz-idor-heuristics
def bad_delete_order(order_id: int, db=Depends(get_db)):
    return db.delete_order(order_id)


@router.put("/{order_id}")
# ruleid: authz-idor-heuristics
async def bad_update_order(order_id: int, body: dict):
    return body


@router.get("/health")
# ok: authz-idor-heuristics
def health():
    return {"ok": True}


@router.post("/token")
# ok: authz-idor-heuristics
def login_for_access_token(form: dict):
    return form


@router.get("/{order_id}/items", dependencies=[Depends(get_current_user)])
# ok: authz-idor-heuristics
def ok_router_dependency(order_id: int):
    return []


@router.get("/{order_id}/secure")
# ok: authz-idor-heuristics
def ok_security(order_id: int, user=Security(get_current_user, scopes=["orders"])):
    return user


secure_router = APIRouter(dependencies=[Depends(get_current_user)])


@secure_router.get("/me")
def ok_me(user=Depends(get_current_user)):
    return user


@secure_router.delete("/reports/{report_id}")
# The router adds the auth dependency to every route.
# ok: authz-idor-heuristics
def ok_router_wide_dependency(report_id: int):
    return report_id


@api.get("/products/{product_id}")
# No route of `api` uses an auth dependency: nothing to compare with.
# ok: authz-idor-heuristics
def ok_public_products(product_id: int, db=Depends(get_db)):
    return db.get_product(product_id)


# ── 6. PAM authentication without account management ────────────────────────────────────────


def bad_python_pam(username, password):
    # ruleid: authz-idor-heuristics
    return pam.authenticate(username, password)


def bad_python_pam_object(username, password):
    checker = pamlib.pam()
    # ruleid: authz-idor-heuristics
    return checker.authenticate(username, password, service="login")


def bad_ctypes_pam(handle):
    libpam = ctypes.CDLL(find_library("pam"))
    # ruleid: authz-idor-heuristics
    return libpam.pam_authenticate(handle, 0) == 0


def bad_pamela_without_check(username, password):
    # ruleid: authz-idor-heuristics
    pamela.authenticate(username, password, check=False)


def ok_pamela_checks_account(username, password):
    # pamela runs pam_acct_mgmt itself unless told not to.
    # ok: authz-idor-heuristics
    pamela.authenticate(username, password)


def ok_ctypes_with_account_check(handle):
    libpam = ctypes.CDLL(find_library("pam"))
    # ok: authz-idor-heuristics
    if libpam.pam_authenticate(handle, 0) == 0:
        return libpam.pam_acct_mgmt(handle, 0) == 0
    return False


_libpam = ctypes.CDLL(find_library("pam"))


def account_allowed(handle):
    return _libpam.pam_acct_mgmt(handle, 0) == 0


def ok_helper_checks_account(handle):
    # ok: authz-idor-heuristics
    return _libpam.pam_authenticate(handle, 0) == 0 and account_allowed(handle)


def ok_unrelated_authenticate(backend, username, password):
    # ok: authz-idor-heuristics
    return backend.authenticate(username, password)
