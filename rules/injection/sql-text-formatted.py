import logging

from django.db import connection

log = logging.getLogger(__name__)

TABLES = {"users": "app_user", "groups": "app_group"}


def user_query(name):
    # ruleid: sql-text-formatted
    return "SELECT * FROM users WHERE name = '%s'" % name


def delete_query(row_id):
    # ruleid: sql-text-formatted
    return f"DELETE FROM sessions WHERE id = {row_id}"


def update_query(table, value):
    # ruleid: sql-text-formatted
    return "UPDATE {} SET flag = '{}'".format(table, value)


def insert_query(values):
    # ruleid: sql-text-formatted
    return "INSERT INTO audit (entry) VALUES ('" + values + "')"


def multi_line(column, name):
    query = (
        # ruleid: sql-text-formatted
        "SELECT id, " + column + " "
        "FROM users "
        "WHERE name = '" + name + "'"
    )
    return query


def spread_over_names(kind, name):
    source = "FROM " + TABLES[kind]
    # ruleid: sql-text-formatted
    return f"SELECT * {source} WHERE name = '{name}'"


def handed_to_helper(run_elsewhere, limit):
    # ruleid: sql-text-formatted
    run_elsewhere("SELECT * FROM events LIMIT %d" % limit)


def run_here(name):
    # ok: sql-text-formatted
    sql = "SELECT * FROM users WHERE name = '%s'" % name
    with connection.cursor() as cursor:
        cursor.execute(sql)


def constant_query():
    # ok: sql-text-formatted
    return "SELECT * FROM users WHERE active = 1"


def parameters(name):
    # ok: sql-text-formatted
    return "SELECT * FROM users WHERE name = %s", (name,)


def not_sql(item, source):
    # ok: sql-text-formatted
    log.info("Please select an item: %s", item)
    # ok: sql-text-formatted
    return f"Update available from {source}"


def mysql_forms(table, row):
    # ruleid: sql-text-formatted
    insert = "INSERT %s VALUES (%s)" % (table, row)
    # ruleid: sql-text-formatted
    replace = "REPLACE INTO %s VALUES (%s)" % (table, row)
    return insert, replace
