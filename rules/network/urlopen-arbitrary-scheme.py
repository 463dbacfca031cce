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


def ok_scheme_checked(url):
    if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
        raise ValueError("only http(s) URLs are allowed")
    # ok: urlopen-arbitrary-scheme
    return urllib.request.urlopen(url, timeout=10).read()


def ok_startswith_checked(url):
    if url.startswith(("https://", "http://")):
        # ok: urlopen-arbitrary-scheme
        return urllib.request.urlopen(url, timeout=10).read()
    return None


# --- dataflow: URLs taken from outside ---

import sys
import urllib.parse

from fastapi import FastAPI
from flask import Flask

app = Flask(__name__)
api = FastAPI()
MIRRORS = {"https://mirror-a.example.com/", "https://mirror-b.example.com/"}


@app.route("/fetch")
def bad_tainted_flask():
    target = request.get_json()["url"]
    # ruleid: urlopen-arbitrary-scheme
    return urllib.request.urlopen(target).read()


def bad_tainted_django(request, feed):
    # ruleid: urlopen-arbitrary-scheme
    a = ur.urlopen(request.GET["url"])
    # ruleid: urlopen-arbitrary-scheme
    b = ur.urlretrieve(feed)
    return a, b


@api.get("/fetch")
def bad_tainted_fastapi(url: str):
    # ruleid: urlopen-arbitrary-scheme
    return fetch(url).read()


def handler(event, context):
    # ruleid: urlopen-arbitrary-scheme
    return urllib.request.urlopen(event["url"]).read()


def bad_tainted_command_line():
    # ruleid: urlopen-arbitrary-scheme
    return urllib.request.urlopen(sys.argv[1]).read()


@app.route("/mirror")
def ok_tainted_allow_list():
    mirror = request.args["mirror"]
    if mirror in MIRRORS:
        # ok: urlopen-arbitrary-scheme
        return urllib.request.urlopen(mirror).read()
    return ""


@app.route("/checked")
def ok_tainted_scheme_checked():
    target = request.args["url"]
    if urllib.parse.urlsplit(target).scheme not in ("http", "https"):
        return "bad scheme", 400
    # ok: urlopen-arbitrary-scheme
    return urllib.request.urlopen(target).read()


@app.route("/item")
def ok_tainted_int():
    # ok: urlopen-arbitrary-scheme
    return urllib.request.urlopen("https://api.example.com/items/%d" % int(request.args["id"]))


# --- written-out schemes other than https ---

from urllib.request import FancyURLopener, OpenerDirector  # noqa: E402


def bad_literal_file_url():
    # ruleid: urlopen-arbitrary-scheme
    a = urllib.request.urlopen("file:///etc/hosts")
    # ruleid: urlopen-arbitrary-scheme
    b = urllib.request.urlretrieve("ftp://ftp.example.com/pub/data.csv")
    return a, b


def bad_legacy_opener_literal():
    # ruleid: urlopen-arbitrary-scheme
    a = URLopener().open("http://example.com/feed")
    # ruleid: urlopen-arbitrary-scheme
    b = FancyURLopener().retrieve("ftp://ftp.example.com/pub/data.csv")
    # ruleid: urlopen-arbitrary-scheme
    c = OpenerDirector().open("http://example.com/status")
    return a, b, c


def ok_modern_opener_literal():
    # ok: urlopen-arbitrary-scheme
    a = build_opener().open("http://localhost:8080/health")
    # ok: urlopen-arbitrary-scheme
    b = URLopener().open("https://example.com/feed")
    return a, b
