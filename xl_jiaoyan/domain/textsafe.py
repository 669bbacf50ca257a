"""Text that leaves the tool for another program: a terminal, a CSV file opened in Excel.

Cell text comes from workbooks anyone may have written, so it is made inert on the way
out: control characters are shown escaped on a terminal (an escape sequence in a name
could otherwise move the cursor, retitle the window or hide a line), and CSV fields that
a spreadsheet would evaluate as a formula are prefixed with an apostrophe.
"""
from __future__ import annotations

import re

# C0 and C1 controls (newline kept: it is ours), DEL, and the bidirectional overrides and
# isolates that can make a line read differently from what it holds.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# what XML 1.0 (a .docx) cannot hold at all: shown escaped rather than stopping the writer
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NUMBER = re.compile(r"[+-]\s*[\d.]+([eE][+-]?\d+)?%?")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def _escape(m: re.Match) -> str:
    c = ord(m.group(0))
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def xml_text(text: str) -> str:
    """``text`` with the characters an XML document cannot hold shown as escapes."""
    return _NOT_XML.sub(_escape, text)


def printable(text: str) -> str:
    """``text`` with every control character shown as an escape (\\x1b, \\u202e)."""
    return _CONTROL.sub(_escape, text)


def csv_cell(value):
    """A CSV field that Excel and WPS will show as text, never evaluate: a value starting
    with =, +, -, @, tab or a line break gets a leading apostrophe, except a plain signed
    number such as -5 or +3.5."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    if value[0] in "+-" and _NUMBER.fullmatch(value):
        return value
    return "'" + value
