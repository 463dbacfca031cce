import json
import logging
import logging as log_module
import os
import sys
from logging import getLogger
from logging import warning as log_warning
from urllib.parse import quote

import structlog
from aiohttp import web
from fastapi import FastAPI, Request
from flask import Flask, current_app, request

app = Flask(__name__)
api = FastAPI()

logger = logging.getLogger(__name__)
log = getLogger("audit")
LOG = logging.getLogger("app")
events = structlog.get_logger()


@app.route("/login", methods=["POST"])
def bad_flask_form_percent_args():
    user = request.form["user"]
    # ruleid: log-injection
    logger.info("login attempt for %s", user)


@app.route("/search")
def bad_flask_args_fstring():
    query = request.args.get("q", "")
    # ruleid: log-injection
    log.warning(f"search for {query}")


@app.route("/api", methods=["POST"])
def bad_flask_json_concatenation():
    payload = request.get_json()
    # ruleid: log-injection
    LOG.error("bad payload name: " + payload["name"])


@app.route("/module-level")
def bad_logging_module_functions():
    agent = request.args.get("agent")
    # ruleid: log-injection
    logging.info("agent %s", agent)
    # ruleid: log-injection
    log_module.debug("agent {}".format(agent))
    # ruleid: log-injection
    log_warning("agent %s", agent)
    # ruleid: log-injection
    logging.log(logging.INFO, "agent %s", agent)
    # ruleid: log-injection
    logging.root.warning("agent %s", agent)
    # ok: log-injection
    logging.log(logging.INFO, "agent seen")


@app.route("/app-logger")
def bad_flask_app_logger():
    # ruleid: log-injection
    current_app.logger.info(
        "next page: %s",
        request.args["next"],
    )


@app.route("/inline-logger")
def bad_inline_get_logger():
    # ruleid: log-injection
    logging.getLogger(__name__).critical("ref %s", request.args["ref"])


@app.route("/structlog")
def bad_structlog():
    # ruleid: log-injection
    events.info("lookup %s", request.args["id"])


class Importer:
    def __init__(self):
        self.logger = logging.getLogger("importer")

    def run(self, name):
        # ruleid: log-injection
        self.logger.exception("import of %s failed", name)

    def run_requested(self):
        # ruleid: log-injection
        self.logger.exception("import of %s failed", request.args["name"])


@app.route("/import")
def bad_through_method():
    Importer().run(request.args["name"])


def bad_django_view(request):
    # ruleid: log-injection
    logger.info("search %s", request.GET["q"])


def bad_django_url_kwarg(request, slug):
    # ruleid: log-injection
    logger.warning(f"unknown article {slug}")


@api.get("/items")
def bad_fastapi_parameter(q: str):
    # ruleid: log-injection
    logger.info("items query %s", q)


def bad_lambda(event, context):
    # ruleid: log-injection
    logger.info("event from %s", event["source"])


def describe(value):
    return "value=" + value


@app.route("/helper")
def bad_through_helper():
    # ruleid: log-injection
    logger.debug(describe(request.args["v"]))


@app.route("/headers")
def ok_flask_header_values():
    # Header values end at the first CR/LF, so they cannot carry one.
    agent = request.headers.get("User-Agent", "")
    # ok: log-injection
    logger.info("agent %s", agent.lower())
    # ok: log-injection
    logger.info("request id %s", request.headers["X-Request-Id"])
    # ok: log-injection
    logger.info(f"from {request.referrer} with {request.user_agent}")
    # ok: log-injection
    logger.info("client %s", request.environ.get("REMOTE_ADDR"))
    # ok: log-injection
    logger.info("page %s", request.url)


def ok_django_meta_headers(request):
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if forwarded:
        client = forwarded.split(",")[0].strip()
    else:
        client = request.META.get("REMOTE_ADDR")
    # ok: log-injection
    logger.info("login from %s", client)
    # ok: log-injection
    logger.warning("agent %s", request.META["HTTP_USER_AGENT"])
    # ok: log-injection
    logger.info("proxy chain %s", request.headers["X-Forwarded-For"])


def bad_django_second_value_beside_header(request):
    client = request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR")
    login = request.POST["login"]
    # ruleid: log-injection
    logger.info("%s signs in from %s", login, client)
    # ruleid: log-injection
    logger.info("from %s: %s", client, login)
    line = client + " " + login
    # ruleid: log-injection
    logger.info(line)
    # ok: log-injection
    logger.info("from %s", client)


def bad_django_decoded_header(request):
    from base64 import b64decode
    from urllib.parse import unquote

    hint = request.headers.get("X-Hint", "")
    decoded = unquote(hint)
    # ruleid: log-injection
    logger.info("hint %s", decoded)
    # ruleid: log-injection
    logger.info("token %s", b64decode(request.META["HTTP_X_TOKEN"]))


def bad_django_decoded_meta_entries(request):
    # ruleid: log-injection
    logger.info("path %s", request.META["PATH_INFO"])
    # ruleid: log-injection
    logger.info("theme %s", request.COOKIES["theme"])


@app.route("/cookie")
def bad_flask_cookie():
    # Quoted cookie values are unescaped: "a\012b" arrives with a line feed.
    # ruleid: log-injection
    logger.info("session hint %s", request.cookies.get("hint"))


async def ok_aiohttp_urls(request):
    # ok: log-injection
    logger.error("request to %s was refused", request.rel_url)
    # ok: log-injection
    logger.error("request to %s was refused", str(request.rel_url))


async def ok_aiohttp_annotated_url(request: web.Request):
    # ok: log-injection
    logger.error("request to %s was refused", request.url)
    # ok: log-injection
    logger.info("agent %s", request.headers.getone("User-Agent"))


async def bad_aiohttp_decoded_parts(request):
    # ruleid: log-injection
    logger.info("query %s", request.rel_url.query["q"])
    # ruleid: log-injection
    logger.info("path %s", request.path)
    # ruleid: log-injection
    logger.info("name %s", request.match_info["name"])


@api.get("/where")
async def bad_starlette_url_is_decoded(request: Request):
    # Starlette builds request.url from the decoded path.
    # ruleid: log-injection
    logger.info("request to %s", request.url)


@app.route("/stripped")
def ok_line_breaks_removed():
    user = request.args["user"].replace("\r", "").replace("\n", "")
    # ok: log-injection
    logger.info("user %s", user)


@app.route("/json")
def ok_json_dumps():
    # ok: log-injection
    logger.info("payload %s", json.dumps(request.args["payload"]))


@app.route("/quoted")
def ok_url_quoted():
    # ok: log-injection
    logger.info("path %s", quote(request.args["path"]))


@app.route("/repr")
def ok_repr_formatting():
    name = request.args["name"]
    # ok: log-injection
    logger.info("name %r", name)
    # ok: log-injection
    logger.info(f"name {name!r}")
    # ok: log-injection
    logger.info("name %s", repr(name))


@app.route("/whole-containers", methods=["POST"])
def ok_whole_request_containers():
    # ok: log-injection
    logger.debug("args: %s", request.args)
    # ok: log-injection
    logger.debug("form: %s", request.form)
    # ok: log-injection
    logger.debug("body: %s", request.data)


def ok_django_body(request):
    # ok: log-injection
    logger.debug("GET %s body %s", request.GET, request.body)


@app.route("/count")
def ok_int_conversion():
    # ok: log-injection
    logger.info("page %d", int(request.args["page"]))


ALLOWED_SORTS = {"name", "date"}


@app.route("/sorted")
def ok_allow_listed():
    sort = request.args["sort"]
    if sort in ALLOWED_SORTS:
        # ok: log-injection
        logger.info("sorting by %s", sort)


@app.route("/user/<int:user_id>")
def ok_int_route_parameter(user_id):
    # ok: log-injection
    logger.info("viewing user %s", user_id)


@api.get("/orders/{order_id}")
def ok_fastapi_int_parameter(order_id: int):
    # ok: log-injection
    logger.info("order %s", order_id)


def ok_unknown_origin(name):
    # ok: log-injection
    logger.info("processing %s", name)


def ok_local_sources():
    # ok: log-injection
    logger.info("started with %s", sys.argv[1])
    # ok: log-injection
    logger.info("home is %s", os.environ["HOME"])


def ok_constant():
    # ok: log-injection
    logger.info("service started")


@app.route("/print")
def ok_not_a_logger():
    # ok: log-injection
    print("search", request.args["q"])
    # ok: log-injection
    return json.dumps({"q": request.args["q"]})


def ok_math_log(value):
    import math

    # ok: log-injection
    return math.log(value)
