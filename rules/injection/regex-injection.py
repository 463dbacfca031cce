import re
import re as regexp
import sys
from re import compile as compile_pattern, escape

import regex
from fastapi import FastAPI
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()

NAMES = ["alice", "bob"]


@app.route("/search-inline")
def bad_flask_args_search():
    query = request.args.get("q", "")
    # ruleid: regex-injection
    return [name for name in NAMES if re.search(query, name)]


@app.route("/filter", methods=["POST"])
def bad_flask_form_fstring():
    prefix = request.form["prefix"]
    # ruleid: regex-injection
    matcher = compile_pattern(f"^{prefix}-[0-9]+$")
    return matcher.pattern


@app.route("/replace", methods=["POST"])
def bad_flask_json_keyword():
    rules = request.get_json()
    # ruleid: regex-injection
    return regexp.sub(
        pattern=rules["find"],
        repl="***",
        string="some text",
    )


def bad_django_view(request):
    # ruleid: regex-injection
    return re.findall(request.GET["pattern"], "some text")


def bad_django_url_kwarg(request, word):
    # ruleid: regex-injection
    return re.split(word + "+", "some text")


@api.get("/match")
def bad_fastapi_parameter(expr: str):
    # ruleid: regex-injection
    return bool(re.fullmatch(expr, "value"))


def bad_lambda(event, context):
    # ruleid: regex-injection
    return list(re.finditer(event["pattern"], event["text"]))


def build_matcher(fragment):
    # ruleid: regex-injection
    return re.compile("(" + fragment + ")")


@app.route("/helper")
def bad_through_helper():
    return build_matcher(request.args["fragment"]).pattern


@app.route("/regex-module")
def bad_regex_module():
    # ruleid: regex-injection
    return regex.match(request.args["q"], "value", timeout=0.5)


def bad_command_line():
    # ruleid: regex-injection
    return re.match(sys.argv[1], "value")


@app.route("/compiled")
def bad_compiled_pattern():
    # ruleid: regex-injection
    pattern = re.compile(request.args["q"])
    return [name for name in NAMES if pattern.search(name)]


@app.route("/escaped")
def ok_escaped():
    query = request.args["q"]
    # ok: regex-injection
    a = re.compile(re.escape(query))
    # ok: regex-injection
    b = re.search(f"^{escape(query)}$", "value")
    return a, b


@app.route("/subject")
def ok_tainted_subject():
    text = request.args["text"]
    # ok: regex-injection
    a = re.search(r"^[a-z]+$", text)
    # ok: regex-injection
    b = re.sub(r"\s+", " ", text)
    # ok: regex-injection
    c = re.compile(r"\d+").findall(text)
    return a, b, c


@app.route("/replacement")
def ok_tainted_replacement():
    # ok: regex-injection
    return re.sub(r"name", lambda _: request.args["name"], "hello name")


ALLOWED_PATTERNS = {r"^\d+$", r"^[a-z]+$"}


@app.route("/allowed")
def ok_allow_listed():
    pattern = request.args["pattern"]
    if pattern not in ALLOWED_PATTERNS:
        return None
    # ok: regex-injection
    return re.compile(pattern)


@app.route("/digits/<int:width>")
def ok_int_route(width):
    # ok: regex-injection
    return re.compile(rf"^\d{{{width}}}$")


@app.route("/count")
def ok_int_conversion():
    # ok: regex-injection
    return re.compile(r"^\d{%d}$" % int(request.args["width"]))


def ok_unknown_origin(pattern, text):
    # ok: regex-injection
    return re.search(pattern, text)


def ok_constant(text):
    # ok: regex-injection
    return re.match(r"^[A-Z]{2}\d{4}$", text)
