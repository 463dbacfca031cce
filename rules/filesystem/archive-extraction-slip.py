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
