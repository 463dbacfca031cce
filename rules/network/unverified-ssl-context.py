import ssl
import ssl as s
import urllib.request
from ssl import _create_unverified_context as unverified
from ssl import create_default_context


def bad_plain():
    # ruleid: unverified-ssl-context
    ctx = ssl._create_unverified_context()
    return urllib.request.urlopen("https://example.com", context=ctx)


def bad_alias():
    # ruleid: unverified-ssl-context
    return s._create_unverified_context()


def bad_from_import():
    # ruleid: unverified-ssl-context
    return unverified()


def bad_inline():
    return urllib.request.urlopen(
        "https://example.com",
        # ruleid: unverified-ssl-context
        context=ssl._create_unverified_context(),
    )


def bad_stdlib_context():
    # ruleid: unverified-ssl-context
    return ssl._create_stdlib_context()


# ruleid: unverified-ssl-context
ssl._create_default_https_context = ssl._create_unverified_context


def bad_global_in_function():
    # ruleid: unverified-ssl-context
    s._create_default_https_context = unverified


def ok_default_context():
    # ok: unverified-ssl-context
    ctx = ssl.create_default_context(cafile="/etc/ssl/internal-ca.pem")
    # ok: unverified-ssl-context
    other = create_default_context()
    return ctx, other


def ok_restore_default():
    # ok: unverified-ssl-context
    ssl._create_default_https_context = ssl.create_default_context


def ok_other_object(helper):
    # ok: unverified-ssl-context
    return helper._create_unverified_context()


def ok_reference_only():
    # ok: unverified-ssl-context
    factory = ssl.create_default_context
    return factory()


def bad_function_import():
    from ssl import _create_unverified_context as make_context

    # ruleid: unverified-ssl-context
    return make_context()
