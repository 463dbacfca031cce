import functools
import shlex
import subprocess
import sys
from subprocess import run as run_process

import psutil
from django.http import HttpResponse
from fastapi import FastAPI
from flask import Flask, request
from invoke import run as invoke_run

from myproject.utils import execute, run_command

USE_SHELL = True
ALLOWED_TARGETS = {"build", "test"}
TARGETS = {"b": "make build", "t": "make test"}

app = Flask(__name__)
api = FastAPI()


def bad_wrapper_fstring(path):
    # ruleid: shell-true-other-callable
    return run_command(f"du -sh {path}", shell=True)


def bad_psutil(path):
    # ruleid: shell-true-other-callable
    return psutil.Popen("ls " + path, shell=True)


def bad_method_on_object(runner, name):
    # ruleid: shell-true-other-callable
    runner.run("id %s" % name, shell=True)


def bad_keyword_command(host):
    # ruleid: shell-true-other-callable
    execute(cmd="ping -c 1 {}".format(host), shell=True)


def bad_dynamic(command):
    # ruleid: shell-true-other-callable
    run_command(command, shell=1)


def bad_truthy_constant(command):
    # ruleid: shell-true-other-callable
    run_command(command, shell=USE_SHELL)


def bad_request(request):
    # ruleid: shell-true-other-callable
    run_command(request.args["cmd"], shell=True)


def bad_multiline(target):
    # ruleid: shell-true-other-callable
    run_command(
        "make " + target,
        check=True,
        shell=True,
    )


def bad_literal():
    # A fixed command: reported at low severity and confidence.
    # ruleid: shell-true-other-callable
    run_command("ls -l | wc -l", shell=True)


def bad_quoted(path):
    # Every spliced-in value is shell-quoted: low severity.
    # ruleid: shell-true-other-callable
    run_command(f"rm -- {shlex.quote(path)}", shell=True)


def bad_command_in_kwargs(options):
    # ruleid: shell-true-other-callable
    execute(shell=True, **options)


def bad_partial_of_subprocess():
    # ruleid: shell-true-other-callable
    return functools.partial(subprocess.check_call, shell=True)


def ok_subprocess_belongs_to_pgi006(command):
    # ok: shell-true-other-callable
    subprocess.run(command, shell=True)
    # ok: shell-true-other-callable
    subprocess.Popen(command, shell=True)
    # ok: shell-true-other-callable
    run_process(command, shell=True)


def ok_function_level_subprocess(command):
    import subprocess as sp

    # ok: shell-true-other-callable
    sp.check_output(command, shell=True)


def bad_non_empty_f_string_flag(command, mode):
    # ruleid: shell-true-other-callable
    run_command(command, shell=f"{mode=}")
    # ruleid: shell-true-other-callable
    run_command(command, shell=f"use {mode}")


def ok_f_string_flag_may_be_empty(command, mode):
    # ok: shell-true-other-callable
    run_command(command, shell=f"{mode}")


def ok_false_values(command):
    # ok: shell-true-other-callable
    run_command(command, shell=False)
    # ok: shell-true-other-callable
    run_command(command, shell=0)
    # ok: shell-true-other-callable
    run_command(command, shell=None)


def ok_pass_through(command, shell=True):
    # A wrapper handing its own flag on: the call site that sets it is what matters.
    # ok: shell-true-other-callable
    return run_command(command, shell=shell)


def ok_data(command):
    # ok: shell-true-other-callable
    options = dict(shell=True)
    # ok: shell-true-other-callable
    return command if options["shell"] == True else None


def ok_invoke_without_shell(command):
    # ok: shell-true-other-callable
    invoke_run(command, pty=True)
    # Invoke's `shell=` names the shell to use; remote-shell-exec covers these calls.
    # ok: shell-true-other-callable
    invoke_run(command, shell="/bin/bash")


# Untrusted input traced to the command: high severity, one step less sure than for subprocess.


@app.route("/du")
def bad_flask_args():
    path = request.args["path"]
    # ruleid: shell-true-other-callable
    return run_command(f"du -sh {path}", shell=True)


@app.post("/ls")
def bad_flask_form():
    # ruleid: shell-true-other-callable
    return psutil.Popen("ls " + request.form["dir"], shell=True)


@app.post("/job")
def bad_flask_json():
    job = request.get_json()
    # ruleid: shell-true-other-callable
    execute(cmd="nice {}".format(job["command"]), shell=True)


def bad_django_get(request):
    # ruleid: shell-true-other-callable
    run_command("host %s" % request.GET["name"], shell=True)
    return HttpResponse("ok")


def bad_django_url_kwarg(request, target):
    # ruleid: shell-true-other-callable
    run_command(f"make {target}", shell=True)
    return HttpResponse("ok")


@api.get("/dig")
async def bad_fastapi_param(domain: str):
    # ruleid: shell-true-other-callable
    return execute(command="dig " + domain, shell=True)


def handler(event, context):
    # ruleid: shell-true-other-callable
    run_command(event["command"], shell=True)


def bad_command_line():
    # ruleid: shell-true-other-callable
    run_command("tar xzf " + sys.argv[1], shell=True)


@app.route("/quoted")
def bad_quoted_request():
    # shlex.quote() clears the taint: only the low audit finding remains.
    # ruleid: shell-true-other-callable
    run_command("ls -l " + shlex.quote(request.args["dir"]), shell=True)


@app.route("/allowed")
def bad_allowlisted_request():
    target = request.args["target"]
    if target in ALLOWED_TARGETS:
        # An allowlisted value makes the line as safe as a literal: low.
        # ruleid: shell-true-other-callable
        run_command(f"make {target}", shell=True)


@app.route("/no-shell")
def ok_request_without_shell():
    # ok: shell-true-other-callable
    run_command(["grep", "--", request.args["pattern"], "app.log"], shell=False)
    # ok: shell-true-other-callable
    run_command(TARGETS[request.args["t"]])
