import os
import os as operating_system
import shlex
import subprocess
from os import popen as open_pipe
from os import system
from subprocess import getoutput, getstatusoutput


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
    # ok: os-shell-call
    os.system("ls -l /tmp")
    # ok: os-shell-call
    os.popen("uname -a").read()
    # ok: os-shell-call
    getoutput("date " + "+%s")


def ok_constant_variable():
    cmd = "git rev-parse HEAD"
    # ok: os-shell-call
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
