import os
import shlex
import shutil
# Importing subprocess is not a finding (bandit B404 / ruff S404 map here for suppressions only).
# ok: subprocess-untrusted-argv
import subprocess
import subprocess as sp
import sys
from pathlib import Path
from subprocess import Popen, check_output as co, run

from django.http import HttpResponse
from fastapi import FastAPI
from flask import Flask, request
from myproject.tools import find_git

app = Flask(__name__)
api = FastAPI()
ALLOWED_TOOLS = {"black", "ruff"}

HERE = os.path.dirname(os.path.abspath(__file__))
SUBCOMMANDS = {"status": "status", "log": "log"}
GIT = "/usr/bin/git"


def bad_shell_c_fstring(name):
    # ruleid: subprocess-untrusted-argv
    subprocess.run(["sh", "-c", f"convert {name} thumb.png"], check=True)


def bad_bash_lc_dynamic(command):
    # ruleid: subprocess-untrusted-argv
    subprocess.call(["/bin/bash", "-lc", command])


def bad_python_c(code):
    # ruleid: subprocess-untrusted-argv
    co([sys.executable, "-c", code])


def bad_python_c_tuple(expr):
    # ruleid: subprocess-untrusted-argv
    sp.check_call(("python3", "-c", "print(%s)" % expr))


def bad_program(tool):
    # ruleid: subprocess-untrusted-argv
    run([tool, "--version"])


def bad_executable_keyword(binary):
    # ruleid: subprocess-untrusted-argv
    subprocess.run(["ls", "-l"], executable=binary)


def bad_built_program_string(version):
    # ruleid: subprocess-untrusted-argv
    subprocess.run(f"python{version}")


def bad_script(script_path):
    # ruleid: subprocess-untrusted-argv
    subprocess.run(["python", script_path])


def bad_module(module):
    # ruleid: subprocess-untrusted-argv
    subprocess.run([sys.executable, "-m", module])


def bad_argument(url):
    # ruleid: subprocess-untrusted-argv
    subprocess.run(["git", "clone", url], check=True)


def bad_argument_request(request):
    # ruleid: subprocess-untrusted-argv
    subprocess.run(["ping", "-c", "1", request.args["host"]])


def bad_opaque(cmd):
    # ruleid: subprocess-untrusted-argv
    subprocess.run(cmd, check=True)


def bad_appended(url):
    command = ["git", "clone"]
    command.append(url)
    # ruleid: subprocess-untrusted-argv
    subprocess.check_call(command)


def bad_concatenated(extra_args):
    # ruleid: subprocess-untrusted-argv
    subprocess.run(["pytest", "-q"] + extra_args)


def bad_splat(base, name):
    # ruleid: subprocess-untrusted-argv
    subprocess.run([*base, name])


def bad_keyword_args(host):
    # ruleid: subprocess-untrusted-argv
    Popen(args=["ssh", host, "uptime"])


def bad_explicit_no_shell(path):
    # ruleid: subprocess-untrusted-argv
    subprocess.run(["rm", "-rf", path], shell=False)


def bad_shlex_split_built(ref):
    # ruleid: subprocess-untrusted-argv
    subprocess.run(shlex.split(f"git checkout {ref}"))


def bad_multiline(branch):
    # ruleid: subprocess-untrusted-argv
    subprocess.run(
        [
            "bash",
            "-c",
            "git fetch && git checkout " + branch,
        ],
        check=True,
    )


def bad_function_level_import(path):
    import subprocess as proc

    # ruleid: subprocess-untrusted-argv
    proc.run(["cat", path])


def ok_literal_lists():
    # auditid: subprocess-untrusted-argv
    subprocess.run(["git", "status", "--short"], check=True)
    # auditid: subprocess-untrusted-argv
    subprocess.check_output(("uname", "-a"))
    # auditid: subprocess-untrusted-argv
    subprocess.run("ls")
    # auditid: subprocess-untrusted-argv
    subprocess.run(["sh", "-c", "ls | wc -l"])


def ok_named_literal_list():
    command = ["git", "rev-parse", "HEAD"]
    # auditid: subprocess-untrusted-argv
    return subprocess.check_output(command)


def ok_sys_executable():
    # auditid: subprocess-untrusted-argv
    subprocess.run([sys.executable, "-m", "pip", "--version"])
    # auditid: subprocess-untrusted-argv
    subprocess.run([sys.executable, os.path.join(HERE, "helper.py")])
    # auditid: subprocess-untrusted-argv
    subprocess.run([sys.executable, str(Path(__file__).parent / "worker.py")])


def ok_which_and_constants(kind, lines):
    # auditid: subprocess-untrusted-argv
    subprocess.run([shutil.which("git"), "status"])
    # auditid: subprocess-untrusted-argv
    subprocess.run([GIT, SUBCOMMANDS[kind]])
    # auditid: subprocess-untrusted-argv
    subprocess.run(["head", "-n", int(lines)])


def ok_constant_loop():
    for tool in ("black", "isort"):
        # auditid: subprocess-untrusted-argv
        subprocess.run([tool, "--check", "."])


def ok_shlex_split_literal():
    # auditid: subprocess-untrusted-argv
    subprocess.run(shlex.split("git log --oneline -n 5"))


def ok_restart_self():
    # auditid: subprocess-untrusted-argv
    subprocess.call([sys.executable] + sys.argv)


def ok_shell_belongs_to_pgi006(command, use_shell):
    # ok: subprocess-untrusted-argv
    subprocess.run(command, shell=True)
    # ok: subprocess-untrusted-argv
    subprocess.run(command, shell=use_shell)


def ok_not_subprocess(runner, command):
    # ok: subprocess-untrusted-argv
    runner.run(command)
    # ok: subprocess-untrusted-argv
    subprocess.getoutput(command)


# Untrusted input traced into the argv: high when it chooses the program, the script or the
# inline code; medium when it is only an argument (option injection).


@app.route("/run")
def bad_flask_args_inline_code():
    # ruleid: subprocess-untrusted-argv
    subprocess.run(["sh", "-c", request.args["cmd"]])


@app.post("/script")
def bad_flask_form_script():
    script = request.form["script"]
    # ruleid: subprocess-untrusted-argv
    subprocess.run([sys.executable, script], check=True)


@app.post("/tool")
def bad_flask_json_program():
    data = request.get_json()
    # ruleid: subprocess-untrusted-argv
    return co([data["tool"], "--version"])


def bad_django_get_argument(request):
    # ruleid: subprocess-untrusted-argv
    subprocess.run(["ping", "-c", "1", request.GET["host"]])
    return HttpResponse("ok")


def bad_django_url_kwarg_module(request, module):
    # ruleid: subprocess-untrusted-argv
    subprocess.run(["python3", "-m", module])
    return HttpResponse("ok")


@api.get("/exec")
async def bad_fastapi_whole_command(q: str):
    # ruleid: subprocess-untrusted-argv
    return subprocess.check_output(shlex.split(q))


def handler(event, context):
    # ruleid: subprocess-untrusted-argv
    subprocess.run(["bash", "-c", f"echo {event['message']}"])


def bad_command_line_code():
    # ruleid: subprocess-untrusted-argv
    subprocess.run(["sh", "-c", sys.argv[1]])


@app.route("/fetch")
def bad_tainted_after_unknown_program():
    git = find_git()
    # The flow is reported rather than the unknown program before it.
    # ruleid: subprocess-untrusted-argv
    subprocess.run([git, "fetch", request.args["remote"]])


@app.route("/quoted")
def bad_quoted_request():
    # shlex.quote() clears the taint: only the low audit finding remains.
    # ruleid: subprocess-untrusted-argv
    subprocess.run(["sh", "-c", "ls -l " + shlex.quote(request.args["dir"])])


@app.route("/head")
def ok_converted():
    # auditid: subprocess-untrusted-argv
    subprocess.run(["head", "-n", str(int(request.args["n"])), "app.log"])


@app.route("/check")
def ok_allowlisted_program():
    tool = request.args["tool"]
    if tool in ALLOWED_TOOLS:
        # auditid: subprocess-untrusted-argv
        subprocess.run([tool, "--check", "."])


@app.route("/sub")
def ok_constant_table():
    # auditid: subprocess-untrusted-argv
    subprocess.run([GIT, SUBCOMMANDS[request.args["sub"]]])


@api.get("/tail/{lines}")
async def ok_int_route_parameter(lines: int):
    # auditid: subprocess-untrusted-argv
    subprocess.run(["tail", "-n", str(lines), "/var/log/app.log"])


def ok_end_of_options(name):
    # auditid: subprocess-untrusted-argv
    subprocess.run(["convert", "--", name, "-resize", "64x64", "thumb.png"], check=True)


@app.route("/grep")
def ok_request_data_after_end_of_options():
    # auditid: subprocess-untrusted-argv
    subprocess.run(["grep", "--", request.args["pattern"], "app.log"])


def bad_value_before_end_of_options(source, target):
    # ruleid: subprocess-untrusted-argv
    subprocess.run(["cp", source, "--", target])


def bad_program_from_command_line():
    # ruleid: subprocess-untrusted-argv
    subprocess.run([sys.argv[1], "--version"])
    # ruleid: subprocess-untrusted-argv
    subprocess.call(sys.argv[2:])


def ok_restart_from_own_command_line():
    # auditid: subprocess-untrusted-argv
    subprocess.call([sys.argv[0], *sys.argv[1:]])
    # auditid: subprocess-untrusted-argv
    subprocess.run([sys.executable, *sys.argv])


def own_command_line_passed_on():
    # auditid: subprocess-untrusted-argv
    subprocess.run(["ls", "-l", sys.argv[1]])
    # auditid: subprocess-untrusted-argv
    subprocess.run(["grep", "-r"] + sys.argv[2:])
    # ruleid: subprocess-untrusted-argv
    subprocess.run(["ls", "-l", os.environ["LISTING_DIR"]])
