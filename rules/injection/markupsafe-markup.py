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
    # ok: markupsafe-markup
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
    # ok: markupsafe-markup
    Markup(f"<b>{escape(name)}</b>")
    # ok: markupsafe-markup
    Markup(render_template("card.html", **context))


def ok_classmethod_escape(name):
    # ok: markupsafe-markup
    return Markup.escape(name)
