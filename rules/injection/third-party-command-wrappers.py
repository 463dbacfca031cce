import os
import shlex

import docker
import sh
from airflow.operators.bash import BashOperator
from airflow.providers.ssh.operators.ssh import SSHOperator
from django.http import HttpResponse
from fastapi import FastAPI
from flask import Flask, request
from sh import git, rsync

ALLOWED_IMAGES = {"python": "python:3.12-slim", "node": "node:20-alpine"}
TRUSTED_IMAGES = {"python:3.12-slim", "node:20-alpine"}

app = Flask(__name__)
api = FastAPI()


def bad_bash_operator_fstring(path):
    # ruleid: third-party-command-wrappers
    return BashOperator(task_id="sync", bash_command=f"rsync -a {path} /backup/")


def bad_bash_operator_format(table):
    # ruleid: third-party-command-wrappers
    return BashOperator(task_id="dump", bash_command="pg_dump -t {} db".format(table))


def bad_bash_operator_dag_run_conf():
    # ruleid: third-party-command-wrappers
    return BashOperator(task_id="echo", bash_command="echo {{ dag_run.conf['message'] }}")


def bad_ssh_operator(service):
    # ruleid: third-party-command-wrappers
    return SSHOperator(task_id="restart", ssh_conn_id="web", command="systemctl restart " + service)


def bad_sh_bash_c(script):
    # ruleid: third-party-command-wrappers
    return sh.bash("-c", script)


def bad_sh_command(binary):
    # ruleid: third-party-command-wrappers
    return sh.Command(binary)("--version")


def bad_sh_argument(url):
    # ruleid: third-party-command-wrappers
    return git("clone", url)


def bad_sh_concatenation(src):
    # ruleid: third-party-command-wrappers
    return rsync("-a " + src, "/backup/")


def bad_docker_image(request):
    client = docker.from_env()
    # ruleid: third-party-command-wrappers
    return client.containers.run(request.json["image"], "echo hello")


def bad_docker_shell_command(name):
    client = docker.from_env()
    # ruleid: third-party-command-wrappers
    return client.containers.run("alpine:3.19", f"sh -c 'echo {name}'")


def bad_docker_list_command(code):
    client = docker.from_env()
    # ruleid: third-party-command-wrappers
    return client.containers.create("python:3.12", command=["python", "-c", code])


def bad_docker_words(target):
    client = docker.DockerClient()
    # ruleid: third-party-command-wrappers
    client.containers.run("alpine:3.19", "ping -c 1 " + target, detach=True)


def bad_multiline(version):
    # ruleid: third-party-command-wrappers
    return BashOperator(
        task_id="install",
        bash_command="pip install app==%s" % version,
    )


def ok_airflow_literal_and_env(path):
    # ok: third-party-command-wrappers
    BashOperator(task_id="sync", bash_command='rsync -a -- "$SRC" /backup/', env={"SRC": path})
    # ok: third-party-command-wrappers
    BashOperator(task_id="date", bash_command="date")
    # ok: third-party-command-wrappers
    BashOperator(task_id="ds", bash_command="echo {{ ds }}")
    # ok: third-party-command-wrappers
    BashOperator(task_id="quoted", bash_command=f"cat {shlex.quote(path)}")


def ok_sh_constants():
    # ok: third-party-command-wrappers
    sh.ls("-l", "/tmp")
    # ok: third-party-command-wrappers
    git("status", "--short")
    # ok: third-party-command-wrappers
    sh.bash("-c", "echo ready")
    # ok: third-party-command-wrappers
    sh.Command("/usr/bin/uptime")()


def ok_docker_constants(kind):
    client = docker.from_env()
    # ok: third-party-command-wrappers
    client.containers.run("alpine:3.19", ["echo", "hello"])
    # ok: third-party-command-wrappers
    client.containers.run(ALLOWED_IMAGES[kind], "python --version")
    # ok: third-party-command-wrappers
    client.images.pull("alpine:3.19")


def ok_unrelated_run(app, runner, image):
    # ok: third-party-command-wrappers
    app.run(image)
    # ok: third-party-command-wrappers
    runner.containers.run(image)


# Untrusted input traced to the command: high when it reaches a shell, the program or the image;
# medium when it only adds arguments.


@app.route("/script")
def bad_flask_args_sh_code():
    # ruleid: third-party-command-wrappers
    return str(sh.bash("-c", request.args["script"]))


@app.post("/container")
def bad_flask_form_image():
    client = docker.from_env()
    # ruleid: third-party-command-wrappers
    client.containers.run(request.form["image"], "true", remove=True)


@app.post("/echo")
def bad_flask_json_docker_shell():
    body = request.get_json()
    client = docker.from_env()
    # ruleid: third-party-command-wrappers
    client.containers.run("alpine:3.19", f"sh -c 'echo {body['message']}'")


def bad_django_get_sh_argument(request):
    # ruleid: third-party-command-wrappers
    git("clone", request.GET["repository"])
    return HttpResponse("ok")


def bad_django_url_kwarg_docker_words(request, host):
    client = docker.from_env()
    # ruleid: third-party-command-wrappers
    client.containers.run("alpine:3.19", "ping -c 1 " + host)
    return HttpResponse("ok")


@api.get("/tool")
async def bad_fastapi_param_sh_command(q: str):
    # ruleid: third-party-command-wrappers
    return str(sh.Command(q)("--version"))


def handler(event, context):
    client = docker.from_env()
    # ruleid: third-party-command-wrappers
    client.containers.create("python:3.12", command=["python", "-c", event["code"]])


def bad_environment_bash_command():
    # ruleid: third-party-command-wrappers
    return BashOperator(task_id="sync", bash_command=f"rsync -a {os.environ['SRC']} /backup/")


@app.route("/sleep")
def ok_converted():
    client = docker.from_env()
    seconds = int(request.args["seconds"])
    # ok: third-party-command-wrappers
    client.containers.run("alpine:3.19", f"sleep {seconds}")


@app.route("/quoted")
def ok_quoted_request():
    client = docker.from_env()
    name = shlex.quote(request.args["name"])
    # ok: third-party-command-wrappers
    client.containers.run("alpine:3.19", f"sh -c 'echo {name}'")


@app.route("/image")
def ok_allowlisted_image():
    image = request.args["image"]
    if image not in TRUSTED_IMAGES:
        return "unknown image"
    client = docker.from_env()
    # ok: third-party-command-wrappers
    client.containers.run(image, "true")


@app.route("/kind")
def ok_constant_table():
    client = docker.from_env()
    # ok: third-party-command-wrappers
    client.containers.run(ALLOWED_IMAGES[request.args["kind"]], "python --version")


@api.get("/wait/{seconds}")
async def ok_int_route_parameter(seconds: int):
    client = docker.from_env()
    # ok: third-party-command-wrappers
    client.containers.run("alpine:3.19", f"sleep {seconds}")


def ok_unknown_origin(command):
    client = docker.from_env()
    # A command of unknown origin: the call alone says nothing about it.
    # ok: third-party-command-wrappers
    client.containers.run("alpine:3.19", command)
