import xml.dom.minidom
import xml.etree.ElementTree as ET
import xml.sax
from xml.dom import pulldom
from xml.dom.minidom import parseString as parse_xml_string
from xml.etree import cElementTree
from xml.etree.ElementTree import Element, SubElement, fromstring, tostring

import defusedxml.ElementTree as DET
import defusedxml.minidom


def bad_fromstring_request(request):
    # ruleid: stdlib-xml-parse
    return ET.fromstring(request.body)


def bad_parse_upload(upload):
    # ruleid: stdlib-xml-parse
    return ET.parse(upload.stream).getroot()


def bad_parse_file(path):
    # ruleid: stdlib-xml-parse
    return ET.parse(path)


def bad_parse_literal_path():
    # ruleid: stdlib-xml-parse
    return ET.parse("config/settings.xml")


def bad_parse_opened_literal_path():
    with open("feeds.xml", "rb") as handle:
        # ruleid: stdlib-xml-parse
        return ET.parse(handle)


def bad_from_import(data):
    # ruleid: stdlib-xml-parse
    return fromstring(data)


def bad_xml_and_iterparse(data, path):
    # ruleid: stdlib-xml-parse
    a = ET.XML(data)
    # ruleid: stdlib-xml-parse
    b = [element for _, element in ET.iterparse(source=path)]
    # ruleid: stdlib-xml-parse
    c = ET.fromstringlist([data])
    return a, b, c


def bad_c_element_tree(data):
    # ruleid: stdlib-xml-parse
    return cElementTree.fromstring(data)


def bad_parser_object(data):
    # ruleid: stdlib-xml-parse
    parser = ET.XMLParser()
    parser.feed(data)
    return parser.close()


def bad_parser_passed_in(data):
    # ruleid: stdlib-xml-parse
    return ET.fromstring(data, parser=ET.XMLParser(encoding="utf-8"))


def bad_minidom(data, path):
    # ruleid: stdlib-xml-parse
    a = xml.dom.minidom.parseString(data)
    # ruleid: stdlib-xml-parse
    b = xml.dom.minidom.parse(path)
    # ruleid: stdlib-xml-parse
    c = parse_xml_string(data)
    return a, b, c


def bad_pulldom(stream):
    # ruleid: stdlib-xml-parse
    return pulldom.parse(stream)


def bad_sax(stream, handler):
    # ruleid: stdlib-xml-parse
    xml.sax.parse(stream, handler)
    # ruleid: stdlib-xml-parse
    xml.sax.parseString(b"<a/>", handler)
    # ruleid: stdlib-xml-parse
    return xml.sax.make_parser()


def bad_function_level_imports(data):
    from xml.dom import expatbuilder
    from xml.sax.expatreader import create_parser

    # ruleid: stdlib-xml-parse
    document = expatbuilder.parseString(data)
    # ruleid: stdlib-xml-parse
    reader = create_parser()
    return document, reader


def bad_multiline(sock):
    # ruleid: stdlib-xml-parse
    return ET.fromstring(
        sock.recv(65536),
    )


def ok_building_and_serialising():
    # ok: stdlib-xml-parse
    root = Element("feed")
    # ok: stdlib-xml-parse
    SubElement(root, "entry").text = "hello"
    # ok: stdlib-xml-parse
    ET.ElementTree(root).write("out.xml")
    # ok: stdlib-xml-parse
    return tostring(root, encoding="unicode")


def ok_defusedxml(request, path):
    # ok: stdlib-xml-parse
    a = DET.fromstring(request.body)
    # ok: stdlib-xml-parse
    b = DET.parse(path)
    # ok: stdlib-xml-parse
    c = defusedxml.minidom.parseString(request.body)
    return a, b, c


def ok_json(json, text):
    # ok: stdlib-xml-parse
    return json.loads(text)


def ok_unrelated_parse(parser, text):
    # ok: stdlib-xml-parse
    return parser.parse(text)


# Dataflow: documents traced from untrusted input are reported high.
import io
import sys

from fastapi import FastAPI
from flask import Flask
from flask import request as flask_request

app = Flask(__name__)
api = FastAPI()


@app.route("/feed", methods=["POST"])
def bad_flask_data():
    body = flask_request.get_data()
    # ruleid: stdlib-xml-parse
    return ET.fromstring(body)


@app.route("/feed-upload", methods=["POST"])
def bad_flask_upload():
    stream = flask_request.files["feed"].stream
    # ruleid: stdlib-xml-parse
    return ET.parse(stream).getroot()


@app.route("/feed-form", methods=["POST"])
def bad_flask_form():
    text = flask_request.form.get("xml", "")
    # ruleid: stdlib-xml-parse
    return xml.dom.minidom.parseString(text)


@app.route("/feed-json", methods=["POST"])
def bad_flask_json():
    document = flask_request.get_json()["xml"]
    # ruleid: stdlib-xml-parse
    xml.sax.parse(io.StringIO(document), xml.sax.ContentHandler())


def bad_django_view(request):
    # ruleid: stdlib-xml-parse
    return parse_xml_string(request.POST["xml"])


def bad_django_url_kwarg(request, fragment):
    # ruleid: stdlib-xml-parse
    return fromstring(f"<root>{fragment}</root>")


@api.post("/import")
def bad_fastapi_parameter(document: str):
    # ruleid: stdlib-xml-parse
    return ET.XML(document)


def bad_lambda(event, context):
    # ruleid: stdlib-xml-parse
    return ET.fromstring(event["body"])


def bad_command_line():
    # ruleid: stdlib-xml-parse
    return ET.parse(sys.argv[1])


@api.get("/item/{item_id}")
def audit_fastapi_int(item_id: int):
    # ruleid: stdlib-xml-parse
    return ET.fromstring(f"<item id='{item_id}'/>")


@app.route("/feed-defused", methods=["POST"])
def ok_flask_defusedxml():
    # ok: stdlib-xml-parse
    return DET.fromstring(flask_request.get_data())
