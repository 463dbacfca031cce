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
    # ok: django-mark-safe
    mark_safe("<br>")
    # ok: django-mark-safe
    mark_safe(ICON)
    # ok: django-mark-safe
    SafeString("&nbsp;")


def ok_escaped(user, items, context):
    # ok: django-mark-safe
    mark_safe(f"<b>{escape(user.name)}</b>")
    # ok: django-mark-safe
    mark_safe(format_html("<i>{}</i>", user.name))
    # ok: django-mark-safe
    mark_safe("<ul>" + conditional_escape(items) + "</ul>")
    # ok: django-mark-safe
    mark_safe(render_to_string("badge.html", context))
    # ok: django-mark-safe
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
