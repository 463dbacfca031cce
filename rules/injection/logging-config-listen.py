import json
import logging
import logging.config
from logging import config as log_config
from logging.config import listen as start_listener

DEFAULT_PORT = 9030


def bad_default_port():
    # ruleid: logging-config-listen
    thread = logging.config.listen()
    thread.start()


def bad_port_alias():
    # ruleid: logging-config-listen
    return log_config.listen(DEFAULT_PORT)


def bad_function_alias():
    # ruleid: logging-config-listen
    return start_listener(port=9999, verify=None)


def bad_with_verify(check_signature):
    # A verify function narrows this: reported at low severity.
    # ruleid: logging-config-listen
    return logging.config.listen(9030, verify=check_signature)


def bad_multiline():
    # ruleid: logging-config-listen
    listener = logging.config.listen(
        DEFAULT_PORT,
    )
    return listener


def bad_function_level_import():
    import logging.config as lc

    # ruleid: logging-config-listen
    return lc.listen(9030)


def ok_file_configuration(path):
    with open(path) as handle:
        # ok: logging-config-listen
        logging.config.dictConfig(json.load(handle))
    # ok: logging-config-listen
    logging.config.fileConfig("logging.ini")
    # ok: logging-config-listen
    logging.config.stopListening()


def ok_other_listen(server, sock):
    # ok: logging-config-listen
    server.listen(5)
    # ok: logging-config-listen
    sock.listen()
