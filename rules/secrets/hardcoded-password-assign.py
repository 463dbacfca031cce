import os
from os import getenv as env_get


# ruleid: hardcoded-password-assign
DB_PASSWORD = "s3cr3t-Pa55!"

# ruleid: hardcoded-password-assign
GITLAB_TOKEN = "q8Zt2vNw5KpL0xRb"

# ruleid: hardcoded-password-assign
api_key = "9f2c4e7a1b3d5f60"

# ruleid: hardcoded-password-assign
admin_pwd: str = "Tr0ub4dor&3"


class Settings:
    # ruleid: hardcoded-password-assign
    client_secret = "mK93jdL2pQ7wZ"

    def __init__(self):
        # ruleid: hardcoded-password-assign
        self.password = "hunter2!x"
        # ruleid: hardcoded-password-assign
        self.privateKey = "Zx81mNq4Lr7tVb2c"


def bad_dict_literal():
    return {
        "user": "admin",
        # ruleid: hardcoded-password-assign
        "password": "Sup3r$ecret",
        # ruleid: hardcoded-password-assign
        "X-Auth-Token": "b7f3a91c0d4e",
    }


def bad_subscript(config):
    # ruleid: hardcoded-password-assign
    config["db_passwd"] = "p4ssW0rd-prod"
    # ruleid: hardcoded-password-assign
    os.environ["SMTP_PASSWORD"] = "mailPass-42"


def bad_comparison(password, user):
    # ruleid: hardcoded-password-assign
    if password == "letmein-2024":
        return True
    # ruleid: hardcoded-password-assign
    if "0p3nSesame!" != user.passphrase:
        return False
    return None


def bad_unpacking():
    # ruleid: hardcoded-password-assign
    user, password = "admin", "Adm1n#Pass"
    return user, password


def bad_chained():
    # ruleid: hardcoded-password-assign
    secret = fallback = "c0rrectH0rse"
    return secret, fallback


def bad_glued_and_concatenated():
    # ruleid: hardcoded-password-assign
    dbpassword = "rootPW" "_2023!"
    return dbpassword


def bad_symbols():
    # ruleid: hardcoded-password-assign
    root_password = "^Pa55word$"
    return root_password


def bad_weak_values():
    # A short dictionary word is still reported, at low confidence.
    # ruleid: hardcoded-password-assign
    password = "admin"
    # ruleid: hardcoded-password-assign
    secret = "supersecretvalue"
    return password, secret


def ok_labels(response, token_type, data):
    # ok: hardcoded-password-assign
    if token_type == "Bearer":
        pass
    # auditid: hardcoded-password-assign
    if response["token"] == "NextToken":
        pass
    # ok: hardcoded-password-assign
    grant = {"token": "access"}
    # ok: hardcoded-password-assign
    kind = {"token": "refresh"}
    # ok: hardcoded-password-assign
    token_type = "bearer"
    # ok: hardcoded-password-assign
    data["password"] = "password"
    # ok: hardcoded-password-assign
    PASSWORD_FIELD = "password"
    # ok: hardcoded-password-assign
    password_label = "Your password"
    # ok: hardcoded-password-assign
    token_fail_reason = "Token has expired"
    # ok: hardcoded-password-assign
    token_url = "https://auth.example.org/oauth/token"
    return grant, kind, token_type, PASSWORD_FIELD, password_label, token_fail_reason, token_url


def ok_identifier_values():
    # ok: hardcoded-password-assign
    password = "new_password"
    # ok: hardcoded-password-assign
    api_key = "X-Api-Key"
    # ok: hardcoded-password-assign
    secret = "DB_PASSWORD"
    # ok: hardcoded-password-assign
    token = "accessToken"
    # ok: hardcoded-password-assign
    SECRET_FILE = "secrets.json"
    # ok: hardcoded-password-assign
    secret_path = "/run/secrets/db"
    # ok: hardcoded-password-assign
    token_endpoint = "/oauth2/token"
    return password, api_key, secret, token, SECRET_FILE, secret_path, token_endpoint


def ok_placeholders():
    # ok: hardcoded-password-assign
    password = ""
    # ok: hardcoded-password-assign
    password = "<password>"
    # ok: hardcoded-password-assign
    password = "***"
    # ok: hardcoded-password-assign
    password = "changeme"
    # ok: hardcoded-password-assign
    token = "xxx"
    # ok: hardcoded-password-assign
    secret = "dummy"
    # ok: hardcoded-password-assign
    api_key = "example-key-123"
    # ok: hardcoded-password-assign
    password = "your-password-here"
    # ok: hardcoded-password-assign
    password = "{password}"
    # ok: hardcoded-password-assign
    password = "%s"
    # ok: hardcoded-password-assign
    password = "${DB_PASSWORD}"
    return password, token, secret, api_key


def ok_runtime_values(user, secret_value):
    # ok: hardcoded-password-assign
    password = os.environ["DB_PASSWORD"]
    # ok: hardcoded-password-assign
    token = os.environ.get("API_TOKEN", "")
    # ok: hardcoded-password-assign
    api_key = env_get("API_KEY")
    # ok: hardcoded-password-assign
    secret = secret_value
    # ok: hardcoded-password-assign
    password = f"{user}-suffix-{secret_value}"
    # ok: hardcoded-password-assign
    if password == secret:
        pass
    return password, token, api_key


def ok_parser_tokens(token):
    # auditid: hardcoded-password-assign
    if token == "lambda":
        return "keyword"
    # ok: hardcoded-password-assign
    ident_token = r"[^\W\d]\w*"
    # ok: hardcoded-password-assign
    TOKEN_RE = "(?P<token>[A-Za-z]+)"
    return ident_token, TOKEN_RE


def ok_unrelated_names():
    # ok: hardcoded-password-assign
    bypass = "r8Kd2mQx!"
    # ok: hardcoded-password-assign
    compass = "N42-West-7"
    # ok: hardcoded-password-assign
    passenger = "Jane#Doe99"
    # ok: hardcoded-password-assign
    tokenizer = "bert-base-uncased"
    # ok: hardcoded-password-assign
    max_tokens = "4096"
    # ok: hardcoded-password-assign
    is_password = "yes-it-is1"
    return bypass, compass, passenger, tokenizer, max_tokens, is_password


def ok_provider_shaped():
    # Reported by hardcoded-provider-key instead, with the provider's name.
    # ok: hardcoded-password-assign
    github_token = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"
    # ok: hardcoded-password-assign
    aws_secret_access_key = "DDb/xHKas1VOqg6YYZYn9ZhyiA4uoRgnatmUdjAW"
    return github_token, aws_secret_access_key


def ok_framework_secret_keys(app):
    # Reported by hardcoded-framework-secret instead.
    # ok: hardcoded-password-assign
    SECRET_KEY = "k7#Lq9!vR2@xWm4$Zp8&"
    # ok: hardcoded-password-assign
    app.secret_key = "k7#Lq9!vR2@xWm4$Zp8&"
    # ok: hardcoded-password-assign
    app.config["JWT_SECRET_KEY"] = "k7#Lq9!vR2@xWm4$Zp8&"
    # ok: hardcoded-password-assign
    settings = {"SECRET_KEY": "k7#Lq9!vR2@xWm4$Zp8&"}
    return SECRET_KEY, settings


def bad_plain_secret_key_variable():
    # A plain variable is not a framework setting.
    # ruleid: hardcoded-password-assign
    secret_key = "k7#Lq9!vR2@xWm4$Zp8&"
    return secret_key


def bad_login_backdoors(username, password):
    # ruleid: hardcoded-password-assign
    if username == "root" and password == "root_access":
        return "superuser"
    # ruleid: hardcoded-password-assign
    if password == "s3cret":
        return "staff"
    return None


def bad_client_credential_checks(request, headers):
    api_auth = headers.get("X-Service-Auth")
    # ruleid: hardcoded-password-assign
    if api_auth == "Gw7Tq2Lm9Zp4":
        return True
    # ruleid: hardcoded-password-assign
    if request.headers.get("X-Internal-Auth") != "Rb8kW3nQ1xVt":
        return False
    # ruleid: hardcoded-password-assign
    if headers["Authorization"] == "Token Hk4pX9qL2mZ7":
        return True
    return None


# ruleid: hardcoded-password-assign
WEBHOOK_SECRET = "secret"

# ruleid: hardcoded-password-assign
app_settings = {"SIGNING_SECRET_V2": "password"}

# A short secret held by a setting is reported at medium.
# ruleid: hardcoded-password-assign
BROKER_PASSWORD = "rbmq1"


def ok_sentinel_and_credential_labels(password, auth_type, auth_provider, headers):
    # auditid: hardcoded-password-assign
    if password == "not_set":
        pass
    # ok: hardcoded-password-assign
    if auth_type == "Bearer":
        pass
    # ok: hardcoded-password-assign
    if auth_provider == "google_oauth2":
        pass
    # ok: hardcoded-password-assign
    if headers.get("Authorization") == "":
        pass
    # ok: hardcoded-password-assign
    if auth_provider == "ldap":
        pass
    # ok: hardcoded-password-assign
    PASSWORD = "password"
    # ok: hardcoded-password-assign
    label = {"secret": "secret"}
    return PASSWORD, label


RESOURCE_SCHEMA_HASHES = {
    # ok: hardcoded-password-assign
    "AWS::IAM::AccessKey": "62d91b17309e76c8",
    # ok: hardcoded-password-assign
    "Secret Manager Secret": "c85175a4ebcce361",
}

SERVICE_HEADERS = {
    # ruleid: hardcoded-password-assign
    "X-Api-Key": "9c1f4e2ab77d4c0e",
}


def audit_any_literal_compared(token, password, pwd, expected):
    # auditid: hardcoded-password-assign
    if token == "tk-0042":
        pass
    # auditid: hardcoded-password-assign
    if pwd != "x":
        pass
    # auditid: hardcoded-password-assign
    if password == expected == "hunter":
        pass
    # ok: hardcoded-password-assign
    if password == expected:
        pass
    # ok: hardcoded-password-assign
    if token == "":
        pass
    # ok: hardcoded-password-assign
    if token is None or expected == "tk-0042":
        pass


def weak_word_login(username, password, input_type):
    # ruleid: hardcoded-password-assign
    if password == "secret":
        return True
    # ruleid: hardcoded-password-assign
    if username == "admin" and "password" == password:
        return True
    # ruleid: hardcoded-password-assign
    if 0 < len(password) and password == "letmein":
        return True
    # ok: hardcoded-password-assign
    if input_type == "password":
        return False
    # ok: hardcoded-password-assign
    return password != ""


# ruleid: hardcoded-password-assign
paswd = "Xk29fjw0qP"
# ruleid: hardcoded-password-assign
smtp_passwrd = "Xk29fjw0qP"
# ruleid: hardcoded-password-assign
secrete = "Xk29fjw0qP"
# ok: hardcoded-password-assign
compass_heading = "Xk29fjw0qP"
