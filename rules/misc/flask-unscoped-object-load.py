from flask import Blueprint, Flask, abort, g, jsonify
from flask import session as flask_session
from flask_login import current_user
from flask_login import login_required as flask_login_required
from flask_security import roles_required

from .models import Document, Invoice, Order, Product

# ── Flask routes that load a model by a URL id ────────────────────────────────────────────

app = Flask(__name__)


@app.route("/account")
@flask_login_required
def ok_account_page():
    return jsonify(current_user.to_dict())


@app.route("/invoices/<int:invoice_id>")
def bad_missing_decorator(invoice_id):
    # ruleid: flask-unscoped-object-load
    invoice = Invoice.query.get_or_404(invoice_id)
    return jsonify(invoice.to_dict())


@app.route("/orders/<int:order_id>", methods=["DELETE"])
def bad_missing_decorator_filter_by(order_id):
    # ruleid: flask-unscoped-object-load
    order = Order.query.filter_by(id=order_id).first_or_404()
    order.delete()
    return "", 204


@app.get("/docs/<doc_id>")
def bad_missing_decorator_session_get(doc_id):
    # ruleid: flask-unscoped-object-load
    document = db.session.get(Document, doc_id)
    return jsonify(document.to_dict())


@app.route("/orders/<int:order_id>/view")
@flask_login_required
def bad_logged_in_but_any_order(order_id):
    # ruleid: flask-unscoped-object-load
    order = Order.query.get(order_id)
    return jsonify(order.to_dict())


@app.route("/orders/<int:order_id>/mine")
@flask_login_required
def ok_owner_checked(order_id):
    # ok: flask-unscoped-object-load
    order = Order.query.get_or_404(order_id)
    if order.owner_id != current_user.id:
        abort(403)
    return jsonify(order.to_dict())


@app.route("/orders/<int:order_id>/scoped")
@flask_login_required
def ok_owner_filter(order_id):
    # ok: flask-unscoped-object-load
    order = Order.query.filter_by(id=order_id, owner=current_user).first_or_404()
    return jsonify(order.to_dict())


@app.route("/notes/<int:note_id>")
def ok_g_user(note_id):
    # ok: flask-unscoped-object-load
    note = Document.query.filter_by(id=note_id, owner_id=g.user.id).first_or_404()
    return jsonify(note.to_dict())


@app.route("/cart/<int:item_id>")
def ok_session_user(item_id):
    # ok: flask-unscoped-object-load
    item = Order.query.get(item_id)
    if item.user_id != flask_session["user_id"]:
        abort(403)
    return jsonify(item.to_dict())


@app.route("/admin/orders/<int:order_id>")
@roles_required("admin")
def ok_admin_route(order_id):
    # ok: flask-unscoped-object-load
    return jsonify(Order.query.get_or_404(order_id).to_dict())


@app.route("/products/<slug>")
def ok_public_by_slug(slug):
    # ok: flask-unscoped-object-load
    product = Product.query.filter_by(slug=slug).first_or_404()
    return jsonify(product.to_dict())


@app.route("/lookup/<int:product_id>")
def ok_not_a_model_load(product_id):
    # ok: flask-unscoped-object-load
    return jsonify(CACHE.get(product_id))


public = Blueprint("public", __name__)


@public.route("/articles/<int:article_id>")
def bad_no_decorator_anywhere(article_id):
    # No route of this blueprint logs users in: reported at low confidence only.
    # ruleid: flask-unscoped-object-load
    article = Document.query.get_or_404(article_id)
    return jsonify(article.to_dict())
