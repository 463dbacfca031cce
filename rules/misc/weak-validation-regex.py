import re
import re as regexp
from re import compile as rx_compile, match as rx_match

ALLOWED_HOSTS = ["example.com", "api.example.com"]
TRUSTED = r"^https://trusted.example.com/"


def bad_unescaped_dot(url):
    # ruleid: weak-validation-regex
    return re.match(r"^https://example.com", url)


def bad_alternation_host(host):
    # ruleid: weak-validation-regex
    return re.search("(www|api).example.com$", host)


def bad_alias_compile(url):
    # ruleid: weak-validation-regex
    pattern = regexp.compile(r"^https?://www\.example.org/")
    return pattern.match(url)


def bad_from_import(url):
    # ruleid: weak-validation-regex
    return rx_match(pattern=r"https://[a-z]+.example.net/", string=url)


def bad_named_pattern(url):
    # ruleid: weak-validation-regex
    return rx_compile(TRUSTED).match(url)


def bad_multiline(url):
    return re.fullmatch(
        # ruleid: weak-validation-regex
        r"^(?:https://)?cdn.example.io(?::\d+)?$",
        url,
    )


def bad_wide_range(name):
    # ruleid: weak-validation-regex
    return re.fullmatch(r"[A-z0-9_]+", name)


def bad_substring(url):
    # ruleid: weak-validation-regex
    if "example.com" in url:
        return True
    # ruleid: weak-validation-regex
    return "https://example.com" not in redirect_to(url)


def redirect_to(url):
    return url


def bad_prefix(url):
    # ruleid: weak-validation-regex
    return url.startswith("https://example.com")


def bad_prefix_tuple(next_url):
    # ruleid: weak-validation-regex
    return next_url.startswith(("https://example.com/", "https://api.example.com"))


def ok_escaped_dots(url):
    # ok: weak-validation-regex
    return re.match(r"^https://www\.example\.com/", url)


def ok_character_class_dot(url):
    # ok: weak-validation-regex
    return re.match(r"^https://www[.]example[.]com/", url)


def ok_quantifiers(text):
    # ok: weak-validation-regex
    re.match(r"^.*\.example\.com$", text)
    # ok: weak-validation-regex
    return re.search(r"https://.+/callback", text)


def ok_not_about_hosts(name, version):
    # ok: weak-validation-regex
    re.match(r"^\w+.txt$", name)
    # ok: weak-validation-regex
    re.match(r"v\d+.\d+", version)
    # ok: weak-validation-regex
    return re.fullmatch(r"[A-Za-z0-9_]+", name)


def ok_prefix_with_slash(url):
    # ok: weak-validation-regex
    return url.startswith("https://example.com/")


def ok_non_url_prefix(line):
    # ok: weak-validation-regex
    return line.startswith("example.com")


def ok_membership_in_collection(host):
    # ok: weak-validation-regex
    if host in ALLOWED_HOSTS:
        return True
    # ok: weak-validation-regex
    return "example.com" in {"example.com", "example.org"}


def ok_file_names(filename):
    # ok: weak-validation-regex
    return "setup.py" in filename


def bad_script_stripping(html):
    # ruleid: weak-validation-regex
    return re.sub(r"<script.*?>.*?</script>", "", html)


def bad_script_compiled(html):
    # ruleid: weak-validation-regex
    return regexp.compile("<SCRIPT[^>]*>", re.I).sub("", html)


def ok_other_tags(html):
    # ok: weak-validation-regex
    re.sub(r"<br\s*/?>", "\n", html)
    # ok: weak-validation-regex
    return re.sub(r"https://example.com", "", html)
