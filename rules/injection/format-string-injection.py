import os
import sys
from string import Template

from fastapi import FastAPI
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()

CONFIG = {"SECRET_KEY": "..."}


class User:
    def __init__(self, name):
        self.name = name


@app.route("/greet")
def bad_flask_args_receiver():
    user = User("alice")
    # ruleid: format-string-injection
    return request.args["t"].format(user=user)


@app.route("/greet-variable")
def bad_flask_args_variable():
    template = request.args.get("template", "Hello {user.name}")
    # ruleid: format-string-injection
    return template.format(user=User("bob"))


@app.route("/notify", methods=["POST"])
def bad_flask_form_format_map():
    template = request.form["body"]
    # ruleid: format-string-injection
    return template.format_map({"user": User("carol")})


@app.route("/report", methods=["POST"])
def bad_flask_json_concatenated():
    footer = request.get_json()["footer"]
    template = "Report for {user.name}\n" + footer
    # ruleid: format-string-injection
    return template.format(
        user=User("dave"),
    )


@app.route("/percent")
def bad_flask_percent():
    layout = request.args["layout"]
    # ruleid: format-string-injection
    return layout % CONFIG


def bad_django_view(request):
    # ruleid: format-string-injection
    return request.GET["fmt"].format(request.user)


def bad_django_url_kwarg(request, pattern):
    # ruleid: format-string-injection
    return str.format(pattern, request.user)


@api.get("/label")
def bad_fastapi_parameter(label: str):
    # ruleid: format-string-injection
    return label.format(config=CONFIG)


def bad_lambda(event, context):
    # ruleid: format-string-injection
    return event["template"].format(**CONFIG)


def render(template, user):
    # ruleid: format-string-injection
    return template.format(user=user)


@app.route("/helper")
def bad_through_helper():
    return render(request.args["t"], User("erin"))


def bad_command_line():
    # ruleid: format-string-injection
    return sys.argv[1].format(env=os.environ)


@app.route("/arguments")
def ok_tainted_arguments():
    name = request.args["name"]
    # ok: format-string-injection
    a = "Hello {}".format(name)
    # ok: format-string-injection
    b = "Hello {name}".format(name=name)
    # ok: format-string-injection
    c = "Hello %s" % name
    # ok: format-string-injection
    d = "Hello %(name)s" % {"name": name}
    greeting = "Hello {user}"
    # ok: format-string-injection
    e = greeting.format(user=name)
    return a, b, c, d, e


@app.route("/template")
def ok_string_template():
    # ok: format-string-injection
    return Template(request.args["t"]).safe_substitute(name="x")


ALLOWED_TEMPLATES = {"Hello {user.name}", "Bye {user.name}"}


@app.route("/allowed")
def ok_allow_listed():
    template = request.args["t"]
    if template in ALLOWED_TEMPLATES:
        # ok: format-string-injection
        return template.format(user=User("frank"))
    return None


@app.route("/page/<int:page>")
def ok_int_route(page):
    # ok: format-string-injection
    return str(page).format(config=CONFIG)


@app.route("/modulo")
def ok_numeric_modulo():
    count = int(request.args["count"])
    # ok: format-string-injection
    a = count % 7
    # ok: format-string-injection
    b = event_number(request.args["n"]) % 2
    return a, b


def event_number(value):
    return value


def ok_unknown_origin(template, user):
    # ok: format-string-injection
    return template.format(user=user)


def ok_constant(user):
    # ok: format-string-injection
    return "{user.name} logged in".format(user=user)
