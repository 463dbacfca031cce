from pysnmp.hlapi import (
    CommunityData,
    UsmUserData,
    usmAesCfb128Protocol,
    usmHMACSHAAuthProtocol,
    usmNoAuthProtocol,
    usmNoPrivProtocol,
)
from pysnmp.hlapi import UsmUserData as User
import pysnmp.hlapi.v3arch.asyncio as snmp


def bad_no_auth_no_priv():
    # ruleid: snmp-no-encryption
    return UsmUserData("monitor")


def bad_auth_no_priv(auth_key):
    # ruleid: snmp-no-encryption
    return User("monitor", auth_key)


def bad_keyword_auth_only(auth_key):
    # ruleid: snmp-no-encryption
    return snmp.UsmUserData("monitor", authKey=auth_key, authProtocol=usmHMACSHAAuthProtocol)


def bad_priv_none(auth_key):
    # ruleid: snmp-no-encryption
    return UsmUserData("monitor", auth_key, None)


def bad_no_priv_protocol(auth_key, priv_key):
    # ruleid: snmp-no-encryption
    return UsmUserData(
        "monitor",
        auth_key,
        priv_key,
        privProtocol=usmNoPrivProtocol,
    )


def bad_no_auth_protocol(auth_key, priv_key):
    # ruleid: snmp-no-encryption
    return UsmUserData("monitor", auth_key, authProtocol=usmNoAuthProtocol)


def ok_auth_priv(auth_key, priv_key):
    # ok: snmp-no-encryption
    return UsmUserData(
        "monitor",
        auth_key,
        priv_key,
        authProtocol=usmHMACSHAAuthProtocol,
        privProtocol=usmAesCfb128Protocol,
    )


def ok_keywords(auth_key, priv_key):
    # ok: snmp-no-encryption
    return User("monitor", authKey=auth_key, privKey=priv_key)


def ok_forwarded(**credentials):
    # ok: snmp-no-encryption
    return UsmUserData("monitor", **credentials)


def ok_community():
    # ok: snmp-no-encryption
    return CommunityData("public")


def bad_function_import():
    from pysnmp.hlapi import UsmUserData as User2

    # ruleid: snmp-no-encryption
    return User2("monitor")
