import os


def bad_string_hides_comment(access_level):
    # ruleid: trojan-source-bidi
    if access_level != "user‮ ⁦# Check if admin⁩ ⁦":
        return "admin"
    return "user"


def bad_trailing_comment(path):
    # ruleid: trojan-source-bidi
    os.remove(path)  # clean up ‮⁦; os.system("rm -rf /")⁩⁦


def bad_rtl_text_still_reported():
    # ruleid: trojan-source-bidi
    return "‫שלום‬"


def ok_escaped():
    # ok: trojan-source-bidi
    return "\u202e escaped characters are visible"


def ok_plain_rtl_text():
    # ok: trojan-source-bidi
    return "שלום עולם"


def ok_plain():
    # ok: trojan-source-bidi
    return "user"  # an ordinary comment
