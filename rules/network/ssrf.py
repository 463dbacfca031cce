import http.client
import sys
import urllib.request
from urllib.parse import quote

import aiohttp
import httpx
import requests
import requests as rq
from fastapi import FastAPI
from flask import Flask, abort, request
from requests import get as fetch

app = Flask(__name__)
api = FastAPI()
ALLOWED_HOSTS = {"api.example.com", "cdn.example.com"}
FEEDS = {"news": "https://feeds.example.com/news.xml"}


@app.route("/preview")
def bad_requests_get():
    # ruleid: ssrf
    return requests.get(request.args["url"], timeout=5).text


@app.post("/hook")
def bad_keyword_and_alias():
    target = request.get_json()["callback"]
    # ruleid: ssrf
    rq.post(url=target, json={"ok": True}, timeout=5)
    # ruleid: ssrf
    fetch(target, timeout=5)
    # ruleid: ssrf
    requests.request("GET", target, timeout=5)


@app.route("/session")
def bad_session():
    session = requests.Session()
    url = request.form.get("url")
    # ruleid: ssrf
    return session.get(
        url,
        timeout=5,
    ).content


@app.route("/httpx")
def bad_httpx_client():
    with httpx.Client() as client:
        # ruleid: ssrf
        return client.get(request.args["u"]).text


@app.route("/host")
def bad_host_hole():
    host = request.args["host"]
    # ruleid: ssrf
    return requests.get(f"https://{host}/status", timeout=5).text


@app.route("/user")
def bad_partial_path():
    name = request.args["name"]
    # ruleid: ssrf
    return requests.get(f"https://api.example.com/users/{name}", timeout=5).json()


@app.route("/urllib")
def bad_urllib():
    url = request.values["url"]
    # ruleid: ssrf
    data = urllib.request.urlopen(url).read()
    # ruleid: ssrf
    req = urllib.request.Request(url, headers={"User-Agent": "x"})
    return data, req


def bad_django_view(request):
    # ruleid: ssrf
    return httpx.get(request.GET["feed"]).text


def bad_django_kwarg(request, host):
    # ruleid: ssrf
    conn = http.client.HTTPSConnection(host, timeout=5)
    conn.request("GET", "/")
    return conn.getresponse().read()


@api.get("/fetch")
async def bad_fastapi_aiohttp(url: str):
    async with aiohttp.ClientSession() as session:
        # ruleid: ssrf
        async with session.get(url) as response:
            return await response.text()


@api.get("/fetch2")
async def bad_fastapi_async_client(url: str):
    async with httpx.AsyncClient() as client:
        # ruleid: ssrf
        response = await client.get(url)
    return response.text


def handler(event, context):
    # ruleid: ssrf
    return requests.get(event["queryStringParameters"]["url"], timeout=5).status_code


def bad_command_line():
    # ruleid: ssrf
    return requests.get(sys.argv[1], timeout=5)


# --- not SSRF ---


@app.route("/feed")
def ok_table_lookup():
    url = FEEDS.get(request.args["feed"])
    if url is None:
        abort(404)
    # ok: ssrf
    return requests.get(url, timeout=5).text


@app.route("/feed2")
def ok_table_subscript():
    # ok: ssrf
    return requests.get(FEEDS[request.args["feed"]], timeout=5).text


@app.route("/allowed")
def ok_allow_list():
    host = request.args["host"]
    if host not in ALLOWED_HOSTS:
        abort(400)
    # ok: ssrf
    return requests.get(f"https://{host}/status", timeout=5).text


@app.route("/quoted")
def ok_quoted_path():
    name = quote(request.args["name"], safe="")
    # ok: ssrf
    return requests.get("https://api.example.com/users/" + name, timeout=5).json()


@app.route("/number")
def ok_int():
    item = int(request.args["id"])
    # ok: ssrf
    return requests.get(f"https://api.example.com/items/{item}", timeout=5).json()


@app.route("/alnum")
def ok_isalnum_guard():
    name = request.args["name"]
    if not name.isalnum():
        abort(400)
    # ok: ssrf
    return requests.get(f"https://api.example.com/users/{name}", timeout=5).json()


@app.route("/params")
def ok_query_parameters():
    # ok: ssrf
    return requests.get(
        "https://api.example.com/search", params={"q": request.args["q"]}, timeout=5
    ).json()


@app.route("/dict")
def ok_dict_get():
    # ok: ssrf
    return request.args.get("url", "")


@api.get("/items/{item_id}")
def ok_int_route_parameter(item_id: int):
    # ok: ssrf
    return requests.get(f"https://api.example.com/{item_id}", timeout=5).json()


def ok_constant():
    # ok: ssrf
    return requests.get("https://api.example.com/health", timeout=5)


def ok_unknown_origin(url):
    # ok: ssrf
    return requests.get(url, timeout=5)
