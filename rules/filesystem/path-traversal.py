import io
import os
import shutil
import sys
from pathlib import Path

import flask
from django.http import FileResponse
from fastapi import FastAPI
from fastapi.responses import FileResponse as StarletteFileResponse
from flask import Flask, abort, request, send_file, send_from_directory
from werkzeug.utils import secure_filename

app = Flask(__name__)
api = FastAPI()
BASE = "/srv/reports"
BASE_DIR = Path("/srv/data")
UPLOADS = "/srv/uploads"
ALLOWED = {"summary.txt", "totals.csv"}
REPORTS = {"daily": "/srv/reports/daily.txt"}


@app.route("/read")
def bad_open_argument():
    # ruleid: path-traversal
    with open(request.args["file"]) as handle:
        return handle.read()


@app.route("/join")
def bad_os_path_join():
    name = request.args.get("name")
    path = os.path.join(BASE, name)
    # ruleid: path-traversal
    return io.open(path, encoding="utf-8").read()


@app.route("/pathlib")
def bad_pathlib_slash():
    name = request.form["name"]
    # ruleid: path-traversal
    text = (BASE_DIR / name).read_text()
    target = BASE_DIR / "out" / name
    # ruleid: path-traversal
    target.write_text(text)
    return text


@app.route("/resolved")
def bad_pathlib_resolved():
    path = (BASE_DIR / request.args["name"]).resolve()
    # ruleid: path-traversal
    return path.read_text()


@app.route("/pathlib2")
def bad_pathlib_constructor():
    # ruleid: path-traversal
    with Path(request.args["p"]).open() as handle:
        return handle.read()


@app.post("/delete")
def bad_delete_and_copy():
    data = request.get_json()
    # ruleid: path-traversal
    os.remove(os.path.join(UPLOADS, data["name"]))
    # ruleid: path-traversal
    shutil.rmtree(data["folder"])
    # ruleid: path-traversal
    shutil.copy(
        "/srv/template.txt",
        data["destination"],
    )
    return "ok"


@app.route("/download")
def bad_send_file():
    # ruleid: path-traversal
    return send_file(os.path.join(BASE, request.args["name"]))


@app.route("/dir")
def bad_send_from_directory_directory():
    # ruleid: path-traversal
    return flask.send_from_directory(request.args["dir"], "index.html")


@app.post("/upload")
def bad_upload_save():
    upload = request.files["document"]
    # ruleid: path-traversal
    upload.save(os.path.join(UPLOADS, upload.filename))
    return "saved"


def read_report(name):
    # ruleid: path-traversal
    return open(BASE + "/" + name).read()


@app.route("/report")
def bad_through_helper():
    return read_report(request.args["r"])


def bad_django_view(request, filename):
    # ruleid: path-traversal
    return FileResponse(open(os.path.join(BASE, filename), "rb"))


def bad_django_get(request):
    # ruleid: path-traversal
    for entry in os.listdir(request.GET["folder"]):
        print(entry)


@api.get("/files")
def bad_fastapi_file_response(filename: str):
    # ruleid: path-traversal
    return StarletteFileResponse(f"/srv/files/{filename}")


def handler(event, context):
    # ruleid: path-traversal
    with open("/tmp/" + event["pathParameters"]["key"]) as handle:
        return handle.read()


def bad_command_line():
    # ruleid: path-traversal
    return open(sys.argv[1]).read()


# --- not path traversal ---


@app.route("/safe-download")
def ok_send_from_directory_file_name():
    # ok: path-traversal
    return send_from_directory(UPLOADS, request.args["name"])


@app.post("/safe-upload")
def ok_secure_filename():
    upload = request.files["document"]
    # ok: path-traversal
    upload.save(os.path.join(UPLOADS, secure_filename(upload.filename)))
    return "saved"


@app.route("/basename")
def ok_basename():
    name = os.path.basename(request.args["name"])
    # ok: path-traversal
    return open(os.path.join(BASE, name)).read()


@app.route("/checked")
def ok_realpath_startswith():
    path = os.path.realpath(os.path.join(BASE, request.args["name"]))
    if not path.startswith(BASE + os.sep):
        abort(403)
    # ok: path-traversal
    return open(path).read()


@app.route("/checked2")
def ok_is_relative_to():
    path = (BASE_DIR / request.args["name"]).resolve()
    if path.is_relative_to(BASE_DIR):
        # ok: path-traversal
        return path.read_text()
    abort(403)


@app.route("/checked3")
def ok_commonpath():
    path = os.path.abspath(os.path.join(BASE, request.args["name"]))
    if os.path.commonpath([BASE, path]) != BASE:
        abort(403)
    # ok: path-traversal
    return send_file(path)


@app.route("/memory")
def ok_in_memory_file():
    # ok: path-traversal
    return send_file(io.BytesIO(request.data), download_name="echo.bin")


@app.route("/number")
def ok_int():
    page = int(request.args["page"])
    # ok: path-traversal
    return open(f"{BASE}/page-{page}.txt").read()


@app.route("/allow")
def ok_allow_list():
    name = request.args["name"]
    if name in ALLOWED:
        # ok: path-traversal
        return open(os.path.join(BASE, name)).read()
    abort(404)


@app.route("/table")
def ok_table_lookup():
    # ok: path-traversal
    return open(REPORTS[request.args["kind"]]).read()


@api.get("/item/{item_id}")
def ok_int_route_parameter(item_id: int):
    # ok: path-traversal
    return StarletteFileResponse(f"/srv/items/{item_id}.json")


def ok_constant():
    # ok: path-traversal
    return open("/etc/app/config.toml").read()


def ok_unknown_origin(path):
    # ok: path-traversal
    os.remove(path)


# Known gaps of the dataflow pass (docs/dataflow.md, "Limits").


def _inner_name(name):
    return "reports/" + name


def _outer_name(name):
    return _inner_name(name)


@app.route("/two-helpers")
def gap_helper_calling_helper():
    # Summaries go one level deep: the path through two helpers is not followed.
    # todoruleid: path-traversal
    return open(_outer_name(request.args["name"])).read()


class ReportView:
    def load(self):
        self.name = request.args["name"]

    def read(self):
        # `self.name` assigned in another method is not linked to the request.
        # todoruleid: path-traversal
        return open(self.name).read()



@app.route("/qualified")
def bad_module_qualified_request():
    # ruleid: path-traversal
    with open(flask.request.args["file"]) as handle:
        return handle.read()


@app.route("/configured")
def ok_module_qualified_config():
    # ok: path-traversal
    with open(flask.current_app.config["REPORT_FILE"]) as handle:
        return handle.read()


import cherrypy  # noqa: E402
import web  # noqa: E402
from pyramid.threadlocal import get_current_request  # noqa: E402


class Downloads:
    @cherrypy.expose
    def bad_cherrypy_request(self):
        # ruleid: path-traversal
        with open(cherrypy.request.params["file"]) as handle:
            return handle.read()

    @cherrypy.expose
    def ok_cherrypy_config(self):
        # ok: path-traversal
        with open(cherrypy.config["report.file"]) as handle:
            return handle.read()


def bad_web_py_input():
    form = web.input()
    # ruleid: path-traversal
    with open(form.file) as handle:
        return handle.read()


def bad_pyramid_thread_local_request():
    # ruleid: path-traversal
    with open(get_current_request().params["file"]) as handle:
        return handle.read()
