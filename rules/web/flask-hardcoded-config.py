import os

import flask
from flask import Flask as F


app = flask.Flask(__name__)
# ruleid: flask-hardcoded-config
app.config["TESTING"] = True
# ruleid: flask-hardcoded-config
app.config["ENV"] = "development"


def create_app():
    application = F(__name__)
    # ruleid: flask-hardcoded-config
    application.config.update(TESTING=True, SECRET_KEY=os.environ["SECRET_KEY"])
    # ruleid: flask-hardcoded-config
    application.testing = True
    return application


def bad_from_mapping():
    api = F("api")
    # ruleid: flask-hardcoded-config
    api.config.from_mapping(
        {"ENV": "development"},
    )
    return api


def bad_env_attribute():
    server = create_app()
    # ruleid: flask-hardcoded-config
    server.env = "development"
    return server


def ok_environment():
    # ok: flask-hardcoded-config
    app.config["TESTING"] = os.environ.get("FLASK_TESTING") == "1"
    # ok: flask-hardcoded-config
    app.config["ENV"] = "production"
    # ok: flask-hardcoded-config
    app.config.update(TESTING=False)


def create_test_app():
    test_app = F(__name__)
    # ok: flask-hardcoded-config
    test_app.config["TESTING"] = True
    return test_app


class TestingConfig:
    # ok: flask-hardcoded-config
    TESTING = True


def ok_other_objects(settings, cache):
    # ok: flask-hardcoded-config
    settings["TESTING"] = True
    # ok: flask-hardcoded-config
    cache.config["TESTING"] = True
