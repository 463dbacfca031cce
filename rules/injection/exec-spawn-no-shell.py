import os
import sys
from os import execvp as exec_program, spawnv

HOOK = "/usr/local/bin/post-deploy"


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
    # ok: exec-spawn-no-shell
    os.execvp("ls", ["ls", "-l"])
    # ok: exec-spawn-no-shell
    os.execl("/bin/sh", "sh", "-c", "exec nginx -g 'daemon off;'")
    # ok: exec-spawn-no-shell
    os.spawnv(os.P_WAIT, HOOK, [HOOK])
    # ok: exec-spawn-no-shell
    os.execve("/usr/bin/env", ["env"], env)
    # ok: exec-spawn-no-shell
    os.startfile("report.pdf")


def ok_restart_self():
    # ok: exec-spawn-no-shell
    os.execv(sys.executable, [sys.executable] + sys.argv)
    # ok: exec-spawn-no-shell
    os.execl(sys.executable, sys.executable, *sys.argv)
    # ok: exec-spawn-no-shell
    os.execv(sys.argv[0], sys.argv)


def ok_other_functions(path):
    # ok: exec-spawn-no-shell
    os.path.exists(path)
    # ok: exec-spawn-no-shell
    os.execute = None
