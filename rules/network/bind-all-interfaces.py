import asyncio
import http.server
import socket
import socketserver as ss
from http.server import HTTPServer, SimpleHTTPRequestHandler
from wsgiref.simple_server import make_server

import uvicorn
import waitress
from aiohttp import web
from flask import Flask

# auditid: bind-all-interfaces
ALL_INTERFACES = "0.0.0.0"
app = Flask(__name__)


def bad_socket_bind():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # ruleid: bind-all-interfaces
    sock.bind(("0.0.0.0", 8080))
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    # ruleid: bind-all-interfaces
    udp.bind(("", 5353))
    six = socket.socket(socket.AF_INET6)
    # ruleid: bind-all-interfaces
    six.bind(("::", 8080, 0, 0))
    return sock, udp, six


def bad_constant_host(sock):
    # ruleid: bind-all-interfaces
    sock.bind((ALL_INTERFACES, 9000))
    # auditid: bind-all-interfaces
    address = ("0.0.0.0", 9001)
    # ruleid: bind-all-interfaces
    sock.bind(address)


def bad_create_server():
    # ruleid: bind-all-interfaces
    return socket.create_server(("", 8080))


def bad_http_servers(Handler):
    # ruleid: bind-all-interfaces
    a = HTTPServer(("0.0.0.0", 8000), SimpleHTTPRequestHandler)
    # ruleid: bind-all-interfaces
    b = http.server.ThreadingHTTPServer(("", 8000), Handler)
    # ruleid: bind-all-interfaces
    c = ss.TCPServer(server_address=("0.0.0.0", 9999), RequestHandlerClass=Handler)
    # ruleid: bind-all-interfaces
    d = make_server("", 8000, app)
    return a, b, c, d


def bad_app_runners(asgi_app, wsgi_app):
    # ruleid: bind-all-interfaces
    app.run(host="0.0.0.0", port=5000)
    # ruleid: bind-all-interfaces
    app.run("0.0.0.0", 5000)
    # ruleid: bind-all-interfaces
    uvicorn.run(asgi_app, host="0.0.0.0", port=8000)
    # ruleid: bind-all-interfaces
    web.run_app(asgi_app, host=ALL_INTERFACES, port=8080)
    # ruleid: bind-all-interfaces
    waitress.serve(wsgi_app, host="0.0.0.0", port=8080)
    # ruleid: bind-all-interfaces
    waitress.serve(wsgi_app, listen="*:8080")


async def bad_asyncio(handler):
    # ruleid: bind-all-interfaces
    server = await asyncio.start_server(handler, "0.0.0.0", 8888)
    loop = asyncio.get_running_loop()
    # ruleid: bind-all-interfaces
    other = await loop.create_server(
        handler,
        host="::",
        port=8889,
    )
    return server, other


def ok_local_and_configured(sock, host, asgi_app):
    # ok: bind-all-interfaces
    sock.bind(("127.0.0.1", 8080))
    # ok: bind-all-interfaces
    sock.bind((host, 8080))
    # ok: bind-all-interfaces
    app.run(host="127.0.0.1")
    # ok: bind-all-interfaces
    app.run()
    # ok: bind-all-interfaces
    uvicorn.run(asgi_app, host=host)
    # ok: bind-all-interfaces
    HTTPServer(("localhost", 8000), SimpleHTTPRequestHandler)
    # ok: bind-all-interfaces
    sock.bind("/tmp/app.sock")


def ok_strings_elsewhere(ip, request):
    # auditid: bind-all-interfaces
    if ip == "0.0.0.0":
        return "unspecified"
    # auditid: bind-all-interfaces
    blocked = ["0.0.0.0/8", "::/128", "0.0.0.0"]
    # auditid: bind-all-interfaces
    default_route = "0.0.0.0"
    # auditid: bind-all-interfaces
    request.headers.get("X-Forwarded-For", "0.0.0.0")
    # ok: bind-all-interfaces
    app.run(host="")
    return blocked, default_route
