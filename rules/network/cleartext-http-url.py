import http.client
import urllib.request
from urllib.request import urlopen as fetch

import httpx
import requests
import requests as rq

API = "http://api.example.com/v1"


def bad_requests():
    # ruleid: cleartext-http-url
    return requests.get("http://api.example.com/v1/orders", timeout=10)


def bad_alias_post(payload):
    # ruleid: cleartext-http-url
    return rq.post(API + "/orders", json=payload, timeout=10)


def bad_fstring(order_id):
    # ruleid: cleartext-http-url
    return requests.delete(f"http://api.example.com/orders/{order_id}", timeout=10)


def bad_session():
    session = requests.Session()
    # ruleid: cleartext-http-url
    return session.get("http://status.example.com/health", timeout=5)


def bad_httpx_client():
    # ruleid: cleartext-http-url
    with httpx.Client(base_url="http://api.example.com") as client:
        return client.get("/orders")


def bad_urllib():
    # ruleid: cleartext-http-url
    a = urllib.request.urlopen("http://example.com/feed.xml", timeout=5)
    # ruleid: cleartext-http-url
    b = fetch("ftp://ftp.example.com/pub/file.tar.gz")
    return a, b


def bad_http_connection():
    # ruleid: cleartext-http-url
    conn = http.client.HTTPConnection("api.example.com", 80)
    conn.request("GET", "/")
    return conn.getresponse()


def bad_multiline(host):
    # ruleid: cleartext-http-url
    return requests.request(
        "GET",
        f"http://{host}/metrics",
        timeout=5,
    )


def bad_private_network_low():
    # ruleid: cleartext-http-url
    return requests.get("http://10.0.3.7:9200/_cluster/health", timeout=5)


def ok_https():
    # ok: cleartext-http-url
    return requests.get("https://api.example.com/v1/orders", timeout=10)


def ok_local_hosts():
    # ok: cleartext-http-url
    a = requests.get("http://localhost:8000/health", timeout=5)
    # ok: cleartext-http-url
    b = requests.get("http://127.0.0.1:5000/", timeout=5)
    # ok: cleartext-http-url
    c = requests.get("http://[::1]:8080/", timeout=5)
    # ok: cleartext-http-url
    d = requests.get("http://printer.local/status", timeout=5)
    # ok: cleartext-http-url
    e = requests.get("http://metadata.google.internal/computeMetadata/v1/", timeout=5)
    # ok: cleartext-http-url
    f = requests.get("http://backend:8080/api", timeout=5)
    # ok: cleartext-http-url
    g = http.client.HTTPConnection("localhost", 8080)
    return a, b, c, d, e, f, g


def ok_namespaces(root):
    # ok: cleartext-http-url
    root.set("xmlns", "http://www.w3.org/2000/svg")
    # ok: cleartext-http-url
    return root.find("{http://www.w3.org/2005/Atom}entry")


def ok_dynamic(url):
    # ok: cleartext-http-url
    return requests.get(url, timeout=5)


def ok_https_connection():
    # ok: cleartext-http-url
    return http.client.HTTPSConnection("api.example.com")


def ok_credentials_reported_elsewhere(password):
    # ok: cleartext-http-url
    return requests.get("http://api.example.com/reports", auth=("reporter", password), timeout=10)


def bad_function_import():
    import requests as http_client

    # ruleid: cleartext-http-url
    return http_client.put("http://api.example.com/items/1", json={}, timeout=5)
