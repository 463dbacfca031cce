import ssl
import ssl as tls
from ssl import PROTOCOL_SSLv2 as SSL2

from OpenSSL import SSL


# ruleid: insecure-tls-default-param
def bad_plain(sock, version=ssl.PROTOCOL_TLSv1):
    return ssl.SSLContext(version).wrap_socket(sock)


# ruleid: insecure-tls-default-param
def bad_alias(sock, version=tls.PROTOCOL_SSLv3):
    return tls.SSLContext(version).wrap_socket(sock)


# ruleid: insecure-tls-default-param
def bad_from_import(sock, version=SSL2):
    return ssl.SSLContext(version).wrap_socket(sock)


# ruleid: insecure-tls-default-param
def bad_typed(method: int = SSL.TLSv1_1_METHOD):
    return SSL.Context(method)


def bad_multiline(
    sock,
    host,
    # ruleid: insecure-tls-default-param
    version=ssl.PROTOCOL_TLSv1_1,
):
    return ssl.SSLContext(version).wrap_socket(sock, server_hostname=host)


class Channel:
    # ruleid: insecure-tls-default-param
    def connect(self, sock, *, ssl_version=ssl.PROTOCOL_SSLv3):
        return ssl.SSLContext(ssl_version).wrap_socket(sock)


# ok: insecure-tls-default-param
def ok_modern(sock, host, version=ssl.PROTOCOL_TLS_CLIENT):
    return ssl.SSLContext(version).wrap_socket(sock, server_hostname=host)


# ok: insecure-tls-default-param
def ok_none(sock, host, context=None):
    context = context or ssl.create_default_context()
    return context.wrap_socket(sock, server_hostname=host)


# ok: insecure-tls-default-param
def ok_server(version=ssl.PROTOCOL_TLS_SERVER, minimum=ssl.TLSVersion.TLSv1_2):
    ctx = ssl.SSLContext(version)
    ctx.minimum_version = minimum
    return ctx


# ok: insecure-tls-default-param
def ok_pyopenssl(method=SSL.TLS_METHOD):
    return SSL.Context(method)


# ok: insecure-tls-default-param
def ok_unrelated(retries=3, name="PROTOCOL_TLSv1"):
    return retries, name
