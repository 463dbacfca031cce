import code
import json
from code import InteractiveConsole, InteractiveInterpreter as Interp

import _xxsubinterpreters as interpreters
import js2py
from js2py import EvalJs, eval_js


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
