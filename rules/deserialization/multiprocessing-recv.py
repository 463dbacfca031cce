import os
import socket
from multiprocessing import Pipe
from multiprocessing.connection import Client, Listener
import multiprocessing.connection as mpc

AUTHKEY = os.environ["WORKER_AUTHKEY"].encode()


def bad_listener_and_recv():
    # ruleid: multiprocessing-recv
    with Listener(("0.0.0.0", 6000)) as listener:
        with listener.accept() as conn:
            # ruleid: multiprocessing-recv
            return conn.recv()


def bad_assigned_listener():
    # ruleid: multiprocessing-recv
    listener = mpc.Listener(address=("127.0.0.1", 6000), authkey=None)
    conn = listener.accept()
    # ruleid: multiprocessing-recv
    message = conn.recv()
    conn.close()
    return message


def bad_client():
    # ruleid: multiprocessing-recv
    conn = Client(("10.0.0.5", 6000))
    conn.send({"job": 1})
    # ruleid: multiprocessing-recv
    return conn.recv()


def bad_unix_socket():
    # ruleid: multiprocessing-recv
    return Listener("/tmp/worker.sock", "AF_UNIX")


def bad_multiline():
    # ruleid: multiprocessing-recv
    listener = Listener(
        ("0.0.0.0", 6000),
        backlog=5,
    )
    # ruleid: multiprocessing-recv
    return listener.accept().recv()


def ok_authkey():
    # ok: multiprocessing-recv
    with Listener(("127.0.0.1", 6000), authkey=AUTHKEY) as listener:
        with listener.accept() as conn:
            # ok: multiprocessing-recv
            return conn.recv()


def ok_authkey_positional():
    # ok: multiprocessing-recv
    conn = Client(("127.0.0.1", 6000), "AF_INET", AUTHKEY)
    # ok: multiprocessing-recv
    return conn.recv()


def ok_recv_bytes():
    # The connection is reported where it is made; recv_bytes does not unpickle.
    # ruleid: multiprocessing-recv
    conn = Client(("127.0.0.1", 6000))
    # ok: multiprocessing-recv
    return conn.recv_bytes()


def ok_pipe():
    parent, child = Pipe()
    child.send("x")
    # ok: multiprocessing-recv
    return parent.recv()


def ok_socket():
    sock = socket.create_connection(("example.com", 80))
    # ok: multiprocessing-recv
    return sock.recv(1024)


def ok_unknown_connection(conn):
    # ok: multiprocessing-recv
    return conn.recv()


def ok_kwargs(**options):
    # ok: multiprocessing-recv
    return Listener(("127.0.0.1", 6000), **options)
