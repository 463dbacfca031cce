import shlex
import sys

import paramiko
from django.http import HttpResponse
from fastapi import FastAPI
from flask import Flask, request
from fabric import Connection, task
from fabric.api import local, run as remote_run, sudo
from invoke import Context
from invoke import run as invoke_run
from invoke import task as invoke_task

app = Flask(__name__)
api = FastAPI()
ALLOWED_SERVICES = {"nginx", "postgresql"}
SERVICES = {"web": "nginx", "db": "postgresql"}
HOST = "app1.internal"


def bad_paramiko(host, branch):
    client = paramiko.SSHClient()
    client.connect(host)
    # ruleid: remote-shell-exec
    client.exec_command(f"cd /srv/app && git checkout {branch}")


def bad_paramiko_keyword(client, user):
    # ruleid: remote-shell-exec
    client.exec_command(command="id " + user, timeout=10)


def bad_paramiko_channel(transport, command):
    channel = transport.open_session()
    # ruleid: remote-shell-exec
    channel.exec_command(command)


def bad_paramiko_request(client, request):
    # ruleid: remote-shell-exec
    client.exec_command(request.form["cmd"])


def bad_fabric_connection(host, path):
    # ruleid: remote-shell-exec
    Connection(host).run("ls -l %s" % path)


def bad_fabric_with(host, service):
    with Connection(host) as conn:
        # ruleid: remote-shell-exec
        conn.sudo(f"systemctl restart {service}")


@task
def bad_fabric_task(c, version):
    # ruleid: remote-shell-exec
    c.run("pip install app=={}".format(version))


@invoke_task
def bad_invoke_task(ctx, name):
    # ruleid: remote-shell-exec
    ctx.run(f"docker build -t {name} .")


def bad_fabric1(package):
    # ruleid: remote-shell-exec
    sudo("apt-get install -y " + package)
    # ruleid: remote-shell-exec
    remote_run(f"dpkg -l {package}")
    # ruleid: remote-shell-exec
    local(f"echo {package} >> installed.txt")


def bad_invoke(target):
    # ruleid: remote-shell-exec
    invoke_run(f"make {target}", hide=True)
    # ruleid: remote-shell-exec
    Context().run("make " + target)


def bad_multiline(client, path):
    # ruleid: remote-shell-exec
    client.exec_command(
        "tar czf /tmp/backup.tgz " + path,
        get_pty=True,
    )


def bad_quoted(client, path):
    # Every value is shlex.quote()d: reported at low severity.
    # ruleid: remote-shell-exec
    client.exec_command(f"cat {shlex.quote(path)}")


def ok_literals(client, host):
    # auditid: remote-shell-exec
    client.exec_command("uptime")
    # auditid: remote-shell-exec
    Connection(host).run("df -h", hide=True)
    # auditid: remote-shell-exec
    sudo("systemctl reload nginx")


@task
def ok_literal_task(c):
    # auditid: remote-shell-exec
    c.run("git pull --ff-only")


def ok_unrelated_run(app, runner, command):
    # ok: remote-shell-exec
    app.run(command)
    # ok: remote-shell-exec
    runner.run(command)


# Untrusted input traced to the command: high (request data) or medium (command line).


def ssh_client():
    client = paramiko.SSHClient()
    client.connect(HOST)
    return client


@app.route("/logs")
def bad_flask_args():
    service = request.args["service"]
    # ruleid: remote-shell-exec
    ssh_client().exec_command(f"journalctl -u {service} -n 50")


@app.post("/restart")
def bad_flask_form():
    with Connection(HOST) as conn:
        # ruleid: remote-shell-exec
        conn.sudo("systemctl restart " + request.form["service"])


@app.post("/deploy")
def bad_flask_json():
    options = request.get_json()
    # ruleid: remote-shell-exec
    Connection(HOST).run("git checkout {}".format(options["branch"]))


def bad_django_get(request):
    client = paramiko.SSHClient()
    # ruleid: remote-shell-exec
    client.exec_command("du -sh %s" % request.GET["path"])
    return HttpResponse("ok")


def bad_django_url_kwarg(request, package):
    # ruleid: remote-shell-exec
    sudo(f"apt-get install -y {package}")
    return HttpResponse("ok")


@api.get("/ping")
async def bad_fastapi_param(target: str):
    # ruleid: remote-shell-exec
    invoke_run(f"ping -c 1 {target}")


def handler(event, context):
    # ruleid: remote-shell-exec
    Context().run("echo " + event["message"])


def bad_command_line():
    # ruleid: remote-shell-exec
    remote_run("tail -n 100 " + sys.argv[1])


@app.route("/quoted")
def bad_quoted_request():
    # shlex.quote() clears the taint: only the low audit finding remains.
    # ruleid: remote-shell-exec
    ssh_client().exec_command("ls -l " + shlex.quote(request.args["dir"]))


@app.route("/tail")
def ok_converted():
    lines = int(request.args["lines"])
    # auditid: remote-shell-exec
    ssh_client().exec_command(f"tail -n {lines} /var/log/syslog")


@app.route("/status")
def ok_allowlist():
    service = request.args["service"]
    if service in ALLOWED_SERVICES:
        # auditid: remote-shell-exec
        Connection(HOST).run(f"systemctl status {service}")


@app.route("/reload")
def ok_constant_table():
    # auditid: remote-shell-exec
    Connection(HOST).sudo("systemctl reload " + SERVICES[request.args["name"]])


@api.get("/uptime/{days}")
async def ok_int_route_parameter(days: int):
    # auditid: remote-shell-exec
    invoke_run(f"last --since -{days}days")
