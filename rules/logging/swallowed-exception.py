import builtins
import logging
import os

logger = logging.getLogger(__name__)


def bad_bare(plan):
    try:
        plan.apply()
    # ruleid: swallowed-exception
    except:
        pass


def bad_exception(plan):
    try:
        plan.apply()
    # ruleid: swallowed-exception
    except Exception:
        # nothing to do here
        pass


def bad_base_exception_as(plan):
    try:
        plan.apply()
    # ruleid: swallowed-exception
    except BaseException as error:
        ...


def bad_tuple_continue(jobs):
    for job in jobs:
        try:
            job.run()
        # ruleid: swallowed-exception
        except (ValueError, builtins.Exception):
            continue


def bad_cleanup_low(path):
    try:
        os.remove(path)
    # ruleid: swallowed-exception
    except Exception:
        pass


def ok_typed(path):
    try:
        os.remove(path)
    # ok: swallowed-exception
    except FileNotFoundError:
        pass


def ok_typed_continue(rows):
    for row in rows:
        try:
            yield int(row)
        # ok: swallowed-exception
        except (ValueError, TypeError):
            continue


def ok_logged(plan):
    try:
        plan.apply()
    # ok: swallowed-exception
    except Exception:
        logger.exception("plan failed")


def ok_reraised(plan):
    try:
        plan.apply()
    # ok: swallowed-exception
    except Exception:
        plan.rollback()
        raise
