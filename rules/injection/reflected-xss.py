import html
import sys

import flask
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.html import escape as django_escape
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse
from flask import Flask, Response, jsonify, make_response, render_template, request
from flask import make_response as respond
from flask.views import MethodView
from markupsafe import escape
from pyramid.response import Response as PyramidResponse
from starlette.responses import Response as StarletteResponse

app = Flask(__name__)
api = FastAPI()
ALLOWED = {"red", "green"}


@app.route("/hello")
def bad_fstring_return():
    # ruleid: reflected-xss
    return f"<p>Hello {request.args['name']}</p>"


@app.post("/echo")
def bad_concatenation_return():
    body = "<div>" + request.form["text"] + "</div>"
    # ruleid: reflected-xss
    return body


@app.route("/raw")
def bad_direct_return():
    # ruleid: reflected-xss
    return request.args.get("q", "")


@app.route("/status")
def bad_tuple_return():
    message = request.get_json()["message"]
    # ruleid: reflected-xss
    return "<h1>%s</h1>" % message, 400


@app.route("/mr")
def bad_make_response():
    name = request.args.get("name")
    # ruleid: reflected-xss
    return make_response("<b>{}</b>".format(name))


@app.route("/mr-alias")
def bad_make_response_alias():
    # ruleid: reflected-xss
    resp = respond(
        "<p>" + request.cookies.get("theme", "") + "</p>",
        200,
    )
    return resp


@app.route("/resp")
def bad_flask_response_class():
    # ruleid: reflected-xss
    return flask.Response(f"<i>{request.args['q']}</i>", mimetype="text/html")


def greet(name):
    # ruleid: reflected-xss
    return make_response(f"<b>Hi {name}</b>")


@app.route("/greet")
def bad_through_helper():
    return greet(request.args["who"])


class Profile(MethodView):
    def get(self):
        # ruleid: reflected-xss
        return f"<h2>{request.args['user']}</h2>"


def bad_django_view(request):
    # ruleid: reflected-xss
    return HttpResponse("<p>Results for " + request.GET["q"] + "</p>")


def bad_django_kwarg(request, slug):
    # ruleid: reflected-xss
    return HttpResponseBadRequest(f"Unknown article {slug}")


@api.get("/page")
def bad_fastapi_html(q: str):
    # ruleid: reflected-xss
    return HTMLResponse(content=f"<p>{q}</p>")


@api.get("/page2")
def bad_starlette_html_media_type(q: str):
    # ruleid: reflected-xss
    return StarletteResponse(q, media_type="text/html")


def bad_pyramid(request):
    term = request.params["term"]
    # ruleid: reflected-xss
    return PyramidResponse("<p>%s</p>" % term)


def bad_pyramid_text(request):
    # ruleid: reflected-xss
    return PyramidResponse(text=request.matchdict["id"])


def handler(event, context):
    name = event["queryStringParameters"]["name"]
    # ruleid: reflected-xss
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "text/html"},
        "body": f"<h1>{name}</h1>",
    }


def bad_local_source():
    # ruleid: reflected-xss
    return HttpResponse("<pre>" + sys.argv[1] + "</pre>")


# --- not reflected XSS ---


@app.route("/json")
def ok_jsonify():
    # ok: reflected-xss
    return jsonify(q=request.args["q"])


@app.route("/dict")
def ok_dict_return():
    # ok: reflected-xss
    return {"q": request.args["q"]}


@app.route("/list")
def ok_list_return():
    items = [request.args["a"], request.args["b"]]
    # ok: reflected-xss
    return items


def ok_django_json(request):
    # ok: reflected-xss
    return JsonResponse({"q": request.GET["q"]})


@api.get("/json")
def ok_fastapi_json(q: str):
    # ok: reflected-xss
    return JSONResponse({"q": q})


@api.get("/plain")
def ok_fastapi_returns_string(q: str):
    # ok: reflected-xss
    return f"<p>{q}</p>"


@api.get("/nomedia")
def ok_starlette_no_media_type(q: str):
    # ok: reflected-xss
    return StarletteResponse(q)


@app.route("/text")
def ok_text_plain_mimetype():
    # ok: reflected-xss
    return Response(request.args["q"], mimetype="text/plain")


@app.route("/text2")
def ok_json_content_type():
    # ok: reflected-xss
    return Response(request.data, content_type="application/json")


@app.route("/text3")
def ok_make_response_then_mimetype():
    # ok: reflected-xss
    resp = make_response(request.args["q"])
    resp.mimetype = "text/plain"
    return resp


@app.route("/text4")
def ok_make_response_header_dict():
    # ok: reflected-xss
    return make_response(request.args["q"], 200, {"Content-Type": "text/plain"})


@app.route("/text5")
def ok_tuple_header_dict():
    # ok: reflected-xss
    return request.args["q"], 200, {"Content-Type": "text/plain; charset=utf-8"}


def ok_django_text_plain(request):
    # ok: reflected-xss
    return HttpResponse(request.GET["q"], content_type="text/plain")


def ok_django_header_set_later(request):
    # ok: reflected-xss
    response = HttpResponse(request.GET["q"])
    response["Content-Type"] = "text/plain"
    return response


@app.route("/escaped")
def ok_markupsafe_escape():
    # ok: reflected-xss
    return f"<p>Hello {escape(request.args['name'])}</p>"


@app.route("/escaped2")
def ok_html_escape():
    name = html.escape(request.args["name"])
    # ok: reflected-xss
    return make_response("<p>" + name + "</p>")


def ok_django_escape(request):
    # ok: reflected-xss
    return HttpResponse("<p>%s</p>" % django_escape(request.GET["q"]))


@app.route("/template")
def ok_render_template():
    # ok: reflected-xss
    return render_template("page.html", value=request.args["q"])


@app.route("/number")
def ok_int():
    count = int(request.args["n"])
    # ok: reflected-xss
    return f"<p>{count}</p>"


@app.route("/colour")
def ok_allow_list():
    colour = request.args["c"]
    if colour in ALLOWED:
        # ok: reflected-xss
        return f"<p style='color: {colour}'>hi</p>"
    return "no"


@api.get("/item/{item_id}")
def ok_int_route_parameter(item_id: int):
    # ok: reflected-xss
    return HTMLResponse(f"<p>{item_id}</p>")


@app.route("/const")
def ok_constant():
    # ok: reflected-xss
    return "<p>static</p>"


def ok_unknown_origin(name):
    # ok: reflected-xss
    return HttpResponse(f"<p>{name}</p>")


def handler_json(event, context):
    # ok: reflected-xss
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": event["body"],
    }


@app.route("/note")
def bad_render_text_template():
    # ruleid: reflected-xss
    return render_template("note.txt", body=request.args["body"])


@app.route("/raw")
def bad_render_template_without_extension():
    # ruleid: reflected-xss
    return flask.render_template("raw", body=request.form["body"]), 200


@app.route("/page")
def ok_render_autoescaped_templates():
    if request.args.get("svg"):
        # ok: reflected-xss
        return render_template("icon.svg", label=request.args["label"])
    # ok: reflected-xss
    return render_template("note.txt", count=int(request.args["count"]))
