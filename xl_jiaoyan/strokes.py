"""Name lists in the official order: by the surname's stroke count (姓氏笔画).

Chinese notices list people by the number of strokes of the surname, fewest first, and
keep one surname together.  The order compares the names character by character: first
the stroke count, then (to keep one surname together) the character itself, then the
next character the same way.  Counts come from the ``strokes`` package (Unihan total
stroke counts); a character it does not know sorts after every known one.  The finer
rule of the national standard for equal counts — the first stroke in 横竖撇点折 order —
needs per-stroke data no permissively licensed package offers, so characters with equal
counts are ordered by code point instead: stable, and the same on every machine.
"""
from __future__ import annotations

from functools import lru_cache

UNKNOWN = 99


@lru_cache(maxsize=1)
def _counts():
    from strokes import strokes    # loads its table on import: only when a notice is made
    return strokes


def stroke_count(ch: str) -> int:
    n = _counts()(ch)
    return n if isinstance(n, int) and n > 0 else UNKNOWN


def stroke_key(name: str) -> tuple:
    return tuple((stroke_count(ch), ord(ch)) for ch in name)


def by_strokes(names) -> list[str]:
    """Distinct names, ordered by surname strokes."""
    return sorted(dict.fromkeys(names), key=stroke_key)
