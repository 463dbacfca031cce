import argparse
import logging
import os
import os.path as osp
import shutil
import tempfile
from pathlib import Path
from shutil import copyfile as copy

CACHE_DIR = "/var/tmp/myapp-cache"
log = logging.getLogger(__name__)


def bad_open(report):
    # ruleid: hardcoded-tmp-path
    with open("/tmp/report.json", "w") as handle:
        handle.write(report)


def bad_os_functions(name):
    # ruleid: hardcoded-tmp-path
    os.makedirs("/tmp/build", exist_ok=True)
    # ruleid: hardcoded-tmp-path
    return osp.join("/tmp", name)


def bad_shutil_alias(source):
    # ruleid: hardcoded-tmp-path
    copy(source, "/dev/shm/snapshot.db")


def bad_constant(name):
    # ruleid: hardcoded-tmp-path
    return os.path.join(CACHE_DIR, name)


def bad_fstring(job_id):
    # ruleid: hardcoded-tmp-path
    return Path(f"/tmp/job-{job_id}.log")


def bad_multiline(data):
    shutil.copy(
        data,
        # ruleid: hardcoded-tmp-path
        "/tmp/upload.bin",
    )


def bad_pandas(frame):
    # ruleid: hardcoded-tmp-path
    frame.to_csv("/tmp/export.csv", index=False)


def bad_tempfile_dir():
    # ruleid: hardcoded-tmp-path
    return tempfile.mkstemp(suffix=".txt", dir="/tmp")


def bad_logging_file():
    # ruleid: hardcoded-tmp-path
    return logging.FileHandler("/tmp/app.log")


def ok_help_text():
    parser = argparse.ArgumentParser()
    # ok: hardcoded-tmp-path
    parser.add_argument("--out", help="where to write output, e.g. /tmp/out")
    return parser


def ok_log_message(path):
    # ok: hardcoded-tmp-path
    log.info("writing scratch files to /tmp/scratch")
    # ok: hardcoded-tmp-path
    print("cleaning /tmp")
    return path


def ok_comparison(path):
    # ok: hardcoded-tmp-path
    if path.startswith("/tmp/"):
        return True
    # ok: hardcoded-tmp-path
    return path == "/tmp"


def ok_environment_fallback():
    # ok: hardcoded-tmp-path
    return os.environ.get("TMPDIR", "/tmp")


def ok_tempfile():
    # ok: hardcoded-tmp-path
    handle = tempfile.NamedTemporaryFile(suffix=".json")
    # ok: hardcoded-tmp-path
    directory = tempfile.mkdtemp(prefix="build-")
    return handle, directory


def ok_other_paths(name):
    # ok: hardcoded-tmp-path
    a = open("/var/lib/myapp/state.json")
    # ok: hardcoded-tmp-path
    b = os.path.join("/tmpfiles", name)
    return a, b


def ok_docstring():
    """Files are written to /tmp/output during tests."""
    # ok: hardcoded-tmp-path
    return {"scratch": "/tmp/scratch"}


def bad_function_import():
    from shutil import rmtree as remove_tree

    # ruleid: hardcoded-tmp-path
    remove_tree("/tmp/build-cache")
