import ssl
import aiohttp
import httpx
import requests
import requests as rq
import urllib3
from requests import Session, get as fetch
from urllib3 import PoolManager as Pool

NO_VERIFY = False


def bad_module_verbs(url):
    # ruleid: tls-verify-disabled
    requests.get(url, verify=False, timeout=5)
    # ruleid: tls-verify-disabled
    rq.post(url, data={}, verify=False, timeout=5)
    # ruleid: tls-verify-disabled
    fetch(url, verify=0, timeout=5)
    # ruleid: tls-verify-disabled
    requests.request("PUT", url, verify=NO_VERIFY, timeout=5)
    # ruleid: tls-verify-disabled
    requests.delete(
        url,
        timeout=5,
        verify=False,
    )


def bad_session(url):
    s = requests.Session()
    # ruleid: tls-verify-disabled
    s.get(url, verify=False, timeout=5)
    session = Session()
    # ruleid: tls-verify-disabled
    session.request("GET", url, verify=False, timeout=5)
    # ruleid: tls-verify-disabled
    requests.session().head(url, verify=False, timeout=5)
    with requests.Session() as scoped:
        # ruleid: tls-verify-disabled
        scoped.patch(url, json={}, verify=False, timeout=5)


def bad_session_attribute():
    s = requests.Session()
    # ruleid: tls-verify-disabled
    s.verify = False
    return s


def bad_unknown_session(client, url):
    # The receiver is unknown but the file uses requests: medium confidence.
    # ruleid: tls-verify-disabled
    client.session.get(url, verify=False, timeout=5)
    # ruleid: tls-verify-disabled
    client.session.verify = False


def bad_parameter_default(url, verify=False):
    # ruleid: tls-verify-disabled
    return requests.get(url, verify=verify, timeout=5)


def bad_httpx(url):
    # ruleid: tls-verify-disabled
    httpx.get(url, verify=False)
    # ruleid: tls-verify-disabled
    client = httpx.Client(verify=False)
    # ruleid: tls-verify-disabled
    aclient = httpx.AsyncClient(base_url=url, verify=False)
    return client, aclient


async def bad_aiohttp(url):
    # ruleid: tls-verify-disabled
    connector = aiohttp.TCPConnector(ssl=False)
    # ruleid: tls-verify-disabled
    legacy = aiohttp.TCPConnector(verify_ssl=False)
    async with aiohttp.ClientSession(connector=connector) as session:
        # ruleid: tls-verify-disabled
        async with session.get(url, ssl=False) as resp:
            return await resp.text(), legacy


def bad_urllib3():
    # ruleid: tls-verify-disabled
    a = urllib3.PoolManager(cert_reqs="CERT_NONE")
    # ruleid: tls-verify-disabled
    b = Pool(cert_reqs=ssl.CERT_NONE)
    # ruleid: tls-verify-disabled
    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    return a, b


def bad_ssl_context():
    ctx = ssl.create_default_context()
    # ruleid: tls-verify-disabled
    ctx.check_hostname = False
    # ruleid: tls-verify-disabled
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def bad_localhost_lower_severity():
    # Still reported, at low severity: the request goes to this machine.
    # ruleid: tls-verify-disabled
    return requests.get("https://localhost:8443/health", verify=False, timeout=5)


def ok_verification_on(url, ca_bundle):
    # ok: tls-verify-disabled
    requests.get(url, verify=True, timeout=5)
    # ok: tls-verify-disabled
    requests.get(url, verify="/etc/ssl/internal-ca.pem", timeout=5)
    # ok: tls-verify-disabled
    requests.get(url, verify=ca_bundle, timeout=5)
    # ok: tls-verify-disabled
    requests.get(url, timeout=5)
    # ok: tls-verify-disabled
    httpx.Client(verify=ssl.create_default_context())
    s = requests.Session()
    # ok: tls-verify-disabled
    s.verify = "/etc/ssl/internal-ca.pem"
    # ok: tls-verify-disabled
    urllib3.PoolManager(cert_reqs="CERT_REQUIRED")
    ctx = ssl.create_default_context()
    # ok: tls-verify-disabled
    ctx.verify_mode = ssl.CERT_REQUIRED
    # ok: tls-verify-disabled
    ctx.check_hostname = True


def ok_verify_from_settings(url, settings):
    # ok: tls-verify-disabled
    requests.get(url, verify=settings.VERIFY_TLS, timeout=5)


def ok_unrelated_verify(jwt, token, key, signer):
    # ok: tls-verify-disabled
    signer.get(token, verify=False)
    # ok: tls-verify-disabled
    key.verify = False


class Checker:
    def __init__(self):
        # ok: tls-verify-disabled
        self.verify = False


async def ok_aiohttp_default(url):
    async with aiohttp.ClientSession() as session:
        # ok: tls-verify-disabled
        async with session.get(url, ssl=ssl.create_default_context()) as resp:
            return await resp.text()
