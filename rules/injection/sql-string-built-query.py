import logging
import sqlite3

import pandas as pd
import sqlalchemy
from pandas import read_sql_query as rsq
from psycopg import sql
from sqlalchemy import text
from sqlalchemy import text as sa_text

log = logging.getLogger(__name__)

TABLES = {"users": "app_users", "groups": "app_groups"}
SORT_COLUMNS = ("name", "created_at")


def bad_fstring(cur, name):
    # ruleid: sql-string-built-query
    cur.execute(f"SELECT * FROM users WHERE name = '{name}'")


def bad_concatenation(conn, user_id):
    # ruleid: sql-string-built-query
    conn.execute("DELETE FROM sessions WHERE user_id = " + user_id)


def bad_percent(cursor, email):
    # ruleid: sql-string-built-query
    cursor.execute("UPDATE users SET active = 0 WHERE email = '%s'" % email)


def bad_format(cursor, table, values):
    # ruleid: sql-string-built-query
    cursor.executemany("INSERT INTO {} VALUES({})".format(table, values), [])


def bad_variable(cur, name):
    query = f"SELECT id FROM users WHERE name = '{name}'"
    # ruleid: sql-string-built-query
    cur.execute(query)


def bad_multiline(cur, status):
    query = f"""
        SELECT id, name
          FROM orders
         WHERE status = '{status}'
    """
    # ruleid: sql-string-built-query
    cur.execute(
        query,
    )


def bad_values_without_space(db, row):
    # ruleid: sql-string-built-query
    db.executescript("INSERT INTO log(msg) VALUES('" + row + "');")


def bad_placeholder_between_select_and_from(cur, column, name):
    # ruleid: sql-string-built-query
    cur.execute(f"SELECT {column} FROM users WHERE name = '{name}'")


def bad_where_join(cur, conditions):
    # ruleid: sql-string-built-query
    cur.execute("SELECT * FROM items WHERE " + " AND ".join(conditions))


def bad_accumulated(cur, name):
    query = "SELECT * FROM users WHERE 1 = 1"
    if name:
        query += f" AND name = '{name}'"
    # ruleid: sql-string-built-query
    cur.execute(query)


def bad_reassigned(cur, user_id):
    query = "SELECT * FROM orders"
    query = query + " WHERE user_id = " + user_id
    # ruleid: sql-string-built-query
    cur.execute(query)


def ok_accumulated_literals(cur, name, params):
    query = "SELECT * FROM users WHERE 1 = 1"
    if name:
        query += " AND name = %s"
        params.append(name)
    # ok: sql-string-built-query
    cur.execute(query, params)


def bad_pandas(engine, region):
    # ruleid: sql-string-built-query
    a = pd.read_sql(f"SELECT * FROM sales WHERE region = '{region}'", engine)
    # ruleid: sql-string-built-query
    b = rsq(sql="SELECT * FROM sales WHERE region = '%s'" % region, con=engine)
    return a, b


def bad_sqlalchemy_text(session, name):
    # ruleid: sql-string-built-query
    session.execute(text(f"SELECT * FROM users WHERE name = '{name}'"))
    # ruleid: sql-string-built-query
    stmt = sa_text("DELETE FROM users WHERE name = '" + name + "'")
    # ruleid: sql-string-built-query
    stmt2 = sqlalchemy.text("SELECT * FROM t WHERE x = {}".format(name))
    return stmt, stmt2


def bad_engine_execute(db, table):
    # ruleid: sql-string-built-query
    db.engine.execute(f"DROP TABLE {table}")


def bad_identifier_without_params(cur, table):
    # ruleid: sql-string-built-query
    cur.execute(f"SELECT * FROM {table}")


def bad_identifier_with_params(cur, table, user_id):
    # Only a table name is spliced in and the value goes as a parameter: reported at medium.
    # ruleid: sql-string-built-query
    cur.execute(f"SELECT * FROM {table} WHERE id = %s", (user_id,))


def bad_order_by_with_params(conn, column, direction, user_id):
    # ruleid: sql-string-built-query
    conn.execute(f"SELECT * FROM t WHERE owner = ? ORDER BY {column} {direction}", [user_id])


def bad_function_import(name):
    from sqlalchemy import text as t

    # ruleid: sql-string-built-query
    return t(f"SELECT * FROM users WHERE name = '{name}'")


def ok_parameters(cur, conn, session, name):
    # ok: sql-string-built-query
    cur.execute("SELECT * FROM users WHERE name = %s", (name,))
    # ok: sql-string-built-query
    conn.execute("SELECT * FROM users WHERE name = ?", (name,))
    # ok: sql-string-built-query
    session.execute(text("SELECT * FROM users WHERE name = :name"), {"name": name})
    # ok: sql-string-built-query
    cur.execute("SELECT * FROM users WHERE name = %(name)s", {"name": name})


def ok_fstring_without_placeholders(cur):
    # ok: sql-string-built-query
    cur.execute(f"SELECT * FROM users")


def ok_literal_concatenation(cur, user_id):
    query = "SELECT * FROM users " + "WHERE id = %s"
    # ok: sql-string-built-query
    cur.execute(query, (user_id,))


def ok_log_message(table, name):
    # ok: sql-string-built-query
    log.info(f"SELECT * FROM {table} WHERE name = {name} took too long")
    # ok: sql-string-built-query
    raise ValueError("could not DELETE FROM %s" % table)


def ok_psycopg_composition(cur, table, user_id):
    query = sql.SQL("SELECT * FROM {} WHERE id = %s").format(sql.Identifier(table))
    # ok: sql-string-built-query
    cur.execute(query, (user_id,))
    # ok: sql-string-built-query
    cur.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))


def ok_placeholder_list(cur, ids):
    marks = ",".join("?" * len(ids))
    # ok: sql-string-built-query
    cur.execute(f"SELECT * FROM users WHERE id IN ({marks})", ids)
    # ok: sql-string-built-query
    cur.execute("DELETE FROM users WHERE id IN (%s)" % ", ".join(["%s"] * len(ids)), ids)
    # ok: sql-string-built-query
    cur.execute("SELECT * FROM t WHERE id IN ({})".format(", ".join("%s" for _ in ids)), ids)


def ok_constant_table(cur, kind, index, limit):
    # ok: sql-string-built-query
    cur.execute(f"SELECT * FROM {TABLES[kind]} ORDER BY {SORT_COLUMNS[index]}")
    # ok: sql-string-built-query
    cur.execute(f"SELECT * FROM users LIMIT {int(limit)}")


def ok_branch_constants(cur, name, only_active):
    if only_active:
        clause = "AND active = 1"
    else:
        clause = ""
    # ok: sql-string-built-query
    cur.execute(f"SELECT * FROM users WHERE name = ? {clause}", (name,))


def ok_loop_over_constants(cur, indent):
    for verb in ("INSERT OR REPLACE", "REPLACE"):
        # ok: sql-string-built-query
        cur.execute(verb + " INTO t(id) VALUES (?)", (1,))
    # ok: sql-string-built-query
    cur.execute(" " * indent + "SELECT x FROM t")


def ok_not_sql(cur, command):
    # ok: sql-string-built-query
    cur.execute(f"PRAGMA journal_mode={command}")


def ok_sqlite_literal_script():
    conn = sqlite3.connect(":memory:")
    # ok: sql-string-built-query
    conn.executescript("CREATE TABLE t (id INTEGER); INSERT INTO t VALUES(1);")


def ok_other_call(name):
    # ok: sql-string-built-query
    print(f"SELECT * FROM users WHERE name = '{name}'")


# Dataflow: outside input reaching the SQL text.
import sys

from django.db import connection
from fastapi import FastAPI
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()
ALLOWED_COLUMNS = {"name", "created_at"}


@app.route("/users")
def bad_tainted_flask_args():
    name = request.args.get("name", "")
    query = "SELECT * FROM users WHERE name = '" + name + "'"
    cur = connection.cursor()
    # ruleid: sql-string-built-query
    cur.execute(query)


@app.route("/search", methods=["POST"])
def bad_tainted_flask_form_and_json():
    cur = connection.cursor()
    # ruleid: sql-string-built-query
    cur.execute("DELETE FROM t WHERE note = '%s'" % request.form["note"])
    payload = request.get_json()
    # ruleid: sql-string-built-query
    cur.execute(f"UPDATE t SET x = 1 WHERE k = '{payload['k']}'")


@app.route("/raw")
def bad_tainted_whole_query():
    cursor = connection.cursor()
    # A whole statement from the request: not "built", still injected.
    # ruleid: sql-string-built-query
    cursor.execute(request.args["q"])


@app.route("/sort")
def bad_tainted_identifier():
    column = request.args["sort"]
    cur = connection.cursor()
    # ruleid: sql-string-built-query
    cur.execute(f"SELECT * FROM users WHERE id = %s ORDER BY {column}", (1,))


def bad_tainted_django_view(request, slug):
    cur = connection.cursor()
    # ruleid: sql-string-built-query
    cur.execute("SELECT * FROM pages WHERE slug = '" + slug + "'")
    # ruleid: sql-string-built-query
    cur.execute(f"SELECT * FROM pages WHERE q = '{request.GET['q']}'")


@api.get("/items")
async def bad_tainted_fastapi(q: str):
    cur = connection.cursor()
    # ruleid: sql-string-built-query
    cur.execute("SELECT * FROM items WHERE title LIKE '%{}%'".format(q))


def handler(event, context):
    cur = connection.cursor()
    # ruleid: sql-string-built-query
    cur.execute(f"SELECT * FROM orders WHERE id = '{event['id']}'")


def bad_tainted_command_line():
    cur = connection.cursor()
    # ruleid: sql-string-built-query
    cur.execute("SELECT * FROM users WHERE name = '%s'" % sys.argv[1])


@app.route("/pandas")
def bad_tainted_read_sql():
    # ruleid: sql-string-built-query
    return pd.read_sql(request.args["sql"], connection)


@app.route("/params")
def ok_tainted_parameters_only():
    cur = connection.cursor()
    name = request.args["name"]
    # The values go to the driver: safe whatever they hold.
    # ok: sql-string-built-query
    cur.execute("SELECT * FROM users WHERE name = %s", (name,))
    # ok: sql-string-built-query
    cur.execute("SELECT * FROM users WHERE name = :name", {"name": request.args["name"]})
    # ok: sql-string-built-query
    cur.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(request.args["table"])))


@app.route("/clean")
def ok_tainted_sanitised():
    cur = connection.cursor()
    limit = int(request.args["limit"])
    # ok: sql-string-built-query
    cur.execute(f"SELECT * FROM users LIMIT {limit}")
    column = request.args["sort"]
    if column in ALLOWED_COLUMNS:
        # ok: sql-string-built-query
        cur.execute(f"SELECT * FROM users ORDER BY {column}")
    # ok: sql-string-built-query
    cur.execute("SELECT * FROM users WHERE 1 = 1")


@api.get("/items/{item_id}")
async def ok_typed_route_parameter(item_id: int):
    cur = connection.cursor()
    # ok: sql-string-built-query
    cur.execute(f"SELECT * FROM items WHERE id = {item_id}")


@app.route("/graphql", methods=["POST"])
def ok_graphql_query():
    import graphene

    schema = graphene.Schema()
    # Not SQL: a GraphQL schema runs the query it is sent, by design.
    # ok: sql-string-built-query
    return schema.execute(request.json["query"])


@app.route("/sql-session", methods=["POST"])
def bad_tainted_session_statement(db):
    # ruleid: sql-string-built-query
    return db.session.execute(request.form["statement"])


def bad_rebound_query(cur, name):
    query = "SELECT 1"
    # ok: sql-string-built-query
    cur.execute(query)
    query = "SELECT * FROM users WHERE name = '%s'" % name
    # ruleid: sql-string-built-query
    cur.execute(query)


def ok_rebound_to_constant(cur, name):
    query = "SELECT * FROM users WHERE name = '%s'" % name
    query = "SELECT * FROM users WHERE name = %s"
    # ok: sql-string-built-query
    cur.execute(query, (name,))


# Async and native PostgreSQL drivers (imported here to keep the lines above stable).
import asyncpg  # noqa: E402
import pg8000.native  # noqa: E402


async def bad_asyncpg_connection(name):
    conn = await asyncpg.connect("postgresql://localhost/app")
    # ruleid: sql-string-built-query
    rows = await conn.fetch(f"SELECT * FROM users WHERE name = '{name}'")
    # ruleid: sql-string-built-query
    await conn.fetchrow("SELECT * FROM users WHERE name = '%s'" % name)
    # ruleid: sql-string-built-query
    await conn.fetchval("SELECT count(*) FROM users WHERE name = '" + name + "'")
    # ok: sql-string-built-query
    await conn.fetch("SELECT * FROM users WHERE name = $1", name)
    return rows


async def bad_asyncpg_pool(pool, name):
    # ruleid: sql-string-built-query
    await pool.fetch(f"SELECT * FROM users WHERE name = '{name}'")
    async with pool.acquire() as connection:
        # ruleid: sql-string-built-query
        async for row in connection.cursor(f"SELECT * FROM users WHERE name = '{name}'"):
            print(row)
    # ok: sql-string-built-query
    await pool.fetchrow("SELECT * FROM users WHERE name = $1", name)


async def ok_asyncpg_look_alike(client, name):
    # ok: sql-string-built-query
    await client.fetch(f"https://example.com/users?name={name}")


def bad_pg8000_run(name):
    con = pg8000.native.Connection("app")
    # ruleid: sql-string-built-query
    con.run(f"SELECT * FROM users WHERE name = '{name}'")
    # ok: sql-string-built-query
    con.run("SELECT * FROM users WHERE name = :name", name=name)


def ok_run_look_alike(runner, name):
    # ok: sql-string-built-query
    runner.run(f"SELECT * FROM users WHERE name = '{name}'")


import databases  # noqa: E402
import duckdb  # noqa: E402


def bad_duckdb(name):
    con = duckdb.connect("analytics.duckdb")
    # ruleid: sql-string-built-query
    con.sql(f"SELECT * FROM events WHERE user_name = '{name}'")
    # ruleid: sql-string-built-query
    duckdb.query("SELECT * FROM events WHERE user_name = '%s'" % name)
    # ok: sql-string-built-query
    con.execute("SELECT * FROM events WHERE user_name = ?", [name])
    # ok: sql-string-built-query
    duckdb.sql("SELECT * FROM events WHERE user_name = $name", params={"name": name})


async def bad_databases_package(name):
    database = databases.Database("postgresql://localhost/app")
    # ruleid: sql-string-built-query
    await database.fetch_all(f"SELECT * FROM users WHERE name = '{name}'")
    # ruleid: sql-string-built-query
    await database.fetch_one(query="SELECT * FROM users WHERE name = '" + name + "'")
    # ok: sql-string-built-query
    await database.fetch_val("SELECT id FROM users WHERE name = :name", {"name": name})


def ok_query_look_alike(search, name):
    # ok: sql-string-built-query
    search.query(f"SELECT * FROM users WHERE name = '{name}'")


import peewee  # noqa: E402
import records  # noqa: E402
from tortoise import Tortoise  # noqa: E402


def bad_thin_database_layers(name):
    db = peewee.SqliteDatabase("app.db")
    # ruleid: sql-string-built-query
    db.execute_sql(f"SELECT * FROM users WHERE name = '{name}'")
    # ok: sql-string-built-query
    db.execute_sql("SELECT * FROM users WHERE name = ?", (name,))
    reports = records.Database("postgresql://localhost/app")
    # ruleid: sql-string-built-query
    reports.query("SELECT * FROM users WHERE name = '%s'" % name)


async def bad_tortoise_connection(name):
    conn = Tortoise.get_connection("default")
    # ruleid: sql-string-built-query
    await conn.execute_query(f"SELECT * FROM users WHERE name = '{name}'")
    # ok: sql-string-built-query
    await conn.execute_query("SELECT * FROM users WHERE name = $1", [name])


import clickhouse_connect  # noqa: E402
from google.cloud import bigquery  # noqa: E402


def bad_warehouse_clients(name):
    client = bigquery.Client()
    # ruleid: sql-string-built-query
    client.query(f"SELECT * FROM `app.users` WHERE name = '{name}'")
    # ok: sql-string-built-query
    client.query(
        "SELECT * FROM `app.users` WHERE name = @name",
        job_config=bigquery.QueryJobConfig(
            query_parameters=[bigquery.ScalarQueryParameter("name", "STRING", name)]
        ),
    )
    clickhouse = clickhouse_connect.get_client(host="localhost")
    # ruleid: sql-string-built-query
    clickhouse.query("SELECT * FROM users WHERE name = '" + name + "'")
    # ok: sql-string-built-query
    clickhouse.query("SELECT * FROM users WHERE name = {name:String}", parameters={"name": name})
