import urllib.request
import urllib.request as ur
from urllib.request import Request, URLopener, build_opener
from urllib.request import urlopen as fetch

from flask import request

API_BASE = "https://api.example.com"
FEED = "https://example.com/feed.xml"


def bad_parameter(url):
    # ruleid: urlopen-arbitrary-scheme
    return urllib.request.urlopen(url, timeout=10).read()


def bad_alias(url):
    # ruleid: urlopen-arbitrary-scheme
    return ur.urlretrieve(url, "download.bin")


def bad_from_import_alias(target):
    # ruleid: urlopen-arbitrary-scheme
    return fetch(target)


def bad_request_object(url):
    # ruleid: urlopen-arbitrary-scheme
    req = Request(url, headers={"User-Agent": "bot"})
    return urllib.request.urlopen(req)


def bad_scheme_from_hole(host, path):
    # ruleid: urlopen-arbitrary-scheme
    return urllib.request.urlopen(f"{host}/{path}")


def bad_untrusted():
    # ruleid: urlopen-arbitrary-scheme
    return urllib.request.urlopen(request.args["next"])


def bad_multiline_keyword(location):
    # ruleid: urlopen-arbitrary-scheme
    return urllib.request.urlopen(
        url=location,
        timeout=5,
    )


def bad_urlopener(url):
    opener = URLopener()
    # ruleid: urlopen-arbitrary-scheme
    return opener.open(url)


def bad_build_opener(url):
    # ruleid: urlopen-arbitrary-scheme
    return build_opener().open(url)


def bad_function_import(url):
    from urllib.request import urlopen

    # ruleid: urlopen-arbitrary-scheme
    return urlopen(url)


def ok_literal():
    # ok: urlopen-arbitrary-scheme
    return urllib.request.urlopen("https://example.com/status", timeout=5)


def ok_constant():
    # ok: urlopen-arbitrary-scheme
    a = fetch(FEED)
    url = "http://localhost:8080/health"
    # ok: urlopen-arbitrary-scheme
    b = fetch(url)
    return a, b


def ok_fixed_prefix(path, user_id):
    # ok: urlopen-arbitrary-scheme
    a = urllib.request.urlopen(f"https://api.example.com/{path}")
    # ok: urlopen-arbitrary-scheme
    b = urllib.request.urlopen(API_BASE + "/users/" + str(user_id))
    # ok: urlopen-arbitrary-scheme
    c = urllib.request.urlopen("https://api.example.com/{}".format(path))
    return a, b, c


def ok_request_with_literal():
    # ok: urlopen-arbitrary-scheme
    req = Request("https://example.com/upload", data=b"x")
    # ok: urlopen-arbitrary-scheme
    return urllib.request.urlopen(req)


def ok_other_open(path):
    # ok: urlopen-arbitrary-scheme
    with open(path) as handle:
        return handle.read()


def ok_requests(session, url):
    # ok: urlopen-arbitrary-scheme
    return session.get(url, timeout=5)
