import pyotp
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.core.mail import send_mail
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit
from fastapi import APIRouter, Depends, FastAPI
from fastapi.security import OAuth2PasswordRequestForm
from fastapi_limiter.depends import RateLimiter
from flask import Blueprint, Flask
from flask import request as flask_request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import login_user
from rest_framework import viewsets
from rest_framework.decorators import action, api_view, throttle_classes
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenObtainPairView
from slowapi import Limiter as SlowLimiter
from slowapi.util import get_remote_address as slow_key
from werkzeug.security import check_password_hash

# DRF's default throttles are not configured in this module: DRF views need their own.
REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"]}


# --- Login, token, password-reset and one-time-code views without a throttle ---

app = Flask(__name__)
bp = Blueprint("auth", __name__)
limiter = Limiter(get_remote_address, app=app)
limited_app = Flask("limited")
Limiter(get_remote_address, app=limited_app, default_limits=["200 per day", "50 per hour"])
init_limited = Flask("init-limited")
late_limiter = Limiter(get_remote_address, default_limits=["100 per hour"])
late_limiter.init_app(init_limited)
api = FastAPI()
router = APIRouter()
limited_router = APIRouter(dependencies=[Depends(RateLimiter(times=5, seconds=60))])
slow_limiter = SlowLimiter(key_func=slow_key)


def find_user(username):
    return None


# ruleid: auth-view-missing-rate-limit
def login_view(request):
    user = authenticate(
        request, username=request.POST["username"], password=request.POST["password"]
    )
    if user is not None:
        login(request, user)
    return redirect("home")


# ruleid: auth-view-missing-rate-limit
def forgot_password(request):
    send_mail("Reset", "Follow the link", None, [request.POST["email"]])
    return redirect("login")


# ruleid: auth-view-missing-rate-limit
class SignInView(View):
    def post(self, request):
        user = authenticate(request, **request.POST.dict())
        login(request, user)
        return redirect("home")


# ruleid: auth-view-missing-rate-limit
class CustomLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"


# ruleid: auth-view-missing-rate-limit
class LoginAPIView(APIView):
    def post(self, request):
        user = authenticate(request, **request.data)
        login(request, user)
        return Response({"ok": user is not None})


# ruleid: auth-view-missing-rate-limit
class MyTokenView(TokenObtainPairView):
    pass


@api_view(["POST"])
# ruleid: auth-view-missing-rate-limit
def obtain_token(request):
    user = authenticate(request, **request.data)
    return Response({"token": str(user)})


class AccountViewSet(viewsets.GenericViewSet):
    @action(detail=False, methods=["post"])
    # ruleid: auth-view-missing-rate-limit
    def login(self, request):
        user = authenticate(request, **request.data)
        return Response({"ok": user is not None})

    # ok: auth-view-missing-rate-limit
    def list(self, request):
        return Response([])


class OtpVerifyView(APIView):
    # ruleid: auth-view-missing-rate-limit
    throttle_classes = []

    def post(self, request):
        totp = pyotp.TOTP(request.user.otp_secret)
        return Response({"ok": totp.verify(request.data["code"])})


@app.route("/login", methods=["POST"])
# ruleid: auth-view-missing-rate-limit
def login_page():
    user = find_user(flask_request.form["username"])
    if user and check_password_hash(user.password_hash, flask_request.form["password"]):
        login_user(user)
    return redirect("/")


@bp.post("/auth/signin")
# ruleid: auth-view-missing-rate-limit
def handle():
    user = find_user(flask_request.form["username"])
    return {"ok": check_password_hash(user.password_hash, flask_request.form["password"])}


@app.post("/session")
@limiter.exempt
# ruleid: auth-view-missing-rate-limit
def login_exempt():
    user = find_user(flask_request.form["username"])
    login_user(user)
    return redirect("/")


def create_app():
    factory_app = Flask(__name__)

    @factory_app.route("/signin", methods=["POST"])
    # ruleid: auth-view-missing-rate-limit
    def signin():
        user = find_user(flask_request.form["username"])
        login_user(user)
        return redirect("/")

    return factory_app


@api.post("/token")
# ruleid: auth-view-missing-rate-limit
async def login_for_access_token(form_data: OAuth2PasswordRequestForm = Depends()):
    user = authenticate_user(form_data.username, form_data.password)
    return {"access_token": user, "token_type": "bearer"}


@router.post("/otp/verify")
# ruleid: auth-view-missing-rate-limit
async def verify_otp(code: str):
    totp = pyotp.TOTP("base32secret3232")
    return {"ok": totp.verify(code)}


# ok: auth-view-missing-rate-limit
def authenticate_user(username, password):
    user = find_user(username)
    return user if check_password_hash(user.password_hash, password) else None


@ratelimit(key="ip", rate="5/m", block=True)
# ok: auth-view-missing-rate-limit
def ok_login_ratelimited(request):
    user = authenticate(request, **request.POST.dict())
    login(request, user)
    return redirect("home")


# ok: auth-view-missing-rate-limit
def ok_login_checked_in_body(request):
    if is_ratelimited(request, group="login", key="ip", rate="5/m", increment=True):
        return redirect("slow-down")
    user = authenticate(request, **request.POST.dict())
    login(request, user)
    return redirect("home")


# ok: auth-view-missing-rate-limit
def login_page_get(request):
    return render(request, "login.html")


# ok: auth-view-missing-rate-limit
def logout_view(request):
    logout(request)
    return redirect("login")


# ok: auth-view-missing-rate-limit
def signup(request):
    user = authenticate(request, **request.POST.dict())
    login(request, user)
    return redirect("home")


@method_decorator(ratelimit(key="ip", rate="5/m"), name="post")
# ok: auth-view-missing-rate-limit
class LimitedLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"


# ok: auth-view-missing-rate-limit
class LogoutView(View):
    # ok: auth-view-missing-rate-limit
    def post(self, request):
        logout(request)
        return redirect("login")


# ok: auth-view-missing-rate-limit
class ThrottledLoginView(APIView):
    throttle_classes = [AnonRateThrottle]

    def post(self, request):
        return Response({"ok": authenticate(request, **request.data) is not None})


# ok: auth-view-missing-rate-limit
class ScopedTokenView(TokenObtainPairView):
    throttle_scope = "login"


@api_view(["POST"])
@throttle_classes([AnonRateThrottle])
# ok: auth-view-missing-rate-limit
def throttled_token(request):
    return Response({"token": str(authenticate(request, **request.data))})


@app.route("/auth/login", methods=["POST"])
@limiter.limit("5 per minute")
# ok: auth-view-missing-rate-limit
def limited_login():
    login_user(find_user(flask_request.form["username"]))
    return redirect("/")


@limited_app.route("/login", methods=["POST"])
# ok: auth-view-missing-rate-limit
def app_limited_login():
    login_user(find_user(flask_request.form["username"]))
    return redirect("/")


@init_limited.post("/login")
# ok: auth-view-missing-rate-limit
def init_limited_login():
    login_user(find_user(flask_request.form["username"]))
    return redirect("/")


@app.route("/late-login", methods=["POST"])
# ok: auth-view-missing-rate-limit
def late_login():
    login_user(find_user(flask_request.form["username"]))
    return redirect("/")


limiter.limit("3/minute")(late_login)


@app.post("/auth/register")
# ok: auth-view-missing-rate-limit
def create_account():
    login_user(find_user(flask_request.form["username"]))
    return redirect("/")


@app.get("/activate/<token>")
# ok: auth-view-missing-rate-limit
def activate(token):
    login_user(find_user(token))
    return redirect("/")


@api.post("/login", dependencies=[Depends(RateLimiter(times=5, seconds=60))])
# ok: auth-view-missing-rate-limit
async def limited_api_login(form_data: OAuth2PasswordRequestForm = Depends()):
    return {"user": authenticate_user(form_data.username, form_data.password)}


@api.post("/auth/token")
# ok: auth-view-missing-rate-limit
async def param_limited_token(
    form_data: OAuth2PasswordRequestForm = Depends(),
    _limit: None = Depends(RateLimiter(times=5, seconds=60)),
):
    return {"user": authenticate_user(form_data.username, form_data.password)}


@limited_router.post("/login")
# ok: auth-view-missing-rate-limit
async def router_limited_login(form_data: OAuth2PasswordRequestForm = Depends()):
    return {"user": authenticate_user(form_data.username, form_data.password)}


@api.post("/signin")
@slow_limiter.limit("5/minute")
# ok: auth-view-missing-rate-limit
async def slowapi_login(request, form_data: OAuth2PasswordRequestForm = Depends()):
    return {"user": authenticate_user(form_data.username, form_data.password)}
