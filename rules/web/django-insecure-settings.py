import os

# ok: django-insecure-settings
BASE_DIR = os.path.dirname(os.path.abspath(__file__))

# ruleid: django-insecure-settings
DEBUG = True

# ruleid: django-insecure-settings
ALLOWED_HOSTS = ["api.example.com", "*"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.sessions",
    "shop",
]

# ruleid: django-insecure-settings
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

ROOT_URLCONF = "shop.urls"

# ruleid: django-insecure-settings
SESSION_COOKIE_SECURE = False
# ruleid: django-insecure-settings
CSRF_COOKIE_SECURE = False
# ruleid: django-insecure-settings
SESSION_COOKIE_HTTPONLY = False
# ruleid: django-insecure-settings
SECURE_SSL_REDIRECT = False
# ruleid: django-insecure-settings
SECURE_HSTS_SECONDS = 0

# ok: django-insecure-settings
TEMPLATE_DEBUG = os.environ.get("TEMPLATE_DEBUG") == "1"
# ok: django-insecure-settings
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# ok: django-insecure-settings
X_FRAME_OPTIONS = "DENY"

if os.environ.get("DJANGO_ENV") == "development":
    # ok: django-insecure-settings
    DEBUG = True
    # ok: django-insecure-settings
    ALLOWED_HOSTS = ["*"]


def configure_for_tests(settings):
    # ok: django-insecure-settings
    DEBUG = True
    # ok: django-insecure-settings
    settings.SESSION_COOKIE_SECURE = False
    return DEBUG


class Staging:
    # ok: django-insecure-settings
    DEBUG = True


# ok: django-insecure-settings
CSRF_TRUSTED_ORIGINS = ["https://api.example.com"]


# Fixes: a literal `False` or `0` cookie flag becomes `True`; a name is left to the author.
COOKIES_OVER_HTTP = False
# ruleid: django-insecure-settings
SESSION_COOKIE_HTTPONLY = 0
# ruleid: django-insecure-settings
CSRF_COOKIE_SECURE = COOKIES_OVER_HTTP
