from django.db import models
from django.db.models import RawSQL
from django.db.models.expressions import RawSQL as ExpressionSQL

from myapp.models import Order, Person

SORT_COLUMNS = {"name": "last_name", "age": "birth_date"}
SQL_BY_NAME = "SELECT * FROM myapp_person WHERE last_name = %s"


def bad_raw_fstring(name):
    # ruleid: django-raw-sql
    return Person.objects.raw(f"SELECT * FROM myapp_person WHERE last_name = '{name}'")


def bad_raw_percent(pk):
    # ruleid: django-raw-sql
    return Person.objects.raw("SELECT * FROM myapp_person WHERE id = %s" % pk)


def bad_raw_variable(query):
    # ruleid: django-raw-sql
    return Person.objects.raw(query)


def bad_raw_request(request):
    # ruleid: django-raw-sql
    return Order._default_manager.raw(raw_query=request.GET["q"])


def bad_extra_where(title):
    # ruleid: django-raw-sql
    return Order.objects.filter(paid=True).extra(where=["title = '" + title + "'"])


def bad_extra_select(column):
    # ruleid: django-raw-sql
    return Order.objects.extra(select={"value": "SELECT {} FROM t".format(column)})


def bad_extra_order_by(field):
    # ruleid: django-raw-sql
    return Order.objects.extra(order_by=[f"{field} DESC"])


def bad_rawsql(status):
    # ruleid: django-raw-sql
    return Order.objects.annotate(flag=RawSQL(f"status = '{status}'", ()))


def bad_rawsql_alias(table):
    # ruleid: django-raw-sql
    return ExpressionSQL("SELECT MAX(id) FROM " + table, [])


def bad_multiline(name):
    # ruleid: django-raw-sql
    return Person.objects.raw(
        "SELECT * FROM myapp_person "
        "WHERE first_name = '%s'" % name,
    )


def bad_function_level_import(value):
    from django.db.models.expressions import RawSQL as R

    # ruleid: django-raw-sql
    return R("SELECT %s" % value, [])


def ok_literal_with_params(name, pk, title):
    # ok: django-raw-sql
    Person.objects.raw("SELECT * FROM myapp_person WHERE last_name = %s", [name])
    # ok: django-raw-sql
    Person.objects.raw(SQL_BY_NAME, params=[name])
    # ok: django-raw-sql
    Order.objects.extra(where=["title = %s"], params=[title])
    # ok: django-raw-sql
    Order.objects.extra(select={"is_recent": "pub_date > '2006-01-01'"})
    # ok: django-raw-sql
    RawSQL("SELECT col FROM sometable WHERE othercol = %s", (pk,))


def ok_safe_splices(ids, sort, limit):
    placeholders = ", ".join(["%s"] * len(ids))
    # ok: django-raw-sql
    Person.objects.raw(f"SELECT * FROM myapp_person WHERE id IN ({placeholders})", ids)
    # ok: django-raw-sql
    Person.objects.raw(f"SELECT * FROM myapp_person ORDER BY {SORT_COLUMNS[sort]}")
    # ok: django-raw-sql
    Person.objects.raw("SELECT * FROM myapp_person LIMIT %d" % int(limit))


def ok_not_django_managers(response, node):
    # ok: django-raw-sql
    response.raw.read()
    # ok: django-raw-sql
    node.raw(f"{response}")
