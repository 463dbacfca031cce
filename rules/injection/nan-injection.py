import math
import os
import re
import sys
from math import isfinite

import numpy as np
from fastapi import FastAPI
from flask import Flask, abort, request

app = Flask(__name__)
api = FastAPI()

LIMIT = 1000.0


@app.route("/transfer", methods=["POST"])
def bad_flask_form():
    # ruleid: nan-injection
    amount = float(request.form["amount"])
    if amount > LIMIT:
        abort(400)
    return str(amount)


@app.route("/rate")
def bad_flask_args_variable():
    raw = request.args.get("rating", "0")
    # ruleid: nan-injection
    rating = float(raw.strip())
    if not 0 <= rating <= 5:
        abort(400)
    return str(rating)


@app.route("/point", methods=["POST"])
def bad_flask_json_complex():
    payload = request.get_json()
    # ruleid: nan-injection
    return str(complex(payload["point"]))


def bad_django_view(request):
    # ruleid: nan-injection
    price = float(
        request.POST["price"],
    )
    return price * 2


def bad_django_url_kwarg(request, ratio):
    # ruleid: nan-injection
    return float(ratio) < 1


@api.get("/scale")
def bad_fastapi_parameter(factor: str):
    # ruleid: nan-injection
    return {"scaled": float(factor) * 10}


def bad_lambda(event, context):
    # ruleid: nan-injection
    threshold = float(event["threshold"])
    return threshold > 0.5


def parse_amount(text):
    # ruleid: nan-injection
    return float(text)


@app.route("/helper")
def bad_through_helper():
    return str(parse_amount(request.args["amount"]))


@app.route("/checked-isnan", methods=["POST"])
def ok_checked_isnan():
    # ok: nan-injection
    amount = float(request.form["amount"])
    if math.isnan(amount) or amount > LIMIT:
        abort(400)
    return str(amount)


@app.route("/checked-isfinite", methods=["POST"])
def ok_checked_isfinite():
    # ok: nan-injection
    value = float(request.form["value"])
    if not isfinite(value):
        abort(400)
    return str(value)


@app.route("/checked-numpy")
def ok_checked_numpy():
    # ok: nan-injection
    if np.isnan(float(request.args["x"])):
        abort(400)
    # ok: nan-injection
    return str(float(request.args["x"]))


@app.route("/int-first")
def ok_int_first():
    # ok: nan-injection
    return str(float(int(request.args["count"])))


@app.route("/validated")
def ok_validated_by_regex():
    text = request.args["amount"]
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        abort(400)
    # ok: nan-injection
    return str(float(text))


@app.route("/digits")
def ok_isdigit_guard():
    text = request.args["amount"]
    if text.isdigit():
        # ok: nan-injection
        return str(float(text))
    return "0"


ALLOWED_STEPS = {"0.5", "1", "2"}


@app.route("/step")
def ok_allow_listed():
    step = request.args["step"]
    if step not in ALLOWED_STEPS:
        abort(400)
    # ok: nan-injection
    return str(float(step))


@app.route("/item/<int:quantity>")
def ok_int_route(quantity):
    # ok: nan-injection
    return str(float(quantity))


@api.get("/typed")
def ok_fastapi_float_parameter(factor: float):
    # ok: nan-injection
    return {"scaled": float(factor) * 10}


def ok_unknown_origin(text):
    # ok: nan-injection
    return float(text)


def ok_local_sources():
    # ok: nan-injection
    a = float(sys.argv[1])
    # ok: nan-injection
    b = float(os.environ.get("RATIO", "1"))
    return a, b


def ok_constant():
    # ok: nan-injection
    return float("1.5")


@app.route("/page")
def float_then_integer():
    # ok: nan-injection
    page = int(float(request.args["page"]))
    # ok: nan-injection
    rounded = round(float(request.args["x"]))
    # ruleid: nan-injection
    scaled = round(float(request.args["y"]), 2)
    return page, rounded, scaled
