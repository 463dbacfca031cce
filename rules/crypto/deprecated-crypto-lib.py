# ruleid: deprecated-crypto-lib
import Crypto

# ruleid: deprecated-crypto-lib
import Crypto.Cipher.AES as AES_MODULE

# ruleid: deprecated-crypto-lib
import os, Crypto.Hash

# ruleid: deprecated-crypto-lib
from Crypto.Cipher import AES

# ruleid: deprecated-crypto-lib
from Crypto import Random

# ruleid: deprecated-crypto-lib
from Crypto.PublicKey import (
    RSA,
)

# ok: deprecated-crypto-lib
import Cryptodome

# ok: deprecated-crypto-lib
from Cryptodome.Cipher import AES as AESX

# ok: deprecated-crypto-lib
import cryptography

# ok: deprecated-crypto-lib
from cryptography.hazmat.primitives.ciphers import Cipher

# ok: deprecated-crypto-lib
import CryptoUtils

# ok: deprecated-crypto-lib
from CryptoPlus.Cipher import python_AES


def bad_function_import():
    # ruleid: deprecated-crypto-lib
    from Crypto.Protocol.KDF import PBKDF2

    return PBKDF2


def ok_uses_of_the_names():
    # Only import statements are reported, not each use.
    # ok: deprecated-crypto-lib
    return AES.new(os.urandom(16), AES.MODE_GCM), Crypto, AES_MODULE, RSA, Random


def ok_relative_import():
    # ok: deprecated-crypto-lib
    from .Crypto import helpers

    return helpers, Cryptodome, AESX, cryptography, Cipher, CryptoUtils, python_AES
