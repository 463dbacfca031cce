import logging

from django.shortcuts import render
from django.shortcuts import render as django_render
from django.template import loader
from flask import render_template
from jinja2 import Environment

log = logging.getLogger(__name__)
env = Environment()


def bad_django(request):
    profile = request.user.profile
    # ruleid: template-context-leak
    return render(request, "profile.html", locals())


def bad_alias_globals(request):
    # ruleid: template-context-leak
    return django_render(request, "debug.html", globals())


def bad_keyword(request):
    # ruleid: template-context-leak
    return render(request, "profile.html", context=locals())


def bad_loader(request):
    # ruleid: template-context-leak
    return loader.render_to_string("mail.txt", locals())


def bad_flask_splat(order):
    # ruleid: template-context-leak
    return render_template(
        "order.html",
        **locals(),
    )


def bad_jinja_template(items):
    template = env.get_template("items.html")
    # ruleid: template-context-leak
    return template.render(locals())


def ok_explicit(request):
    profile = request.user.profile
    # ok: template-context-leak
    return render(request, "profile.html", {"profile": profile})


def ok_context_variable(request, context):
    # ok: template-context-leak
    return render(request, "profile.html", context)


def ok_locals_elsewhere(user):
    # ok: template-context-leak
    log.info("%(user)s logged in", locals())
    # ok: template-context-leak
    return "Hello {user}".format(**locals())


def bad_function_import(request):
    from django.shortcuts import render as show

    # ruleid: template-context-leak
    return show(request, "page.html", locals())


def bad_locals_in_variable(request):
    api_key = request.user.billing_api_key
    context = locals()
    # ruleid: template-context-leak
    return render(request, "billing.html", context)


def ok_copied_context(request):
    context = {"user": request.user}
    # ok: template-context-leak
    return render(request, "billing.html", context)
