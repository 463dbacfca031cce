import os

import jwt
from decouple import config
from django.core.management.utils import get_random_secret_key
from flask import Flask
from jose import jwt as jose_jwt

app = Flask(__name__)

# ruleid: hardcoded-framework-secret
SECRET_KEY = "django-insecure-5v#9q!x2m@k8z$w3r&t7y^u1p"

# ruleid: hardcoded-framework-secret
SECRET_KEY_FALLBACKS = ["old-key-Zq81!mW4#rT6"]

# ruleid: hardcoded-framework-secret
app.secret_key = "b'\xb1\x9a\x0f\xd2\x83'"

# ruleid: hardcoded-framework-secret
app.config["JWT_SECRET_KEY"] = "super-secret"

# ruleid: hardcoded-framework-secret
app.config["SECRET_KEY"] = "dev"


class Config:
    # ruleid: hardcoded-framework-secret
    SECRET_KEY = "8f42a73054b1749f8f58848be5e6502c"
    # ruleid: hardcoded-framework-secret
    WTF_CSRF_SECRET_KEY = "a-csrf-Key-7731"


def bad_config_dict():
    app.config.update(
        {
            # ruleid: hardcoded-framework-secret
            "SECRET_KEY": "Kp9!x2Lm#4Qr",
        }
    )


def bad_placeholder_keyword():
    # Secret-shaped keyword values are hardcoded-password-kwarg's; placeholders are reported here.
    # ruleid: hardcoded-framework-secret
    app.config.from_mapping(SECRET_KEY="dev", DATABASE="app.sqlite")


def bad_env_fallback():
    # ruleid: hardcoded-framework-secret
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-secret-key")
    # ruleid: hardcoded-framework-secret
    key = config("SECRET_KEY", default="insecure-default-Key-1")
    return key


def bad_jwt_literal_key(payload, token):
    # ruleid: hardcoded-framework-secret
    a = jwt.encode(payload, "secret", algorithm="HS256")
    # ruleid: hardcoded-framework-secret
    b = jwt.decode(token, key="my-jwt-signing-key-123", algorithms=["HS256"])
    # ruleid: hardcoded-framework-secret
    c = jose_jwt.encode(payload, "Zx81mNq4Lr7tVb2c", algorithm="HS256")
    return a, b, c


def bad_jwt_key_through_variable(payload):
    signing = "Zx81mNq4Lr7tVb2c"
    # ruleid: hardcoded-framework-secret
    return jwt.encode(
        payload,
        signing,
        algorithm="HS256",
    )


def ok_environment(payload):
    # ok: hardcoded-framework-secret
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    # ok: hardcoded-framework-secret
    app.secret_key = os.getenv("FLASK_SECRET_KEY")
    # ok: hardcoded-framework-secret
    app.config["JWT_SECRET_KEY"] = config("JWT_SECRET_KEY")
    # ok: hardcoded-framework-secret
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "")
    # ok: hardcoded-framework-secret
    return jwt.encode(payload, os.environ["JWT_KEY"], algorithm="HS256")


def ok_generated():
    # ok: hardcoded-framework-secret
    app.config["SECRET_KEY"] = get_random_secret_key()
    # ok: hardcoded-framework-secret
    app.secret_key = os.urandom(32)


def ok_template_and_empty():
    # ok: hardcoded-framework-secret
    app.config["SECRET_KEY"] = "{{ cookiecutter.secret_key }}"
    # ok: hardcoded-framework-secret
    app.config["SECRET_KEY"] = ""


def ok_public_key(token):
    public_key = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----"
    # ok: hardcoded-framework-secret
    return jwt.decode(token, public_key, algorithms=["ES256"])


def ok_secret_named_key(payload):
    # The assignment is reported by hardcoded-password-assign; the call is not reported again.
    JWT_SECRET = os.environ["JWT_SECRET"]
    # ok: hardcoded-framework-secret
    return jwt.encode(payload, JWT_SECRET, algorithm="HS256")


def ok_other_names():
    # ok: hardcoded-framework-secret
    SESSION_COOKIE_NAME = "session"
    # ok: hardcoded-framework-secret
    secret_key_name = "SECRET_KEY"
    # ok: hardcoded-framework-secret
    return "x".encode("utf-8"), SESSION_COOKIE_NAME, secret_key_name


class EnvProvider:
    # Names of environment variables, not keys.
    # ok: hardcoded-framework-secret
    SECRET_KEY = "AWS_SECRET_ACCESS_KEY"
    # ok: hardcoded-framework-secret
    JWT_SECRET_KEY = "AWSSecretKey"


def ok_comparison(value):
    # ok: hardcoded-framework-secret
    return value == "SECRET_KEY"


class GeneratedKeys:
    # Django's generator mixes `%`, `^`, `(`, `)` and `*`; they are not format specifiers here.
    # ruleid: hardcoded-framework-secret
    SECRET_KEY = "django-insecure-q7%-e2(w^k9)*v0%3dz!m%ob8+t4#yx&n1"
    # ruleid: hardcoded-framework-secret
    JWT_SECRET_KEY = "p3%0%5zk!r8^w)+c2(ua6@h9#mq%tv1e$"


def bad_key_with_space_and_escape():
    # ruleid: hardcoded-framework-secret
    app.secret_key = "Hq4!vN9 t\5Wz@Lk~Bp^Dr%2&Yc;Fm"


def bad_typed_lowercase_keys():
    # ruleid: hardcoded-framework-secret
    app.config["SECRET_KEY"] = "inventory_portal_signing_key"
    # ruleid: hardcoded-framework-secret
    app.secret_key = "put-a-real-key-in-here"
    # ruleid: hardcoded-framework-secret
    app.config["SECRET_KEY"] = "zzzzzzzzzz"


class EnvNames:
    # ok: hardcoded-framework-secret
    SECRET_KEY = "PORTAL_SIGNING_KEY"


def ok_format_template():
    # ok: hardcoded-framework-secret
    app.config["SECRET_KEY"] = "%(key)s"


class ProfileFileKeys:
    # The name of an entry in a credentials file, not a key.
    # ok: hardcoded-framework-secret
    SECRET_KEY = "storage_secret_access_key"


def bad_factory_default_low_tier():
    # Reported at low confidence only: the config file loaded next replaces the default.
    # ruleid: hardcoded-framework-secret
    app.config.from_mapping(SECRET_KEY="dev-only")
    app.config.from_pyfile("instance.cfg", silent=True)
