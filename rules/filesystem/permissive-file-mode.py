import os
import os as system
import stat
from os import chmod as change_mode
from pathlib import Path
from stat import S_IRWXU, S_IWOTH

SHARED_MODE = 0o666


def bad_world_writable(path):
    # ruleid: permissive-file-mode
    os.chmod(path, 0o777)


def bad_alias(path):
    # ruleid: permissive-file-mode
    system.chmod(path, 0o666)


def bad_from_import_alias(path):
    # ruleid: permissive-file-mode
    change_mode(path, 511)


def bad_stat_constants(path):
    # ruleid: permissive-file-mode
    os.chmod(path, stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO)
    # ruleid: permissive-file-mode
    os.chmod(path, S_IRWXU | S_IWOTH)


def bad_constant(path):
    # ruleid: permissive-file-mode
    os.chmod(path, SHARED_MODE)


def bad_group_writable(path):
    # ruleid: permissive-file-mode
    os.chmod(path, 0o664)


def audit_mode_out_of_range(path):
    # auditid: permissive-file-mode
    os.chmod(path, 0o1000644)
    # auditid: permissive-file-mode
    os.chmod(path, 123456789012345678901234)
    # ok: permissive-file-mode
    os.chmod(path, 0o7644 & 0o644)
    # ok: permissive-file-mode
    os.mknod(path, 0o100600)


def bad_os_open_keyword(path):
    # ruleid: permissive-file-mode
    return os.open(
        path,
        os.O_WRONLY | os.O_CREAT,
        mode=0o662,
    )


def bad_makedirs_shared(path):
    # ruleid: permissive-file-mode
    os.makedirs(path, 0o775, exist_ok=True)
    # ruleid: permissive-file-mode
    os.mkdir(path, 0o1777)


def bad_pathlib(path):
    # ruleid: permissive-file-mode
    Path(path).chmod(0o777)
    target = Path(path)
    # ruleid: permissive-file-mode
    target.chmod(mode=0o666)


def bad_sftp(sftp, path):
    # ruleid: permissive-file-mode
    sftp.chmod(path, 0o777)


def bad_umask():
    # ruleid: permissive-file-mode
    os.umask(0)


def bad_script_executable_low(path):
    # ruleid: permissive-file-mode
    os.chmod(path, 0o755)


def ok_private(path):
    # ok: permissive-file-mode
    os.chmod(path, 0o600)
    # ok: permissive-file-mode
    os.chmod(path, 0o644)
    # ok: permissive-file-mode
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


def ok_directories(path):
    # ok: permissive-file-mode
    os.makedirs(path, 0o755, exist_ok=True)
    # ok: permissive-file-mode
    os.mkdir(path, mode=0o700)
    # ok: permissive-file-mode
    Path(path).mkdir(mode=0o755, exist_ok=True)


def ok_user_executable(path):
    st = os.stat(path)
    # ok: permissive-file-mode
    os.chmod(path, st.st_mode | stat.S_IEXEC)
    # ok: permissive-file-mode
    os.chmod(path, 0o700)


def ok_creation_defaults(path):
    # ok: permissive-file-mode
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o666)
    # ok: permissive-file-mode
    os.makedirs(path, 0o777, exist_ok=True)
    # ok: permissive-file-mode
    Path(path).touch(0o666)
    return fd


def ok_read_umask():
    # ok: permissive-file-mode
    current = os.umask(0)
    os.umask(current)
    return current


def ok_strict_umask():
    # ok: permissive-file-mode
    os.umask(0o022)
    # ok: permissive-file-mode
    os.umask(0o077)


def ok_unknown_mode(path, mode):
    # ok: permissive-file-mode
    os.chmod(path, mode)


def ok_os_open_default(path):
    # ok: permissive-file-mode
    return os.open(path, os.O_RDONLY)


def bad_function_import(path):
    from os import chmod

    # ruleid: permissive-file-mode
    chmod(path, 0o777)


def bad_bits_added_to_current_mode(path):
    st = os.stat(path)
    # ruleid: permissive-file-mode
    os.chmod(path, st.st_mode | stat.S_IWOTH)
    # ruleid: permissive-file-mode
    os.chmod(path, os.stat(path).st_mode | stat.S_IWGRP | stat.S_IWOTH)


def ok_owner_bits_added_to_current_mode(path):
    st = os.stat(path)
    # ok: permissive-file-mode
    os.chmod(path, st.st_mode | stat.S_IXUSR)
    # ok: permissive-file-mode
    os.chmod(path, st.st_mode & ~stat.S_IWOTH)
