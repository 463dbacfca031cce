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


# Dataflow: a checkpoint traced from untrusted input is reported high.
import io
import os
import sys

from fastapi import FastAPI, UploadFile
from flask import Flask

app = Flask(__name__)
api = FastAPI()


@app.route("/models", methods=["POST"])
def bad_flask_upload():
    stream = io.BytesIO(request.files["checkpoint"].read())
    # ruleid: torch-load-unsafe
    return torch.load(stream, map_location="cpu")


@app.route("/models/by-path")
def bad_flask_args_path():
    path = os.path.join("/srv/models", request.args["name"])
    # ruleid: torch-load-unsafe
    return torch.load(path, weights_only=False)


@app.route("/models/json", methods=["POST"])
def bad_flask_json():
    name = request.get_json()["checkpoint"]
    # ruleid: torch-load-unsafe
    return th.load(name, pickle_module=dill)


def bad_django_view(request, model_name):
    # ruleid: torch-load-unsafe
    return torch.load(f"/srv/models/{model_name}.pt")


def bad_django_get(request):
    # ruleid: torch-load-unsafe
    return torch.load(request.GET["path"])


@api.post("/checkpoint")
def bad_fastapi_parameter(checkpoint: str):
    # ruleid: torch-load-unsafe
    return torch_load(checkpoint)


def bad_lambda(event, context):
    # ruleid: torch-load-unsafe
    return torch.load(event["checkpoint_path"], weights_only=False)


def bad_command_line():
    # ruleid: torch-load-unsafe
    return torch.load(sys.argv[1])


@api.post("/checkpoint-upload")
def ok_fastapi_upload_weights_only(checkpoint: UploadFile):
    # ok: torch-load-unsafe
    return torch.load(checkpoint.file, weights_only=True)


def ok_lambda_weights_only(event, context):
    # ok: torch-load-unsafe
    return torch.load(event["checkpoint_path"], weights_only=True)
