import json
import pickle
import pickle as pk
import shelve
import _pickle
from pickle import loads as unpickle_bytes, Unpickler, dumps

import dill
import jsonpickle
import joblib
import numpy as np
import pandas as pd
from numpy import load as np_load


def bad_pickle_loads(data):
    # ruleid: pickle-family-load
    return pickle.loads(data)


def bad_pickle_load_file(path):
    with open(path, "rb") as handle:
        # ruleid: pickle-family-load
        return pickle.load(handle)


def bad_alias_module(request):
    # ruleid: pickle-family-load
    return pk.loads(request.data)


def bad_from_import_alias(sock):
    payload = sock.recv(4096)
    # ruleid: pickle-family-load
    return unpickle_bytes(payload)


def bad_unpickler(stream):
    # ruleid: pickle-family-load
    return Unpickler(stream).load()


def bad_c_pickle(data):
    # ruleid: pickle-family-load
    return _pickle.loads(data)


def bad_function_level_import(blob):
    import cPickle

    # ruleid: pickle-family-load
    return cPickle.loads(blob)


def bad_keyword_argument(path):
    # ruleid: pickle-family-load
    return pd.read_pickle(filepath_or_buffer=path)


def bad_dill(data):
    # ruleid: pickle-family-load
    return dill.loads(data)


def bad_shelve(path):
    # ruleid: pickle-family-load
    with shelve.open(path) as db:
        return dict(db)


def bad_shelf_class(path):
    # ruleid: pickle-family-load
    return shelve.DbfilenameShelf(path)


def bad_jsonpickle(uploaded):
    # ruleid: pickle-family-load
    return jsonpickle.decode(uploaded.read())


def bad_joblib(model_path):
    # ruleid: pickle-family-load
    return joblib.load(model_path)


def bad_numpy_allow_pickle(path):
    # ruleid: pickle-family-load
    return np.load(path, allow_pickle=True)


def bad_numpy_positional(path):
    # ruleid: pickle-family-load
    return np_load(path, None, True)


def bad_multiline(request):
    # ruleid: pickle-family-load
    return pickle.loads(
        request.files["model"].read(),
    )


def ok_dump(obj, handle):
    # ok: pickle-family-load
    pickle.dump(obj, handle)
    # ok: pickle-family-load
    return dumps(obj)


def ok_dill_dump(obj):
    # ok: pickle-family-load
    return dill.dumps(obj)


def ok_jsonpickle_encode(obj):
    # ok: pickle-family-load
    return jsonpickle.encode(obj)


def ok_joblib_dump(model, path):
    # ok: pickle-family-load
    joblib.dump(model, path)


def ok_numpy_plain(path):
    # ok: pickle-family-load
    a = np.load(path)
    # ok: pickle-family-load
    b = np.load(path, allow_pickle=False)
    return a, b


def ok_json(handle, text):
    # ok: pickle-family-load
    a = json.load(handle)
    # ok: pickle-family-load
    b = json.loads(text)
    return a, b


def ok_unrelated_load(loader, path):
    # ok: pickle-family-load
    return loader.load(path)


def ok_csv(path):
    # ok: pickle-family-load
    return pd.read_csv(path)


# Dataflow: untrusted input traced to the loader is reported high; anything else stays an audit
# finding at medium confidence at most.
import base64
import sys

from fastapi import FastAPI
from flask import Flask
from flask import request as flask_request

app = Flask(__name__)
api = FastAPI()


@app.route("/restore", methods=["POST"])
def bad_flask_body():
    blob = flask_request.get_data()
    # ruleid: pickle-family-load
    return pickle.loads(blob)


@app.route("/restore-form", methods=["POST"])
def bad_flask_form():
    encoded = flask_request.form["state"]
    raw = base64.b64decode(encoded)
    # ruleid: pickle-family-load
    return unpickle_bytes(raw)


@app.route("/restore-json", methods=["POST"])
def bad_flask_json():
    payload = flask_request.get_json()
    # ruleid: pickle-family-load
    return jsonpickle.decode(payload["state"])


def bad_django_view(request):
    state = request.GET["state"]
    # ruleid: pickle-family-load
    return dill.loads(base64.urlsafe_b64decode(state))


def bad_django_url_kwarg(request, token):
    # ruleid: pickle-family-load
    return pickle.loads(token.encode("latin-1"))


@api.post("/model")
def bad_fastapi_parameter(blob: str):
    # ruleid: pickle-family-load
    return np.load(blob, allow_pickle=True)


def bad_lambda(event, context):
    body = base64.b64decode(event["body"])
    # ruleid: pickle-family-load
    return pickle.loads(body)


def load_state(data):
    # ruleid: pickle-family-load
    return pickle.loads(data)


@app.route("/helper", methods=["POST"])
def bad_through_helper():
    return load_state(flask_request.data)


def bad_command_line():
    # ruleid: pickle-family-load
    return joblib.load(sys.argv[1])


# Not traced to input: still audit findings (medium severity and confidence).
@app.route("/by-id/<int:state_id>")
def audit_int_route(state_id):
    # ruleid: pickle-family-load
    return pd.read_pickle(f"/srv/states/{state_id}.pkl")


ALLOWED_STATES = {"default.pkl", "empty.pkl"}


@app.route("/named")
def audit_allow_listed():
    name = flask_request.args["name"]
    if name in ALLOWED_STATES:
        # ruleid: pickle-family-load
        return pickle.loads(name.encode())
    return None


def audit_constant():
    # auditid: pickle-family-load
    return pickle.loads(b"\x80\x04N.")


def restore_default_settings():
    # auditid: pickle-family-load
    return pickle.loads(b"\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00}\x94.")


DEFAULT_STATE = b"\x80\x04N."


def restore_default_state():
    # auditid: pickle-family-load
    return pickle.loads(DEFAULT_STATE)
