import dill
import torch
import torch as th
from flask import request
from safetensors.torch import load_file
from torch import load as torch_load
from torch.serialization import load as serialization_load


def bad_missing(path):
    # ruleid: torch-load-unsafe
    return torch.load(path)


def bad_false(path):
    # ruleid: torch-load-unsafe
    return torch.load(path, map_location="cpu", weights_only=False)


def bad_aliases(path):
    # ruleid: torch-load-unsafe
    a = th.load(path)
    # ruleid: torch-load-unsafe
    b = torch_load(path, map_location="cpu")
    # ruleid: torch-load-unsafe
    c = serialization_load(path)
    return a, b, c


def bad_pickle_module(path):
    # ruleid: torch-load-unsafe
    return torch.load(path, pickle_module=dill)


def bad_upload():
    upload = request.files["model"]
    # ruleid: torch-load-unsafe
    return torch.load(upload)


def bad_dynamic_flag(path, trusted):
    # ruleid: torch-load-unsafe
    return torch.load(path, weights_only=trusted)


def bad_multiline(path):
    # ruleid: torch-load-unsafe
    return torch.load(
        path,
        map_location="cpu",
    )


def bad_function_import(path):
    import torch.serialization as ts

    # ruleid: torch-load-unsafe
    return ts.load(path)


def ok_weights_only(path):
    # ok: torch-load-unsafe
    a = torch.load(path, weights_only=True)
    # ok: torch-load-unsafe
    b = torch_load(path, map_location="cpu", weights_only=True)
    return a, b


def ok_safetensors(path, model):
    # ok: torch-load-unsafe
    state = load_file(path)
    # ok: torch-load-unsafe
    model.load_state_dict(state)
    # ok: torch-load-unsafe
    torch.save(state, path)
    return model


def ok_kwargs(path, **options):
    # ok: torch-load-unsafe
    return torch.load(path, **options)


def ok_other_load(loader, path):
    # ok: torch-load-unsafe
    return loader.load(path)
