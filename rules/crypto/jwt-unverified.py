import jwt
import jwt as pyjwt
from jose import jwt as jose_jwt
from jwt import PyJWT
from jwt import decode as jwt_decode


def bad_verify_false(token, key):
    # ruleid: jwt-unverified
    return jwt.decode(token, key, verify=False)


def bad_verify_false_positional(token, key):
    # PyJWT 1.x: decode(jwt, key, verify, ...)
    # ruleid: jwt-unverified
    return jwt.decode(token, key, False)


def bad_options(token):
    # ruleid: jwt-unverified
    return pyjwt.decode(token, options={"verify_signature": False})


def bad_options_variable(token, key):
    options = {"verify_signature": False, "verify_exp": True}
    # ruleid: jwt-unverified
    return jwt_decode(token, key, algorithms=["HS256"], options=options)


def bad_options_dict_call(token, key):
    # ruleid: jwt-unverified
    return jwt.decode(token, key, ["HS256"], dict(verify_signature=False))


def bad_none_algorithm(token, key):
    # ruleid: jwt-unverified
    return jwt.decode(token, key, algorithms=["HS256", "none"])


def bad_none_encode(payload):
    # ruleid: jwt-unverified
    a = jwt.encode(payload, None, algorithm="none")
    # ruleid: jwt-unverified
    b = jwt.encode(payload, "", "None")
    return a, b


def bad_jose(token, key):
    # ruleid: jwt-unverified
    return jose_jwt.decode(token, key, options={"verify_signature": False})


def bad_instance(token):
    decoder = PyJWT()
    # ruleid: jwt-unverified
    return decoder.decode(token, options={"verify_signature": False})


def bad_multiline(token):
    # ruleid: jwt-unverified
    return jwt.decode(
        token,
        options={
            "verify_signature": False,
        },
    )


def bad_function_import(token):
    from jwt.api_jwt import decode_complete

    # ruleid: jwt-unverified
    return decode_complete(token, options={"verify_signature": False})


def ok_verified(token, key):
    # ok: jwt-unverified
    a = jwt.decode(token, key, algorithms=["HS256"])
    # ok: jwt-unverified
    b = jwt.decode(token, key, algorithms=["RS256"], options={"verify_signature": True})
    # ok: jwt-unverified
    c = jwt.decode(token, key, verify=True, algorithms=["HS256"])
    # ok: jwt-unverified
    d = jwt.encode({"sub": "1"}, key, algorithm="HS256")
    return a, b, c, d


def ok_other_options(token, key):
    # Turning off expiry checks is a different concern.
    # ok: jwt-unverified
    return jwt.decode(token, key, algorithms=["HS256"], options={"verify_exp": False})


def ok_unverified_header(token):
    # ok: jwt-unverified
    return jwt.get_unverified_header(token)


def ok_other_decode(data, codec):
    # ok: jwt-unverified
    a = data.decode("utf-8")
    # ok: jwt-unverified
    b = codec.decode(data, verify=False)
    return a, b


def low_read_then_verify(token, keys):
    # Reading `iss` to choose the key, then verifying: reported at low confidence only.
    # ruleid: jwt-unverified
    unverified = jwt.decode(token, options={"verify_signature": False})
    key = keys[unverified["iss"]]
    # ok: jwt-unverified
    return jwt.decode(token, key, algorithms=["RS256"])
