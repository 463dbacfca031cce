import ast
import builtins

import pandas as pd
from builtins import eval as evaluate

DEFAULT = "1 + 2"


def bad_parameter(expression):
    # ruleid: eval-used
    return eval(expression)


def bad_fstring(field, value):
    # ruleid: eval-used
    return eval(f"record.{field} == {value}")


def bad_concatenation(name):
    # ruleid: eval-used
    return eval("settings." + name)


def bad_request(request):
    # ruleid: eval-used
    return eval(request.GET["q"], {"__builtins__": {}})


def bad_builtins_module(text):
    # ruleid: eval-used
    a = builtins.eval(text)
    # ruleid: eval-used
    b = evaluate(text)
    return a, b


def bad_compiled(text):
    # ruleid: eval-used
    return eval(compile(text, "<input>", "eval"))


def bad_multiline(a, b):
    # ruleid: eval-used
    return eval(
        "%s * %s" % (a, b),
    )


def bad_from_file():
    # ruleid: eval-used
    return eval(open("defaults.txt").read())


def ok_literal():
    # auditid: eval-used
    a = eval("1 + 2")
    # auditid: eval-used
    b = eval(DEFAULT)
    # auditid: eval-used
    c = eval(compile("[1, 2]", "<const>", "eval"))
    return a, b, c


def ok_fstring_without_placeholders():
    # auditid: eval-used
    return eval(f"40 + 2")


def ok_literal_eval(text):
    # ok: eval-used
    return ast.literal_eval(text)


def ok_model_eval(model):
    # ok: eval-used
    model.eval()


def ok_pandas_eval(df, expression):
    # ok: eval-used
    a = pd.eval(expression)
    # ok: eval-used
    b = df.eval(expression)
    return a, b


def ok_shadowed(text):
    def eval(value):
        return value

    # ok: eval-used
    return eval(text)


from flask import Flask, request

app = Flask(__name__)


@app.route("/calc")
def bad_tainted_route():
    expression = request.args.get("expr", "")
    cleaned = expression.strip()
    # ruleid: eval-used
    return str(eval(cleaned))


def evaluate_for(text):
    # ruleid: eval-used
    return eval(text)


@app.route("/calc2")
def bad_tainted_through_helper():
    return evaluate_for(request.form["expr"])
