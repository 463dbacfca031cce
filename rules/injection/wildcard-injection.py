import asyncio
import glob
import os
import subprocess
from glob import glob as find_files
from subprocess import call as run_command


def bad_tar_system():
    # ruleid: wildcard-injection
    os.system("cd /srv/uploads && tar czf /backup/uploads.tgz *")


def bad_chown_shell_true(user):
    # ruleid: wildcard-injection
    subprocess.run(f"chown {user} *.log", shell=True)


def bad_chmod_sudo():
    # ruleid: wildcard-injection
    run_command("sudo chmod 644 *", shell=True)


def bad_rsync_popen():
    # ruleid: wildcard-injection
    os.popen("rsync -a * backup:/srv/")


def bad_sh_c():
    # ruleid: wildcard-injection
    subprocess.run(["sh", "-c", "tar cf out.tar *.csv"])


async def bad_asyncio_shell():
    # ruleid: wildcard-injection
    await asyncio.create_subprocess_shell("chmod -R g+w ?*")


def bad_glob_into_argv():
    # ruleid: wildcard-injection
    subprocess.run(["tar", "czf", "logs.tgz"] + glob.glob("*.log"))


def bad_glob_alias_splat():
    # ruleid: wildcard-injection
    subprocess.run(["chmod", "600", *find_files("*")])


def bad_multiline():
    # ruleid: wildcard-injection
    subprocess.check_call(
        "tar czf site.tgz *",
        shell=True,
        cwd="/srv/www",
    )


def ok_end_of_options():
    # ok: wildcard-injection
    os.system("tar czf /backup/uploads.tgz -- *")
    # ok: wildcard-injection
    subprocess.run(["chmod", "600", "--"] + glob.glob("*"))


def ok_anchored_to_directory():
    # ok: wildcard-injection
    os.system("chmod 644 ./*")
    # ok: wildcard-injection
    os.system("chown -R www-data /srv/www/*")


def ok_quoted_or_not_expanded():
    # ok: wildcard-injection
    os.system("tar czf logs.tgz --wildcards '*.log'")
    # No shell: the `*` reaches tar as a literal asterisk.
    # ok: wildcard-injection
    subprocess.run(["tar", "czf", "x.tgz", "*"])


def ok_other_commands():
    # ok: wildcard-injection
    os.system("ls -l *")
    # ok: wildcard-injection
    os.system("find . -name '*.pyc' -delete")
    # ok: wildcard-injection
    subprocess.run(["ls"] + glob.glob("*"))


def ok_no_wildcard():
    # ok: wildcard-injection
    os.system("tar czf backup.tgz data")
