import socket
import ssl
import ssl as tls
from ssl import PROTOCOL_SSLv3 as OLD_PROTOCOL
from ssl import TLSVersion

from OpenSSL import SSL

LEGACY = ssl.PROTOCOL_TLSv1


def bad_context_constant():
    # ruleid: insecure-tls-version
    return ssl.SSLContext(ssl.PROTOCOL_TLSv1)


def bad_alias(sock):
    # ruleid: insecure-tls-version
    return tls.wrap_socket(sock, ssl_version=tls.PROTOCOL_SSLv2)


def bad_from_import_alias():
    # ruleid: insecure-tls-version
    return ssl.SSLContext(protocol=OLD_PROTOCOL)


def bad_module_constant():
    # ruleid: insecure-tls-version
    return ssl.SSLContext(LEGACY)


def bad_pyopenssl():
    # ruleid: insecure-tls-version
    return SSL.Context(SSL.TLSv1_1_METHOD)


def bad_multiline(sock):
    # ruleid: insecure-tls-version
    return ssl.wrap_socket(
        sock,
        ssl_version=ssl.PROTOCOL_SSLv3,
    )


def bad_other_consumer(adapter_class):
    # ruleid: insecure-tls-version
    return adapter_class(ssl_version=ssl.PROTOCOL_TLSv1_1)


def bad_minimum_version():
    ctx = ssl.create_default_context()
    # ruleid: insecure-tls-version
    ctx.minimum_version = ssl.TLSVersion.TLSv1
    # ruleid: insecure-tls-version
    ctx.minimum_version = TLSVersion.MINIMUM_SUPPORTED
    return ctx


def bad_maximum_version():
    ctx = ssl.create_default_context()
    # ruleid: insecure-tls-version
    ctx.maximum_version = TLSVersion.TLSv1_1
    return ctx


def bad_options_cleared():
    ctx = ssl.create_default_context()
    # ruleid: insecure-tls-version
    ctx.options &= ~ssl.OP_NO_TLSv1
    # ruleid: insecure-tls-version
    ctx.options = ctx.options & ~(ssl.OP_NO_SSLv3 | ssl.OP_NO_TLSv1_1)
    return ctx


class LegacyAdapter:
    def __init__(self):
        # ruleid: insecure-tls-version
        self.ssl_version = ssl.PROTOCOL_TLSv1


def bad_settings_dict():
    return {
        # ruleid: insecure-tls-version
        "ssl_version": ssl.PROTOCOL_SSLv3,
    }


def ok_modern_client():
    # ok: insecure-tls-version
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    # ok: insecure-tls-version
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    # ok: insecure-tls-version
    ctx.maximum_version = TLSVersion.TLSv1_3
    return ctx


def ok_server():
    # ok: insecure-tls-version
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    # ok: insecure-tls-version
    ctx.minimum_version = TLSVersion.TLSv1_3
    return ctx


def ok_hardening_options():
    ctx = ssl.create_default_context()
    # ok: insecure-tls-version
    ctx.options |= ssl.OP_NO_TLSv1 | ssl.OP_NO_TLSv1_1
    # ok: insecure-tls-version
    ctx.options &= ~ssl.OP_NO_COMPRESSION
    return ctx


def ok_comparison(ctx):
    # ok: insecure-tls-version
    if ctx.protocol == ssl.PROTOCOL_TLSv1:
        raise ValueError("legacy protocol")
    # ok: insecure-tls-version
    return ctx.minimum_version >= TLSVersion.TLSv1_2


def ok_pyopenssl_modern():
    # ok: insecure-tls-version
    ctx = SSL.Context(SSL.TLS_CLIENT_METHOD)
    # ok: insecure-tls-version
    ctx.set_min_proto_version(SSL.TLS1_2_VERSION)
    return ctx


def ok_wrap(sock):
    # ok: insecure-tls-version
    return ssl.create_default_context().wrap_socket(sock, server_hostname="example.com")


def ok_socket():
    # ok: insecure-tls-version
    return socket.create_connection(("example.com", 443))


def bad_function_import():
    import ssl as tls_module

    # ruleid: insecure-tls-version
    return tls_module.SSLContext(tls_module.PROTOCOL_TLSv1)


def bad_negotiated_down(sock):
    # ruleid: insecure-tls-version
    ctx = ssl.SSLContext(ssl.PROTOCOL_SSLv23)
    # ruleid: insecure-tls-version
    legacy = SSL.Context(SSL.SSLv23_METHOD)
    return ctx.wrap_socket(sock), legacy


def ok_negotiated_with_floor(sock):
    # ok: insecure-tls-version
    ctx = ssl.SSLContext(ssl.PROTOCOL_SSLv23)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    # ok: insecure-tls-version
    modern = SSL.Context(SSL.TLS_METHOD)
    return ctx.wrap_socket(sock), modern
