import json
import sys

import boto3
import pymongo
from boto3.dynamodb.conditions import Attr
from bson import ObjectId
from django.http import JsonResponse
from fastapi import FastAPI
from flask import Flask, request
from mongoengine import Document

app = Flask(__name__)
api = FastAPI()
client = pymongo.MongoClient()
db = client.shop
table = boto3.resource("dynamodb").Table("orders")
SORT_FIELDS = {"name", "created"}


@app.post("/login")
def bad_login_json_values():
    body = request.get_json()
    # An object such as {"$ne": null} in place of the password matches any account.
    # ruleid: nosql-injection
    return db.users.find_one({"user": body["user"], "password": body["password"]})


@app.post("/search")
def bad_whole_filter():
    # ruleid: nosql-injection
    found = db.items.find(request.json)
    # ruleid: nosql-injection
    db.items.delete_many(json.loads(request.data))
    # ruleid: nosql-injection
    db.items.count_documents(filter=request.args.to_dict())
    return found


@app.route("/where")
def bad_where_javascript():
    name = request.args["name"]
    # ruleid: nosql-injection
    return db.users.find({"$where": "this.name == '" + name + "'"})


@app.route("/field")
def bad_tainted_key():
    field = request.args["field"]
    # ruleid: nosql-injection
    return db.users.find({field: request.args["value"]})


@app.post("/report")
def bad_aggregate_pipeline():
    stage = request.get_json()["match"]
    # ruleid: nosql-injection
    return list(db.orders.aggregate([{"$match": stage}, {"$limit": 10}]))


def bad_django_view(request, field):
    # ruleid: nosql-injection
    db.users.find_one(json.loads(request.body))
    # ruleid: nosql-injection
    return db.users.find({field: {"$exists": True}})


@api.get("/users")
async def bad_fastapi(name: str):
    # ruleid: nosql-injection
    return db.users.find({"$where": f"this.name.startsWith('{name}')"})


@api.post("/filter")
async def bad_fastapi_dict(criteria: dict):
    # ruleid: nosql-injection
    return db.users.find(criteria)


def handler(event, context):
    # ruleid: nosql-injection
    return db.orders.find_one({"order_id": event["order_id"]})


def bad_command_line():
    # ruleid: nosql-injection
    return db.users.find({"$where": sys.argv[1]})


@app.route("/update", methods=["POST"])
def bad_multiline_update():
    # ruleid: nosql-injection
    db.users.update_one(
        {"email": request.json["email"]},
        {"$set": {"active": False}},
    )


@app.route("/raw")
def bad_mongoengine_raw():
    # ruleid: nosql-injection
    return Document.objects(__raw__=request.get_json())


@app.route("/dynamo")
def bad_dynamodb_expression():
    owner = request.args["owner"]
    # ruleid: nosql-injection
    table.scan(FilterExpression="owner = " + owner)
    # ruleid: nosql-injection
    return table.scan(ScanFilter=request.get_json())


@app.post("/login-safe")
def ok_cast_values():
    body = request.get_json()
    # Values cast to a scalar cannot become operators.
    # ok: nosql-injection
    db.users.find_one({"user": str(body["user"]), "password": str(body["password"])})
    # ok: nosql-injection
    db.users.find_one({"age": int(body["age"])})
    # ok: nosql-injection
    db.users.find_one({"_id": ObjectId(body["id"])})
    user = str(body["user"])
    # ok: nosql-injection
    return db.users.find_one({"user": user})


@app.route("/strings")
def ok_string_fields():
    # Query-string and form fields are always strings.
    # ok: nosql-injection
    db.users.find({"name": request.args["name"]})
    # ok: nosql-injection
    db.users.find({"name": request.form.get("name", "").strip()})
    # ok: nosql-injection
    db.users.find_one(request.args["id"])
    query = {}
    query["status"] = request.args.get("status")
    # ok: nosql-injection
    return db.users.find(query)


def ok_django_strings(request, slug):
    # ok: nosql-injection
    db.pages.find_one({"slug": slug})
    # ok: nosql-injection
    return db.pages.find({"q": request.GET["q"]})


@api.get("/item/{item_id}")
async def ok_typed_route_parameter(item_id: int, name: str):
    # ok: nosql-injection
    db.items.find_one({"item_id": item_id})
    # ok: nosql-injection
    return db.items.find_one({"name": name})


@app.route("/sorted")
def ok_allowlisted_key():
    field = request.args["field"]
    if field not in SORT_FIELDS:
        return "bad field", 400
    # ok: nosql-injection
    return db.users.find({field: {"$exists": True}})


@app.route("/conditions")
def ok_dynamodb_conditions():
    # ok: nosql-injection
    return table.scan(FilterExpression=Attr("owner").eq(request.args["owner"]))


def ok_unknown_origin(collection, criteria, script):
    # Not shown to come from outside: a helper's caller decides.
    # ok: nosql-injection
    collection.find(criteria)
    # ok: nosql-injection
    return collection.find({"$where": script})


@app.route("/text")
def ok_string_find():
    text = "some text"
    # ok: nosql-injection
    return str(text.find(request.get_json()["needle"]))


@app.route("/constant")
def ok_constant_filter():
    # ok: nosql-injection
    return db.users.find({"active": True, "$where": "this.credits > 0"})


def ok_not_a_view():
    return JsonResponse({})
