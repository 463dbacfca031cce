import httpx
import requests
from requests.auth import HTTPBasicAuth

BASE = "http://reports.example.com"


def bad_basic_auth(password):
    # ruleid: credentials-over-http
    return requests.get("http://api.example.com/reports", auth=("reporter", password), timeout=10)


def bad_auth_object(user, password):
    # ruleid: credentials-over-http
    return requests.post(
        BASE + "/upload",
        auth=HTTPBasicAuth(user, password),
        timeout=10,
    )


def bad_bearer_header(token):
    headers = {"Authorization": f"Bearer {token}"}
    # ruleid: credentials-over-http
    return httpx.get("http://api.example.com/me", headers=headers)


def bad_session_api_key(key):
    session = requests.Session()
    # ruleid: credentials-over-http
    return session.get("http://api.example.com/data", headers={"X-Api-Key": key}, timeout=5)


def bad_userinfo_url():
    # ruleid: credentials-over-http
    return requests.get("http://admin:hunter2@router.example.com/config", timeout=5)


def ok_https(password):
    # ok: credentials-over-http
    return requests.get("https://api.example.com/reports", auth=("reporter", password), timeout=10)


def ok_localhost(password):
    # ok: credentials-over-http
    return requests.get("http://localhost:9000/admin", auth=("admin", password), timeout=5)


def ok_no_credentials():
    # ok: credentials-over-http
    return requests.get("http://example.com/robots.txt", timeout=5)


def ok_auth_none():
    # ok: credentials-over-http
    return requests.get("http://example.com/public", auth=None, timeout=5)


def ok_other_headers():
    # ok: credentials-over-http
    return requests.get("http://example.com/", headers={"Accept": "text/html"}, timeout=5)


def bad_function_import(password):
    import httpx as client_module

    # ruleid: credentials-over-http
    return client_module.post("http://api.example.com/login", auth=("me", password))
