import paramiko
import rsa
from Crypto.PublicKey import DSA, RSA
from Cryptodome.PublicKey import ECC
from Cryptodome.PublicKey import RSA as RSAX
from cryptography.hazmat.backends import default_backend
from cryptography.hazmat.primitives.asymmetric import dsa, ec
from cryptography.hazmat.primitives.asymmetric import rsa as crsa
from OpenSSL import crypto

KEY_BITS = 1024


def bad_cryptography_rsa():
    # ruleid: weak-key-size
    a = crsa.generate_private_key(public_exponent=65537, key_size=1024, backend=default_backend())
    # ruleid: weak-key-size
    b = crsa.generate_private_key(65537, 512, default_backend())
    # ruleid: weak-key-size
    c = crsa.generate_private_key(65537, key_size=KEY_BITS)
    return a, b, c


def bad_cryptography_dsa():
    # ruleid: weak-key-size
    a = dsa.generate_private_key(key_size=1024)
    # ruleid: weak-key-size
    b = dsa.generate_parameters(1536)
    return a, b


def bad_cryptography_ec():
    # ruleid: weak-key-size
    a = ec.generate_private_key(ec.SECP192R1(), default_backend())
    # ruleid: weak-key-size
    b = ec.generate_private_key(curve=ec.SECT163K1())
    curve = ec.SECT163R2()
    # ruleid: weak-key-size
    c = ec.derive_private_key(12345, curve)
    return a, b, c


def bad_pycryptodome():
    # ruleid: weak-key-size
    a = RSA.generate(1024)
    # ruleid: weak-key-size
    b = RSAX.generate(bits=1536)
    # ruleid: weak-key-size
    c = DSA.generate(1024)
    # ruleid: weak-key-size
    d = ECC.generate(curve="P-192")
    return a, b, c, d


def bad_python_rsa():
    # ruleid: weak-key-size
    public, private = rsa.newkeys(512)
    return public, private


def bad_function_import():
    from cryptography.hazmat.primitives.asymmetric.rsa import generate_private_key as gen

    return gen(
        public_exponent=65537,
        # ruleid: weak-key-size
        key_size=1024,
    )


def bad_paramiko():
    # ruleid: weak-key-size
    a = paramiko.RSAKey.generate(1024)
    # paramiko's DSS keys are 1024 bits unless told otherwise.
    # ruleid: weak-key-size
    b = paramiko.DSSKey.generate()
    return a, b


def bad_pyopenssl():
    key = crypto.PKey()
    # ruleid: weak-key-size
    key.generate_key(crypto.TYPE_RSA, 1024)
    return key


def ok_sizes():
    # ok: weak-key-size
    a = crsa.generate_private_key(public_exponent=65537, key_size=2048)
    # ok: weak-key-size
    b = RSA.generate(4096)
    # ok: weak-key-size
    c = ec.generate_private_key(ec.SECP256R1())
    # ok: weak-key-size
    d = ECC.generate(curve="P-256")
    # ok: weak-key-size
    e = rsa.newkeys(3072)
    # ok: weak-key-size
    f = paramiko.RSAKey.generate(bits=4096)
    # ok: weak-key-size
    g = ec.generate_private_key(ec.SECP224R1())
    # ok: weak-key-size
    h = ECC.generate(curve="Ed25519")
    # ok: weak-key-size
    i = ECC.generate(curve="NIST P-224")
    return a, b, c, d, e, f, g, h, i


def ok_unknown_size(bits, options):
    # ok: weak-key-size
    a = RSA.generate(bits)
    # ok: weak-key-size
    b = crsa.generate_private_key(65537, **options)
    return a, b


def ok_unrelated(generator):
    # ok: weak-key-size
    a = generator.generate(1024)
    # ok: weak-key-size
    b = generator.generate_key(crypto.TYPE_RSA, 1024)
    return a, b
