import pyaes
from Crypto.Cipher import AES, DES3
from Cryptodome.Cipher import AES as AESX
from Cryptodome.Cipher import DES
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.modes import ECB as ElectronicCodeBook


def bad_cryptography(key):
    # ruleid: ecb-mode
    return Cipher(algorithms.AES(key), modes.ECB())


def bad_cryptography_alias(key):
    # ruleid: ecb-mode
    mode = ElectronicCodeBook()
    return Cipher(algorithms.AES(key), mode)


def bad_pycryptodome_positional(key, data):
    # ruleid: ecb-mode
    return AES.new(key, AES.MODE_ECB).encrypt(data)


def bad_pycryptodome_keyword(key):
    # ruleid: ecb-mode
    return AESX.new(key, mode=AESX.MODE_ECB)


def bad_des(key):
    # ruleid: ecb-mode
    a = DES.new(key, DES.MODE_ECB)
    # ruleid: ecb-mode
    b = DES3.new(key, DES3.MODE_ECB)
    return a, b


def bad_mode_in_variable(key):
    mode = AES.MODE_ECB
    # ruleid: ecb-mode
    return AES.new(key, mode)


def bad_mode_number(key):
    # ruleid: ecb-mode
    return AES.new(key, 1)


def bad_default_mode(key):
    # PyCrypto 2.x defaults to ECB when no mode is given.
    # ruleid: ecb-mode
    return AES.new(key)


def bad_multiline(key):
    # ruleid: ecb-mode
    return AES.new(
        key,
        AES.MODE_ECB,
    )


def bad_function_import(key):
    from Crypto.Cipher.AES import MODE_ECB
    from Crypto.Cipher.AES import new as aes_new

    # ruleid: ecb-mode
    return aes_new(key, MODE_ECB)


def bad_pyaes(key):
    # ruleid: ecb-mode
    return pyaes.AESModeOfOperationECB(key)


def ok_other_modes(key, iv, nonce):
    # ok: ecb-mode
    a = AES.new(key, AES.MODE_GCM, nonce=nonce)
    # ok: ecb-mode
    b = AES.new(key, AES.MODE_CBC, iv)
    # ok: ecb-mode
    c = Cipher(algorithms.AES(key), modes.GCM(iv))
    # ok: ecb-mode
    d = AES.new(key, mode=AES.MODE_EAX)
    return a, b, c, d


def ok_unknown_mode(key, mode, options):
    # ok: ecb-mode
    a = AES.new(key, mode)
    # ok: ecb-mode
    b = AES.new(key, **options)
    return a, b


def ok_constant_reference():
    # ok: ecb-mode
    return AES.MODE_ECB == 1
