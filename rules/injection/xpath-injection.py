import sys
import xml.etree.ElementTree as ET

from fastapi import FastAPI
from flask import Flask, request
from lxml import etree
from lxml.etree import XPath as CompiledXPath

app = Flask(__name__)
api = FastAPI()
ROLES = {"admin", "editor"}


@app.route("/user")
def bad_flask_xpath():
    tree = etree.parse("users.xml")
    name = request.args["name"]
    # ruleid: xpath-injection
    return str(tree.xpath(f"//user[@name='{name}']"))


@app.route("/login", methods=["POST"])
def bad_flask_form_compiled():
    query = "//user[@name='" + request.form["user"] + "' and @pw='" + request.form["pw"] + "']"
    # ruleid: xpath-injection
    find_user = etree.XPath(query)
    # ruleid: xpath-injection
    check = CompiledXPath("//user[@id='%s']" % request.form["id"])
    return find_user, check


@app.post("/search")
def bad_flask_json():
    root = etree.fromstring(b"<users/>")
    body = request.get_json()
    # ruleid: xpath-injection
    return root.xpath(
        "//user[contains(@mail, '{}')]".format(body["mail"]),
    )


def bad_django_view(request, role):
    root = ET.parse("users.xml").getroot()
    # ruleid: xpath-injection
    admins = root.findall(f".//user[@role='{role}']")
    # ruleid: xpath-injection
    first = root.find(".//user[@name='" + request.GET["name"] + "']")
    return admins, first


@api.get("/users")
async def bad_fastapi(team: str):
    doc = etree.parse("teams.xml")
    # ruleid: xpath-injection
    return doc.xpath("//team[@name='%s']/member" % team)


def handler(event, context):
    tree = ET.ElementTree(ET.fromstring(event["xml"]))
    # ruleid: xpath-injection
    return tree.findtext(f"./item[@id='{event['id']}']/price")


def bad_command_line():
    tree = etree.parse("config.xml")
    # ruleid: xpath-injection
    return tree.xpath(sys.argv[1])


@app.route("/user-safe")
def ok_xpath_variables():
    tree = etree.parse("users.xml")
    # Values passed as XPath variables are data, never parsed as XPath.
    # ok: xpath-injection
    tree.xpath("//user[@name=$name]", name=request.args["name"])
    find_user = etree.XPath("//user[@name=$name and @pw=$pw]")
    # ok: xpath-injection
    return find_user(tree, name=request.form["user"], pw=request.form["pw"])


@app.route("/checked")
def ok_checked_values():
    tree = etree.parse("users.xml")
    role = request.args["role"]
    if role in ROLES:
        # ok: xpath-injection
        tree.xpath(f"//user[@role='{role}']")
    index = int(request.args["index"])
    # ok: xpath-injection
    return tree.xpath(f"//user[{index}]")


@api.get("/users/{number}")
async def ok_typed_route_parameter(number: int):
    doc = etree.parse("users.xml")
    # ok: xpath-injection
    return doc.xpath(f"//user[@number={number}]")


def ok_unknown_origin(tree, expression):
    # Not shown to come from outside.
    # ok: xpath-injection
    return tree.xpath(expression)


@app.route("/text")
def ok_string_find():
    title = "Annual report"
    # str.find is not an ElementTree path.
    # ok: xpath-injection
    return str(title.find(request.args["word"]))
