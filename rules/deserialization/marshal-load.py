import marshal
import marshal as m
from marshal import loads as marshal_loads, dumps


def bad_loads(blob):
    # ruleid: marshal-load
    return marshal.loads(blob)


def bad_load_file(path):
    with open(path, "rb") as handle:
        # ruleid: marshal-load
        return marshal.load(handle)


def bad_alias(request):
    # ruleid: marshal-load
    return m.loads(request.body)


def bad_from_import(sock):
    # ruleid: marshal-load
    return marshal_loads(sock.recv(1024))


def bad_function_import(blob):
    from marshal import loads

    # ruleid: marshal-load
    return loads(
        blob,
    )


def ok_dump(code, handle):
    # ok: marshal-load
    marshal.dump(code, handle)
    # ok: marshal-load
    return dumps(code)


def ok_marshal_dumps(value):
    # ok: marshal-load
    return m.dumps(value)


def ok_other_loads(json, text):
    # ok: marshal-load
    return json.loads(text)


# Dataflow: untrusted input traced to marshal is reported high; the rest stays an audit finding.
import base64
import sys

from fastapi import FastAPI
from flask import Flask
from flask import request as flask_request

app = Flask(__name__)
api = FastAPI()


@app.route("/code", methods=["POST"])
def bad_flask_data():
    blob = flask_request.get_data()
    # ruleid: marshal-load
    return marshal.loads(blob)


@app.route("/code-form", methods=["POST"])
def bad_flask_form():
    encoded = flask_request.form["code"]
    # ruleid: marshal-load
    return m.loads(base64.b64decode(encoded))


@app.route("/code-args")
def bad_flask_args():
    # ruleid: marshal-load
    return marshal_loads(bytes.fromhex(flask_request.args["hex"]))


def bad_django_view(request):
    # ruleid: marshal-load
    return marshal.loads(request.GET["code"].encode())


@api.post("/code")
def bad_fastapi_parameter(code: str):
    # ruleid: marshal-load
    return marshal.loads(code.encode("latin-1"))


def bad_lambda(event, context):
    # ruleid: marshal-load
    return marshal.loads(base64.b64decode(event["payload"]))


def bad_command_line():
    # ruleid: marshal-load
    return marshal.loads(sys.argv[1].encode())


ALLOWED_BLOBS = {b"\xe9\x00\x00\x00\x00", b"N"}


@app.route("/checked")
def audit_allow_listed():
    blob = flask_request.get_data()
    if blob in ALLOWED_BLOBS:
        # ruleid: marshal-load
        return marshal.loads(blob)
    return None


@app.route("/by-id/<int:code_id>")
def audit_int_route(code_id):
    # ruleid: marshal-load
    return marshal.loads(str(code_id).encode())
