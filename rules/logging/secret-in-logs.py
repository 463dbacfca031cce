import logging
import logging as lg
from logging import info as log_info
from getpass import getpass

logger = logging.getLogger(__name__)
log = logging.getLogger("app")


def mask(value):
    return value[:2] + "***"


def bad_logger_positional(username, password):
    # ruleid: secret-in-logs
    logger.info("login %s with %s", username, password)


def bad_fstring(api_token):
    # ruleid: secret-in-logs
    log.debug(f"calling API with {api_token}")


def bad_percent_format(db_password):
    # ruleid: secret-in-logs
    logger.warning("connecting with %s" % db_password)


def bad_percent_tuple(user, secret):
    # ruleid: secret-in-logs
    logger.error("user %s secret %s" % (user, secret))


def bad_module_functions(password):
    # ruleid: secret-in-logs
    logging.info("password=%s", password)
    # ruleid: secret-in-logs
    lg.debug("pw: " + password)
    # ruleid: secret-in-logs
    log_info("pw %s", password)


def bad_print(token):
    # ruleid: secret-in-logs
    print("token:", token)


def bad_getpass():
    entered = getpass("Password: ")
    # ruleid: secret-in-logs
    print(f"you typed {entered}")


def bad_function_import():
    import getpass as gp

    value = gp.getpass()
    # ruleid: secret-in-logs
    logger.info("got %s", value)


def bad_authorization_header(request):
    # ruleid: secret-in-logs
    logger.info("auth header: %s", request.headers["Authorization"])
    # ruleid: secret-in-logs
    logger.debug("auth %s", request.headers.get("Authorization"))


class Client:
    def __init__(self):
        self.logger = logging.getLogger(__name__)
        self.client_secret = "x"

    def bad_self_logger(self):
        # ruleid: secret-in-logs
        self.logger.warning(
            "using secret %s",
            self.client_secret,
        )


def bad_dict_key(config):
    # ruleid: secret-in-logs
    logger.info("config password %s", config["password"])


def ok_username(username, user_id, account_id):
    # ok: secret-in-logs
    logger.info("login for %s (%s, %s)", username, user_id, account_id)


def ok_masked(password, token):
    # ok: secret-in-logs
    logger.info("password %s", mask(password))
    # ok: secret-in-logs
    logger.info("token %s", "***")
    # ok: secret-in-logs
    print("token:", "***")


def ok_length(password):
    # ok: secret-in-logs
    logger.debug("password length %d", len(password))


def ok_flag(has_password, is_token_valid):
    # ok: secret-in-logs
    logger.info("has password: %s valid: %s", has_password, is_token_valid)


def ok_descriptive_names(token_url, password_field, token_type):
    # ok: secret-in-logs
    logger.info("fetching token from %s", token_url)
    # ok: secret-in-logs
    logger.info("field %s type %s", password_field, token_type)


def ok_literal_message():
    # ok: secret-in-logs
    logger.info("password reset requested")


def ok_not_a_logger(cache, password):
    # ok: secret-in-logs
    cache.info("x", password)


def ok_other_header(request):
    # ok: secret-in-logs
    logger.info("agent %s", request.headers.get("User-Agent"))
