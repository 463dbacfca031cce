import dataclasses
import datetime

import jwt
from django.forms.models import model_to_dict
from jose import jwt as jose_jwt

KEY = "loaded-elsewhere"


def bad_password_claim(user):
    return jwt.encode(
        # ruleid: jwt-sensitive-payload
        {"sub": user.id, "password": user.password},
        KEY,
        algorithm="HS256",
    )


def bad_payload_variable(user):
    payload = {
        "sub": user.id,
        # ruleid: jwt-sensitive-payload
        "api_key": user.api_key,
        # ruleid: jwt-sensitive-payload
        "ssn": user.ssn,
    }
    return jwt.encode(payload, KEY, algorithm="HS256")


def bad_dict_call(user):
    # ruleid: jwt-sensitive-payload
    return jose_jwt.encode(dict(sub=user.id, client_secret=user.client_secret), KEY)


def bad_subscript_store(user):
    claims = {"sub": user.id}
    # ruleid: jwt-sensitive-payload
    claims["password"] = user.password
    return jwt.encode(claims, KEY, algorithm="HS256")


def bad_whole_object(user):
    # ruleid: jwt-sensitive-payload
    a = jwt.encode(user.__dict__, KEY, algorithm="HS256")
    # ruleid: jwt-sensitive-payload
    b = jwt.encode(model_to_dict(user), KEY, algorithm="HS256")
    # ruleid: jwt-sensitive-payload
    c = jwt.encode(dataclasses.asdict(user), KEY, algorithm="HS256")
    return a, b, c


def ok_identifiers_only(user):
    payload = {
        # ok: jwt-sensitive-payload
        "sub": user.id,
        # ok: jwt-sensitive-payload
        "exp": datetime.datetime.now(tz=datetime.timezone.utc),
        # ok: jwt-sensitive-payload
        "token_type": "access",
        # ok: jwt-sensitive-payload
        "password_changed_at": user.password_changed_at.isoformat(),
        # ok: jwt-sensitive-payload
        "has_password": user.has_usable_password(),
        # ok: jwt-sensitive-payload
        "password": None,
    }
    return jwt.encode(payload, KEY, algorithm="HS256")


def ok_refresh_token_claim(user, refresh):
    # ok: jwt-sensitive-payload
    return jwt.encode({"sub": user.id, "refresh_token_id": refresh.id}, KEY, algorithm="HS256")


def ok_not_jwt(codec, user):
    # ok: jwt-sensitive-payload
    a = codec.encode({"password": user.password})
    # ok: jwt-sensitive-payload
    b = "text".encode("utf-8")
    return a, b


def ok_decode(token):
    # ok: jwt-sensitive-payload
    return jwt.decode(token, KEY, algorithms=["HS256"])
