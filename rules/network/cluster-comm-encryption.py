import distributed
import motor.motor_asyncio
import pymongo
from distributed import Security
from distributed.security import Security as DaskSecurity
from pymongo import MongoClient


def bad_dask_default():
    # ruleid: cluster-comm-encryption
    return Security(tls_ca_file="ca.pem", tls_client_cert="cert.pem", tls_client_key="key.pem")


def bad_dask_explicit_false():
    # ruleid: cluster-comm-encryption
    return DaskSecurity(
        tls_ca_file="ca.pem",
        require_encryption=False,
    )


def bad_dask_module():
    # ruleid: cluster-comm-encryption
    return distributed.Security()


def bad_mongo_keyword(password):
    # ruleid: cluster-comm-encryption
    return MongoClient("db.example.com", username="app", password=password, authMechanism="MONGODB-CR")


def bad_mongo_uri():
    # ruleid: cluster-comm-encryption
    return pymongo.MongoClient("mongodb://db.example.com/?authMechanism=MONGODB-CR")


def bad_motor(password):
    # ruleid: cluster-comm-encryption
    return motor.motor_asyncio.AsyncIOMotorClient(host="db.example.com", authMechanism="MONGODB-CR")


def ok_dask_encrypted():
    # ok: cluster-comm-encryption
    return Security(tls_ca_file="ca.pem", require_encryption=True)


def ok_dask_temporary():
    # ok: cluster-comm-encryption
    return Security.temporary()


def ok_dask_configured(settings):
    # ok: cluster-comm-encryption
    return Security(require_encryption=settings.DASK_REQUIRE_ENCRYPTION)


def ok_mongo_scram(password):
    # ok: cluster-comm-encryption
    return MongoClient("db.example.com", username="app", password=password, authMechanism="SCRAM-SHA-256", tls=True)


def ok_other_security(framework):
    # ok: cluster-comm-encryption
    return framework.Security()


def bad_function_import():
    from distributed import Security as Sec

    # ruleid: cluster-comm-encryption
    return Sec(require_encryption=False)
