import httpx
import requests
import requests as rq
from requests import Session
from requests import post as send_post

NO_TIMEOUT = None


def bad_module_functions(url):
    # ruleid: request-without-timeout
    requests.get(url)
    # ruleid: request-without-timeout
    rq.put(url, data={"a": 1})
    # ruleid: request-without-timeout
    send_post(url, json={})
    # ruleid: request-without-timeout
    requests.request("DELETE", url)
    # ruleid: request-without-timeout
    requests.head(
        url,
        allow_redirects=True,
    )


def bad_explicit_none(url):
    # ruleid: request-without-timeout
    requests.get(url, timeout=None)
    # ruleid: request-without-timeout
    requests.options(url, timeout=NO_TIMEOUT)


def bad_sessions(url):
    s = requests.Session()
    # ruleid: request-without-timeout
    s.get(url)
    session = Session()
    # ruleid: request-without-timeout
    session.request("GET", url, params={"q": 1})
    # ruleid: request-without-timeout
    requests.session().patch(url, json={})
    with requests.Session() as scoped:
        # ruleid: request-without-timeout
        scoped.post(url, data=b"x")


def bad_function_level_import(url):
    import requests as r2

    # ruleid: request-without-timeout
    return r2.get(url)


def bad_httpx_none(url):
    # ruleid: request-without-timeout
    httpx.get(url, timeout=None)
    # ruleid: request-without-timeout
    client = httpx.Client(timeout=None)
    # ruleid: request-without-timeout
    aclient = httpx.AsyncClient(timeout=httpx.Timeout(None))
    # ruleid: request-without-timeout
    client.get(url, timeout=None)
    return aclient


def ok_with_timeout(url, options, settings):
    # ok: request-without-timeout
    requests.get(url, timeout=5)
    # ok: request-without-timeout
    requests.post(url, json={}, timeout=(3, 10))
    # ok: request-without-timeout
    requests.get(url, timeout=settings.HTTP_TIMEOUT)
    # ok: request-without-timeout
    requests.get(url, **options)
    s = requests.Session()
    # ok: request-without-timeout
    s.get(url, timeout=10)
    # ok: request-without-timeout
    s.request("GET", url, None, None, None, None, None, None, 10)


def ok_httpx_default(url):
    # httpx has a default timeout of 5 seconds.
    # ok: request-without-timeout
    httpx.get(url)
    client = httpx.Client()
    # ok: request-without-timeout
    client.get(url)
    # ok: request-without-timeout
    httpx.Client(timeout=httpx.Timeout(10.0, connect=3.0))


def ok_unrelated(cache, url, mapping):
    # ok: request-without-timeout
    cache.get(url)
    # ok: request-without-timeout
    mapping.get("key")
    s = requests.Session()
    # ok: request-without-timeout
    s.mount("https://", None)
