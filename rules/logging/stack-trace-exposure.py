import logging
import traceback
import traceback as tb
from traceback import format_exc as fmt

from django.http import HttpResponse, JsonResponse
from fastapi import APIRouter, HTTPException
from fastapi.responses import JSONResponse
from flask import Blueprint, Flask, abort, jsonify, make_response
from rest_framework.decorators import api_view
from rest_framework.response import Response

app = Flask(__name__)
bp = Blueprint("api", __name__)
router = APIRouter()
logger = logging.getLogger(__name__)


@app.route("/a")
def bad_flask_str():
    try:
        return do_work()
    except Exception as e:
        # ruleid: stack-trace-exposure
        return jsonify(error=str(e)), 500


@bp.get("/b")
def bad_flask_traceback():
    try:
        return do_work()
    except ValueError:
        # ruleid: stack-trace-exposure
        return traceback.format_exc(), 500


@bp.post("/c")
def bad_alias_traceback():
    try:
        return do_work()
    except ValueError as exc:
        return make_response(
            # ruleid: stack-trace-exposure
            tb.format_exc(),
            500,
        )


@app.route("/d")
def bad_from_import_traceback():
    try:
        return do_work()
    except ValueError:
        # ruleid: stack-trace-exposure
        return {"trace": fmt()}, 500


def bad_django_view(request):
    try:
        return HttpResponse(do_work())
    except Exception as err:
        # ruleid: stack-trace-exposure
        return HttpResponse(repr(err), status=500)


def bad_django_json(request):
    try:
        return JsonResponse(do_work())
    except KeyError as err:
        # ruleid: stack-trace-exposure
        return JsonResponse({"error": err.args}, status=400)


@router.get("/e")
async def bad_fastapi_detail():
    try:
        return await do_async_work()
    except Exception as e:
        # ruleid: stack-trace-exposure
        raise HTTPException(status_code=500, detail=str(e)) from e


@router.post("/f")
async def bad_fastapi_json():
    try:
        return await do_async_work()
    except Exception as e:
        # ruleid: stack-trace-exposure
        return JSONResponse(status_code=500, content={"detail": f"failed: {e}"})


@api_view(["POST"])
def bad_drf(request):
    try:
        return Response(do_work())
    except Exception as e:
        # ruleid: stack-trace-exposure
        return Response({"error": "failed: %s" % e}, status=500)


@app.route("/g")
def bad_followed_name():
    try:
        return do_work()
    except Exception as e:
        message = "failed: {}".format(e)
        # ruleid: stack-trace-exposure
        return jsonify(error=message), 500


@app.route("/h")
def bad_abort():
    try:
        return do_work()
    except Exception as e:
        # ruleid: stack-trace-exposure
        abort(400, description=str(e))


@app.route("/i")
def bad_format_exception():
    try:
        return do_work()
    except Exception as e:
        # ruleid: stack-trace-exposure
        return "".join(traceback.format_exception(e)), 500


@app.route("/ok1")
def ok_logged_generic():
    try:
        return do_work()
    except Exception as e:
        # ok: stack-trace-exposure
        logger.exception("work failed: %s", e)
        # ok: stack-trace-exposure
        return jsonify(error="internal error"), 500


@app.route("/ok2")
def ok_class_name_only():
    try:
        return do_work()
    except Exception as e:
        # ok: stack-trace-exposure
        return jsonify(error=type(e).__name__), 500


@app.route("/ok3")
def ok_sanitised():
    try:
        return do_work()
    except Exception as e:
        # ok: stack-trace-exposure
        return jsonify(error=public_message(str(e))), 500


def ok_not_a_view(path):
    try:
        return load(path)
    except Exception as e:
        # ok: stack-trace-exposure
        return str(e)


def ok_helper_traceback():
    try:
        return do_work()
    except Exception:
        # ok: stack-trace-exposure
        return traceback.format_exc()


@app.route("/ok4")
def ok_log_traceback():
    try:
        return do_work()
    except Exception as e:
        # ok: stack-trace-exposure
        logger.error("failed: %s", traceback.format_exc())
        # ok: stack-trace-exposure
        raise RuntimeError(str(e)) from e


@app.route("/ok5")
def ok_no_exception():
    # ok: stack-trace-exposure
    return jsonify(error=str(compute()))
