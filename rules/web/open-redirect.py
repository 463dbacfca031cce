import sys
from urllib.parse import urlparse

import flask
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import redirect as django_redirect
from django.utils.http import url_has_allowed_host_and_scheme
from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from flask import Flask, redirect, request, url_for
from flask import redirect as go

app = Flask(__name__)
api = FastAPI()
ALLOWED_TARGETS = {"/home", "/account"}


@app.route("/login")
def bad_next_parameter():
    # ruleid: open-redirect
    return redirect(request.args.get("next"))


@app.route("/login2")
def bad_alias_and_fallback():
    target = request.args.get("next") or url_for("index")
    # ruleid: open-redirect
    return go(target)


@app.post("/jump")
def bad_module_attribute():
    target = request.form["url"]
    # ruleid: open-redirect
    return flask.redirect(
        target,
        code=302,
    )


@app.route("/slash")
def bad_slash_prefix():
    # ruleid: open-redirect
    return redirect("/" + request.args["path"])


@app.route("/host")
def bad_host_hole():
    host = request.get_json()["host"]
    # ruleid: open-redirect
    return redirect(f"https://{host}/welcome")


def go_to(url):
    # ruleid: open-redirect
    return redirect(url)


@app.route("/helper")
def bad_through_helper():
    return go_to(request.args["to"])


def bad_django_view(request):
    # ruleid: open-redirect
    return django_redirect(request.GET["next"])


def bad_django_kwarg(request, next_url):
    # ruleid: open-redirect
    return HttpResponseRedirect(next_url)


def bad_django_permanent(request):
    # ruleid: open-redirect
    return HttpResponsePermanentRedirect(redirect_to=request.POST.get("to"))


@api.get("/out")
def bad_fastapi(url: str):
    # ruleid: open-redirect
    return RedirectResponse(url)


def bad_command_line():
    # ruleid: open-redirect
    return redirect(sys.argv[1])


# --- not open redirects ---


@app.route("/logout")
def ok_url_for():
    # ok: open-redirect
    return redirect(url_for("index", next=request.args.get("next")))


@app.route("/again", methods=["POST"])
def ok_own_url():
    # ok: open-redirect
    return redirect(request.url)


@app.route("/secure")
def ok_https_upgrade():
    # ok: open-redirect
    return redirect(request.url.replace("http://", "https://", 1))


@app.route("/user")
def ok_local_path():
    name = request.args["name"]
    # ok: open-redirect
    return redirect(f"/users/{name}")


@app.route("/search")
def ok_fixed_host():
    # ok: open-redirect
    return redirect("https://search.example.com/?q=" + request.args["q"])


def ok_django_allowed_host(request):
    target = request.GET.get("next", "/")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        # ok: open-redirect
        return HttpResponseRedirect(target)
    return HttpResponseRedirect("/")


def ok_django_early_exit(request):
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return HttpResponseRedirect("/")
    # ok: open-redirect
    return HttpResponseRedirect(target)


@app.route("/netloc")
def ok_netloc_check():
    target = request.args.get("next", "")
    if urlparse(target).netloc or urlparse(target).scheme:
        target = url_for("index")
    # ok: open-redirect
    return redirect(target)


@app.route("/allow")
def ok_allow_list():
    target = request.args["to"]
    if target not in ALLOWED_TARGETS:
        flask.abort(400)
    # ok: open-redirect
    return redirect(target)


@app.route("/page")
def ok_int():
    # ok: open-redirect
    return redirect("?page=%d" % int(request.args["page"]))


@api.get("/item/{item_id}")
def ok_int_route_parameter(item_id: int):
    # ok: open-redirect
    return RedirectResponse(f"{item_id}")


def ok_constant():
    # ok: open-redirect
    return redirect("/home")


def ok_unknown_origin(url):
    # ok: open-redirect
    return HttpResponseRedirect(url)
