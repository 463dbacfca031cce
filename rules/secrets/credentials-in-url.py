"""Connection helpers.

Example: postgresql://app:Xk93fLq2zz@db.prod.corp/app is the format (ok: docstrings are docs).
"""

import os

import requests
from sqlalchemy import create_engine

# ruleid: credentials-in-url
DATABASE_URL = "postgresql://app:Xk93!fLq2@db.prod.corp.net:5432/app"

# ruleid: credentials-in-url
BROKER_URL = "amqp://worker:Tr0ub4dor3@mq.corp.net//"


def bad_requests():
    # ruleid: credentials-in-url
    return requests.get("https://deploy:9f2c4e7a1b3d5f60@api.corp.net/v1/status", timeout=5)


def bad_redis_password_only():
    # ruleid: credentials-in-url
    return "redis://:Sup3rS3cret!@cache.corp.net:6379/0"


def bad_local_defaults():
    # Well-known defaults on local hosts are still reported, at low confidence.
    # ruleid: credentials-in-url
    a = create_engine("postgresql://postgres:postgres@localhost/app")
    # ruleid: credentials-in-url
    b = "amqp://guest:guest@rabbitmq:5672//"
    return a, b


def bad_concatenated():
    # ruleid: credentials-in-url
    return create_engine("mysql+pymysql://reporting:Qw7!zR2@" "mysql.corp.net/reports")


def bad_fstring_with_literal_password(host):
    # ruleid: credentials-in-url
    return f"postgresql://app:Xk93!fLq2@{host}/app"


def bad_multiline():
    return create_engine(
        # ruleid: credentials-in-url
        "postgresql://app:Xk93!fLq2@db.prod.corp.net/app",
        pool_size=5,
    )


def ok_templates(user, password, host):
    # ok: credentials-in-url
    a = f"postgresql://{user}:{password}@{host}/app"
    # ok: credentials-in-url
    b = "postgresql://{user}:{password}@{host}/app".format(user=user, password=password, host=host)
    # ok: credentials-in-url
    c = "postgresql://%(user)s:%(password)s@%(host)s/app" % {"user": user, "password": password, "host": host}
    # ok: credentials-in-url
    d = "postgresql://app:${DB_PASSWORD}@db/app"
    return a, b, c, d


def ok_placeholders():
    # ok: credentials-in-url
    a = "postgresql://user:password@localhost/app"
    # ok: credentials-in-url
    b = "mysql://username:<password>@host/db"
    # ok: credentials-in-url
    c = "https://user:***@example.com/"
    # ok: credentials-in-url
    d = "https://alice:Xk93!fLq2@example.com/private"
    # ok: credentials-in-url
    e = "http://foo:bar@proxy.corp.net:3128/"
    return a, b, c, d, e


def ok_no_password():
    # ok: credentials-in-url
    a = "ssh://git@github.com/org/repo.git"
    # ok: credentials-in-url
    b = "https://user@host.corp.net/path"
    # ok: credentials-in-url
    c = "https://api.corp.net:8443/v1"
    return a, b, c


def ok_environment():
    # ok: credentials-in-url
    return create_engine(os.environ["DATABASE_URL"])


def ok_comment():
    # A comment is not a literal: postgresql://app:Xk93!fLq2@db.prod.corp.net/app
    # ok: credentials-in-url
    return None
