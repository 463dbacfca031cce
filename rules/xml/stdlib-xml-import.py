# ruleid: stdlib-xml-import
import xml.etree.ElementTree as ET
# ruleid: stdlib-xml-import
from xml.dom import minidom
# ruleid: stdlib-xml-import
from xml.sax import make_parser
# ruleid: stdlib-xml-import
from xml.dom.pulldom import parseString as pull
# ok: stdlib-xml-import
from xml.etree.ElementTree import Element, SubElement, tostring
# ok: stdlib-xml-import
from xml.sax.saxutils import escape, quoteattr
# ok: stdlib-xml-import
import xml.etree.cElementTree as CET
# ok: stdlib-xml-import
import json


def parse_feed(data):
    return ET.fromstring(data)


def parse_page(data):
    return minidom.parseString(data)


def build(tag, text):
    root = Element(tag)
    SubElement(root, "text").text = escape(text)
    return tostring(root), quoteattr(text), CET.Element("x"), json.dumps(text)


def events(data):
    return pull(data), make_parser()
