import crypt
import hashlib
import hashlib as hl
import hmac
from hashlib import md5 as make_md5, sha256
from hashlib import sha1

from Crypto.Hash import MD5, SHA, SHA256
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.asymmetric import padding

ALGORITHM = "sha1"


def bad_md5(secret, payload):
    # ruleid: weak-hash
    return hashlib.md5(secret + payload).hexdigest()


def bad_sha1_alias(password):
    # ruleid: weak-hash
    return hl.sha1(password.encode()).digest()


def bad_from_import_alias(data):
    # ruleid: weak-hash
    signature = make_md5(data).hexdigest()
    return signature


def bad_from_import_sha1(data):
    # ruleid: weak-hash
    return sha1(data).hexdigest()


def bad_md4():
    # ruleid: weak-hash
    return hashlib.md4()


def bad_new_literal(data):
    # ruleid: weak-hash
    a = hashlib.new("md5", data)
    # ruleid: weak-hash
    b = hashlib.new("SHA-1")
    # ruleid: weak-hash
    c = hashlib.new(name="MD4")
    # ruleid: weak-hash
    d = hashlib.new(ALGORITHM)
    return a, b, c, d


def bad_function_import(data):
    from hashlib import new

    # ruleid: weak-hash
    return new(
        "sha1",
        data,
    )


def bad_file_digest(handle):
    # ruleid: weak-hash
    return hashlib.file_digest(handle, "md5")


def bad_used_for_security_true(data):
    # ruleid: weak-hash
    return hashlib.md5(data, usedforsecurity=True)


def bad_pycryptodome(data):
    # ruleid: weak-hash
    a = MD5.new(data)
    # ruleid: weak-hash
    b = SHA.new(data)
    return a, b


def bad_cryptodome_module(data):
    import Cryptodome.Hash.MD4

    # ruleid: weak-hash
    return Cryptodome.Hash.MD4.new(data)


def bad_cryptography(data):
    # ruleid: weak-hash
    digest = hashes.Hash(hashes.SHA1())
    digest.update(data)
    return digest.finalize()


def bad_cryptography_md5():
    # ruleid: weak-hash
    return hashes.MD5()


def bad_crypt(word):
    # ruleid: weak-hash
    a = crypt.crypt(word, crypt.METHOD_MD5)
    # ruleid: weak-hash
    b = crypt.crypt(word, salt=crypt.METHOD_CRYPT)
    # ruleid: weak-hash
    c = crypt.crypt(word, crypt.mksalt(crypt.METHOD_CRYPT))
    # ruleid: weak-hash
    d = crypt.crypt(word, "ab")
    # ruleid: weak-hash
    e = crypt.crypt(word, "$1$saltsalt")
    return a, b, c, d, e


def bad_low_severity_checksums(body, email, path):
    # ruleid: weak-hash
    etag = hashlib.md5(body).hexdigest()
    # ruleid: weak-hash
    url = "https://www.gravatar.com/avatar/" + hashlib.md5(email.lower()).hexdigest()
    # ruleid: weak-hash
    cache_key = f"page:{hashlib.sha1(path.encode()).hexdigest()}"
    return etag, url, cache_key


def bad_low_severity_hmac(key, message):
    # ruleid: weak-hash
    mac = crypto_hmac.HMAC(key, hashes.SHA1())
    # ruleid: weak-hash
    oaep = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA1()), algorithm=hashes.SHA256(), label=None)
    return mac, oaep


def ok_used_for_security_false(body):
    # ok: weak-hash
    a = hashlib.md5(body, usedforsecurity=False).hexdigest()
    # ok: weak-hash
    b = hashlib.new("sha1", body, usedforsecurity=False)
    # ok: weak-hash
    c = sha1(body, usedforsecurity=False)
    return a, b, c


def ok_strong_hashes(data):
    # ok: weak-hash
    a = hashlib.sha256(data).hexdigest()
    # ok: weak-hash
    b = hashlib.new("sha256", data)
    # ok: weak-hash
    c = sha256(data)
    # ok: weak-hash
    d = SHA256.new(data)
    # ok: weak-hash
    e = hashes.Hash(hashes.SHA256())
    # ok: weak-hash
    f = hashlib.blake2b(data)
    return a, b, c, d, e, f


def ok_dynamic_name(name, data):
    # ok: weak-hash
    return hashlib.new(name, data)


def ok_hmac_reference(key, message):
    # ok: weak-hash
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def ok_crypt_strong(word):
    # ok: weak-hash
    a = crypt.crypt(word, crypt.METHOD_SHA512)
    # ok: weak-hash
    b = crypt.crypt(word)
    # ok: weak-hash
    c = crypt.crypt(word, "$6$rounds=5000$salt")
    # ok: weak-hash
    d = crypt.mksalt(crypt.METHOD_SHA256)
    return a, b, c, d


def ok_unrelated_md5(checker, data):
    # ok: weak-hash
    return checker.md5(data)


# Fixes: `usedforsecurity=False` only for a digest named only as a checksum, cache key or ETag.
def file_checksum(path):
    with open(path, "rb") as handle:
        # ruleid: weak-hash
        return hashlib.md5(handle.read()).hexdigest()


def bad_fix_new_etag(body):
    # ruleid: weak-hash
    etag = hashlib.new("md5", body)
    # ruleid: weak-hash
    cache_key = hashlib.sha1(
        body,
    ).hexdigest()
    return etag, cache_key


def bad_no_fix_security_names(password, der, handle, body):
    # ruleid: weak-hash
    password_cache = hashlib.md5(password.encode()).hexdigest()
    # ruleid: weak-hash
    cert_fingerprint = hashlib.sha1(der).hexdigest()
    # ruleid: weak-hash
    checksum = hashlib.file_digest(handle, "md5").hexdigest()
    # ruleid: weak-hash
    etag = hashlib.md5(body, usedforsecurity=True).hexdigest()
    return password_cache, cert_fingerprint, checksum, etag
