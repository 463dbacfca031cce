import re
import sys

import ldap
import ldap3
from fastapi import FastAPI
from flask import Flask, request
from ldap.dn import escape_dn_chars
from ldap.filter import escape_filter_chars, filter_format
from ldap3 import Connection as LdapConnection
from ldap3.utils.conv import escape_filter_chars as escape3

app = Flask(__name__)
api = FastAPI()
BASE = "ou=people,dc=example,dc=com"
DEPARTMENTS = {"sales", "support"}


@app.route("/user")
def bad_flask_filter():
    conn = ldap.initialize("ldap://directory")
    name = request.args["name"]
    # ruleid: ldap-injection
    return conn.search_s(BASE, ldap.SCOPE_SUBTREE, f"(uid={name})")


@app.route("/login", methods=["POST"])
def bad_flask_form_login():
    conn = ldap.initialize("ldap://directory")
    search_filter = "(&(uid=" + request.form["user"] + ")(objectClass=person))"
    # ruleid: ldap-injection
    result = conn.search_ext_s(BASE, ldap.SCOPE_SUBTREE, search_filter, ["cn"])
    return str(result)


@app.post("/group")
def bad_flask_json_dn():
    conn = ldap.initialize("ldap://directory")
    group = request.get_json()["group"]
    # ruleid: ldap-injection
    return conn.search_s(f"cn={group},ou=groups,dc=example,dc=com", ldap.SCOPE_BASE)


def bad_django_view(request, uid):
    server = ldap3.Server("ldap://directory")
    with ldap3.Connection(server, auto_bind=True) as conn:
        # ruleid: ldap-injection
        conn.search(BASE, "(uid=%s)" % uid, attributes=["mail"])
        # ruleid: ldap-injection
        conn.search(search_base=BASE, search_filter="(mail={})".format(request.GET["mail"]))
        return conn.entries


@api.get("/people")
async def bad_fastapi(department: str):
    conn = LdapConnection("ldap://directory", auto_bind=True)
    # ruleid: ldap-injection
    conn.search(
        f"ou={department},dc=example,dc=com",
        "(objectClass=person)",
    )
    return conn.entries


def handler(event, context):
    conn = ldap.initialize("ldap://directory")
    # ruleid: ldap-injection
    return conn.search_s(BASE, ldap.SCOPE_SUBTREE, "(cn=%s)" % event["name"])


def bad_command_line():
    conn = ldap.initialize("ldap://directory")
    # ruleid: ldap-injection
    return conn.search_s(BASE, ldap.SCOPE_SUBTREE, "(uid=" + sys.argv[1] + ")")


@app.route("/user-safe")
def ok_escaped():
    conn = ldap.initialize("ldap://directory")
    name = escape_filter_chars(request.args["name"])
    # ok: ldap-injection
    conn.search_s(BASE, ldap.SCOPE_SUBTREE, f"(uid={name})")
    # ok: ldap-injection
    conn.search_s(BASE, ldap.SCOPE_SUBTREE, filter_format("(uid=%s)", [request.args["name"]]))
    group = escape_dn_chars(request.args["group"])
    # ok: ldap-injection
    conn.search_s(f"cn={group},ou=groups,dc=example,dc=com", ldap.SCOPE_BASE)
    server = ldap3.Server("ldap://directory")
    conn3 = ldap3.Connection(server, auto_bind=True)
    # ok: ldap-injection
    conn3.search(BASE, f"(uid={escape3(request.args['name'])})")


@app.route("/dept")
def ok_allowlist_and_numbers():
    conn = ldap.initialize("ldap://directory")
    department = request.args["department"]
    if department in DEPARTMENTS:
        # ok: ldap-injection
        conn.search_s(f"ou={department},dc=example,dc=com", ldap.SCOPE_ONELEVEL)
    employee = int(request.args["employee"])
    # ok: ldap-injection
    conn.search_s(BASE, ldap.SCOPE_SUBTREE, f"(employeeNumber={employee})")
    # The filter is fixed; outside data in the attribute list is not a filter.
    # ok: ldap-injection
    return conn.search_s(BASE, ldap.SCOPE_SUBTREE, "(objectClass=person)", [request.args["attr"]])


@api.get("/employees/{number}")
async def ok_typed_route_parameter(number: int):
    conn = ldap.initialize("ldap://directory")
    # ok: ldap-injection
    return conn.search_s(BASE, ldap.SCOPE_SUBTREE, f"(employeeNumber={number})")


def ok_unknown_origin(conn, name):
    # Not shown to come from outside.
    # ok: ldap-injection
    return conn.search_s(BASE, ldap.SCOPE_SUBTREE, f"(uid={name})")


@app.route("/regex")
def ok_other_search():
    # ok: ldap-injection
    return str(re.search(request.args["pattern"], "text"))
