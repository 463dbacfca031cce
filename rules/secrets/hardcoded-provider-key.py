import os
import boto3
import boto3 as aws
from boto3.session import Session as AwsSession
from boto3 import client as make_client


def bad_aws_access_key_id():
    # ruleid: hardcoded-provider-key
    return boto3.client("s3", aws_access_key_id="AKIAB3WKH5DNSIPZZ5FK")


def bad_aws_sdk_secret():
    return aws.client(
        "s3",
        # ruleid: hardcoded-provider-key
        aws_access_key_id="ASIA2Z9RI19R0WYOJFLJ",
        # ruleid: hardcoded-provider-key
        aws_secret_access_key="DDb/xHKas1VOqg6YYZYn9ZhyiA4uoRgnatmUdjAW",
    )


def bad_aws_sdk_short_secret():
    # Any literal passed to the SDK is a hardcoded credential, whatever its shape.
    # ruleid: hardcoded-provider-key
    return make_client("sqs", aws_secret_access_key="hunter2!x")


def bad_aws_session_positional():
    # ruleid: hardcoded-provider-key
    session = AwsSession("AKIAIOSFODNN7EXAMPLE", "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdo")
    # ruleid: hardcoded-provider-key
    return session.resource("s3", aws_secret_access_key="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")


# ruleid: hardcoded-provider-key
AWS_SECRET_ACCESS_KEY = "DDb/xHKas1VOqg6YYZYn9ZhyiA4uoRgnatmUdjAW"

CREDENTIALS = {
    # ruleid: hardcoded-provider-key
    "aws_secret_access_key": "DDb/xHKas1VOqg6YYZYn9ZhyiA4uoRgnatmUdjAW",
}


def bad_github_tokens(Github):
    # ruleid: hardcoded-provider-key
    a = Github("ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d")
    # ruleid: hardcoded-provider-key
    headers = {"Authorization": "token gho_KLzdocJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFR"}
    # ruleid: hardcoded-provider-key
    pat = "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"
    return a, headers, pat


def bad_slack(WebClient, requests):
    # ruleid: hardcoded-provider-key
    client = WebClient(token="xoxb-245957117777-4121547280385-jSI6bWHtP3fS2qHx6kwXoIIX")
    # ruleid: hardcoded-provider-key
    requests.post("https://hooks.slack.com/services/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", json={})
    return client


def bad_stripe_google(stripe):
    # ruleid: hardcoded-provider-key
    stripe.api_key = "sk_live_1aE6PwZPf1Qh6yYTWmE4lBYO"
    # ruleid: hardcoded-provider-key
    restricted = "rk_live_vfZ8UzDzV8fUkkibjL5DZPjN"
    # ruleid: hardcoded-provider-key
    maps_url = f"https://maps.googleapis.com/maps/api/geocode/json?key=AIzaBdGBLEPH1qhT61qtc4xatws8phP9nhFyJfm&q={restricted}"
    return maps_url


def bad_jwt(requests):
    # ruleid: hardcoded-provider-key
    token = "eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAic3ZjLWJpbGxpbmciLCAicm9sZSI6ICJhZG1pbiIsICJpYXQiOiAxNzE4MDAwMDAwfQ.5di4PzJ59FHz5r1pY4OjE2jBMptUsGr7CmY_uCu3ZR1"
    return requests.get("https://api.internal/", headers={"Authorization": "Bearer " + token})


# ruleid: hardcoded-provider-key
PRIVATE_KEY = """-----BEGIN RSA PRIVATE KEY-----
MltRF7hdBFaNdXC0BGJUhJ9Lg/UQHPzryTr44BoVQ0UK58cuRcEh0WzZ6a3R8kJnJonrg5J+s1MWRw7M
-----END RSA PRIVATE KEY-----
"""

SIGNING_KEY = (
    # ruleid: hardcoded-provider-key
    "-----BEGIN PRIVATE KEY-----\n"
    "MltRF7hdBFaNdXC0BGJUhJ9Lg/UQHPzryTr44BoVQ0UK58cuRcEh0WzZ6a3R8kJnJonrg5J+s1MWRw7M\n"
    "-----END PRIVATE KEY-----\n"
)

# ruleid: hardcoded-provider-key
DEPLOY_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nMltRF7hdBFaNdXC0BGJUhJ9Lg/UQHPzryTr44BoVQ0UK58cuRcEh0WzZ6a3R8kJnJonrg5J+\n-----END OPENSSH PRIVATE KEY-----"


def bad_comment():
    # ruleid: hardcoded-provider-key
    retries = 3  # old token: ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d
    return retries


def ok_documented_examples():
    # ok: hardcoded-provider-key
    key_id = "AKIAIOSFODNN7EXAMPLE"
    # ok: hardcoded-provider-key
    AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    # ok: hardcoded-provider-key
    jwt_io = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    return key_id, AWS_SECRET_ACCESS_KEY, jwt_io


def ok_fixtures_and_test_keys():
    # ok: hardcoded-provider-key
    a = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
    # ok: hardcoded-provider-key
    b = "AKIA0000000000000000"
    # ok: hardcoded-provider-key
    c = "sk_test_0MEQ7wjJJibaZUPgHV7iB3m0"
    # ok: hardcoded-provider-key
    d = "ghp_1234567890abcdefghij1234567890abcdef"
    # ok: hardcoded-provider-key
    e = "xoxb-example-token-value"
    # ok: hardcoded-provider-key
    f = "sk_live_EXAMPLEkey0123456789abcdef"
    return a, b, c, d, e, f


def ok_pem_markers(data):
    # ok: hardcoded-provider-key
    if data.startswith("-----BEGIN RSA PRIVATE KEY-----"):
        return "rsa"
    # ok: hardcoded-provider-key
    header = "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----"
    # ok: hardcoded-provider-key
    public = "-----BEGIN PUBLIC KEY-----\nMltRF7hdBFaNdXC0BGJUhJ9Lg/UQHPzryTr44BoVQ0UK58cuRcEh0WzZ6a3R8kJnJonrg5J+\n-----END PUBLIC KEY-----"
    return header, public


def ok_runtime():
    # ok: hardcoded-provider-key
    s3 = boto3.client("s3")
    # ok: hardcoded-provider-key
    sqs = boto3.client("sqs", aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"])
    # ok: hardcoded-provider-key
    ddb = boto3.resource("dynamodb", aws_secret_access_key="")
    # ok: hardcoded-provider-key
    aws_secret_access_key = "not-shaped-like-a-key"
    return s3, sqs, ddb, aws_secret_access_key


def ok_code_not_strings(AKIAB3WKH5DNSIPZZ5FK):
    # An identifier spelled like a key is code, not a leaked literal.
    # ok: hardcoded-provider-key
    return AKIAB3WKH5DNSIPZZ5FK


def ok_prefix_only():
    # ok: hardcoded-provider-key
    prefixes = ("AKIA", "ghp_", "xoxb-", "sk_live_", "AIza", "eyJ")
    return prefixes
