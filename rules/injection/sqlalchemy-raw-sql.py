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


def ok_whole_statements_belong_to_pgi001(session, name):
    # sql-string-built-query reports these; this rule stays silent.
    # ok: sqlalchemy-raw-sql
    session.execute(text(f"SELECT * FROM users WHERE name = '{name}'"))
    # ok: sqlalchemy-raw-sql
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
