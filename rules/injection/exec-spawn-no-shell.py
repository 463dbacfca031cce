import os
import shlex
import sys
from os import execvp as exec_program, spawnv

from django.http import HttpResponse
from fastapi import FastAPI
from flask import Flask, request

HOOK = "/usr/local/bin/post-deploy"
HOOKS = {"lint": "/usr/local/bin/lint-hook", "test": "/usr/local/bin/test-hook"}
ALLOWED_DOCUMENTS = {"report.pdf", "summary.pdf"}

app = Flask(__name__)
api = FastAPI()


def bad_shell_code(hook):
    # ruleid: exec-spawn-no-shell
    os.execl("/bin/sh", "sh", "-c", hook)


def bad_shell_code_built(name):
    # ruleid: exec-spawn-no-shell
    os.execv("/bin/bash", ["bash", "-c", f"tar czf /tmp/{name}.tgz data"])


def bad_program(path):
    # ruleid: exec-spawn-no-shell
    os.execv(path, [path, "--serve"])


def bad_program_request(request):
    # ruleid: exec-spawn-no-shell
    os.spawnl(os.P_WAIT, request.args["tool"], "tool")


def bad_argument(filename):
    # ruleid: exec-spawn-no-shell
    exec_program("gzip", ["gzip", filename])


def bad_spawn_alias(target):
    # ruleid: exec-spawn-no-shell
    spawnv(os.P_NOWAIT, "/usr/bin/ping", ["ping", "-c", "1", target])


def bad_env_variant(user, env):
    # ruleid: exec-spawn-no-shell
    os.execle("/usr/bin/id", "id", user, env)


def bad_opaque(args):
    # ruleid: exec-spawn-no-shell
    os.execvp("rsync", args)


def bad_posix_spawn(script, env):
    # ruleid: exec-spawn-no-shell
    os.posix_spawn(sys.executable, [sys.executable, script], env)


def bad_startfile(document):
    # ruleid: exec-spawn-no-shell
    os.startfile(document)


def bad_startfile_arguments(extra):
    # ruleid: exec-spawn-no-shell
    os.startfile("C:\\Tools\\viewer.exe", "open", extra)


def bad_multiline(command):
    # ruleid: exec-spawn-no-shell
    os.spawnlp(
        os.P_WAIT,
        "python3",
        "python3",
        "-c",
        command,
    )


def bad_function_level_import(path):
    import os as operating_system

    # ruleid: exec-spawn-no-shell
    operating_system.execv(path, [path])


def ok_constants(env):
    # auditid: exec-spawn-no-shell
    os.execvp("ls", ["ls", "-l"])
    # auditid: exec-spawn-no-shell
    os.execl("/bin/sh", "sh", "-c", "exec nginx -g 'daemon off;'")
    # auditid: exec-spawn-no-shell
    os.spawnv(os.P_WAIT, HOOK, [HOOK])
    # auditid: exec-spawn-no-shell
    os.execve("/usr/bin/env", ["env"], env)
    # auditid: exec-spawn-no-shell
    os.startfile("report.pdf")


def ok_restart_self():
    # auditid: exec-spawn-no-shell
    os.execv(sys.executable, [sys.executable] + sys.argv)
    # auditid: exec-spawn-no-shell
    os.execl(sys.executable, sys.executable, *sys.argv)
    # auditid: exec-spawn-no-shell
    os.execv(sys.argv[0], sys.argv)


def ok_other_functions(path):
    # ok: exec-spawn-no-shell
    os.path.exists(path)
    # ok: exec-spawn-no-shell
    os.execute = None


# Untrusted input traced into the call: high when it chooses what runs, medium as an argument.


@app.route("/hook")
def bad_flask_args_shell_code():
    # ruleid: exec-spawn-no-shell
    os.execl("/bin/sh", "sh", "-c", request.args["hook"])


@app.post("/spawn")
def bad_flask_form_program():
    tool = request.form["tool"]
    # ruleid: exec-spawn-no-shell
    os.spawnv(os.P_WAIT, tool, [tool])


@app.post("/python")
def bad_flask_json_inline_code():
    code = request.get_json()["code"]
    # ruleid: exec-spawn-no-shell
    os.spawnlp(os.P_WAIT, "python3", "python3", "-c", code)


def bad_django_get_argument(request):
    # ruleid: exec-spawn-no-shell
    os.spawnvp(os.P_WAIT, "ping", ["ping", "-c", "1", request.GET["host"]])
    return HttpResponse("ok")


def bad_django_url_kwarg_document(request, name):
    # ruleid: exec-spawn-no-shell
    os.startfile(name)
    return HttpResponse("ok")


@api.get("/exec")
async def bad_fastapi_param_script(q: str):
    # ruleid: exec-spawn-no-shell
    os.execv(sys.executable, [sys.executable, q])


def handler(event, context):
    # ruleid: exec-spawn-no-shell
    os.execvp(event["program"], [event["program"]])


def bad_command_line_shell_code():
    # ruleid: exec-spawn-no-shell
    os.execl("/bin/bash", "bash", "-c", "echo " + sys.argv[1])


@app.route("/quoted")
def bad_quoted_request():
    # shlex.quote() clears the taint: only the low audit finding remains.
    # ruleid: exec-spawn-no-shell
    os.execl("/bin/sh", "sh", "-c", "ls -l " + shlex.quote(request.args["dir"]))


@app.route("/hooks")
def ok_constant_table():
    # auditid: exec-spawn-no-shell
    os.execv(HOOKS[request.args["hook"]], [HOOKS[request.args["hook"]]])


@app.route("/sleep")
def ok_converted():
    seconds = int(request.args["seconds"])
    # auditid: exec-spawn-no-shell
    os.spawnl(os.P_WAIT, "/bin/sleep", "sleep", str(seconds))


@app.route("/open")
def ok_allowlisted_document():
    document = request.args["document"]
    if document in ALLOWED_DOCUMENTS:
        # auditid: exec-spawn-no-shell
        os.startfile(document)


@api.get("/nice/{level}")
async def ok_int_route_parameter(level: int):
    # auditid: exec-spawn-no-shell
    os.execv("/usr/bin/nice", ["nice", "-n", str(level), "/usr/local/bin/worker"])
