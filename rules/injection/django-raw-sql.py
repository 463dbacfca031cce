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
    # auditid: django-raw-sql
    Person.objects.raw(SQL_BY_NAME, params=[name])
    # ok: django-raw-sql
    Order.objects.extra(where=["title = %s"], params=[title])
    # ok: django-raw-sql
    Order.objects.extra(select={"is_recent": "pub_date > '2006-01-01'"})
    # ok: django-raw-sql
    RawSQL("SELECT col FROM sometable WHERE othercol = %s", (pk,))


def ok_safe_splices(ids, sort, limit):
    placeholders = ", ".join(["%s"] * len(ids))
    # auditid: django-raw-sql
    Person.objects.raw(f"SELECT * FROM myapp_person WHERE id IN ({placeholders})", ids)
    # auditid: django-raw-sql
    Person.objects.raw(f"SELECT * FROM myapp_person ORDER BY {SORT_COLUMNS[sort]}")
    # auditid: django-raw-sql
    Person.objects.raw("SELECT * FROM myapp_person LIMIT %d" % int(limit))


def ok_not_django_managers(response, node):
    # ok: django-raw-sql
    response.raw.read()
    # ok: django-raw-sql
    node.raw(f"{response}")


# Dataflow: outside input reaching the SQL text.
import sys

from fastapi import FastAPI
from flask import Flask, request as flask_request

app = Flask(__name__)
api = FastAPI()
ALLOWED_SORTS = {"last_name", "birth_date"}


def bad_tainted_view(request, slug):
    term = request.GET["q"]
    sql = "SELECT * FROM myapp_person WHERE last_name LIKE '%%" + term + "%%'"
    # ruleid: django-raw-sql
    Person.objects.raw(sql)
    # ruleid: django-raw-sql
    Order.objects.extra(where=[f"slug = '{slug}'"])


def bad_tainted_view_whole_query(request):
    # ruleid: django-raw-sql
    return Person.objects.raw(request.POST.get("sql"))


@app.route("/people")
def bad_tainted_flask():
    # ruleid: django-raw-sql
    Person.objects.raw(f"SELECT * FROM p WHERE name = '{flask_request.args['name']}'")
    body = flask_request.get_json()
    # ruleid: django-raw-sql
    Order.objects.annotate(v=RawSQL("SELECT %s" % body["expr"], []))


@api.get("/orders")
async def bad_tainted_fastapi(status: str):
    # ruleid: django-raw-sql
    return Order.objects.extra(where=["status = '%s'" % status])


def handler(event, context):
    # ruleid: django-raw-sql
    return Person.objects.raw("SELECT * FROM p WHERE id = " + event["id"])


def bad_tainted_command_line():
    # ruleid: django-raw-sql
    return Person.objects.raw("SELECT * FROM p WHERE name = '%s'" % sys.argv[1])


def ok_tainted_values_in_params(request):
    name = request.GET["name"]
    # ok: django-raw-sql
    Person.objects.raw("SELECT * FROM myapp_person WHERE last_name = %s", [name])
    # ok: django-raw-sql
    Order.objects.extra(where=["title = %s"], params=[request.GET["title"]])
    # ok: django-raw-sql
    RawSQL("SELECT col FROM t WHERE othercol = %s", (request.GET["pk"],))


def ok_tainted_sanitised(request):
    limit = int(request.GET["limit"])
    # auditid: django-raw-sql
    Person.objects.raw(f"SELECT * FROM myapp_person LIMIT {limit}")
    sort = request.GET["sort"]
    if sort not in ALLOWED_SORTS:
        return None
    # auditid: django-raw-sql
    return Person.objects.raw(f"SELECT * FROM myapp_person ORDER BY {sort}")


@api.get("/people/{pk}")
async def ok_typed_route_parameter(pk: int):
    # auditid: django-raw-sql
    return Person.objects.raw(f"SELECT * FROM myapp_person WHERE id = {pk}")


# Expression templates (imported here to keep the lines above stable).
from django.db.models import F, Func  # noqa: E402


def bad_func_template(column, suffix):
    # ruleid: django-raw-sql
    return Func(F(column), template=f"UPPER(%(expressions)s) || '{suffix}'")


def make_suffixed(suffix):
    class Suffixed(Func):
        # ruleid: django-raw-sql
        template = "%(function)s(%(expressions)s) || '" + suffix + "'"
        function = "LOWER"

    return Suffixed


class Lower(Func):
    # ok: django-raw-sql
    template = "%(function)s(%(expressions)s)"
    function = "LOWER"


def ok_func_literal_template(column):
    # ok: django-raw-sql
    return Func(F(column), template="COALESCE(%(expressions)s, '')")


# Expressions that write their own SQL in `as_sql`.
from django.db.models import Expression, Lookup  # noqa: E402


class HasTag(Expression):
    def __init__(self, column, tag):
        super().__init__()
        self.column = column
        self.tag = tag

    def as_sql(self, compiler, connection):
        # ruleid: django-raw-sql
        return f"{self.column} @> ARRAY['{self.tag}']", []


class Above(Expression):
    def __init__(self, expression, threshold):
        super().__init__()
        self.expression = expression
        self.threshold = threshold

    def as_postgresql(self, compiler, connection):
        sql, params = compiler.compile(self.expression)
        # ruleid: django-raw-sql
        return "%s > %s" % (sql, self.threshold), params

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.expression)
        # ok: django-raw-sql
        return "%s > %%s" % sql, [*params, self.threshold]


class NotEqual(Lookup):
    lookup_name = "ne"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        # ok: django-raw-sql
        return f"{lhs} <> {rhs}", [*lhs_params, *rhs_params]


class Greatest(Expression):
    template = "GREATEST(%(expressions)s)"

    def __init__(self, *expressions):
        super().__init__()
        self.expressions = expressions

    def as_sql(self, compiler, connection):
        parts = []
        params = []
        for expression in self.expressions:
            sql, more = compiler.compile(expression)
            parts.append(sql)
            params.extend(more)
        # ok: django-raw-sql
        return self.template % {"expressions": ", ".join(parts)}, params

    def as_sqlite(self, compiler, connection):
        sql, params = self.as_sql(compiler, connection)
        # ok: django-raw-sql
        return f"MAX({sql})", params


class Report:
    def as_sql(self, table):
        # ok: django-raw-sql
        return f"SELECT * FROM {table}"


# Raw SQL that is not a plain literal, though nothing risky is in it.
from django.db.models.expressions import RawSQL  # noqa: E402

ACTIVE_CLAUSE = "is_active = %s" % "TRUE"


def audit_extra_constant_clause():
    # auditid: django-raw-sql
    return Person.objects.extra(where=[ACTIVE_CLAUSE])


def audit_extra_select_dict():
    # ruleid: django-raw-sql
    return Person.objects.extra(select=dict(is_recent="created > NOW() - INTERVAL '1 day'"))


def audit_raw_sql_constant_format():
    # auditid: django-raw-sql
    return Person.objects.annotate(flag=RawSQL("{} = 1".format("is_staff"), []))


def ok_extra_literal():
    # ok: django-raw-sql
    return Person.objects.extra(where=["is_active = TRUE"])
