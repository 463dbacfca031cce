from pysnmp.entity.rfc3413.oneliner import cmdgen
from pysnmp.hlapi import CommunityData, UsmUserData
from pysnmp.hlapi import CommunityData as Community
import pysnmp.hlapi.v3arch.asyncio as snmp


def bad_v1():
    # ruleid: snmp-insecure-version
    return CommunityData("public", mpModel=0)


def bad_v2c_explicit():
    # ruleid: snmp-insecure-version
    return Community("public", mpModel=1)


def bad_v2c_default():
    # ruleid: snmp-insecure-version
    return snmp.CommunityData("public")


def bad_positional():
    # ruleid: snmp-insecure-version
    return cmdgen.CommunityData("agent", "public", 0)


def bad_multiline(community):
    # ruleid: snmp-insecure-version
    return CommunityData(
        community,
        mpModel=1,
    )


def ok_v3(auth_key, priv_key):
    # ok: snmp-insecure-version
    return UsmUserData("monitor", auth_key, priv_key)


def ok_other_library(lib):
    # ok: snmp-insecure-version
    return lib.CommunityData("public")


def bad_function_import():
    from pysnmp.hlapi import CommunityData as Community2

    # ruleid: snmp-insecure-version
    return Community2("public", mpModel=0)
