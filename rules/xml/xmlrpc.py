import xmlrpc.client
import xmlrpc.client as rpc
from xmlrpc.server import SimpleXMLRPCServer
from xmlrpc.server import DocXMLRPCServer as DocServer


class Api:
    def status(self):
        return "ok"


def bad_server():
    # ruleid: xmlrpc
    server = SimpleXMLRPCServer(("127.0.0.1", 8000))
    server.register_function(Api().status, "status")
    return server


def bad_doc_server_alias():
    # ruleid: xmlrpc
    return DocServer(("127.0.0.1", 8001))


def bad_client(url):
    # ruleid: xmlrpc
    proxy = xmlrpc.client.ServerProxy(url)
    return proxy.status()


def bad_loads(payload):
    # ruleid: xmlrpc
    return rpc.loads(payload)


# ruleid: xmlrpc
class QuietServer(SimpleXMLRPCServer):
    def log_message(self, *args):
        pass


def bad_dotted_names(server):
    # ruleid: xmlrpc
    server.register_instance(Api(), allow_dotted_names=True)


def bad_dotted_names_positional():
    # ruleid: xmlrpc
    server = SimpleXMLRPCServer(("127.0.0.1", 8002))
    # ruleid: xmlrpc
    server.register_instance(
        Api(),
        True,
    )
    return server


def ok_register(server):
    # ok: xmlrpc
    server.register_instance(Api())
    # ok: xmlrpc
    server.register_instance(Api(), allow_dotted_names=False)
    # ok: xmlrpc
    server.register_function(Api().status, "status")


def ok_dumps(params):
    # ok: xmlrpc
    return xmlrpc.client.dumps(params)


def ok_fault():
    # ok: xmlrpc
    return xmlrpc.client.Fault(1, "bad request")


def bad_function_import(url):
    from xmlrpc.client import ServerProxy as Proxy

    # ruleid: xmlrpc
    return Proxy(url)
