import shlex
import subprocess
import subprocess as sp
from subprocess import Popen, check_output as co, run

USE_SHELL = True
NO_SHELL = False


def bad_literal():
    # A fixed command: reported at low severity.
    # ruleid: subprocess-shell-true
    subprocess.run("ls -l | wc -l", shell=True)


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
