# ok: cgi-httpoxy
import wsgiref.handlers
from wsgiref.handlers import CGIHandler as Gateway
from wsgiref.handlers import SimpleHandler

from twisted.web import twcgi


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def bad_cgi_handler():
    # ruleid: cgi-httpoxy
    wsgiref.handlers.CGIHandler().run(application)


def bad_alias():
    # ruleid: cgi-httpoxy
    handler = Gateway()
    handler.run(application)


def bad_twisted_script():
    # ruleid: cgi-httpoxy
    return twcgi.CGIScript("/srv/cgi-bin/report.py")


# ruleid: cgi-httpoxy
class ReportScript(twcgi.CGIScript):
    pass


def ok_simple_handler(stdin, stdout, stderr, environ):
    # ok: cgi-httpoxy
    handler = SimpleHandler(stdin, stdout, stderr, environ)
    handler.run(application)


# ok: cgi-httpoxy
class Plain:
    pass
