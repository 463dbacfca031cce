import os
import tempfile
import tempfile as tf
from tempfile import mktemp as make_temp_name, mkstemp


def bad_mktemp():
    # ruleid: insecure-mktemp
    path = tempfile.mktemp()
    with open(path, "w") as handle:
        handle.write("data")
    return path


def bad_mktemp_arguments():
    # ruleid: insecure-mktemp
    return tempfile.mktemp(".csv", "report-", "/var/tmp")


def bad_mktemp_keywords():
    # ruleid: insecure-mktemp
    return tf.mktemp(
        suffix=".log",
        dir="/tmp",
    )


def bad_from_import_alias():
    # ruleid: insecure-mktemp
    return make_temp_name()


def bad_function_level_import():
    from tempfile import mktemp

    # ruleid: insecure-mktemp
    return mktemp(suffix=".db")


def bad_python2_tempnam():
    # ruleid: insecure-mktemp
    a = os.tempnam("/tmp", "x")
    # ruleid: insecure-mktemp
    b = os.tmpnam()
    return a, b


def ok_mkstemp():
    # ok: insecure-mktemp
    fd, path = mkstemp(suffix=".csv")
    os.close(fd)
    return path


def ok_named_temporary_file():
    # ok: insecure-mktemp
    with tempfile.NamedTemporaryFile("w", delete=False) as handle:
        handle.write("data")
        return handle.name


def ok_temporary_directory():
    # ok: insecure-mktemp
    with tempfile.TemporaryDirectory() as directory:
        return os.listdir(directory)


def ok_mkdtemp():
    # ok: insecure-mktemp
    return tf.mkdtemp(prefix="build-")


def ok_unrelated_mktemp(helper):
    # ok: insecure-mktemp
    return helper.mktemp()
