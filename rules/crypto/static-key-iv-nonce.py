import binascii
import hashlib
import os
import secrets

from Crypto.Cipher import AES, ChaCha20
from Crypto.Random import get_random_bytes
from Crypto.Util import Counter
from Cryptodome.Cipher import AES as AESX
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY = b"0123456789abcdef"
ZERO_IV = b"\x00" * 16


def bad_pycryptodome_iv(data):
    # ruleid: static-key-iv-nonce
    cipher = AES.new(get_random_bytes(16), AES.MODE_CBC, iv=b"\x00" * 16)
    return cipher.encrypt(data)


def bad_pycryptodome_positional_iv(key):
    # ruleid: static-key-iv-nonce
    return AES.new(key, AES.MODE_CBC, ZERO_IV)


def bad_pycryptodome_key():
    # ruleid: static-key-iv-nonce
    return AESX.new(KEY, AESX.MODE_GCM)


def bad_pycryptodome_nonce(key):
    # ruleid: static-key-iv-nonce
    a = AES.new(key, AES.MODE_GCM, nonce=b"fixed-nonce!")
    # ruleid: static-key-iv-nonce
    b = AES.new(key, AES.MODE_EAX, bytes(16))
    # ruleid: static-key-iv-nonce
    c = ChaCha20.new(key=key, nonce=bytes.fromhex("000000000000000000000000"))
    return a, b, c


def bad_fixed_counter(key):
    # ruleid: static-key-iv-nonce
    return AES.new(key, AES.MODE_CTR, counter=Counter.new(128))


def bad_cryptography_key_and_iv():
    key = "my secret passphrase".encode()
    # ruleid: static-key-iv-nonce
    return Cipher(algorithms.AES(key), modes.CBC(bytearray(16)))


def bad_derived_key(iv):
    derived = hashlib.sha256(b"correct horse battery staple").digest()
    # ruleid: static-key-iv-nonce
    return Cipher(algorithms.AES(derived), modes.CBC(iv))


def bad_empty_key(iv):
    # ruleid: static-key-iv-nonce
    return Cipher(algorithms.AES(b""), modes.CBC(iv))


def bad_gcm_nonce(key):
    # ruleid: static-key-iv-nonce
    return Cipher(algorithms.AES(key), modes.GCM(binascii.unhexlify("cafebabefacedbaddecaf888")))


def bad_aead_nonce(key, data):
    aead = AESGCM(key)
    # ruleid: static-key-iv-nonce
    return aead.encrypt(b"123456789012", data, None)


def bad_fernet():
    # ruleid: static-key-iv-nonce
    return Fernet(b"ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=")


def bad_multiline(key):
    return AES.new(
        key,
        AES.MODE_CBC,
        # ruleid: static-key-iv-nonce
        iv=b"abcdefghijklmnop",
    )


def bad_function_import(data):
    from Crypto.Cipher.AES import MODE_CBC
    from Crypto.Cipher.AES import new as make_cipher

    # ruleid: static-key-iv-nonce
    return make_cipher(os.urandom(16), MODE_CBC, iv="0000000000000000".encode())


def ok_random_sources(key, data):
    # ok: static-key-iv-nonce
    a = AES.new(key, AES.MODE_CBC, iv=os.urandom(16))
    # ok: static-key-iv-nonce
    b = AES.new(key, AES.MODE_GCM, nonce=secrets.token_bytes(12))
    # ok: static-key-iv-nonce
    c = AES.new(key, AES.MODE_CBC, get_random_bytes(16))
    nonce = os.urandom(12)
    # ok: static-key-iv-nonce
    d = AESGCM(AESGCM.generate_key(bit_length=256)).encrypt(nonce, data, None)
    # ok: static-key-iv-nonce
    e = Cipher(algorithms.AES(key), modes.CBC(os.urandom(16)))
    return a, b, c, d, e


def ok_generated_by_library(key):
    # ok: static-key-iv-nonce
    a = AES.new(key, AES.MODE_GCM)
    # ok: static-key-iv-nonce
    b = Fernet(Fernet.generate_key())
    # ok: static-key-iv-nonce
    c = AES.new(key, AES.MODE_CTR, counter=Counter.new(64, prefix=os.urandom(8)))
    return a, b, c


def ok_key_from_environment(iv):
    key = os.environ["AES_KEY"].encode()
    # ok: static-key-iv-nonce
    a = Cipher(algorithms.AES(key), modes.CBC(iv))
    # ok: static-key-iv-nonce
    b = AES.new(bytes.fromhex(os.environ["AES_KEY_HEX"]), AES.MODE_CBC, iv)
    return a, b


def ok_ecb_has_no_iv(key):
    # ok: static-key-iv-nonce
    return AES.new(key, AES.MODE_ECB)


def bad_aead_nonce_reused(key, first, second):
    nonce = os.urandom(12)
    aead = AESGCM(key)
    token = aead.encrypt(nonce, first, None)
    # ruleid: static-key-iv-nonce
    return token, aead.encrypt(nonce, second, None)


def bad_pycryptodome_nonce_reused(key, first, second):
    n = get_random_bytes(12)
    one = AES.new(key, AES.MODE_GCM, nonce=n).encrypt_and_digest(first)
    # ruleid: static-key-iv-nonce
    cipher = AES.new(key, AES.MODE_GCM, nonce=n)
    return one, cipher.encrypt_and_digest(second)


def bad_cbc_iv_reused(key, first, second):
    iv = os.urandom(16)
    one = AES.new(key, AES.MODE_CBC, iv).encrypt(first)
    # ruleid: static-key-iv-nonce
    two = AES.new(key, AES.MODE_CBC, iv).encrypt(second)
    return one, two


def ok_nonce_renewed(key, first, second):
    aead = AESGCM(key)
    nonce = os.urandom(12)
    one = aead.encrypt(nonce, first, None)
    nonce = os.urandom(12)
    # ok: static-key-iv-nonce
    return one, aead.encrypt(nonce, second, None)


def ok_encrypt_then_decrypt(key, data):
    nonce = secrets.token_bytes(12)
    sealed = AES.new(key, AES.MODE_GCM, nonce=nonce).encrypt(data)
    # ok: static-key-iv-nonce
    return AES.new(key, AES.MODE_GCM, nonce=nonce).decrypt(sealed)


def ok_aead_roundtrip(key, data):
    aead = AESGCM(key)
    nonce = os.urandom(12)
    sealed = aead.encrypt(nonce, data, None)
    # ok: static-key-iv-nonce
    return aead.decrypt(nonce, sealed, None)


def ok_exclusive_branches(key, data, legacy):
    aead = AESGCM(key)
    nonce = os.urandom(12)
    if legacy:
        return aead.encrypt(nonce, data, b"v1")
    else:
        # ok: static-key-iv-nonce
        return aead.encrypt(nonce, data, b"v2")


def ok_different_keys(key_a, key_b, data):
    nonce = os.urandom(12)
    one = AESGCM(key_a).encrypt(nonce, data, None)
    # ok: static-key-iv-nonce
    return one, AESGCM(key_b).encrypt(nonce, data, None)


def ok_separate_functions_a(aead, nonce, data):
    # ok: static-key-iv-nonce
    return aead.encrypt(nonce, data, None)


def ok_separate_functions_b(aead, nonce, data):
    # ok: static-key-iv-nonce
    return aead.encrypt(nonce, data, None)
