import logging
from ipaddress import ip_address, ip_network

from flask import request

ADMIN_IPS = {"10.0.0.1", "10.0.0.2"}
INTERNAL = ip_network("10.0.0.0/8")
log = logging.getLogger(__name__)


def bad_direct_membership():
    # ruleid: client-ip-trust
    if request.headers.get("X-Forwarded-For") in ADMIN_IPS:
        return "admin"
    return "user"


def bad_assigned_then_compared():
    ip = request.headers.get("X-Forwarded-For", request.remote_addr).split(",")[0].strip()
    log.info("request from %s", ip)
    # ruleid: client-ip-trust
    if ip == "127.0.0.1":
        return "local"
    return "remote"


def bad_converted(environ):
    addr = ip_address(environ.get("HTTP_X_FORWARDED_FOR", ""))
    # ruleid: client-ip-trust
    return addr in INTERNAL


def bad_django_meta(req):
    client = req.META["HTTP_X_REAL_IP"]
    # ruleid: client-ip-trust
    if is_blocked(client):
        return None
    return client


def bad_rate_limit(limiter):
    real_ip = request.headers["X-Real-IP"]
    # ruleid: client-ip-trust
    limiter.rate_limit(
        key=real_ip,
        per_minute=10,
    )


def bad_environ():
    # ruleid: client-ip-trust
    return request.environ.get("HTTP_X_FORWARDED_FOR") not in ADMIN_IPS


def is_blocked(address):
    return address in {"1.2.3.4"}


def ok_logging_only():
    ip = request.headers.get("X-Forwarded-For")
    # ok: client-ip-trust
    log.warning("forwarded for %s", ip)
    # ok: client-ip-trust
    print(request.headers.get("X-Real-IP"))


def ok_presence_checks():
    xff = request.headers.get("X-Forwarded-For")
    # ok: client-ip-trust
    if xff is None:
        return request.remote_addr
    # ok: client-ip-trust
    if xff == "":
        return request.remote_addr
    return xff


def ok_remote_addr():
    # ok: client-ip-trust
    if request.remote_addr in ADMIN_IPS:
        return "admin"
    return "user"


def ok_reassigned():
    ip = request.headers.get("X-Forwarded-For")
    log.info("claimed %s", ip)
    ip = request.remote_addr
    # ok: client-ip-trust
    return ip in ADMIN_IPS


def ok_other_header():
    # ok: client-ip-trust
    return request.headers.get("X-Request-Id") == "abc"
