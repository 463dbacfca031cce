import os

import hashids
from django.conf import settings
from flask import Flask, current_app
from hashids import Hashids
from hashids import Hashids as H

app = Flask(__name__)


def bad_django():
    # ruleid: hashids-with-secret-key
    return Hashids(salt=settings.SECRET_KEY, min_length=8)


def bad_positional():
    # ruleid: hashids-with-secret-key
    return H(settings.SECRET_KEY)


def bad_flask():
    # ruleid: hashids-with-secret-key
    a = hashids.Hashids(salt=app.secret_key)
    # ruleid: hashids-with-secret-key
    b = Hashids(salt=current_app.config["SECRET_KEY"])
    return a, b


def bad_through_variable():
    salt = settings.SECRET_KEY[:16]
    # ruleid: hashids-with-secret-key
    return Hashids(salt=salt)


def bad_environment():
    # ruleid: hashids-with-secret-key
    return Hashids(os.environ["SECRET_KEY"], 8)


def bad_multiline():
    # ruleid: hashids-with-secret-key
    return Hashids(
        min_length=8,
        salt=settings.SECRET_KEY,
    )


def ok_own_salt():
    # ok: hashids-with-secret-key
    a = Hashids(salt=settings.HASHIDS_SALT, min_length=8)
    # ok: hashids-with-secret-key
    b = Hashids(salt=os.environ["HASHIDS_SALT"])
    # ok: hashids-with-secret-key
    c = Hashids(min_length=8)
    return a, b, c


def ok_literal_salt():
    # ok: hashids-with-secret-key
    return Hashids("this is my salt")


def ok_other_class(Encoder):
    # ok: hashids-with-secret-key
    return Encoder(salt=settings.SECRET_KEY)
