import base64

import jwt as pyjwt
from aiohttp_session import cookie_storage
from aiohttp_session.redis_storage import RedisStorage as SessionInRedis
from django.http import HttpResponse
from flask import make_response
from pyramid.authentication import AuthTktAuthenticationPolicy as TicketPolicy
from pyramid.session import SignedCookieSessionFactory


def bad_flask_session(token):
    response = make_response("ok")
    # ruleid: insecure-cookie-flags
    response.set_cookie("session", token)
    return response


def bad_django_no_secure(token):
    response = HttpResponse("ok")
    # ruleid: insecure-cookie-flags
    response.set_cookie("auth_token", token, httponly=True)
    return response


def bad_explicit_false(response, token):
    # ruleid: insecure-cookie-flags
    response.set_cookie(
        key="remember_me",
        value=token,
        secure=False,
        httponly=True,
    )


def bad_samesite_none(response, sid):
    # ruleid: insecure-cookie-flags
    response.set_cookie("sessionid", sid, secure=True, httponly=True, samesite="None")


def bad_pyramid_policy(secret):
    # ruleid: insecure-cookie-flags
    return TicketPolicy(secret, hashalg="sha512")


def bad_pyramid_session_factory(secret):
    # ruleid: insecure-cookie-flags
    return SignedCookieSessionFactory(secret, secure=True)


def ok_flags_set(response, token):
    # ok: insecure-cookie-flags
    response.set_cookie("session", token, secure=True, httponly=True, samesite="Lax")


def ok_csrf_cookie_readable(response, value):
    # ok: insecure-cookie-flags
    response.set_cookie("XSRF-TOKEN", value, secure=True, samesite="Strict")


def ok_preference_cookie(response):
    # ok: insecure-cookie-flags
    response.set_cookie("theme", "dark")
    # ok: insecure-cookie-flags
    response.set_cookie("language", "en", max_age=3600)


def ok_delete(response):
    # ok: insecure-cookie-flags
    response.delete_cookie("session")
    # ok: insecure-cookie-flags
    response.set_cookie("session", "", expires=0)


def ok_forwarded_options(response, token, **cookie_options):
    # ok: insecure-cookie-flags
    response.set_cookie("session", token, **cookie_options)


def ok_configured_flags(response, token, settings):
    # ok: insecure-cookie-flags
    response.set_cookie(
        "session",
        token,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=settings.SESSION_COOKIE_HTTPONLY,
    )


def ok_cookie_jar(jar, cookie):
    # ok: insecure-cookie-flags
    jar.set_cookie(cookie)


def ok_pyramid_policy(secret):
    # ok: insecure-cookie-flags
    return TicketPolicy(secret, secure=True, http_only=True, hashalg="sha512")


def bad_django_signed(response, user_id):
    # ruleid: insecure-cookie-flags
    response.set_signed_cookie("auth", user_id, salt="login", httponly=True)


def bad_identity_names(response, member):
    # ruleid: insecure-cookie-flags
    response.set_cookie("account_id", member.pk)
    # ruleid: insecure-cookie-flags
    response.set_cookie("is_admin", "yes", max_age=600)
    # ruleid: insecure-cookie-flags
    response.set_cookie("user_email", member.contact_address)
    # ruleid: insecure-cookie-flags
    response.set_cookie("role", member.group_name, httponly=True)


def bad_generic_name_identity_value(response, login_name):
    stamp = f"{login_name}:trusted"
    packed = base64.urlsafe_b64encode(stamp.encode()).decode()
    # ruleid: insecure-cookie-flags
    response.set_cookie("state", packed)


def bad_generic_name_jwt_value(response, claims, key):
    # ruleid: insecure-cookie-flags
    response.set_cookie("blob", pyjwt.encode(claims, key, algorithm="HS256"))


def bad_flag_switched_off_any_cookie(response, hint):
    # ruleid: insecure-cookie-flags
    response.set_cookie("last_page", hint, secure=False)
    # ruleid: insecure-cookie-flags
    response.set_cookie("widget_state", hint, httponly=False, secure=True)
    # ruleid: insecure-cookie-flags
    response.set_cookie("promo_seen", "1", samesite="none")


def bad_identity_positional_flags_off(response, person):
    # ruleid: insecure-cookie-flags
    response.set_cookie(
        "member_ref",
        person.userid,
        max_age=86400,
        samesite=None,
        secure=False,
    )


def bad_aiohttp_storages(redis_pool, fernet_key):
    # ruleid: insecure-cookie-flags
    first = SessionInRedis(redis_pool, httponly=False)
    # ruleid: insecure-cookie-flags
    second = cookie_storage.EncryptedCookieStorage(fernet_key, secure=False, max_age=3600)
    return first, second


def ok_aiohttp_storage(redis_pool):
    # ok: insecure-cookie-flags
    return SessionInRedis(redis_pool, secure=True, httponly=True, samesite="Lax")


def ok_preference_from_profile(response, member):
    # ok: insecure-cookie-flags
    response.set_cookie("ui_theme", member.theme)
    # ok: insecure-cookie-flags
    response.set_cookie("cookie_consent", "accepted", max_age=31536000)
    # ok: insecure-cookie-flags
    response.set_cookie("lang", member.user.locale_code)
    # ok: insecure-cookie-flags
    response.set_cookie("cart_id", member.basket_ref)


def ok_clearing_identity_cookies(response):
    # ok: insecure-cookie-flags
    response.set_cookie("user_id", None)
    # ok: insecure-cookie-flags
    response.set_cookie("account_id", "gone", max_age=0)
    # ok: insecure-cookie-flags
    response.delete_cookie("is_admin")


def ok_explicit_flags_on_generic_cookie(response, hint):
    # ok: insecure-cookie-flags
    response.set_cookie("last_page", hint, secure=True, samesite="Lax")
    # ok: insecure-cookie-flags
    response.set_cookie("scroll_pos", hint, httponly=True)


def ok_test_client_cookie(client, token):
    # ok: insecure-cookie-flags
    client.set_cookie("session", token)


# Fixes: a literal `False`/`None` flag becomes `True`, a missing flag is added by keyword.
def bad_fix_multi_line_trailing_comma(response, token):
    # ruleid: insecure-cookie-flags
    response.set_cookie(
        "refresh_token",
        token,
        max_age=3600,
    )


def bad_fix_none_flag(response, sid):
    # ruleid: insecure-cookie-flags
    response.set_cookie("sessionid", sid, secure=None, httponly=True)


def bad_no_fix_positional_flag(response, sid):
    # ruleid: insecure-cookie-flags
    response.set_cookie("sessionid", sid, None, None, "/", None, False, True)


def bad_no_fix_computed_flag(response, sid, settings):
    # ruleid: insecure-cookie-flags
    response.set_cookie("sessionid", sid, secure=settings.https, httponly=False)
