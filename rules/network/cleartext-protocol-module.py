# ok: cleartext-protocol-module
import ftplib
import ftplib as f
# ok: cleartext-protocol-module
import telnetlib
from ftplib import FTP as PlainFTP
from ftplib import FTP_TLS
from telnetlib import Telnet

from pyghmi.ipmi import command


def bad_telnet(host):
    # ruleid: cleartext-protocol-module
    session = telnetlib.Telnet(host, 23)
    session.write(b"show version\n")
    return session.read_all()


def bad_telnet_from_import(host):
    # ruleid: cleartext-protocol-module
    with Telnet(host) as session:
        return session.read_until(b"login: ")


def bad_ftp(password):
    # ruleid: cleartext-protocol-module
    ftp = ftplib.FTP("files.example.com")
    ftp.login("deploy", password)
    return ftp


def bad_ftp_aliases(host):
    # ruleid: cleartext-protocol-module
    a = f.FTP(host)
    # ruleid: cleartext-protocol-module
    b = PlainFTP(
        host=host,
        user="anonymous",
    )
    return a, b


def bad_function_import(host):
    from ftplib import FTP

    # ruleid: cleartext-protocol-module
    return FTP(host)


def bad_ipmi(bmc, user, password):
    # ruleid: cleartext-protocol-module
    return command.Command(bmc=bmc, userid=user, password=password)


def bad_local_ftp_still_reported():
    # ruleid: cleartext-protocol-module
    return ftplib.FTP("localhost")


def ok_ftp_tls(password):
    # ok: cleartext-protocol-module
    ftp = FTP_TLS("files.example.com")
    ftp.login("deploy", password)
    # ok: cleartext-protocol-module
    ftp.prot_p()
    # ok: cleartext-protocol-module
    other = ftplib.FTP_TLS("mirror.example.com")
    other.prot_p()
    return ftp, other


def audit_ftp_tls_without_protected_data(password):
    # auditid: cleartext-protocol-module
    ftp = FTP_TLS("files.example.com", "deploy", password)
    ftp.retrbinary("RETR report.csv", print)


def ok_error_handling(ftp):
    try:
        # ok: cleartext-protocol-module
        ftp.retrlines("LIST")
    # ok: cleartext-protocol-module
    except ftplib.all_errors:
        return None
    return ftp


def ok_unrelated_telnet(client):
    # ok: cleartext-protocol-module
    return client.Telnet("example.com")
