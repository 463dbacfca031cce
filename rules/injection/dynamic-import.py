import importlib
from importlib import import_module as load

from django.utils.module_loading import import_string

EXPORTERS = {"csv": "myapp.export.csv", "json": "myapp.export.json"}
BACKENDS = ("myapp.cache.redis", "myapp.cache.memory")


def bad_request(request):
    # ruleid: dynamic-import
    return importlib.import_module(request.GET["format"])


def bad_parameter(module_name):
    # ruleid: dynamic-import
    return load(module_name)


def bad_dunder_import(name):
    # ruleid: dynamic-import
    return __import__(name, fromlist=["run"])


def bad_import_string(path):
    # ruleid: dynamic-import
    return import_string(path)


def bad_plugin_prefix(plugin):
    # A fixed package narrows the choice: reported at low severity.
    # ruleid: dynamic-import
    return importlib.import_module(f"myapp.plugins.{plugin}")


def bad_relative(name):
    # ruleid: dynamic-import
    return importlib.import_module("." + name, package="myapp.handlers")


def bad_keyword_multiline(config):
    # ruleid: dynamic-import
    return importlib.import_module(
        name=config["backend"],
    )


def bad_function_level_import(name):
    from importlib import import_module

    # ruleid: dynamic-import
    return import_module(name)


def ok_literals():
    # ok: dynamic-import
    importlib.import_module("json")
    # ok: dynamic-import
    __import__("os.path")
    # ok: dynamic-import
    import_string("django.contrib.auth.backends.ModelBackend")


def ok_constant_allowlist(kind):
    # ok: dynamic-import
    return importlib.import_module(EXPORTERS[kind])


def ok_constant_loop():
    for backend in BACKENDS:
        # ok: dynamic-import
        importlib.import_module(backend)


def ok_constant_get(kind):
    # ok: dynamic-import
    return importlib.import_module(EXPORTERS.get(kind, "myapp.export.csv"))


def ok_own_package():
    # ok: dynamic-import
    return importlib.import_module(__name__ + ".defaults")


def ok_other_import_module(registry, name):
    # ok: dynamic-import
    return registry.import_module(name)


# Dataflow: outside input naming the module.
import sys

from fastapi import FastAPI
from flask import Flask, request as flask_request

app = Flask(__name__)
api = FastAPI()
ALLOWED_FORMATS = {"csv", "json"}


@app.route("/export")
def bad_tainted_flask():
    module = flask_request.args["module"]
    # ruleid: dynamic-import
    importlib.import_module(module)
    payload = flask_request.get_json()
    # ruleid: dynamic-import
    __import__(payload["handler"])
    # A fixed package narrows it: medium severity.
    # ruleid: dynamic-import
    return importlib.import_module(f"myapp.plugins.{flask_request.form['plugin']}")


def bad_tainted_django_view(request, backend):
    # ruleid: dynamic-import
    return import_string(backend)


@api.get("/load")
async def bad_tainted_fastapi(name: str):
    # ruleid: dynamic-import
    return load(name)


def handler(event, context):
    # ruleid: dynamic-import
    return importlib.import_module(event["module"])


def bad_tainted_command_line():
    # ruleid: dynamic-import
    return importlib.import_module(sys.argv[1])


@app.route("/safe")
def ok_tainted_sanitised():
    kind = flask_request.args["kind"]
    # ok: dynamic-import
    importlib.import_module(EXPORTERS[kind])
    if kind in ALLOWED_FORMATS:
        # ok: dynamic-import
        importlib.import_module("myapp.export." + kind)
    version = int(flask_request.args["v"])
    # ok: dynamic-import
    return importlib.import_module(f"myapp.api.v{version}")


@api.get("/versions/{version}")
async def ok_typed_route_parameter(version: int):
    # ok: dynamic-import
    return importlib.import_module(f"myapp.api.v{version}")
