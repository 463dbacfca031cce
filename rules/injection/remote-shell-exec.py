import shlex

import paramiko
from fabric import Connection, task
from fabric.api import local, run as remote_run, sudo
from invoke import Context
from invoke import run as invoke_run
from invoke import task as invoke_task


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
    # ok: remote-shell-exec
    client.exec_command("uptime")
    # ok: remote-shell-exec
    Connection(host).run("df -h", hide=True)
    # ok: remote-shell-exec
    sudo("systemctl reload nginx")


@task
def ok_literal_task(c):
    # ok: remote-shell-exec
    c.run("git pull --ff-only")


def ok_unrelated_run(app, runner, command):
    # ok: remote-shell-exec
    app.run(command)
    # ok: remote-shell-exec
    runner.run(command)
