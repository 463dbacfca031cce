import asyncio
import os

import flask
from flask import Flask as F
from flask_socketio import SocketIO
from werkzeug.serving import run_simple
from myproject.factory import create_app

DEBUG = True

app = flask.Flask(__name__)
other = F("other")
socketio = SocketIO(app)


def bad_run():
    # ruleid: flask-debug
    app.run(debug=True)
    # ruleid: flask-debug
    other.run("127.0.0.1", 5000, True)
    # ruleid: flask-debug
    app.run(host="127.0.0.1", debug=DEBUG)
    # ruleid: flask-debug
    flask.Flask(__name__).run(debug=1)
    # ruleid: flask-debug
    socketio.run(app, debug=True)


def bad_multiline():
    # ruleid: flask-debug
    app.run(
        host="127.0.0.1",
        port=8080,
        debug=True,
    )


def bad_config():
    # ruleid: flask-debug
    app.debug = True
    # ruleid: flask-debug
    app.config["DEBUG"] = True
    # ruleid: flask-debug
    app.config.update(DEBUG=True, TESTING=False)


def bad_factory():
    factory_app = create_app()
    # ruleid: flask-debug
    factory_app.run(debug=True)


def bad_unknown_app(server):
    # Constructor unknown, but the file uses flask: medium confidence.
    # ruleid: flask-debug
    server.run(port=5000, debug=True)


def bad_function_level_import():
    from flask import Flask

    local_app = Flask(__name__)
    # ruleid: flask-debug
    local_app.run(debug=True)


def bad_werkzeug(wsgi_app):
    # ruleid: flask-debug
    run_simple("127.0.0.1", 5000, wsgi_app, use_debugger=True)
    # ruleid: flask-debug
    run_simple("127.0.0.1", 5000, wsgi_app, True, True)


def bad_aiohttp_debug():
    from aiohttp import web
    from aiohttp.web import Application as AioApplication

    # ruleid: flask-debug
    web.Application(debug=True)
    # ruleid: flask-debug
    application = AioApplication(
        middlewares=[],
        debug=DEBUG,
    )
    web.run_app(application)


def ok_aiohttp_without_debug():
    from aiohttp import web

    # ok: flask-debug
    web.Application()
    # ok: flask-debug
    web.Application(debug=False)
    # ok: flask-debug
    web.Application(debug=os.environ.get("AIOHTTP_DEBUG") == "1")
    # ok: flask-debug
    web.run_app(web.Application(), port=8080)


def ok_debug_from_environment():
    # ok: flask-debug
    app.run(debug=os.getenv("FLASK_DEBUG") == "1")
    # ok: flask-debug
    app.run(debug=os.environ.get("FLASK_DEBUG"))
    # ok: flask-debug
    app.run(debug=app.config["SETTINGS"].DEBUG)
    # ok: flask-debug
    app.debug = os.environ.get("FLASK_DEBUG") == "1"


def ok_debug_off():
    # ok: flask-debug
    app.run(debug=False)
    # ok: flask-debug
    app.run()
    # ok: flask-debug
    app.config["DEBUG"] = False
    # ok: flask-debug
    app.config["TESTING"] = True
    # ok: flask-debug
    run_simple("127.0.0.1", 5000, app, use_reloader=True)


def ok_not_flask(parser):
    # ok: flask-debug
    asyncio.run(main(), debug=True)
    # ok: flask-debug
    parser.debug = True
    # ok: flask-debug
    parser.run(debug=True)


class Runner:
    def start(self):
        # ok: flask-debug
        self.debug = True
        # ok: flask-debug
        self.run(debug=True)

    def run(self, debug=False):
        return debug


async def main():
    return None


if __name__ == "__main__":
    # Reported at medium severity: only runs when started directly.
    # ruleid: flask-debug
    app.run(debug=True)
