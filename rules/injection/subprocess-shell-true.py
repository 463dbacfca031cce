import shlex
import subprocess
import subprocess as sp
import sys
from subprocess import Popen, check_output as co, run

from django.http import HttpResponse
from fastapi import FastAPI
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()
ALLOWED_BRANCHES = {"main", "develop"}

USE_SHELL = True
NO_SHELL = False


def bad_literal():
    # A fixed command: reported at low severity.
    # auditid: subprocess-shell-true
    subprocess.run("ls -l | wc -l", shell=True)


def bad_literal_plain_words():
    # Plain words: fixed as an argument list without a shell.
    # auditid: subprocess-shell-true
    subprocess.run("ls -l /var/log", shell=True)
    # auditid: subprocess-shell-true
    sp.check_call('git status --short', cwd="/srv/app", shell=True)
    # Shell syntax, builtins and environment assignments keep their shell: no fix.
    # auditid: subprocess-shell-true
    subprocess.run("ls *.py", shell=True)
    # auditid: subprocess-shell-true
    subprocess.run("cd /tmp", shell=True)
    # auditid: subprocess-shell-true
    subprocess.run("LANG=C make", shell=True)
    # auditid: subprocess-shell-true
    subprocess.run("ls -l", shell=True, executable="/bin/bash")


def bad_fstring(path):
    # ruleid: subprocess-shell-true
    subprocess.call(f"rm -rf {path}", shell=True)


def bad_concatenation(host):
    # ruleid: subprocess-shell-true
    return co("ping -c 1 " + host, shell=True)


def bad_percent_alias(user):
    # ruleid: subprocess-shell-true
    sp.check_call("id %s" % user, shell=True)


def bad_format_positional_args(branch):
    # ruleid: subprocess-shell-true
    Popen(args="git checkout {}".format(branch), shell=True)


def bad_truthy_values(cmd):
    # ruleid: subprocess-shell-true
    run(cmd, shell=1)
    # ruleid: subprocess-shell-true
    run(cmd, shell="yes")
    # ruleid: subprocess-shell-true
    run(cmd, shell=USE_SHELL)


def bad_dynamic_flag(cmd, use_shell):
    # Shell decided at run time: reported at low confidence.
    # ruleid: subprocess-shell-true
    subprocess.run(cmd, shell=use_shell)


def bad_request(request):
    # ruleid: subprocess-shell-true
    subprocess.check_output(request.form["cmd"], shell=True)


def bad_multiline(name):
    # ruleid: subprocess-shell-true
    subprocess.run(
        "grep -r " + name + " /srv",
        check=True,
        shell=True,
    )


def bad_list_with_shell(name):
    # ruleid: subprocess-shell-true
    subprocess.run([f"echo {name}"], shell=True)


def bad_function_import(target):
    import subprocess as s

    # ruleid: subprocess-shell-true
    s.run("make " + target, shell=True)


def bad_quoted(path):
    # Every spliced-in value is shlex.quote()d: reported at low severity.
    # ruleid: subprocess-shell-true
    subprocess.run(f"rm -- {shlex.quote(path)}", shell=True)


def ok_no_shell(path):
    # ok: subprocess-shell-true
    subprocess.run(["rm", "--", path])
    # ok: subprocess-shell-true
    subprocess.run(f"rm {path}", shell=False)
    # ok: subprocess-shell-true
    subprocess.run(f"rm {path}", shell=0)
    # ok: subprocess-shell-true
    subprocess.run(f"rm {path}", shell=None)
    # ok: subprocess-shell-true
    subprocess.run(f"rm {path}", shell=NO_SHELL)


def ok_getoutput_belongs_elsewhere(path):
    # ok: subprocess-shell-true
    subprocess.getoutput(f"ls {path}")


def ok_other_callable(cmd, runner):
    # ok: subprocess-shell-true
    runner.run(cmd, shell=True)


# Untrusted input traced to the command: high (request data) or medium (command line).


@app.route("/grep")
def bad_flask_args():
    pattern = request.args["pattern"]
    # ruleid: subprocess-shell-true
    return subprocess.check_output(f"grep -r {pattern} /srv/logs", shell=True)


@app.post("/zip")
def bad_flask_form():
    # ruleid: subprocess-shell-true
    subprocess.run("zip out.zip " + request.form.get("files", ""), shell=True, check=True)


@app.post("/render")
def bad_flask_json():
    options = request.get_json()
    command = "pandoc {} -o out.pdf".format(options["source"])
    # ruleid: subprocess-shell-true
    Popen(command, shell=True)


def bad_django_get(request):
    # ruleid: subprocess-shell-true
    sp.call("host %s" % request.GET["name"], shell=True)
    return HttpResponse("ok")


def bad_django_url_kwarg(request, tag):
    # ruleid: subprocess-shell-true
    run(["git tag -d " + tag], shell=True)
    return HttpResponse("ok")


@api.get("/dig")
async def bad_fastapi_param(domain: str):
    # ruleid: subprocess-shell-true
    return co(f"dig {domain}", shell=True)


def handler(event, context):
    # ruleid: subprocess-shell-true
    subprocess.run(event["command"], shell=True)


def bad_command_line():
    # ruleid: subprocess-shell-true
    subprocess.call("tar xzf " + sys.argv[1], shell=True)


@app.route("/flag")
def bad_request_flag_decided_at_run_time(use_shell):
    # ruleid: subprocess-shell-true
    subprocess.run(request.args["cmd"], shell=use_shell)


@app.route("/quoted")
def bad_quoted_request():
    # shlex.quote() clears the taint: only the low audit finding remains.
    # ruleid: subprocess-shell-true
    subprocess.run("ls -l " + shlex.quote(request.args["dir"]), shell=True)


@app.route("/checked")
def bad_checked_request():
    branch = request.args["branch"]
    if branch in ALLOWED_BRANCHES:
        # An allowlisted value makes the line as safe as a literal: low.
        # auditid: subprocess-shell-true
        subprocess.run(f"git checkout {branch}", shell=True)


@api.get("/tail/{lines}")
async def bad_int_route_parameter(lines: int):
    # A number cannot inject: low, like a literal command.
    # auditid: subprocess-shell-true
    subprocess.run(f"tail -n {lines} /var/log/app.log", shell=True)


@app.route("/no-shell")
def ok_request_without_shell():
    # Argument lists without a shell belong to subprocess-untrusted-argv.
    # ok: subprocess-shell-true
    subprocess.run(["grep", "--", request.args["pattern"], "app.log"], shell=False)
    # ok: subprocess-shell-true
    subprocess.run(request.args["cmd"].split())


def shell_flag_always_true(command):
    # A function or a generator object as the flag is always true.
    # ruleid: subprocess-shell-true
    subprocess.run(command, shell=lambda: False)
    # ruleid: subprocess-shell-true
    subprocess.run(command, shell=(flag for flag in ()))
