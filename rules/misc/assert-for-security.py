import typing
from typing import TYPE_CHECKING


def bad_owner_check(request, project):
    # ruleid: assert-for-security
    assert request.user == project.owner
    project.delete()


def bad_admin_check(user):
    # ruleid: assert-for-security
    assert user.is_admin, "admins only"
    return "secret"


def bad_permission_check(user, document):
    # ruleid: assert-for-security
    assert user.has_perm("docs.change_document", document)


def bad_multiline(user):
    # ruleid: assert-for-security
    assert (
        user.is_authenticated
        and user.is_staff
    )


def bad_generic_invariant(rows):
    # ruleid: assert-for-security
    assert len(rows) > 0
    return rows[0]


def ok_isinstance(value):
    # auditid: assert-for-security
    assert isinstance(value, str)
    return value.upper()


def ok_not_none(conn):
    # auditid: assert-for-security
    assert conn is not None
    # auditid: assert-for-security
    assert conn.cursor is not None and isinstance(conn.timeout, int)
    return conn


if TYPE_CHECKING:
    # auditid: assert-for-security
    assert False


if typing.TYPE_CHECKING:
    from collections.abc import Sequence

    def check(items: Sequence[int]) -> None:
        # auditid: assert-for-security
        assert items


def ok_explicit_check(request, project):
    # ok: assert-for-security
    if request.user != project.owner:
        raise PermissionError("not the owner")
    project.delete()
