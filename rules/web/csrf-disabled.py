import hmac

from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.csrf import csrf_exempt as no_csrf
from flask import Flask
from flask_wtf.csrf import CSRFProtect
from pyramid.view import view_config

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
