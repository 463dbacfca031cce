import os

import pyDes
from Crypto.Cipher import AES, ARC2, ARC4, DES, DES3, Blowfish, XOR
from Cryptodome.Cipher import CAST as CASTX
from Cryptodome.Cipher import DES as DESX
from cryptography.hazmat.backends import default_backend
from cryptography.hazmat.decrepit.ciphers import algorithms as decrepit
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.algorithms import TripleDES as TDES


def bad_pycrypto(key, iv):
    # ruleid: broken-cipher
    a = DES.new(key, DES.MODE_CBC, iv)
    # ruleid: broken-cipher
    b = DES3.new(key, DES3.MODE_CBC, iv)
    # ruleid: broken-cipher
    c = ARC2.new(key, ARC2.MODE_CBC, iv)
    # ruleid: broken-cipher
    d = ARC4.new(key)
    # ruleid: broken-cipher
    e = Blowfish.new(key, Blowfish.MODE_CBC, iv)
    # ruleid: broken-cipher
    f = XOR.new(key)
    return a, b, c, d, e, f


def bad_cryptodome_aliases(key, iv):
    # ruleid: broken-cipher
    a = DESX.new(key, DESX.MODE_ECB)
    # ruleid: broken-cipher
    b = CASTX.new(key, CASTX.MODE_CBC, iv)
    return a, b


def bad_function_import(key):
    import Cryptodome.Cipher.ARC4 as rc4

    # ruleid: broken-cipher
    return rc4.new(key)


def bad_cryptography(key, iv):
    # ruleid: broken-cipher
    a = Cipher(algorithms.TripleDES(key), modes.CBC(iv), backend=default_backend())
    # ruleid: broken-cipher
    b = Cipher(algorithms.ARC4(key), mode=None)
    # ruleid: broken-cipher
    c = algorithms.Blowfish(key)
    # ruleid: broken-cipher
    d = algorithms.IDEA(key)
    # ruleid: broken-cipher
    e = algorithms.CAST5(key)
    # ruleid: broken-cipher
    f = algorithms.SEED(key)
    # ruleid: broken-cipher
    g = TDES(key)
    return a, b, c, d, e, f, g


def bad_decrepit(key):
    # ruleid: broken-cipher
    a = decrepit.RC2(key)
    # ruleid: broken-cipher
    b = decrepit.ARC4(key)
    return a, b


def bad_multiline(key):
    # ruleid: broken-cipher
    return DES.new(
        key,
        DES.MODE_ECB,
    )


def bad_pydes(key):
    # ruleid: broken-cipher
    a = pyDes.des(key)
    # ruleid: broken-cipher
    b = pyDes.triple_des(key)
    return a, b


def ok_aes(key, iv, nonce):
    # ok: broken-cipher
    a = AES.new(key, AES.MODE_GCM, nonce=nonce)
    # ok: broken-cipher
    b = Cipher(algorithms.AES(key), modes.GCM(iv))
    # ok: broken-cipher
    c = algorithms.ChaCha20(key, nonce)
    return a, b, c


def ok_unrelated_des():
    class DES:
        @staticmethod
        def new(value):
            return value

    # ok: broken-cipher
    return DES.new(os.environ["X"])


def ok_constant_reference():
    # ok: broken-cipher
    return DES.block_size, DES3.key_size
