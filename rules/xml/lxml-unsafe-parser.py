import lxml.etree
from lxml import etree
from lxml import etree as ET
from lxml import objectify
from lxml.etree import XMLParser as Parser

from flask import request


def bad_resolve_entities(data):
    # ruleid: lxml-unsafe-parser
    parser = etree.XMLParser(resolve_entities=True)
    return etree.fromstring(data, parser)


def bad_network(data):
    # ruleid: lxml-unsafe-parser
    parser = ET.XMLParser(no_network=False, load_dtd=True)
    return ET.fromstring(data, parser)


def bad_from_import_alias():
    # ruleid: lxml-unsafe-parser
    return Parser(huge_tree=True)


def bad_full_module_path():
    # ruleid: lxml-unsafe-parser
    return lxml.etree.XMLParser(
        dtd_validation=True,
    )


def bad_objectify():
    # ruleid: lxml-unsafe-parser
    return objectify.makeparser(resolve_entities=1)


def bad_default_parser_on_request():
    # ruleid: lxml-unsafe-parser
    return etree.fromstring(request.data)


def bad_default_parser_on_upload():
    upload = request.files["feed"].read()
    # ruleid: lxml-unsafe-parser
    return etree.XML(upload)


def ok_safe_parser(data):
    # ok: lxml-unsafe-parser
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    # ok: lxml-unsafe-parser
    return etree.fromstring(data, parser)


def ok_internal_entities():
    # ok: lxml-unsafe-parser
    return etree.XMLParser(resolve_entities="internal", huge_tree=False)


def ok_safe_parser_on_request():
    parser = etree.XMLParser(resolve_entities=False)
    # ok: lxml-unsafe-parser
    return etree.fromstring(request.data, parser)


def ok_local_file():
    # auditid: lxml-unsafe-parser
    return etree.parse("config/schema.xml")


def ok_html_parser(page):
    # ok: lxml-unsafe-parser
    return etree.HTMLParser(remove_comments=True), page


def ok_build():
    # ok: lxml-unsafe-parser
    root = etree.Element("root")
    return etree.tostring(root)


def bad_function_import():
    from lxml.etree import XMLParser as LxmlParser

    # ruleid: lxml-unsafe-parser
    return LxmlParser(no_network=False)


# Dataflow: documents traced from untrusted input to the default or an unsafe parser.
import sys

from django.http import HttpResponse
from fastapi import FastAPI
from flask import Flask

app = Flask(__name__)
api = FastAPI()

# ruleid: lxml-unsafe-parser
UNSAFE_PARSER = etree.XMLParser(load_dtd=True, no_network=False)
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


@app.route("/feed", methods=["POST"])
def bad_flask_form():
    document = request.form["xml"].encode()
    # ruleid: lxml-unsafe-parser
    return etree.fromstring(document)


@app.route("/feed-json", methods=["POST"])
def bad_flask_json():
    payload = request.get_json()
    # ruleid: lxml-unsafe-parser
    return ET.XML(payload["xml"], parser=None)


@app.route("/feed-args")
def bad_flask_unsafe_parser():
    # ruleid: lxml-unsafe-parser
    return etree.fromstring(request.args["xml"], UNSAFE_PARSER)


def bad_django_view(request):
    # ruleid: lxml-unsafe-parser
    tree = objectify.fromstring(request.body)
    return HttpResponse(tree.findtext("title"))


def bad_django_url_kwarg(request, fragment):
    # ruleid: lxml-unsafe-parser
    return etree.fromstring("<root>" + fragment + "</root>")


@api.post("/import")
def bad_fastapi_parameter(document: str):
    # ruleid: lxml-unsafe-parser
    return etree.fromstring(document)


def bad_lambda(event, context):
    # ruleid: lxml-unsafe-parser
    return etree.fromstring(event["body"])


def bad_command_line():
    # ruleid: lxml-unsafe-parser
    return etree.parse(sys.argv[1])


@app.route("/feed-safe", methods=["POST"])
def ok_flask_safe_parser():
    # ok: lxml-unsafe-parser
    return etree.fromstring(request.get_data(), SAFE_PARSER)


@api.get("/item/{item_id}")
def ok_fastapi_int(item_id: int):
    # auditid: lxml-unsafe-parser
    return etree.fromstring(f"<item id='{item_id}'/>")


KNOWN_FEEDS = {"<feed/>", "<rss/>"}


@app.route("/known")
def ok_allow_listed():
    document = request.args["xml"]
    if document in KNOWN_FEEDS:
        # auditid: lxml-unsafe-parser
        return etree.fromstring(document)
    return None


def ok_unknown_origin(document):
    # auditid: lxml-unsafe-parser
    return etree.fromstring(document)
