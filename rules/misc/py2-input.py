#!/usr/bin/env python2
# The shebang above marks this file as Python 2 (the file itself stays valid Python 3).
import six.moves as moves
from six.moves import input as six_input


def bad_prompt():
    # ruleid: py2-input
    return input("Your name: ")


def bad_in_expression():
    # ruleid: py2-input
    return int(input()) + 1


def bad_multiline():
    # ruleid: py2-input
    return input(
        "Age: ",
    )


def ok_raw_input():
    # ok: py2-input
    return raw_input("Your name: ")  # noqa: F821


def ok_six_moves():
    # ok: py2-input
    six_input("a")
    # ok: py2-input
    return moves.input("b")


def ok_future_builtins():
    from builtins import input

    # ok: py2-input
    return input("c")


def ok_shadowed(input):
    # ok: py2-input
    return input("d")


class Form:
    def input(self, prompt):
        return prompt

    def ok_method(self):
        # ok: py2-input
        return self.input("e")
