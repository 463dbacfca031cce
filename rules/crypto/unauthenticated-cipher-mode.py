import hashlib
import hmac
import os

from Crypto.Cipher import AES
from Crypto.Hash import HMAC, SHA256
from Cryptodome.Cipher import AES as AESX
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305


def bad_cryptography_cbc(key, data):
    iv = os.urandom(16)
    # ruleid: unauthenticated-cipher-mode
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return iv + encryptor.update(data) + encryptor.finalize()


def bad_cryptography_ctr(key, nonce, data):
    # ruleid: unauthenticated-cipher-mode
    cipher = Cipher(algorithms.AES(key), modes.CTR(nonce))
    return cipher.decryptor().update(data)


def bad_cfb_ofb(key, iv):
    # ruleid: unauthenticated-cipher-mode
    a = modes.CFB(iv)
    # ruleid: unauthenticated-cipher-mode
    b = modes.OFB(iv)
    return a, b


def bad_pycryptodome(key, data):
    # ruleid: unauthenticated-cipher-mode
    cipher = AES.new(key, AES.MODE_CBC)
    return cipher.iv + cipher.encrypt(data)


def bad_pycryptodome_keyword(key, nonce):
    # ruleid: unauthenticated-cipher-mode
    return AESX.new(key, mode=AESX.MODE_CTR, nonce=nonce)


def bad_multiline(key, iv):
    # ruleid: unauthenticated-cipher-mode
    return AES.new(
        key,
        AES.MODE_CBC,
        iv,
    )


def bad_function_import(key, iv):
    from cryptography.hazmat.primitives.ciphers.modes import CBC

    # ruleid: unauthenticated-cipher-mode
    return Cipher(algorithms.AES(key), CBC(iv))


def ok_encrypt_then_mac(enc_key, mac_key, data):
    iv = os.urandom(16)
    # ok: unauthenticated-cipher-mode
    encryptor = Cipher(algorithms.AES(enc_key), modes.CBC(iv)).encryptor()
    body = iv + encryptor.update(data) + encryptor.finalize()
    return body + hmac.new(mac_key, body, hashlib.sha256).digest()


def ok_verify_then_decrypt(enc_key, tag, expected, iv, body):
    if not hmac.compare_digest(tag, expected):
        raise ValueError("bad tag")
    # ok: unauthenticated-cipher-mode
    return AES.new(enc_key, AES.MODE_CBC, iv).decrypt(body)


def ok_pycryptodome_hmac(enc_key, mac_key, data):
    # ok: unauthenticated-cipher-mode
    cipher = AES.new(enc_key, AES.MODE_CTR)
    ciphertext = cipher.encrypt(data)
    tag = HMAC.new(mac_key, digestmod=SHA256).update(cipher.nonce + ciphertext).digest()
    return cipher.nonce, ciphertext, tag


def ok_cryptography_hmac(enc_key, mac_key, nonce, data):
    # ok: unauthenticated-cipher-mode
    ciphertext = Cipher(algorithms.AES(enc_key), modes.CTR(nonce)).encryptor().update(data)
    signer = crypto_hmac.HMAC(mac_key, hashes.SHA256())
    signer.update(ciphertext)
    return ciphertext, signer.finalize()


def ok_authenticated_modes(key, nonce, data):
    # ok: unauthenticated-cipher-mode
    a = AES.new(key, AES.MODE_GCM, nonce=nonce)
    # ok: unauthenticated-cipher-mode
    b = Cipher(algorithms.AES(key), modes.GCM(nonce))
    # ok: unauthenticated-cipher-mode
    c = AESGCM(key).encrypt(nonce, data, None)
    # ok: unauthenticated-cipher-mode
    d = ChaCha20Poly1305(key).encrypt(nonce, data, None)
    # ok: unauthenticated-cipher-mode
    e = Fernet(key).encrypt(data)
    # ok: unauthenticated-cipher-mode
    f = AES.new(key, AES.MODE_EAX)
    # ok: unauthenticated-cipher-mode
    g = AES.new(key, AES.MODE_SIV)
    return a, b, c, d, e, f, g


def ok_ecb_is_another_rule(key):
    # ok: unauthenticated-cipher-mode
    return AES.new(key, AES.MODE_ECB)
