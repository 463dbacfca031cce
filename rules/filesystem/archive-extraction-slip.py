import shutil
import tarfile
import tarfile as tf
import zipfile
from tarfile import open as open_tar

from flask import request


def bad_extractall(path):
    with tarfile.open(path) as archive:
        # ruleid: archive-extraction-slip
        archive.extractall("/srv/imports")


def bad_alias(path):
    archive = tf.open(path, "r:gz")
    # ruleid: archive-extraction-slip
    archive.extractall()


def bad_from_import_alias(path):
    # ruleid: archive-extraction-slip
    open_tar(path).extractall(path="/srv/imports")


def bad_members_list(path, names):
    archive = tarfile.TarFile(path)
    # ruleid: archive-extraction-slip
    archive.extractall("/srv/imports", members=[archive.getmember(n) for n in names])


def bad_members_function_low(path):
    archive = tarfile.open(path)
    # ruleid: archive-extraction-slip
    archive.extractall("/srv/imports", members=safe_members(archive))


def bad_extract_single(path):
    archive = tarfile.open(path)
    for member in archive.getmembers():
        # ruleid: archive-extraction-slip
        archive.extract(member, "/srv/imports")


def bad_trusting_filter(path):
    with tarfile.open(path) as archive:
        # ruleid: archive-extraction-slip
        archive.extractall(
            "/srv/imports",
            filter="fully_trusted",
        )


def bad_unpack_archive(path):
    # ruleid: archive-extraction-slip
    shutil.unpack_archive(path, "/srv/imports")


def bad_zip_upload():
    upload = request.files["bundle"]
    with zipfile.ZipFile(upload) as bundle:
        # ruleid: archive-extraction-slip
        bundle.extractall("/srv/bundles")


def ok_data_filter(path):
    with tarfile.open(path) as archive:
        # ok: archive-extraction-slip
        archive.extractall("/srv/imports", filter="data")


def ok_tar_filter(path):
    archive = tarfile.open(path)
    # ok: archive-extraction-slip
    archive.extractall("/srv/imports", filter="tar")
    # ok: archive-extraction-slip
    archive.extract("README", "/srv/imports", filter=tarfile.data_filter)


def ok_custom_filter(path):
    archive = tarfile.open(path)
    # ok: archive-extraction-slip
    archive.extractall("/srv/imports", filter=reject_links)


def ok_unpack_with_filter(path):
    # ok: archive-extraction-slip
    shutil.unpack_archive(path, "/srv/imports", filter="data")
    # ok: archive-extraction-slip
    shutil.unpack_archive("vendor/bundle.zip", "/srv/vendor")


def ok_local_zip(path):
    with zipfile.ZipFile(path) as bundle:
        # ok: archive-extraction-slip
        bundle.extractall("/srv/bundles")


def ok_unrelated_extract(pattern, text):
    # ok: archive-extraction-slip
    return pattern.extract(text)


def safe_members(archive):
    return [m for m in archive.getmembers() if not m.name.startswith(("/", ".."))]


def reject_links(member, path):
    return None if member.issym() else member


def bad_function_import(path):
    import tarfile as tar_module

    with tar_module.open(path) as archive:
        # ruleid: archive-extraction-slip
        archive.extractall("/srv/imports")


# Dataflow: an archive, member or destination traced from untrusted input raises the finding.
import os
import sys

from fastapi import FastAPI
from flask import Flask
from werkzeug.utils import secure_filename

app = Flask(__name__)
api = FastAPI()


@app.route("/import", methods=["POST"])
def bad_flask_upload():
    upload = request.files["bundle"]
    with tarfile.open(fileobj=upload.stream, mode="r:*") as archive:
        # ruleid: archive-extraction-slip
        archive.extractall("/srv/imports")


@app.route("/import-member")
def bad_flask_member():
    archive = tarfile.open("/srv/bundles/latest.tar")
    # ruleid: archive-extraction-slip
    archive.extract(request.args["member"], "/srv/imports")


@app.route("/import-json", methods=["POST"])
def bad_flask_json_destination():
    target = request.get_json()["target"]
    with tarfile.open("/srv/bundles/latest.tar") as archive:
        # ruleid: archive-extraction-slip
        archive.extractall(os.path.join("/srv/imports", target))


def bad_django_view(request):
    path = os.path.join("/srv/uploads", request.GET["name"])
    # ruleid: archive-extraction-slip
    shutil.unpack_archive(path, "/srv/imports")


def bad_django_url_kwarg(request, bundle):
    # ruleid: archive-extraction-slip
    tf.open(f"/srv/uploads/{bundle}").extractall("/srv/imports", filter="fully_trusted")


@api.post("/bundles")
def bad_fastapi_parameter(bundle_path: str):
    with tarfile.open(bundle_path) as archive:
        # ruleid: archive-extraction-slip
        archive.extractall("/srv/imports", members=safe_members(archive))


def bad_lambda(event, context):
    with zipfile.ZipFile(event["archive_path"]) as bundle:
        # ruleid: archive-extraction-slip
        bundle.extractall("/tmp/bundle")


def bad_command_line():
    with tarfile.open(sys.argv[1]) as archive:
        # ruleid: archive-extraction-slip
        archive.extractall()


@app.route("/import-safe", methods=["POST"])
def ok_flask_upload_data_filter():
    with tarfile.open(fileobj=request.files["bundle"].stream) as archive:
        # ok: archive-extraction-slip
        archive.extractall("/srv/imports", filter="data")


@app.route("/zip-sanitised", methods=["POST"])
def ok_zip_secure_filename():
    name = secure_filename(request.form["name"])
    with zipfile.ZipFile(os.path.join("/srv/uploads", name)) as bundle:
        # ok: archive-extraction-slip
        bundle.extractall("/srv/bundles")


@app.route("/zip/<int:bundle_id>")
def ok_zip_int_route(bundle_id):
    with zipfile.ZipFile(f"/srv/uploads/{bundle_id}.zip") as bundle:
        # ok: archive-extraction-slip
        bundle.extractall("/srv/bundles")


KNOWN_BUNDLES = {"base.zip", "extras.zip"}


@app.route("/zip-known")
def ok_zip_allow_listed():
    name = request.args["bundle"]
    if name not in KNOWN_BUNDLES:
        return None
    with zipfile.ZipFile(os.path.join("/srv/bundles", name)) as bundle:
        # ok: archive-extraction-slip
        bundle.extractall("/srv/bundles/extracted")
    return name


def ok_zip_unknown_origin(archive_path):
    with zipfile.ZipFile(archive_path) as bundle:
        # ok: archive-extraction-slip
        bundle.extractall("/srv/bundles")


# Fixes: `filter="data"` is added only where the archive is a tar file tarfile opened.
def bad_fix_multi_line(path):
    with tarfile.open(path) as archive:
        # ruleid: archive-extraction-slip
        archive.extractall(
            "/srv/imports",
            members=[m for m in archive.getmembers() if m.isfile()],
        )


def bad_fix_after_comment(path):
    archive = tarfile.open(path)
    # ruleid: archive-extraction-slip
    archive.extract(
        "README",
        "/srv/imports"  # the destination
    )


def bad_no_fix_filter_none(path):
    archive = tarfile.open(path)
    # ruleid: archive-extraction-slip
    archive.extractall("/srv/imports", filter=None)


def bad_no_fix_named_only(tar_bundle):
    # ruleid: archive-extraction-slip
    tar_bundle.extractall("/srv/imports")


def bad_fix_unpack_tar_name():
    # ruleid: archive-extraction-slip
    shutil.unpack_archive("/srv/bundles/latest.tar.gz", "/srv/imports")
    # ruleid: archive-extraction-slip
    shutil.unpack_archive(bundle_path(), "/srv/imports", format="gztar")
    # ok: archive-extraction-slip
    shutil.unpack_archive(bundle_path(), "/srv/imports", format="zip")


def bundle_path():
    return "/srv/bundles/latest"
