import marshal
import marshal as m
from marshal import loads as marshal_loads, dumps


def bad_loads(blob):
    # ruleid: marshal-load
    return marshal.loads(blob)


def bad_load_file(path):
    with open(path, "rb") as handle:
        # ruleid: marshal-load
        return marshal.load(handle)


def bad_alias(request):
    # ruleid: marshal-load
    return m.loads(request.body)


def bad_from_import(sock):
    # ruleid: marshal-load
    return marshal_loads(sock.recv(1024))


def bad_function_import(blob):
    from marshal import loads

    # ruleid: marshal-load
    return loads(
        blob,
    )


def ok_dump(code, handle):
    # ok: marshal-load
    marshal.dump(code, handle)
    # ok: marshal-load
    return dumps(code)


def ok_marshal_dumps(value):
    # ok: marshal-load
    return m.dumps(value)


def ok_other_loads(json, text):
    # ok: marshal-load
    return json.loads(text)
