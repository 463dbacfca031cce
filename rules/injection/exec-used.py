import builtins
from builtins import exec as run_code


def bad_parameter(code):
    # ruleid: exec-used
    exec(code)


def bad_fstring(field, value):
    # ruleid: exec-used
    exec(f"obj.{field} = {value}")


def bad_accumulated(names):
    source = "def generated():\n"
    for name in names:
        source += "    print(" + name + ")\n"
    namespace = {}
    # ruleid: exec-used
    exec(source, namespace)
    return namespace


def bad_request(request):
    # ruleid: exec-used
    exec(request.data.decode())


def bad_builtins_module(code):
    # ruleid: exec-used
    builtins.exec(code)
    # ruleid: exec-used
    run_code(code)


def bad_compile_exec(code):
    # ruleid: exec-used
    compiled = compile(code, "<plugin>", "exec")
    # ok: exec-used
    exec(compiled)


def bad_compile_inline(code):
    # ruleid: exec-used
    exec(compile(code, "<plugin>", mode="exec"))


def bad_compile_other_mode_exec(expression):
    # ruleid: exec-used
    exec(compile(expression, "<expr>", "single"))


def bad_multiline(name, value):
    # ruleid: exec-used
    exec(
        "{} = {!r}".format(name, value),
        {},
    )


def bad_version_file():
    # Reading a file named by a literal path (the setup.py idiom): reported at low severity.
    about = {}
    with open("pkg/__about__.py") as handle:
        # ruleid: exec-used
        exec(handle.read(), about)
    return about


def ok_literal():
    # auditid: exec-used
    exec("import this")
    # auditid: exec-used
    exec(compile("x = 1", "<const>", "exec"))


def ok_compile_eval_mode(expression):
    # ok: exec-used
    return compile(expression, "<expr>", "eval")


def ok_method_named_exec(cursor, query, session):
    # ok: exec-used
    cursor.exec(query)
    # ok: exec-used
    session.exec(query)


def ok_subprocess_exec(asyncio, program):
    # ok: exec-used
    return asyncio.create_subprocess_exec(program)


def ok_shadowed(code):
    def exec(value):
        return value

    # ok: exec-used
    return exec(code)


# Dataflow: outside input reaching the code.
import sys

from fastapi import FastAPI
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()
ALLOWED_STATEMENTS = {"reload()", "flush()"}


@app.route("/run", methods=["POST"])
def bad_tainted_flask():
    source = request.form["code"]
    # ruleid: exec-used
    exec(source)
    # ruleid: exec-used
    exec(f"result = {request.args.get('expr')}")
    body = request.get_json()
    # ruleid: exec-used
    code_object = compile(body["script"], "<request>", "exec")
    return code_object


def bad_tainted_django_view(request, snippet):
    # ruleid: exec-used
    exec(request.GET["code"])
    # ruleid: exec-used
    exec("value = " + snippet, {})


@api.post("/hook")
async def bad_tainted_fastapi(script: str):
    # ruleid: exec-used
    exec(script, {"__builtins__": {}})


def handler(event, context):
    # ruleid: exec-used
    exec(event["body"])


def bad_tainted_command_line():
    # ruleid: exec-used
    exec(sys.argv[1])


@app.route("/safe")
def ok_tainted_sanitised():
    count = int(request.args["n"])
    # ok: exec-used
    exec(f"total = {count} * 2")
    statement = request.args["stmt"]
    if statement in ALLOWED_STATEMENTS:
        # ok: exec-used
        exec(statement)


@api.get("/items/{item_id}")
async def ok_typed_route_parameter(item_id: int):
    # ok: exec-used
    exec(f"selected = {item_id}")


async def bad_exec_in_executor(loop, source):
    # ruleid: exec-used
    await loop.run_in_executor(None, exec, source)


def bad_exec_as_thread_target(source):
    import threading

    # ruleid: exec-used
    threading.Thread(target=exec, args=(source,)).start()


async def ok_executor_with_literal(loop, pool):
    # auditid: exec-used
    await loop.run_in_executor(None, exec, "print('ready')")
    # ok: exec-used
    pool.submit(print, "exec")
