from django import template
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.safestring import mark_safe as safe

register = template.Library()
ICON = "<svg class='icon'></svg>"


def bad_fstring(user):
    # ruleid: django-mark-safe
    return mark_safe(f"<span class='badge'>{user.name}</span>")


def bad_concatenation(comment):
    # ruleid: django-mark-safe
    return safe("<p>" + comment.body + "</p>")


def bad_variable(html):
    # ruleid: django-mark-safe
    return mark_safe(html)


def bad_request(request):
    # ruleid: django-mark-safe
    return mark_safe(request.GET["message"])


def bad_safestring(title):
    # ruleid: django-mark-safe
    return SafeString("<h1>%s</h1>" % title)


def bad_format_html_fstring(name):
    # ruleid: django-mark-safe
    return format_html(f"<b>{name}</b>")


def bad_format_html_join(rows):
    # ruleid: django-mark-safe
    return format_html_join("\n", "<li>{}</li>".format(rows[0]), ((r,) for r in rows))


def bad_multiline(label, url):
    # ruleid: django-mark-safe
    return mark_safe(
        '<a href="{}">{}</a>'.format(url, label),
    )


# ruleid: django-mark-safe
@register.filter(is_safe=True)
def shout(value):
    return value.upper() + "!"


# ruleid: django-mark-safe
class TrustedHtml(SafeString):
    pass


class Widget:
    def __init__(self, label):
        self.label = label

    # ruleid: django-mark-safe
    def __html__(self):
        return "<i>" + self.label + "</i>"


def bad_function_level_import(text):
    from django.utils.safestring import mark_safe as ms

    # ruleid: django-mark-safe
    return ms(text)


def ok_literals():
    # auditid: django-mark-safe
    mark_safe("<br>")
    # auditid: django-mark-safe
    mark_safe(ICON)
    # auditid: django-mark-safe
    SafeString("&nbsp;")


def ok_escaped(user, items, context):
    # auditid: django-mark-safe
    mark_safe(f"<b>{escape(user.name)}</b>")
    # auditid: django-mark-safe
    mark_safe(format_html("<i>{}</i>", user.name))
    # auditid: django-mark-safe
    mark_safe("<ul>" + conditional_escape(items) + "</ul>")
    # auditid: django-mark-safe
    mark_safe(render_to_string("badge.html", context))
    # auditid: django-mark-safe
    mark_safe(f"<span>{len(items)}</span>")


def ok_format_html_used_correctly(user):
    # ok: django-mark-safe
    format_html("<span class='badge'>{}</span>", user.name)
    # ok: django-mark-safe
    format_html_join("\n", "<li>{}</li>", ((u.name,) for u in user.friends))


# ok: django-mark-safe
@register.filter(is_safe=False)
def plain(value):
    return value


# ok: django-mark-safe
@register.filter
def lower(value):
    return value.lower()


class EscapedWidget:
    # ok: django-mark-safe
    def __html__(self):
        return format_html("<i>{}</i>", self.label)


def ok_other_filter(queryset, name):
    # ok: django-mark-safe
    return queryset.filter(is_safe=True, name=name)


# ok: django-mark-safe
class Checker(object):
    pass


# --- dataflow: untrusted input marked safe ---

import sys

from django.utils.html import escape as django_escape
from fastapi import FastAPI
from flask import Flask, request as flask_request

app = Flask(__name__)
api = FastAPI()
SIZES = {"small", "large"}


def bad_tainted_view(request):
    message = request.POST.get("message", "")
    # ruleid: django-mark-safe
    return mark_safe("<div class='flash'>" + message + "</div>")


def bad_tainted_url_kwarg(request, slug):
    # ruleid: django-mark-safe
    a = SafeString(slug)
    # ruleid: django-mark-safe
    b = format_html(f"<h1>{slug}</h1>")
    # ruleid: django-mark-safe
    c = format_html(request.GET["template"], request.user)
    return a, b, c


@app.route("/flash")
def bad_tainted_flask():
    # ruleid: django-mark-safe
    return mark_safe(flask_request.args["msg"])


@api.get("/bio")
def bad_tainted_fastapi(bio: str):
    # ruleid: django-mark-safe
    return str(mark_safe(bio))


def handler(event, context):
    # ruleid: django-mark-safe
    return str(mark_safe(event["body"]))


def bad_tainted_command_line():
    # ruleid: django-mark-safe
    return mark_safe(sys.argv[1])


def ok_tainted_escaped(request):
    # auditid: django-mark-safe
    return mark_safe("<p>%s</p>" % django_escape(request.GET["q"]))


def ok_tainted_int(request):
    # auditid: django-mark-safe
    return mark_safe(f"<b>{int(request.GET['n'])}</b>")


def ok_tainted_allow_list(request):
    size = request.GET["size"]
    if size not in SIZES:
        return ""
    # auditid: django-mark-safe
    return mark_safe(size)


def ok_tainted_format_html_arguments(request):
    # ok: django-mark-safe
    return format_html("<b>{}</b>", request.GET["name"])


@api.get("/item/{item_id}")
def ok_int_route_parameter(item_id: int):
    # auditid: django-mark-safe
    return mark_safe(f"<i>{item_id}</i>")


def ok_rebound_constant(user):
    label = "<b>%s</b>" % user
    label = "<b>fixed</b>"
    # auditid: django-mark-safe
    return mark_safe(label)


def bad_rebound_in_branch(user, admin):
    label = "<b>fixed</b>"
    if admin:
        label = "<b>%s</b>" % user
    # ruleid: django-mark-safe
    return mark_safe(label)


# auditid: django-mark-safe
@mark_safe
def footer_html():
    return "<footer>Example Ltd</footer>"


# ok: django-mark-safe
@register.simple_tag
def footer_text():
    return "Example Ltd"
