import getpass
import hashlib
import hashlib as hl
import os
import secrets
import sys
from hashlib import md5 as digest_md5

import bcrypt
from Crypto.Protocol.KDF import PBKDF2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django import forms
from django.contrib.auth import hashers as dj_hashers
from django.contrib.auth import password_validation
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password as check_pw
from django.db import models
from django.utils.crypto import get_random_string
from flask import request
from rest_framework.views import APIView

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


# --- Django: unvalidated, empty and empty-default passwords ---


def bad_unvalidated_request_password(request):
    user = request.user
    # ruleid: weak-password-hashing
    user.set_password(request.POST["new_password"])
    user.save()


def bad_unvalidated_parameter(user, new_password):
    # ruleid: weak-password-hashing
    user.set_password(new_password)
    user.save()


def bad_unvalidated_multiline(request):
    # ruleid: weak-password-hashing
    request.user.set_password(
        request.POST.get("password1"),
    )


class ChangePasswordView(APIView):
    def post(self, request):
        # ruleid: weak-password-hashing
        request.user.set_password(request.data["password"])
        request.user.save()


def bad_command_line_password():
    user = User.objects.get(username=sys.argv[1])
    # ruleid: weak-password-hashing
    user.set_password(sys.argv[2])
    user.save()


def bad_raw_post_after_form(request):
    form = SetPasswordForm(request.user, request.POST)
    if form.is_valid():
        # ruleid: weak-password-hashing
        request.user.set_password(request.POST["new_password1"])


class ResetSerializer:
    def save(self):
        user = self.context["user"]
        # ruleid: weak-password-hashing
        user.set_password(raw_password=self.validated_data["password"])
        return user


def bad_empty_password(user):
    # ruleid: weak-password-hashing
    user.set_password("")
    user.save()


def bad_empty_through_name(user):
    blank = ""
    # ruleid: weak-password-hashing
    user.set_password(blank)


def bad_make_password_empty():
    # ruleid: weak-password-hashing
    return make_password("")


def bad_make_password_alias():
    # ruleid: weak-password-hashing
    return dj_hashers.make_password(password="")


def bad_create_user_empty(username, email):
    return User.objects.create_user(
        username,
        email,
        # ruleid: weak-password-hashing
        password="",
    )


def bad_create_superuser_empty():
    # ruleid: weak-password-hashing
    User.objects.create_superuser("admin", "admin@example.com", password="")


# ruleid: weak-password-hashing
def bad_password_default(username, password=""):
    return User.objects.create_user(username, password=password)


# ruleid: weak-password-hashing
def bad_make_password_default(pwd=""):
    check_pw(pwd)
    return make_password(pwd), make_password(pwd)


def bad_request_default(request):
    # ruleid: weak-password-hashing
    new_password = request.POST.get("password", "")
    request.user.set_password(new_password)
    request.user.save()


class Account(models.Model):
    # ruleid: weak-password-hashing
    password = models.CharField(max_length=128, default="")
    # ok: weak-password-hashing
    backup_password = models.CharField(max_length=128, null=True, default=None)
    # ok: weak-password-hashing
    nickname = models.CharField(max_length=30, default="")


def ok_validated(request):
    password = request.POST["password"]
    check_pw(password, request.user)
    # ok: weak-password-hashing
    request.user.set_password(password)


def ok_validated_module(user, password):
    try:
        password_validation.validate_password(password, user)
    except forms.ValidationError:
        return False
    # ok: weak-password-hashing
    user.set_password(password)
    return True


def ok_form_cleaned_data(request):
    form = SetPasswordForm(request.user, request.POST)
    if form.is_valid():
        # ok: weak-password-hashing
        request.user.set_password(form.cleaned_data["new_password1"])


def ok_serializer_validated(request):
    serializer = RegisterSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    # ok: weak-password-hashing
    request.user.set_password(serializer.validated_data["password"])


class SignupForm(forms.Form):
    def save(self):
        user = User(username=self.cleaned_data["username"])
        password = self.cleaned_data["password1"]
        # ok: weak-password-hashing
        user.set_password(password)
        return user


class RegisterSerializer:
    def validate_password(self, value):
        check_pw(value)
        return value

    def create(self, validated_data):
        user = User(username=validated_data["username"])
        # ok: weak-password-hashing
        user.set_password(validated_data["password"])
        return user


def ok_unusable(user):
    # ok: weak-password-hashing
    user.set_password(None)
    # ok: weak-password-hashing
    user.set_unusable_password()


def ok_generated(user):
    # ok: weak-password-hashing
    user.set_password(get_random_string(16))
    temporary = secrets.token_urlsafe(12)
    # ok: weak-password-hashing
    user.set_password(temporary)


class AccountManager(BaseUserManager):
    def create_user(self, email, password=None):
        user = self.model(email=email)
        # ok: weak-password-hashing
        user.set_password(password)
        return user


# ok: weak-password-hashing
def ok_none_default(username, password=None):
    # ok: weak-password-hashing
    return User.objects.create_user(username, password=password)


def ok_make_password_none():
    # ok: weak-password-hashing
    return make_password(None)


# ok: weak-password-hashing
def ok_connect_default(host, password=""):
    return {"host": host, "password": password}


def ok_default_reassigned(username, password=""):
    if not password:
        password = None
    # ok: weak-password-hashing
    return User.objects.create_user(username, password=password)
