import re
import unicodedata
import unicodedata as ud
from unicodedata import normalize as norm

ALLOWED = {"admin", "root"}
USERNAME = re.compile(r"^[a-z0-9_]+$")


def bad_regex_then_normalize(name):
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(name)
    # ruleid: unicode-normalisation-bypass
    name = unicodedata.normalize("NFKC", name)
    return name


def bad_membership(name):
    if name in ALLOWED:
        raise PermissionError(name)
    # ruleid: unicode-normalisation-bypass
    return ud.normalize("NFKC", name)


def bad_isalnum(token):
    if token.isalnum():
        # ruleid: unicode-normalisation-bypass
        return norm(form="NFKD", unistr=token)
    return None


def bad_compiled_pattern(request):
    if USERNAME.match(request.username) is None:
        return None
    # ruleid: unicode-normalisation-bypass
    return unicodedata.normalize(
        "NFC",
        request.username,
    )


def bad_path_check(path):
    if ".." in path or path.startswith("/"):
        raise ValueError(path)
    # ruleid: unicode-normalisation-bypass
    return unicodedata.normalize("NFKC", path)


def ok_normalize_first(name):
    # ok: unicode-normalisation-bypass
    name = unicodedata.normalize("NFKC", name)
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(name)
    return name


def ok_other_variable(name, label):
    if label in ALLOWED:
        pass
    # ok: unicode-normalisation-bypass
    return unicodedata.normalize("NFKC", name)


def ok_trivial_checks(name):
    if name is None or name == "" or len(name) > 64:
        return None
    # ok: unicode-normalisation-bypass
    return unicodedata.normalize("NFKC", name)


def ok_reassigned(name, raw):
    if name.isalnum():
        pass
    name = raw.strip()
    # ok: unicode-normalisation-bypass
    return unicodedata.normalize("NFKC", name)


def validate(name):
    if not name.isalnum():
        raise ValueError(name)


def ok_validated_elsewhere(name):
    # ok: unicode-normalisation-bypass
    return unicodedata.normalize("NFKC", name)
