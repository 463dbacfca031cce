import asyncio
import os
import shutil
import subprocess
import sys
from subprocess import check_output as co

GIT = shutil.which("git")
LS = "/bin/ls"


def bad_list():
    # ruleid: partial-executable-path
    subprocess.run(["git", "pull"], check=True)


def bad_tuple_alias():
    # ruleid: partial-executable-path
    return co(("uname", "-a"))


def bad_string_program():
    # ruleid: partial-executable-path
    subprocess.call("ls")


def bad_shell_line():
    # ruleid: partial-executable-path
    subprocess.run("tar czf backup.tgz data", shell=True)


def bad_os_system():
    # ruleid: partial-executable-path
    os.system("FLASK_ENV=production gunicorn app:app")


def bad_built_line_with_constant_program(name):
    # ruleid: partial-executable-path
    os.popen(f"grep -r {name} .")


def bad_exec():
    # ruleid: partial-executable-path
    os.execvp("make", ["make", "all"])


def bad_spawn():
    # ruleid: partial-executable-path
    os.spawnlp(os.P_WAIT, "rsync", "rsync", "-a", "src/", "dst/")


async def bad_asyncio():
    # ruleid: partial-executable-path
    await asyncio.create_subprocess_exec("ffmpeg", "-version")
    # ruleid: partial-executable-path
    await asyncio.create_subprocess_shell("docker ps")


def audit_spawn_without_mode():
    # auditid: partial-executable-path
    os.spawnv("make")
    # auditid: partial-executable-path
    os.spawnlpe("rsync")
    # ok: partial-executable-path
    os.spawnl("/usr/bin/make")
    # ok: partial-executable-path
    os.spawnl(os.P_NOWAIT, "/usr/bin/make", "make")


def bad_named_constant():
    command = ["npm", "ci"]
    # ruleid: partial-executable-path
    subprocess.run(command)


def bad_executable_keyword():
    # ruleid: partial-executable-path
    subprocess.run(["x"], executable="bash")


def bad_multiline():
    subprocess.run(
        [
            # ruleid: partial-executable-path
            "pip",
            "install",
            "-r",
            "requirements.txt",
        ]
    )


def ok_absolute_paths():
    # ok: partial-executable-path
    subprocess.run(["/usr/bin/git", "pull"])
    # ok: partial-executable-path
    subprocess.run([LS, "-l"])
    # ok: partial-executable-path
    os.system("/usr/sbin/service nginx reload")
    # ok: partial-executable-path
    subprocess.run(["C:\\Windows\\System32\\where.exe", "python"])


def ok_relative_to_working_directory():
    # ok: partial-executable-path
    subprocess.run(["./manage.py", "migrate"])
    # ok: partial-executable-path
    subprocess.run(["../bin/tool"])


def ok_resolved(tool):
    # ok: partial-executable-path
    subprocess.run([sys.executable, "-m", "pip", "list"])
    # ok: partial-executable-path
    subprocess.run([GIT, "status"])
    # ok: partial-executable-path
    subprocess.run([shutil.which("git"), "status"])
    # ok: partial-executable-path
    subprocess.run([tool, "--version"])


def ok_shell_builtins_and_variables(name):
    # ok: partial-executable-path
    os.system("cd /srv/app && /usr/bin/make")
    # ok: partial-executable-path
    os.system("echo done")
    # ok: partial-executable-path
    os.system(f"{name} --help")
    # ok: partial-executable-path
    os.system("$HOME/bin/deploy")


def ok_not_a_process(path):
    # ok: partial-executable-path
    os.startfile("report.pdf")
    # ok: partial-executable-path
    shutil.copy("git", path)
