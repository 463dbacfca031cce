import ctypes
from ctypes.util import find_library

import pam
import pam as pamlib
import pamela

# ── PAM authentication without account management ────────────────────────────────────────


def bad_python_pam(username, password):
    # ruleid: pam-missing-account-check
    return pam.authenticate(username, password)


def bad_python_pam_object(username, password):
    checker = pamlib.pam()
    # ruleid: pam-missing-account-check
    return checker.authenticate(username, password, service="login")


def bad_ctypes_pam(handle):
    libpam = ctypes.CDLL(find_library("pam"))
    # ruleid: pam-missing-account-check
    return libpam.pam_authenticate(handle, 0) == 0


def bad_pamela_without_check(username, password):
    # ruleid: pam-missing-account-check
    pamela.authenticate(username, password, check=False)


def ok_pamela_checks_account(username, password):
    # pamela runs pam_acct_mgmt itself unless told not to.
    # ok: pam-missing-account-check
    pamela.authenticate(username, password)


def ok_ctypes_with_account_check(handle):
    libpam = ctypes.CDLL(find_library("pam"))
    # ok: pam-missing-account-check
    if libpam.pam_authenticate(handle, 0) == 0:
        return libpam.pam_acct_mgmt(handle, 0) == 0
    return False


_libpam = ctypes.CDLL(find_library("pam"))


def account_allowed(handle):
    return _libpam.pam_acct_mgmt(handle, 0) == 0


def ok_helper_checks_account(handle):
    # ok: pam-missing-account-check
    return _libpam.pam_authenticate(handle, 0) == 0 and account_allowed(handle)


def ok_unrelated_authenticate(backend, username, password):
    # ok: pam-missing-account-check
    return backend.authenticate(username, password)
