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
    # ok: exec-used
    exec("import this")
    # ok: exec-used
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
