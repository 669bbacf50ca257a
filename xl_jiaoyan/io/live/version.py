"""Which xlwings this Python has (its VBA module and AppleScript are per version)."""
from __future__ import annotations


def xlwings_version() -> str | None:
    try:
        import xlwings
    except ImportError:
        return None
    return xlwings.__version__
