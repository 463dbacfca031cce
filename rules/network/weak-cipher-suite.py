import ssl

from OpenSSL import SSL
from urllib3.util.ssl_ import create_urllib3_context

LEGACY_CIPHERS = "DEFAULT:DES-CBC3-SHA"


def bad_rc4():
    ctx = ssl.create_default_context()
    # ruleid: weak-cipher-suite
    ctx.set_ciphers("ALL:RC4:3DES")
    return ctx


def bad_null_and_export(ctx):
    # ruleid: weak-cipher-suite
    ctx.set_ciphers("eNULL:EXPORT")


def bad_named_suite(ctx):
    # ruleid: weak-cipher-suite
    ctx.set_ciphers(LEGACY_CIPHERS)


def bad_pyopenssl():
    context = SSL.Context(SSL.TLS_METHOD)
    # ruleid: weak-cipher-suite
    context.set_cipher_list(b"RC4-MD5:AES128-SHA")
    return context


def bad_keyword():
    # ruleid: weak-cipher-suite
    return create_urllib3_context(
        ciphers="ECDHE+AESGCM:aNULL",
    )


def ok_hardened(ctx):
    # ok: weak-cipher-suite
    ctx.set_ciphers("HIGH:!aNULL:!MD5:!RC4:!3DES")
    # ok: weak-cipher-suite
    ctx.set_ciphers("ECDHE+AESGCM:ECDHE+CHACHA20")
    # ok: weak-cipher-suite
    ctx.set_ciphers("DEFAULT")


def ok_unknown(ctx, policy):
    # ok: weak-cipher-suite
    ctx.set_ciphers(policy.ciphers)


def ok_modern_keyword():
    # ok: weak-cipher-suite
    return create_urllib3_context(ciphers="ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384")


def bad_function_import():
    import ssl as tls

    ctx = tls.create_default_context()
    # ruleid: weak-cipher-suite
    ctx.set_ciphers("RC4-SHA")
    return ctx
