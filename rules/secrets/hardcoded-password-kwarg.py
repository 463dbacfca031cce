import os
import boto3
import psycopg2 as pg
from smtplib import SMTP
from requests.auth import HTTPBasicAuth


def bad_connect():
    # ruleid: hardcoded-password-kwarg
    return pg.connect(host="db", user="app", password="s3cr3t-Pa55!")


def bad_multiline():
    return pg.connect(
        host="db",
        user="app",
        # ruleid: hardcoded-password-kwarg
        passwd="hunter2!x",
    )


def bad_login(server: SMTP):
    # ruleid: hardcoded-password-kwarg
    server.login(user="ops", pwd="Tr0ub4dor&3")


def bad_clients(Client, Api):
    # ruleid: hardcoded-password-kwarg
    a = Client(api_key="9f2c4e7a1b3d5f60")
    # ruleid: hardcoded-password-kwarg
    b = Api(auth_token="q8Zt2vNw5KpL0xRb", timeout=5)
    # ruleid: hardcoded-password-kwarg
    c = Api(clientSecret="mK93jdL2pQ7wZ")
    # ruleid: hardcoded-password-kwarg
    d = dict(user="root", password="rootPW_2023!")
    return a, b, c, d


def bad_function_level_import():
    import pymysql

    # ruleid: hardcoded-password-kwarg
    return pymysql.connect(user="app", password="ch4ngedMe!")


def bad_aws_non_sdk(Vault):
    # Not an AWS SDK constructor, and not shaped like an AWS key: reported here.
    # ruleid: hardcoded-password-kwarg
    return Vault(aws_secret_access_key="hunter2!x")


def bad_weak_value(Client):
    # ruleid: hardcoded-password-kwarg
    return Client(password="admin")


def ok_labels(session, Column, Form):
    # ok: hardcoded-password-kwarg
    session.auth(token_type="Bearer")
    # ok: hardcoded-password-kwarg
    Column(name="password")
    # ok: hardcoded-password-kwarg
    Form(password="password")
    # ok: hardcoded-password-kwarg
    session.paginate(token="NextToken")
    # ok: hardcoded-password-kwarg
    session.grant(token="access")
    # ok: hardcoded-password-kwarg
    session.grant(token="refresh")
    # ok: hardcoded-password-kwarg
    Form(password_label="Enter your password")
    # ok: hardcoded-password-kwarg
    Form(password_field="password_input")
    # ok: hardcoded-password-kwarg
    session.fetch(token_url="https://auth.example.org/oauth/token")


def ok_placeholders(Client):
    # ok: hardcoded-password-kwarg
    Client(password="")
    # ok: hardcoded-password-kwarg
    Client(password="<password>")
    # ok: hardcoded-password-kwarg
    Client(password="***")
    # ok: hardcoded-password-kwarg
    Client(password="changeme")
    # ok: hardcoded-password-kwarg
    Client(api_key="your-api-key-here")
    # ok: hardcoded-password-kwarg
    Client(token="xxx")
    # ok: hardcoded-password-kwarg
    Client(secret="dummy")
    # ok: hardcoded-password-kwarg
    Client(password="%(password)s")


def ok_runtime(Client, secret_value, **options):
    # ok: hardcoded-password-kwarg
    Client(password=os.environ["DB_PASSWORD"])
    # ok: hardcoded-password-kwarg
    Client(password=os.getenv("DB_PASSWORD"))
    # ok: hardcoded-password-kwarg
    Client(password=secret_value)
    # ok: hardcoded-password-kwarg
    Client(password=f"{secret_value}")
    # ok: hardcoded-password-kwarg
    Client(password=None)
    # ok: hardcoded-password-kwarg
    Client(**options)
    # ok: hardcoded-password-kwarg
    HTTPBasicAuth("user", secret_value)


def ok_unrelated_keywords(Client):
    # ok: hardcoded-password-kwarg
    Client(bypass="r8Kd2mQx!")
    # ok: hardcoded-password-kwarg
    Client(tokenizer="bert-base-uncased")
    # ok: hardcoded-password-kwarg
    Client(passenger="Jane#Doe99")


def ok_owned_by_provider_key(Client):
    # Reported by hardcoded-provider-key, which names the provider.
    # ok: hardcoded-password-kwarg
    boto3.client("s3", aws_secret_access_key="hunter2!x")
    # ok: hardcoded-password-kwarg
    Client(token="ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d")


class Model(object, token="a7Fq29xLm0"):
    # A class keyword is not a call.
    # ok: hardcoded-password-kwarg
    pass
