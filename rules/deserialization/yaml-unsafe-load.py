import yaml
import yaml as y
from yaml import load, Loader, SafeLoader, CSafeLoader
from yaml import full_load as fl
from yaml.loader import SafeLoader as LoaderSafe
from ruamel.yaml import YAML


def bad_plain(data):
    # ruleid: yaml-unsafe-load
    return yaml.load(data)


def bad_alias(data):
    # ruleid: yaml-unsafe-load
    return y.load(data)


def bad_from_import(data):
    # ruleid: yaml-unsafe-load
    return load(data)


def bad_unsafe_loader_keyword(data):
    # ruleid: yaml-unsafe-load
    return yaml.load(data, Loader=Loader)


def bad_unsafe_loader_positional(data):
    # ruleid: yaml-unsafe-load
    return yaml.load(data, yaml.UnsafeLoader)


def bad_full_loader(data):
    # ruleid: yaml-unsafe-load
    return yaml.load(data, Loader=yaml.FullLoader)


def bad_unsafe_functions(data):
    # ruleid: yaml-unsafe-load
    a = yaml.unsafe_load(data)
    # ruleid: yaml-unsafe-load
    b = fl(data)
    # ruleid: yaml-unsafe-load
    c = list(yaml.load_all(data))
    return a, b, c


def bad_multiline(data):
    # ruleid: yaml-unsafe-load
    return yaml.load(
        data,
    )


def bad_ruamel():
    # ruleid: yaml-unsafe-load
    return YAML(typ="unsafe")


def ok_safe(data):
    # ok: yaml-unsafe-load
    a = yaml.safe_load(data)
    # ok: yaml-unsafe-load
    b = yaml.load(data, Loader=yaml.SafeLoader)
    # ok: yaml-unsafe-load
    c = yaml.load(data, Loader=SafeLoader)
    # ok: yaml-unsafe-load
    d = yaml.load(data, Loader=CSafeLoader)
    # ok: yaml-unsafe-load
    e = yaml.load(data, LoaderSafe)
    # ok: yaml-unsafe-load
    f = yaml.load(data, Loader=yaml.cyaml.CSafeLoader)
    return a, b, c, d, e, f


def ok_loader_alias(data):
    loader = yaml.SafeLoader
    # ok: yaml-unsafe-load
    return yaml.load(data, Loader=loader)


def ok_dump(data):
    # ok: yaml-unsafe-load
    return yaml.dump(data)


def ok_other_load(json, data):
    # ok: yaml-unsafe-load
    return json.load(data)


def ok_ruamel_safe():
    # ok: yaml-unsafe-load
    return YAML(typ="safe")


def ok_kwargs(data, **options):
    # ok: yaml-unsafe-load
    return yaml.load(data, **options)
