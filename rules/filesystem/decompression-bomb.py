import bz2
import gzip
import io
import lzma
import sys
import zipfile
import zlib
from gzip import decompress as gunzip

from django.http import HttpResponse
from fastapi import FastAPI, UploadFile
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()
LIMIT = 10 * 1024 * 1024


@app.post("/gzip")
def bad_gzip_body():
    # ruleid: decompression-bomb
    return gzip.decompress(request.data)


@app.post("/alias")
def bad_alias_and_variable():
    body = request.get_data()
    # ruleid: decompression-bomb
    return gunzip(body)


@app.post("/formats")
def bad_other_formats():
    upload = request.files["archive"].read()
    # ruleid: decompression-bomb
    a = bz2.decompress(upload)
    # ruleid: decompression-bomb
    b = lzma.decompress(upload)
    # ruleid: decompression-bomb
    c = zlib.decompress(upload, 47)
    return a + b + c


@app.post("/stream")
def bad_stream_read():
    stream = gzip.GzipFile(fileobj=request.stream)
    # ruleid: decompression-bomb
    return stream.read()


@app.post("/with")
def bad_with_stream():
    with gzip.open(request.files["log"]) as compressed:
        # ruleid: decompression-bomb
        lines = compressed.readlines()
    return str(len(lines))


def bad_django_zip(request):
    archive = zipfile.ZipFile(io.BytesIO(request.body))
    # ruleid: decompression-bomb
    archive.extractall("/srv/uploads")
    # ruleid: decompression-bomb
    data = archive.read("manifest.json")
    return HttpResponse(data)


@api.post("/zip")
async def bad_fastapi_zip(upload: UploadFile):
    # ruleid: decompression-bomb
    zipfile.ZipFile(upload.file).extract("report.csv", "/tmp/reports")


def handler(event, context):
    # ruleid: decompression-bomb
    return zlib.decompress(event["body"])


def bad_command_line():
    with open(sys.argv[1], "rb") as handle:
        # ruleid: decompression-bomb
        return bz2.decompress(handle.read() + sys.argv[2].encode())


@app.post("/bounded")
def ok_bounded_reads():
    stream = gzip.GzipFile(fileobj=request.stream)
    # ok: decompression-bomb
    head = stream.read(LIMIT + 1)
    inflater = zlib.decompressobj(wbits=31)
    # ok: decompression-bomb
    body = inflater.decompress(request.data, LIMIT)
    return head + body


@app.post("/listing")
def ok_archive_listing():
    archive = zipfile.ZipFile(io.BytesIO(request.data))
    # ok: decompression-bomb
    names = archive.namelist()
    # ok: decompression-bomb
    sizes = [info.file_size for info in archive.infolist()]
    return str(names) + str(sizes)


def ok_local_archive():
    # ok: decompression-bomb
    zipfile.ZipFile("bundled/data.zip").extractall("/srv/data")
    # ok: decompression-bomb
    return gzip.decompress(open("fixtures/sample.gz", "rb").read())


def ok_unknown_origin(blob):
    # ok: decompression-bomb
    return gzip.decompress(blob)


@app.post("/compress")
def ok_compressing():
    # ok: decompression-bomb
    return gzip.compress(request.data)
