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
