import sys
from urllib.parse import quote

import flask
from django.http import HttpResponse
from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from flask import Flask, jsonify, make_response, request
from flask import Response as FlaskResponse

app = Flask(__name__)
api = FastAPI()
LANGUAGES = {"en", "de", "fr"}


@app.route("/download")
def bad_headers_subscript():
    resp = make_response("data")
    # ruleid: header-injection
    resp.headers["Content-Disposition"] = "attachment; filename=" + request.args["name"]
    return resp


@app.route("/lang")
def bad_headers_add_and_set():
    lang = request.args.get("lang", "en")
    response = flask.make_response("ok")
    # ruleid: header-injection
    response.headers.add("Content-Language", lang)
    # ruleid: header-injection
    response.headers.set(
        "X-Trace",
        request.headers.get("X-Request-Id"),
    )
    return response


@app.route("/name")
def bad_header_name():
    response = FlaskResponse("ok")
    # ruleid: header-injection
    response.headers[request.args["header"]] = "1"
    return response


@app.route("/mr")
def bad_make_response_headers():
    # ruleid: header-injection
    return make_response("ok", 200, {"X-Origin": request.form["origin"]})


@app.route("/tuple")
def bad_tuple_return_headers():
    token = request.get_json()["token"]
    # ruleid: header-injection
    return "ok", 200, {"X-Token": token}


@app.after_request
def bad_after_request(response):
    # ruleid: header-injection
    response.headers["X-Path"] = request.path
    return response


def bad_django_item(request):
    response = HttpResponse("ok")
    # ruleid: header-injection
    response["X-Next"] = request.GET["next"]
    return response


def bad_django_kwarg(request, filename):
    # ruleid: header-injection
    return HttpResponse(b"...", headers={"Content-Disposition": f"attachment; filename={filename}"})


@api.get("/fast")
def bad_fastapi_response_parameter(q: str, response: Response):
    # ruleid: header-injection
    response.headers["X-Query"] = q
    return {"ok": True}


@api.get("/fast2")
def bad_fastapi_json_response(q: str):
    # ruleid: header-injection
    return JSONResponse({"ok": True}, headers={"X-Query": q})


def handler(event, context):
    return {
        "statusCode": 302,
        # ruleid: header-injection
        "headers": {"Location": event["queryStringParameters"]["to"]},
    }


def bad_command_line():
    response = HttpResponse("ok")
    # ruleid: header-injection
    response["X-Mode"] = sys.argv[1]
    return response


# --- not header injection ---


@app.route("/stripped")
def ok_line_breaks_removed():
    resp = make_response("ok")
    value = request.args["v"].replace("\r", "").replace("\n", "")
    # ok: header-injection
    resp.headers["X-Value"] = value
    return resp


@app.route("/quoted")
def ok_url_encoded():
    resp = make_response("ok")
    # ok: header-injection
    resp.headers["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(request.args["n"])
    return resp


@app.route("/number")
def ok_int():
    resp = make_response("ok")
    # ok: header-injection
    resp.headers["X-Page"] = str(int(request.args["page"]))
    return resp


@app.route("/allowed")
def ok_allow_list():
    resp = make_response("ok")
    lang = request.args["lang"]
    if lang in LANGUAGES:
        # ok: header-injection
        resp.headers["Content-Language"] = lang
    return resp


@app.route("/constant")
def ok_constant():
    resp = make_response("ok")
    # ok: header-injection
    resp.headers["X-Frame-Options"] = "DENY"
    return resp


@app.route("/body")
def ok_body_not_header():
    # ok: header-injection
    return make_response(jsonify(q=request.args["q"]), 200)


@app.route("/request-headers")
def ok_request_headers_copy():
    headers = {}
    # ok: header-injection
    headers["X-Forwarded"] = request.headers.get("X-Forwarded-For")
    return jsonify(headers)


@api.get("/items/{item_id}")
def ok_int_route_parameter(item_id: int, response: Response):
    # ok: header-injection
    response.headers["X-Item"] = str(item_id)
    return {}


def ok_unknown_origin(response, value):
    # ok: header-injection
    response.headers["X-Value"] = value
    return response
