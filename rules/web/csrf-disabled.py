import hmac

from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.csrf import csrf_exempt as no_csrf
from flask import Flask
from flask_wtf.csrf import CSRFProtect
from pyramid.view import view_config

from .models import Article, Subscription
from .services import add_comment, notify_staff

app = Flask(__name__)
csrf = CSRFProtect(app)


# ruleid: csrf-disabled
@csrf_exempt
def change_email(request):
    request.user.email = request.POST["email"]
    request.user.save()


# ruleid: csrf-disabled
@no_csrf
def transfer(request):
    return request.POST["amount"]


# ruleid: csrf-disabled
@method_decorator(csrf_exempt, name="dispatch")
class ProfileView(View):
    def post(self, request):
        return request.POST


@app.route("/settings", methods=["POST"])
# ruleid: csrf-disabled
@csrf.exempt
def update_settings():
    return "ok"


# ruleid: csrf-disabled
@view_config(route_name="delete", request_method="POST", require_csrf=False)
def delete_item(request):
    return {}


def includeme(config):
    # ruleid: csrf-disabled
    config.set_default_csrf_options(require_csrf=False)
    # ruleid: csrf-disabled
    config.set_default_csrf_options(require_csrf=True, check_origin=False)


# ruleid: csrf-disabled
app.config["WTF_CSRF_ENABLED"] = False


class ProductionConfig:
    # ruleid: csrf-disabled
    WTF_CSRF_ENABLED = False


urlpatterns = [
    # ruleid: csrf-disabled
    csrf_exempt(transfer),
]


# Views that never change state are still reported, at low confidence (hidden by default).
# ruleid: csrf-disabled
@csrf_exempt
def about_page(request):
    return render(request, "about.html")


# ruleid: csrf-disabled
@csrf_exempt
def search_page(request):
    query = request.GET.get("q", "")
    results = Article.objects.filter(title__icontains=query)
    return render(request, "search.html", {"results": results})


# ruleid: csrf-disabled
@method_decorator(csrf_exempt, name="dispatch")
class ReportView(View):
    def get(self, request):
        return render(request, "report.html")


# State changes keep the exemption at full confidence: a GET that deletes, a POST branch,
# a session write, a DRF body.
# ruleid: csrf-disabled
@csrf_exempt
def unsubscribe(request):
    Subscription.objects.filter(token=request.GET["token"]).delete()
    return render(request, "bye.html")


# ruleid: csrf-disabled
@csrf_exempt
def contact(request):
    if request.method == "POST":
        notify_staff()
    return render(request, "contact.html")


# ruleid: csrf-disabled
@csrf_exempt
def pick_language(request):
    request.session["lang"] = request.GET.get("lang", "en")
    return render(request, "home.html")


# ruleid: csrf-disabled
@csrf_exempt
def api_comment(request):
    return add_comment(request.data)


# ok: csrf-disabled
@csrf_exempt
def stripe_webhook(request):
    signature = request.headers["Stripe-Signature"]
    expected = hmac.new(b"secret", request.body, "sha256").hexdigest()
    if not hmac.compare_digest(signature, expected):
        raise PermissionError("bad signature")
    return "ok"


# ok: csrf-disabled
@csrf_exempt
def api_orders(request):
    token = request.META["HTTP_AUTHORIZATION"]
    return token


class TestingConfig:
    # ok: csrf-disabled
    WTF_CSRF_ENABLED = False


# ok: csrf-disabled
@view_config(route_name="home", require_csrf=True)
def home(request):
    return {}


# ok: csrf-disabled
WTF_CSRF_TIME_LIMIT = 3600
