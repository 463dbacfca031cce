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
