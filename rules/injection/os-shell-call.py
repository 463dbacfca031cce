import os
import os as operating_system
import shlex
import subprocess
import sys
from os import popen as open_pipe
from os import system
from subprocess import getoutput, getstatusoutput

from django.http import HttpResponse
from fastapi import FastAPI
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()
ALLOWED_HOSTS = {"db1", "db2"}
COMMANDS = {"disk": "df -h", "load": "uptime"}


def bad_fstring(path):
    # ruleid: os-shell-call
    os.system(f"rm -rf {path}")


def bad_concatenation(host):
    # ruleid: os-shell-call
    return os.popen("ping -c 1 " + host).read()


def bad_percent(user):
    # ruleid: os-shell-call
    return subprocess.getoutput("id %s" % user)


def bad_format(branch):
    # ruleid: os-shell-call
    return getstatusoutput("git checkout {}".format(branch))


def bad_alias(name):
    # ruleid: os-shell-call
    operating_system.system("touch " + name)
    # ruleid: os-shell-call
    open_pipe(f"cat {name}")
    # ruleid: os-shell-call
    system(command="ls " + name)


def bad_variable_built(directory):
    cmd = f"du -sh {directory}"
    # ruleid: os-shell-call
    return os.popen(cmd).read()


def bad_accumulated(paths):
    cmd = "tar czf out.tgz"
    for path in paths:
        cmd += " " + path
    # ruleid: os-shell-call
    os.system(cmd)


def bad_parameter(command):
    # ruleid: os-shell-call
    return getoutput(command)


def bad_request(request):
    # ruleid: os-shell-call
    os.system(request.args["cmd"])


def bad_multiline(src, dst):
    # ruleid: os-shell-call
    os.system(
        "cp %s %s" % (src, dst),
    )


def bad_function_import(target):
    import os as o

    # ruleid: os-shell-call
    o.system("make " + target)


def bad_quoted(path):
    # Every spliced-in value is shlex.quote()d: still reported, at low severity.
    # ruleid: os-shell-call
    os.system("rm -- " + shlex.quote(path))
    # ruleid: os-shell-call
    os.system(shlex.join(["rm", "--", path]))


def ok_literal():
    # auditid: os-shell-call
    os.system("ls -l /tmp")
    # auditid: os-shell-call
    os.popen("uname -a").read()
    # auditid: os-shell-call
    getoutput("date " + "+%s")


def ok_constant_variable():
    cmd = "git rev-parse HEAD"
    # auditid: os-shell-call
    return subprocess.getoutput(cmd)


def ok_not_a_shell(args):
    # ok: os-shell-call
    subprocess.run(args)
    # ok: os-shell-call
    os.path.join("a", args)


def ok_local_system(name):
    def system(command):
        return command

    # ok: os-shell-call
    return system("echo " + name)


# Untrusted input traced to the command: reported high (request data) or medium (command line).


@app.route("/ping")
def bad_flask_args():
    host = request.args.get("host", "")
    # ruleid: os-shell-call
    return os.popen("ping -c 1 " + host).read()


@app.post("/archive")
def bad_flask_form():
    name = request.form["name"].strip()
    cmd = f"tar czf /tmp/{name}.tgz /srv/data"
    # ruleid: os-shell-call
    os.system(cmd)


@app.post("/convert")
def bad_flask_json():
    payload = request.get_json()
    # ruleid: os-shell-call
    return subprocess.getoutput("convert %s out.png" % payload["file"])


def bad_django_get(request):
    # ruleid: os-shell-call
    os.system("whois " + request.GET["domain"])
    return HttpResponse("ok")


def bad_django_url_kwarg(request, branch):
    # ruleid: os-shell-call
    getstatusoutput("git log {}".format(branch))
    return HttpResponse("ok")


@api.get("/lookup")
async def bad_fastapi_param(q: str):
    # ruleid: os-shell-call
    return {"out": os.popen(f"nslookup {q}").read()}


def handler(event, context):
    # ruleid: os-shell-call
    os.system("echo " + event["message"])


def make_target(target):
    # Reached from the route below.
    # ruleid: os-shell-call
    os.system("make " + target)


@app.route("/make")
def bad_through_helper():
    make_target(request.args["target"])


def bad_command_line():
    # ruleid: os-shell-call
    os.system("grep -r %s /var/log" % sys.argv[1])


@app.route("/quoted")
def bad_quoted_request():
    host = shlex.quote(request.args["host"])
    # shlex.quote() clears the taint: only the low audit finding remains.
    # ruleid: os-shell-call
    os.system("ping -c 1 " + host)


@app.route("/count")
def ok_converted():
    count = int(request.args["count"])
    # auditid: os-shell-call
    os.system(f"seq {count}")


@app.route("/allowed")
def ok_allowlist():
    host = request.args["host"]
    if host in ALLOWED_HOSTS:
        # auditid: os-shell-call
        os.system("ping -c 1 " + host)


@app.route("/check")
def ok_constant_table():
    # auditid: os-shell-call
    return os.popen(COMMANDS[request.args["check"]]).read()


@api.get("/sleep/{seconds}")
async def ok_int_route_parameter(seconds: int):
    # auditid: os-shell-call
    os.system(f"sleep {seconds}")


def bad_reflective_lookup(cmd):
    # ruleid: os-shell-call
    getattr(os, "system")(cmd)
    # ruleid: os-shell-call
    __import__("os").system(cmd)
    run_shell = getattr(operating_system, "popen")
    # ruleid: os-shell-call
    run_shell(cmd)
    # ok: os-shell-call
    getattr(os, "getcwd")()
    # ok: os-shell-call
    return __import__("os").path.join(cmd, "out")


def getopt_option_names():
    import getopt

    opts, args = getopt.getopt(sys.argv[1:], "vo:", ["verbose", "output="])
    for opt, value in opts:
        # auditid: os-shell-call
        os.system("echo option " + opt)
        # ruleid: os-shell-call
        os.system("echo value " + value)
