import bleach
import flask
import markupsafe
from flask import render_template
from markupsafe import Markup, escape
from markupsafe import Markup as M

NBSP = "&nbsp;"


def bad_fstring(url, title):
    # ruleid: markupsafe-markup
    return Markup(f'<a href="{url}">{title}</a>')


def bad_concatenation(name):
    # ruleid: markupsafe-markup
    return M("<b>" + name + "</b>")


def bad_percent_inside(message):
    # ruleid: markupsafe-markup
    return markupsafe.Markup("<p>%s</p>" % message)


def bad_format_inside(comment):
    # ruleid: markupsafe-markup
    return Markup("<p>{}</p>".format(comment))


def bad_variable(html):
    # ruleid: markupsafe-markup
    return Markup(html)


def bad_flask_markup(request):
    # ruleid: markupsafe-markup
    return flask.Markup(request.args["bio"])


def bad_multiline(user):
    # ruleid: markupsafe-markup
    return Markup(
        "<span>" + user.display_name + "</span>"
    )


def bad_function_level_import(snippet):
    from markupsafe import Markup as SafeMarkup

    # ruleid: markupsafe-markup
    return SafeMarkup(snippet)


def ok_literals():
    # ok: markupsafe-markup
    Markup("<br>")
    # auditid: markupsafe-markup
    Markup(NBSP)


def ok_markup_escapes_operands(url, title, items):
    # ok: markupsafe-markup
    Markup('<a href="{}">{}</a>').format(url, title)
    # ok: markupsafe-markup
    Markup("<b>%s</b>") % title
    # ok: markupsafe-markup
    Markup(", ").join(items)
    # ok: markupsafe-markup
    Markup(Markup("<i>{}</i>").format(title))


def ok_escaped_or_sanitised(html, name, context):
    # ok: markupsafe-markup
    Markup(bleach.clean(html))
    # ok: markupsafe-markup
    Markup(escape(name))
    # auditid: markupsafe-markup
    Markup(f"<b>{escape(name)}</b>")
    # ok: markupsafe-markup
    Markup(render_template("card.html", **context))


def ok_sanitised_by_cleaner(html):
    cleaner = bleach.sanitizer.Cleaner(tags=["b", "i"])
    # ok: markupsafe-markup
    return Markup(cleaner.clean(html))


def bad_method_of_another_object(html, parser):
    # ruleid: markupsafe-markup
    return Markup(parser.clean(html))


def ok_classmethod_escape(name):
    # ok: markupsafe-markup
    return Markup.escape(name)


# --- dataflow: untrusted input declared safe ---

import sys

from fastapi import FastAPI
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()
COLOURS = {"red", "green"}


@app.route("/bio")
def bad_tainted_flask():
    bio = request.form["bio"]
    # ruleid: markupsafe-markup
    return render_template("user.html", bio=Markup(bio))


@app.route("/note")
def bad_tainted_json():
    note = request.get_json()["note"]
    # ruleid: markupsafe-markup
    return Markup("<p>" + note + "</p>")


def bad_tainted_django(request, slug):
    # ruleid: markupsafe-markup
    a = Markup(request.GET["q"])
    # ruleid: markupsafe-markup
    b = Markup(f"<h1>{slug}</h1>")
    return a, b


@api.get("/banner")
def bad_tainted_fastapi(text: str):
    # ruleid: markupsafe-markup
    return str(Markup(text))


def handler(event, context):
    # ruleid: markupsafe-markup
    return str(Markup(event["body"]))


def bad_tainted_command_line():
    # ruleid: markupsafe-markup
    return Markup(sys.argv[1])


@app.route("/escaped")
def ok_tainted_escaped():
    # ok: markupsafe-markup
    return Markup(escape(request.args["q"]))


def audit_constant_markup():
    site = "Example & Co"
    # auditid: markupsafe-markup
    footer = Markup(f"<footer>{site}</footer>")
    # auditid: markupsafe-markup
    banner = Markup("<b>{}</b>".format(site))
    # ok: markupsafe-markup
    title = Markup("<h1>Example</h1>")
    return footer, banner, title


@app.route("/count")
def ok_tainted_int():
    # auditid: markupsafe-markup
    return Markup(f"<b>{int(request.args['n'])}</b>")


@app.route("/colour")
def ok_tainted_allow_list():
    colour = request.args["c"]
    if colour in COLOURS:
        # auditid: markupsafe-markup
        return Markup(colour)
    return ""


@api.get("/item/{item_id}")
def ok_int_route_parameter(item_id: int):
    # auditid: markupsafe-markup
    return Markup(f"<i>{item_id}</i>")
