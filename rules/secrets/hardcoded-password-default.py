import os


# ruleid: hardcoded-password-default
def bad_plain(user, password="letmein99!"):
    return user, password


def bad_typed_keyword_only(
    user,
    *,
    # ruleid: hardcoded-password-default
    api_key: str = "9f2c4e7a1b3d5f60",
):
    return user, api_key


class Client:
    # ruleid: hardcoded-password-default
    def __init__(self, host, authToken="q8Zt2vNw5KpL0xRb"):
        self.host = host
        self.authToken = authToken

    # ruleid: hardcoded-password-default
    async def login(self, user="ops", passwd="Tr0ub4dor&3"):
        return user, passwd


# ruleid: hardcoded-password-default
def bad_weak(secret="admin"):
    return secret


# ok: hardcoded-password-default
def ok_none(password=None):
    return password


# ok: hardcoded-password-default
def ok_empty(password=""):
    return password


# ok: hardcoded-password-default
def ok_env(password=os.environ.get("DB_PASSWORD")):
    return password


# ok: hardcoded-password-default
def ok_labels(token_type="Bearer", token="NextToken", grant="refresh", field="password"):
    return token_type, token, grant, field


# ok: hardcoded-password-default
def ok_placeholders(password="changeme", api_key="<api-key>", secret="***", token="your-token-here"):
    return password, api_key, secret, token


# ok: hardcoded-password-default
def ok_format(password_template="{user}:{password}", secret="%s"):
    return password_template, secret


# ok: hardcoded-password-default
def ok_unrelated(bypass="r8Kd2mQx!", compass="N42-West-7", tokenizer="bert-base-uncased"):
    return bypass, compass, tokenizer


# ok: hardcoded-password-default
def ok_required(user, password):
    return user, password


# ok: hardcoded-password-default
def ok_constant(password=os.sep):
    return password
