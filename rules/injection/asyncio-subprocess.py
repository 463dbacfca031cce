import asyncio
import asyncio as aio
import shlex
import sys
from asyncio import create_subprocess_exec as spawn, create_subprocess_shell

from django.http import HttpResponse
from fastapi import FastAPI
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()
ALLOWED_HOSTS = {"db1", "db2"}
CHECKS = {"disk": "df -h", "load": "uptime"}


async def bad_shell_fstring(host):
    # ruleid: asyncio-subprocess
    proc = await asyncio.create_subprocess_shell(f"ping -c 1 {host}")
    return await proc.wait()


async def bad_shell_alias(name):
    # ruleid: asyncio-subprocess
    await create_subprocess_shell("grep -r " + name + " /srv")


async def bad_shell_module_alias(command):
    # ruleid: asyncio-subprocess
    await aio.create_subprocess_shell(command, stdout=aio.subprocess.PIPE)


async def bad_shell_request(request):
    # ruleid: asyncio-subprocess
    await asyncio.create_subprocess_shell(cmd=request.query["cmd"])


async def bad_shell_quoted(path):
    # ruleid: asyncio-subprocess
    await asyncio.create_subprocess_shell(f"wc -l {shlex.quote(path)}")


async def bad_exec_inline_code(script):
    # ruleid: asyncio-subprocess
    await asyncio.create_subprocess_exec("bash", "-c", script)


async def bad_exec_program(tool):
    # ruleid: asyncio-subprocess
    await spawn(tool, "--version")


async def bad_exec_argument(url):
    # ruleid: asyncio-subprocess
    await asyncio.create_subprocess_exec("git", "clone", url)


async def bad_exec_splat(args):
    # ruleid: asyncio-subprocess
    await asyncio.create_subprocess_exec(*args)


async def bad_loop_shell(loop, factory, command):
    # ruleid: asyncio-subprocess
    await loop.subprocess_shell(factory, f"sh {command}")


async def bad_loop_exec(factory, code):
    loop = asyncio.get_running_loop()
    # ruleid: asyncio-subprocess
    await loop.subprocess_exec(factory, sys.executable, "-c", code)


async def bad_multiline(branch):
    # ruleid: asyncio-subprocess
    await asyncio.create_subprocess_shell(
        "git checkout {}".format(branch),
        stdout=asyncio.subprocess.PIPE,
    )


async def bad_function_level_import(target):
    import asyncio as a

    # ruleid: asyncio-subprocess
    await a.create_subprocess_shell("make " + target)


async def ok_literals(factory):
    # auditid: asyncio-subprocess
    await asyncio.create_subprocess_shell("ls -l | wc -l")
    # auditid: asyncio-subprocess
    await asyncio.create_subprocess_exec("git", "status", "--short")
    # auditid: asyncio-subprocess
    await asyncio.create_subprocess_exec(sys.executable, "-m", "pip", "list")
    loop = asyncio.get_running_loop()
    # auditid: asyncio-subprocess
    await loop.subprocess_exec(factory, "uname", "-a")


async def ok_named_literal_argv():
    command = ["git", "log", "-n", "1"]
    # auditid: asyncio-subprocess
    await asyncio.create_subprocess_exec(*command)


async def ok_other_calls(runner, command):
    # ok: asyncio-subprocess
    await runner.run(command)
    # ok: asyncio-subprocess
    await asyncio.sleep(1)


# Untrusted input traced to the command: high (request data) or medium (command line).


@app.route("/ping")
async def bad_flask_args_shell():
    host = request.args.get("host", "")
    # ruleid: asyncio-subprocess
    proc = await asyncio.create_subprocess_shell(f"ping -c 1 {host}")
    return str(await proc.wait())


@app.post("/archive")
async def bad_flask_form_shell():
    # ruleid: asyncio-subprocess
    await create_subprocess_shell("tar czf out.tgz " + request.form["path"])


@app.post("/run")
async def bad_flask_json_exec_code():
    body = request.get_json()
    # ruleid: asyncio-subprocess
    await asyncio.create_subprocess_exec("bash", "-c", body["script"])


async def bad_django_get_argument(request):
    # ruleid: asyncio-subprocess
    await spawn("git", "clone", request.GET["repository"])
    return HttpResponse("ok")


async def bad_django_url_kwarg_program(request, tool):
    # ruleid: asyncio-subprocess
    await asyncio.create_subprocess_exec(tool, "--version")
    return HttpResponse("ok")


@api.get("/lookup")
async def bad_fastapi_param_shell(q: str):
    command = "nslookup %s" % q
    # ruleid: asyncio-subprocess
    await aio.create_subprocess_shell(command)


async def bad_lambda_loop(event, context):
    loop = asyncio.get_running_loop()
    # ruleid: asyncio-subprocess
    await loop.subprocess_shell(asyncio.SubprocessProtocol, "echo " + event["message"])


def handler(event, context):
    return asyncio.run(bad_lambda_loop(event, context))


async def bad_command_line_exec():
    # ruleid: asyncio-subprocess
    await asyncio.create_subprocess_exec(sys.executable, "-c", sys.argv[1])


@app.route("/quoted")
async def bad_quoted_request():
    # shlex.quote() clears the taint: only the low audit finding remains.
    # ruleid: asyncio-subprocess
    await asyncio.create_subprocess_shell("ls -l " + shlex.quote(request.args["dir"]))


@app.route("/count")
async def ok_converted():
    count = int(request.args["count"])
    # auditid: asyncio-subprocess
    await asyncio.create_subprocess_shell(f"seq {count}")


@app.route("/allowed")
async def ok_allowlist():
    host = request.args["host"]
    if host not in ALLOWED_HOSTS:
        return "unknown host"
    # auditid: asyncio-subprocess
    await asyncio.create_subprocess_exec("ping", "-c", "1", host)


@app.route("/check")
async def ok_constant_table():
    # auditid: asyncio-subprocess
    await asyncio.create_subprocess_shell(CHECKS[request.args["check"]])


@api.get("/sleep/{seconds}")
async def ok_int_route_parameter(seconds: int):
    # auditid: asyncio-subprocess
    await asyncio.create_subprocess_shell(f"sleep {seconds}")


async def ok_end_of_options(host):
    # auditid: asyncio-subprocess
    await asyncio.create_subprocess_exec("/bin/ping", "-c", "1", "--", host)


@app.route("/lookup")
async def ok_request_data_after_end_of_options():
    # auditid: asyncio-subprocess
    await asyncio.create_subprocess_exec("/usr/bin/host", "--", request.args["name"])


async def bad_value_before_end_of_options(flags, host):
    # ruleid: asyncio-subprocess
    await asyncio.create_subprocess_exec("/bin/ping", flags, "--", host)
