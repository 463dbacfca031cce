import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import literal_column, select, text
from sqlalchemy import text as sql_text

from myapp.models import User

db = SQLAlchemy()
SORTS = {"name": "users.name", "newest": "users.created_at DESC"}


def bad_filter_text(session, name):
    # ruleid: sqlalchemy-raw-sql
    return session.query(User).filter(text(f"name = '{name}'")).all()


def bad_where_text_alias(session, email):
    # ruleid: sqlalchemy-raw-sql
    stmt = select(User).where(sql_text("email = '" + email + "'"))
    return session.scalars(stmt).all()


def bad_order_by_text(session, sort):
    # ruleid: sqlalchemy-raw-sql
    return session.query(User).order_by(text("{} DESC".format(sort))).all()


def bad_literal_column(column):
    # ruleid: sqlalchemy-raw-sql
    return select(literal_column(f"users.{column}"))


def bad_plain_string_filter(session, status):
    # SQLAlchemy 1.x coerced plain strings into SQL text.
    # ruleid: sqlalchemy-raw-sql
    return session.query(User).filter("status = '%s'" % status).all()


def bad_plain_string_order_by(query, field):
    # ruleid: sqlalchemy-raw-sql
    return query.order_by(f"{field} desc")


def bad_exec_driver_sql(conn, table):
    # ruleid: sqlalchemy-raw-sql
    conn.exec_driver_sql(f"TRUNCATE {table}")


def bad_flask_sqlalchemy_text(term):
    # ruleid: sqlalchemy-raw-sql
    return User.query.filter(db.text(f"bio LIKE '%{term}%'")).all()


def bad_text_from_request(session, request):
    # ruleid: sqlalchemy-raw-sql
    return session.query(User).filter(sa.text(request.args["where"])).all()


def bad_multiline(session, role):
    # ruleid: sqlalchemy-raw-sql
    condition = text(
        "role = '" + role + "'"
    )
    return session.query(User).filter(condition).all()


def bad_whole_statements_also_reported_by_pgi001(session, name):
    # sql-string-built-query reports these too; the scan shows one finding (PGI001 leads), and
    # with PGI001 disabled this rule's finding remains.
    # ruleid: sqlalchemy-raw-sql
    session.execute(text(f"SELECT * FROM users WHERE name = '{name}'"))
    # ruleid: sqlalchemy-raw-sql
    session.execute(f"DELETE FROM users WHERE name = '{name}'")


def ok_bind_parameters(session, name, pk):
    # ok: sqlalchemy-raw-sql
    session.query(User).filter(text("name = :name").bindparams(name=name)).all()
    # ok: sqlalchemy-raw-sql
    session.execute(text("SELECT * FROM users WHERE id = :id"), {"id": pk})
    # ok: sqlalchemy-raw-sql
    select(User).where(text(":bind > 0"))


def ok_orm_expressions(session, name, sort):
    # ok: sqlalchemy-raw-sql
    session.query(User).filter(User.name == name).all()
    # ok: sqlalchemy-raw-sql
    session.query(User).order_by(User.created_at.desc()).all()
    # ok: sqlalchemy-raw-sql
    session.query(User).filter(User.name.like(f"%{name}%")).all()
    # ok: sqlalchemy-raw-sql
    session.query(User).order_by("name").all()
    # ok: sqlalchemy-raw-sql
    session.query(User).order_by(text(SORTS[sort])).all()


def ok_dynamic_helpers(session, query):
    # A helper running SQL it was given: the caller decides; not reported unless it reads input.
    # ok: sqlalchemy-raw-sql
    return session.execute(query)


# Dataflow: outside input reaching SQL text.
import sys

from fastapi import FastAPI
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()


@app.route("/users")
def bad_tainted_flask(session):
    name = request.args["name"]
    # ruleid: sqlalchemy-raw-sql
    session.query(User).filter(text(f"name = '{name}'")).all()
    # A plain string in order_by(): SQLAlchemy 1.x runs it as SQL.
    # ruleid: sqlalchemy-raw-sql
    session.query(User).order_by(request.args["sort"]).all()
    where = request.get_json()["where"]
    # ruleid: sqlalchemy-raw-sql
    return session.scalars(select(User).where(sql_text(where))).all()


def bad_tainted_django_view(request, slug):
    # ruleid: sqlalchemy-raw-sql
    return select(User).where(text("slug = '" + slug + "'"))


@api.get("/columns")
async def bad_tainted_fastapi(column: str):
    # ruleid: sqlalchemy-raw-sql
    return select(literal_column(column))


def handler(event, context):
    conn = sa.create_engine("sqlite://").connect()
    # ruleid: sqlalchemy-raw-sql
    conn.exec_driver_sql(event["sql"])


def bad_tainted_command_line(session):
    # ruleid: sqlalchemy-raw-sql
    return session.query(User).filter(text(sys.argv[1])).all()


@app.route("/safe")
def ok_tainted_bound(session):
    # ok: sqlalchemy-raw-sql
    session.query(User).filter(text("name = :name").bindparams(name=request.args["n"])).all()
    # ok: sqlalchemy-raw-sql
    session.execute(text("SELECT * FROM users WHERE id = :id"), {"id": request.args["id"]})
    # ok: sqlalchemy-raw-sql
    session.query(User).filter(User.name == request.args["n"]).all()
    # ok: sqlalchemy-raw-sql
    session.query(User).filter(User.name.like(f"%{request.args['n']}%")).all()


@app.route("/checked")
def ok_tainted_sanitised(session):
    limit = int(request.args["limit"])
    # ok: sqlalchemy-raw-sql
    session.query(User).filter(text(f"id < {limit}")).all()
    sort = request.args["sort"]
    if sort in SORTS:
        # ok: sqlalchemy-raw-sql
        session.query(User).order_by(text(sort)).all()


@app.route("/statements")
def bad_tainted_statements_also_reported_by_pgi001(session):
    # sql-string-built-query reports these too (one finding when both rules run).
    # ruleid: sqlalchemy-raw-sql
    session.execute(request.args["q"])
    # ruleid: sqlalchemy-raw-sql
    session.execute(text(f"SELECT * FROM users WHERE name = '{request.args['n']}'"))


@api.get("/users/{pk}")
async def ok_typed_route_parameter(session, pk: int):
    # ok: sqlalchemy-raw-sql
    return session.query(User).filter(text(f"id = {pk}")).all()
