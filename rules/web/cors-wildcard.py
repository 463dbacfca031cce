from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from flask import Flask, request
from flask_cors import CORS, cross_origin
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware as StarletteCORS

api = FastAPI()
# ruleid: cors-wildcard
api.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)

ALL = ["*"]
# ruleid: cors-wildcard
api.add_middleware(CORSMiddleware, allow_origins=ALL)

middleware = [
    # ruleid: cors-wildcard
    Middleware(StarletteCORS, allow_origin_regex=".*"),
]

app = Flask(__name__)
# ruleid: cors-wildcard
CORS(app)
# ruleid: cors-wildcard
CORS(app, origins="*", supports_credentials=True)
# ruleid: cors-wildcard
CORS(app, resources={r"/api/*": {"methods": ["GET"]}})


@app.route("/public")
# ruleid: cors-wildcard
@cross_origin()
def public():
    return "ok"


@app.after_request
def add_headers(response):
    # ruleid: cors-wildcard
    response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin")
    return response


def wildcard_header(response):
    # ruleid: cors-wildcard
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


# ruleid: cors-wildcard
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = True

# ok: cors-wildcard
api.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True)
# ok: cors-wildcard
CORS(app, origins=["https://app.example.com"])
# ok: cors-wildcard
CORS(app, resources={r"/api/*": {"origins": "https://app.example.com"}})
# ok: cors-wildcard
CORS_ALLOWED_ORIGINS = ["https://app.example.com"]


@app.route("/partner")
# ok: cors-wildcard
@cross_origin(origins=["https://partner.example.com"])
def partner():
    return "ok"


def allowlisted_header(response, origin):
    # ok: cors-wildcard
    response.headers["Access-Control-Allow-Origin"] = "https://app.example.com"
    return response


def bad_function_import(application):
    from flask_cors import CORS as enable_cors

    # ruleid: cors-wildcard
    enable_cors(application, origins="*")
