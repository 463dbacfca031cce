import getpass
import hashlib
import hashlib as hl
import os
from hashlib import md5 as digest_md5

import bcrypt
from Crypto.Protocol.KDF import PBKDF2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.contrib.auth.hashers import make_password
from flask import request

SALT = b"static-salt-1234"


def bad_sha256_password(password):
    # ruleid: weak-password-hashing
    return hashlib.sha256(password.encode()).hexdigest()


def bad_md5_alias(user):
    # ruleid: weak-password-hashing
    return digest_md5(user.password.encode("utf-8")).hexdigest()


def bad_salted_fast_hash(salt, passwd):
    # ruleid: weak-password-hashing
    return hl.sha512((salt + passwd).encode()).hexdigest()


def bad_request_password():
    # ruleid: weak-password-hashing
    return hashlib.sha1(request.form["password"].encode()).hexdigest()


def bad_getpass():
    secret = getpass.getpass("Passphrase: ")
    # ruleid: weak-password-hashing
    return hashlib.new("sha256", secret.encode()).hexdigest()


def bad_update(pwd):
    h = hashlib.sha256()
    # ruleid: weak-password-hashing
    h.update(pwd.encode())
    return h.hexdigest()


def bad_low_iterations(password):
    salt = os.urandom(16)
    # ruleid: weak-password-hashing
    return hashlib.pbkdf2_hmac("sha256", password, salt, 1000)


def bad_constant_salt(password):
    # ruleid: weak-password-hashing
    return hashlib.pbkdf2_hmac("sha256", password, SALT, 600_000)


def bad_cryptography_kdf():
    return PBKDF2HMAC(
        algorithm=hashes.SHA256(),
        length=32,
        # ruleid: weak-password-hashing
        salt=b"0000000000000000",
        # ruleid: weak-password-hashing
        iterations=10_000,
    )


def bad_pycryptodome_default_count(password):
    salt = os.urandom(16)
    # ruleid: weak-password-hashing
    return PBKDF2(password, salt, dkLen=32)


def bad_scrypt_salt(password):
    # ruleid: weak-password-hashing
    return hashlib.scrypt(password, salt=b"salt", n=2**14, r=8, p=1)


def bad_bcrypt_rounds(password):
    # ruleid: weak-password-hashing
    return bcrypt.hashpw(password, bcrypt.gensalt(rounds=4))


def bad_django_salt(password):
    # ruleid: weak-password-hashing
    return make_password(password, salt="fixed-salt")


def bad_multiline(password):
    # ruleid: weak-password-hashing
    return hashlib.sha256(
        password.encode(),
    ).hexdigest()


def ok_password_hashes(password):
    salt = os.urandom(16)
    # ok: weak-password-hashing
    a = hashlib.pbkdf2_hmac("sha256", password, salt, 600_000)
    # ok: weak-password-hashing
    b = bcrypt.hashpw(password, bcrypt.gensalt())
    # ok: weak-password-hashing
    c = bcrypt.gensalt(12)
    # ok: weak-password-hashing
    d = hashlib.scrypt(password, salt=salt, n=2**14, r=8, p=1)
    # ok: weak-password-hashing
    e = make_password(password)
    # ok: weak-password-hashing
    f = PBKDF2(password, salt, 32, count=1_000_000)
    return a, b, c, d, e, f


def ok_not_a_password(data, user):
    # ok: weak-password-hashing
    a = hashlib.sha256(data).hexdigest()
    # ok: weak-password-hashing
    b = hashlib.sha256(str(user.password_changed_at).encode()).hexdigest()
    # ok: weak-password-hashing
    c = hashlib.md5(b"password").hexdigest()
    # ok: weak-password-hashing
    d = hashlib.sha256(user.reset_token.encode()).hexdigest()
    return a, b, c, d


def ok_unknown_iterations(password, salt, rounds):
    # ok: weak-password-hashing
    return hashlib.pbkdf2_hmac("sha256", password, salt, rounds)
