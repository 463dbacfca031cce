from string import Template as StringTemplate

import jinja2
from django.template import Template as DjangoTemplate
from django.template import engines
from flask import current_app, render_template, render_template_string, request
from jinja2 import Environment, Template
from jinja2.sandbox import SandboxedEnvironment
from mako.template import Template as MakoTemplate
from tornado import template as tornado_template

PAGE = "<h1>Hello {{ name }}</h1>"


def bad_render_fstring():
    # ruleid: server-side-template-injection
    return render_template_string(f"<p>Hello {request.args['name']}</p>")


def bad_render_concat(name):
    # ruleid: server-side-template-injection
    return render_template_string("<p>Hello " + name + "</p>")


def bad_render_variable(source):
    # ruleid: server-side-template-injection
    return render_template_string(source)


def bad_render_request():
    # ruleid: server-side-template-injection
    return render_template_string(request.form["template"])


def bad_jinja_template(greeting):
    # ruleid: server-side-template-injection
    return Template("{}, {{{{ user }}}}!".format(greeting)).render(user="x")


def bad_jinja_module(body):
    # ruleid: server-side-template-injection
    return jinja2.Template(body).render()


def bad_from_string(title):
    env = Environment(autoescape=True)
    # ruleid: server-side-template-injection
    return env.from_string("<title>%s</title>" % title).render()


def bad_flask_jinja_env(markup):
    # ruleid: server-side-template-injection
    return current_app.jinja_env.from_string(markup).render()


def bad_sandboxed(user_template):
    # Sandboxed: reported at lower severity.
    # ruleid: server-side-template-injection
    return SandboxedEnvironment().from_string(user_template).render()


def bad_mako(name):
    # ruleid: server-side-template-injection
    return MakoTemplate(f"Hello {name}").render()


def bad_tornado(text):
    # ruleid: server-side-template-injection
    return tornado_template.Template(text).generate()


def bad_django(snippet):
    # ruleid: server-side-template-injection
    return DjangoTemplate(snippet)


def bad_django_engines(snippet):
    # ruleid: server-side-template-injection
    return engines["django"].from_string(snippet)


def bad_multiline(name):
    # ruleid: server-side-template-injection
    return render_template_string(
        "<h1>" + name + "</h1>",
        title="Home",
    )


def ok_literal_templates_with_context():
    name = request.args["name"]
    # ok: server-side-template-injection
    render_template_string("<p>Hello {{ name }}</p>", name=name)
    # ok: server-side-template-injection
    render_template_string(PAGE, name=name)
    # ok: server-side-template-injection
    Template("Hello {{ name }}").render(name=name)
    # ok: server-side-template-injection
    Environment().from_string(PAGE).render(name=name)


def ok_template_files(name):
    # ok: server-side-template-injection
    render_template("page.html", name=name)
    # ok: server-side-template-injection
    Template(open("templates/mail.txt").read()).render(name=name)


def ok_string_template(name, fmt):
    # string.Template only substitutes $names; it runs no code.
    # ok: server-side-template-injection
    StringTemplate(fmt).substitute(name=name)


def ok_other_from_string(parser, text):
    # ok: server-side-template-injection
    parser.from_string(text)


# Dataflow: outside input reaching template source.
import html
import sys

from fastapi import FastAPI
from flask import Flask

app = Flask(__name__)
api = FastAPI()
GREETINGS = {"en": "Hello {{ name }}", "fr": "Bonjour {{ name }}"}
ALLOWED_LAYOUTS = {"<main>{{ body }}</main>", "<div>{{ body }}</div>"}


@app.route("/hello")
def bad_tainted_flask():
    title = request.args.get("title", "")
    page = "<h1>" + title + "</h1>{{ body }}"
    # ruleid: server-side-template-injection
    render_template_string(page, body="...")
    data = request.get_json()
    # ruleid: server-side-template-injection
    return Environment().from_string(data["template"]).render()


@app.route("/escaped")
def bad_tainted_html_escaped():
    # html.escape leaves `{{ }}` alone: still template code (reported by the audit tier, since
    # the dataflow pass treats html.escape as clearing template sinks).
    # ruleid: server-side-template-injection
    return render_template_string("<p>%s</p>" % html.escape(request.args["name"]))


def bad_tainted_django_view(request, greeting):
    # Django's template language cannot call arbitrary code: medium severity.
    # ruleid: server-side-template-injection
    DjangoTemplate(request.POST["tpl"])
    # ruleid: server-side-template-injection
    return Template(greeting + ", {{ user }}").render(user="x")


@api.get("/mail")
async def bad_tainted_fastapi(subject: str):
    # ruleid: server-side-template-injection
    return MakoTemplate(f"Subject: {subject}").render()


def handler(event, context):
    # ruleid: server-side-template-injection
    return jinja2.Template(event["body"]).render()


def bad_tainted_command_line():
    # ruleid: server-side-template-injection
    return Template(sys.argv[1]).render()


@app.route("/safe")
def ok_tainted_sanitised():
    name = request.args["name"]
    # ok: server-side-template-injection
    render_template_string(GREETINGS[request.args["lang"]], name=name)
    count = int(request.args["count"])
    # ok: server-side-template-injection
    render_template_string(f"<p>{count} items for {{{{ name }}}}</p>", name=name)
    layout = request.args["layout"]
    if layout in ALLOWED_LAYOUTS:
        # ok: server-side-template-injection
        render_template_string(layout, body=name)


@api.get("/page/{number}")
async def ok_typed_route_parameter(number: int):
    # ok: server-side-template-injection
    return Template(f"<p>Page {number}</p>").render()
