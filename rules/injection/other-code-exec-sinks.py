import code
import json
from code import InteractiveConsole, InteractiveInterpreter as Interp

import _xxsubinterpreters as interpreters
import js2py
from js2py import EvalJs, eval_js
from PIL import ImageMath


def bad_console_push(sock):
    console = code.InteractiveConsole()
    # ruleid: other-code-exec-sinks
    console.push(sock.recv(4096).decode())


def bad_console_runsource(source):
    console = InteractiveConsole(locals={})
    # ruleid: other-code-exec-sinks
    console.runsource(source)


def bad_interpreter_built(name, value):
    interp = Interp()
    # ruleid: other-code-exec-sinks
    interp.runsource(f"{name} = {value}")


def bad_interpreter_chained(request):
    # ruleid: other-code-exec-sinks
    code.InteractiveInterpreter().runcode(request.form["code"])


def bad_js2py(expression):
    # ruleid: other-code-exec-sinks
    return js2py.eval_js(expression)


def bad_js2py_alias(a, b):
    # ruleid: other-code-exec-sinks
    return eval_js("function f() { return " + a + " + " + b + "; }")


def bad_evaljs_context(script):
    context = EvalJs({"python_sum": sum})
    # ruleid: other-code-exec-sinks
    context.execute(script)


def bad_subinterpreter(interp_id, script):
    # ruleid: other-code-exec-sinks
    interpreters.run_string(interp_id, script)


def bad_multiline(lines):
    console = code.InteractiveConsole()
    # ruleid: other-code-exec-sinks
    console.push(
        "\n".join(lines),
    )


def ok_literals():
    console = code.InteractiveConsole()
    # ok: other-code-exec-sinks
    console.push("import sys")
    # ok: other-code-exec-sinks
    js2py.eval_js("function add(a, b) { return a + b; }")
    # ok: other-code-exec-sinks
    code.InteractiveInterpreter().runsource("print('ready')")


def ok_other_objects(cursor, queue, data):
    # ok: other-code-exec-sinks
    cursor.execute(data)
    # ok: other-code-exec-sinks
    queue.push(data)
    # ok: other-code-exec-sinks
    json.loads(data)


def ok_interactive_session():
    # ok: other-code-exec-sinks
    code.interact(banner="debug shell")


# Dataflow: outside input reaching the code.
import sys

from fastapi import FastAPI
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()
SNIPPETS = {"status": "print('ok')"}
ALLOWED_LINES = {"help()", "status()"}


@app.route("/console", methods=["POST"])
def bad_tainted_flask():
    console = code.InteractiveConsole()
    line = request.form["line"]
    # ruleid: other-code-exec-sinks
    console.push(line)
    # ruleid: other-code-exec-sinks
    js2py.eval_js("var x = " + request.args["x"])
    payload = request.get_json()
    # ruleid: other-code-exec-sinks
    EvalJs().execute(payload["script"])


@app.route("/image-math", methods=["POST"])
def bad_tainted_image_math():
    formula = request.form["formula"]
    # ruleid: other-code-exec-sinks
    return str(ImageMath.eval(formula, a=1))


def ok_image_math_literal(image):
    # ok: other-code-exec-sinks
    return ImageMath.eval("convert(a * 2, 'L')", a=image)


def bad_tainted_django_view(request, name):
    # ruleid: other-code-exec-sinks
    Interp().runsource(request.GET["src"])
    # ruleid: other-code-exec-sinks
    eval_js(f"greet('{name}')")


@api.post("/js")
async def bad_tainted_fastapi(script: str):
    # ruleid: other-code-exec-sinks
    return js2py.eval_js(script)


def handler(event, context):
    # ruleid: other-code-exec-sinks
    interpreters.run_string(1, event["code"])


def bad_tainted_command_line():
    # ruleid: other-code-exec-sinks
    code.InteractiveConsole().push(sys.argv[1])


@app.route("/safe")
def ok_tainted_sanitised():
    console = code.InteractiveConsole()
    count = int(request.args["n"])
    # ok: other-code-exec-sinks
    console.push(f"limit = {count}")
    # ok: other-code-exec-sinks
    console.push(SNIPPETS[request.args["name"]])
    line = request.args["line"]
    if line in ALLOWED_LINES:
        # ok: other-code-exec-sinks
        console.push(line)


@api.get("/js/{n}")
async def ok_typed_route_parameter(n: int):
    # ok: other-code-exec-sinks
    return js2py.eval_js(f"square({n})")


# Functions looked up by a name from outside (imported here to keep the lines above stable).
from test import support  # noqa: E402

from flask import Flask, request  # noqa: E402

app = Flask(__name__)


def bad_subinterpreter_from_test_support(source):
    # ruleid: other-code-exec-sinks
    support.run_in_subinterp(source)


@app.route("/action")
def bad_namespace_lookup():
    action = request.args["action"]
    # ruleid: other-code-exec-sinks
    globals()[action]()
    # ruleid: other-code-exec-sinks
    locals().get(request.args["other"])()
    # ruleid: other-code-exec-sinks
    return bad_namespace_lookup.__globals__[action](request.args)


@app.route("/fixed")
def ok_namespace_lookup_of_constant():
    # ok: other-code-exec-sinks
    globals()["bad_namespace_lookup"]()
    # ok: other-code-exec-sinks
    return {"greet": str}[request.args["action"]]()
