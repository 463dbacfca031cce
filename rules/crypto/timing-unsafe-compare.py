import base64
import hashlib
import hmac
import hmac as hm
import inspect
import os
import signal

from django.conf import settings
from flask import abort, request

API_KEY = os.environ["API_KEY"]


def bad_computed_mac(key, body, received):
    expected = hmac.new(key, body, hashlib.sha256).hexdigest()
    # ruleid: timing-unsafe-compare
    if expected != received:
        abort(403)


def bad_inline_mac(key, body, received):
    # ruleid: timing-unsafe-compare
    return received == hm.new(key, body, "sha256").digest()


def bad_mac_object(key, body, received):
    mac = hmac.new(key, body, hashlib.sha256)
    # ruleid: timing-unsafe-compare
    return mac.hexdigest() == received


def bad_signature_names(payload, signature, expected_signature):
    # ruleid: timing-unsafe-compare
    return signature == expected_signature


def bad_header_signature(key, body):
    digest = hashlib.sha256(key + body).hexdigest()
    # ruleid: timing-unsafe-compare
    if request.headers["X-Hub-Signature"] != digest:
        abort(403)


def bad_api_key_from_request():
    # ruleid: timing-unsafe-compare
    if request.headers.get("X-Api-Key") != API_KEY:
        abort(401)


def bad_token_from_request(user):
    # ruleid: timing-unsafe-compare
    return user.reset_token == request.args.get("token")


def bad_settings_token(token):
    # ruleid: timing-unsafe-compare
    return settings.WEBHOOK_SECRET == request.form["secret"]


def bad_multiline(key, body, received):
    return (
        # ruleid: timing-unsafe-compare
        hmac.new(key, body, hashlib.sha256).hexdigest()
        == received
    )


def ok_compare_digest(key, body, received):
    expected = hmac.new(key, body, hashlib.sha256).hexdigest()
    # ok: timing-unsafe-compare
    return hmac.compare_digest(expected, received)


def ok_none_literals_lengths(signature, token, token_type):
    # ok: timing-unsafe-compare
    a = signature == None  # noqa: E711
    # ok: timing-unsafe-compare
    b = signature != ""
    # ok: timing-unsafe-compare
    c = len(signature) == 64
    # ok: timing-unsafe-compare
    d = token_type == "Bearer"
    # ok: timing-unsafe-compare
    e = token == "("
    return a, b, c, d, e


def ok_signal_and_inspect(sig, func, other):
    # ok: timing-unsafe-compare
    a = sig == signal.SIGTERM
    sig_a = inspect.signature(func)
    sig_b = inspect.signature(other)
    # ok: timing-unsafe-compare
    b = sig_a == sig_b
    return a, b


def ok_words_after_the_term(sig_encoding, encoding, signature_version, version, sig_type):
    # ok: timing-unsafe-compare
    a = sig_encoding == encoding
    # ok: timing-unsafe-compare
    b = signature_version != version
    # ok: timing-unsafe-compare
    c = sig_type != encoding
    return a, b, c


def ok_password_confirmation(password, confirm_password, password1, password2):
    # ok: timing-unsafe-compare
    a = password != confirm_password
    # ok: timing-unsafe-compare
    b = password1 == password2
    return a, b


def ok_parser_tokens(token, tokens, index):
    # ok: timing-unsafe-compare
    return token == tokens[index]


def ok_checksum(data, expected_sha256):
    # A published checksum is not a secret.
    # ok: timing-unsafe-compare
    return hashlib.sha256(data).hexdigest() == expected_sha256


def ok_unrelated(a, b, user):
    # ok: timing-unsafe-compare
    x = a == b
    # ok: timing-unsafe-compare
    y = user.mac_address == a
    return x, y


def ok_test_assert(key, body, sig):
    # ok: timing-unsafe-compare
    assert hmac.new(key, body, hashlib.sha256).hexdigest() == sig


class Token:
    def __init__(self, signature):
        self.signature = signature

    def __eq__(self, other):
        # ok: timing-unsafe-compare
        return self.signature == other.signature


def bad_bytes_signature(key, body):
    expected = hmac.new(key, body, hashlib.sha256).digest()
    # ruleid: timing-unsafe-compare
    if expected != base64.b64decode(request.headers["X-Signature"]):
        abort(403)
    # ruleid: timing-unsafe-compare
    return hm.digest(key, body, "sha256") == bytes.fromhex(request.args["mac"])
