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
    # ok: lxml-unsafe-parser
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
