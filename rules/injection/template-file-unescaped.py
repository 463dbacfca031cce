import flask
from django import template
from django.template import Context as Ctx, Engine
from flask import render_template as render

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "OPTIONS": {
            # ruleid: template-file-unescaped
            "autoescape": False,
            "context_processors": [],
        },
    },
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        # ruleid: template-file-unescaped
        "OPTIONS": {"autoescape": False, "environment": "project.jinja2.environment"},
    },
]


def bad_engine():
    # ruleid: template-file-unescaped
    return Engine(dirs=["templates"], autoescape=False)


def bad_context(values):
    # ruleid: template-file-unescaped
    context = Ctx(values, autoescape=False)
    # ruleid: template-file-unescaped
    other = template.Context(values, autoescape=False)
    return context, other


def bad_flask_extension(name):
    # ruleid: template-file-unescaped
    page = render("profile.html.j2", name=name)
    stream = flask.stream_template(
        # ruleid: template-file-unescaped
        "feed.jinja2",
        items=[name],
    )
    return page, stream


def ok_settings():
    return [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                # ok: template-file-unescaped
                "autoescape": True,
                "debug": False,
            },
        }
    ]


def ok_other_dicts():
    # ok: template-file-unescaped
    settings = {"autoescape": False}
    # ok: template-file-unescaped
    jinja_options = {"extensions": [], "autoescape": False}
    return settings, jinja_options


def ok_engine(values):
    # ok: template-file-unescaped
    engine = Engine(dirs=["templates"])
    # ok: template-file-unescaped
    context = Ctx(values, autoescape=True)
    return engine, context


def ok_flask(name):
    # ok: template-file-unescaped
    page = render("profile.html", name=name)
    # ok: template-file-unescaped
    mail = render("welcome.txt", name=name)
    # ok: template-file-unescaped
    svg = flask.render_template("badge.svg", name=name)
    # ok: template-file-unescaped
    dynamic = render(f"{name}.html")
    return page, mail, svg, dynamic
