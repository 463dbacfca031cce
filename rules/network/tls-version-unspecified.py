import socket
import ssl
import ssl as tls
from ssl import SSLContext as Context
from ssl import wrap_socket


def bad_wrap_socket(sock):
    # ruleid: tls-version-unspecified
    return ssl.wrap_socket(sock)


def bad_wrap_socket_alias(sock):
    # ruleid: tls-version-unspecified
    return tls.wrap_socket(sock, certfile="client.pem", keyfile="client.key")


def bad_from_import(sock):
    # ruleid: tls-version-unspecified
    return wrap_socket(
        sock,
        server_side=True,
    )


def bad_bare_context():
    # ruleid: tls-version-unspecified
    return ssl.SSLContext()


def bad_bare_context_alias():
    # ruleid: tls-version-unspecified
    return Context()


def ok_explicit_version(sock):
    # ok: tls-version-unspecified
    return ssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_TLS_CLIENT)


def ok_explicit_positional(sock):
    # ok: tls-version-unspecified
    return ssl.wrap_socket(sock, None, None, False, ssl.CERT_REQUIRED, ssl.PROTOCOL_TLS_CLIENT)


def ok_context_protocol():
    # ok: tls-version-unspecified
    a = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    # ok: tls-version-unspecified
    b = Context(protocol=ssl.PROTOCOL_TLS_SERVER)
    return a, b


def ok_default_context(host):
    sock = socket.create_connection((host, 443))
    # ok: tls-version-unspecified
    return ssl.create_default_context().wrap_socket(sock, server_hostname=host)


def ok_context_method(ctx, sock, host):
    # ok: tls-version-unspecified
    return ctx.wrap_socket(sock, server_hostname=host)


def ok_forwarded(sock, **options):
    # ok: tls-version-unspecified
    return ssl.wrap_socket(sock, **options)


def bad_function_import(sock):
    from ssl import wrap_socket as wrap

    # ruleid: tls-version-unspecified
    return wrap(sock)
