"""Name lists in the official order: by the surname's stroke count (姓氏笔画).

Chinese notices list people by the number of strokes of the surname, fewest first, and
keep one surname together.  The order compares the names character by character: first
the stroke count, then (to keep one surname together) the character itself, then the
next character the same way.  Counts come from the ``strokes`` package (Unihan total
stroke counts), kept as a byte table in ``data/strokes.bin`` (``build_table`` remakes it);
a character it does not know sorts after every known one.  The finer
rule of the national standard for equal counts — the first stroke in 横竖撇点折 order —
needs per-stroke data no permissively licensed package offers, so characters with equal
counts are ordered by code point instead: stable, and the same on every machine.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

UNKNOWN = 99
TABLE = Path(__file__).parent.parent / "data" / "strokes.bin"
FIRST = 0x3400        # the table's first character (CJK Extension A); one byte per code point


@lru_cache(maxsize=1)
def _counts() -> bytes:
    """Stroke counts by code point from FIRST, 0 where unknown: the ``strokes`` package's
    Unihan counts, stored as bytes (read in microseconds, where the package's JSON takes
    a tenth of a second to load)."""
    return TABLE.read_bytes()


def stroke_count(ch: str) -> int:
    table, k = _counts(), ord(ch) - FIRST
    n = table[k] if 0 <= k < len(table) else 0
    return n if n > 0 else UNKNOWN


def build_table(path: Path = TABLE) -> None:
    """Write the table from the ``strokes`` package (maintainers: pip install "xl-jiaoyan[build]")."""
    from strokes.strokes import data
    counts = {ord(ch): n for ch, n in data.items() if len(ch) == 1 and isinstance(n, int) and 0 < n < 256}
    table = bytearray(max(counts) - FIRST + 1)
    for cp, n in counts.items():
        if cp >= FIRST:
            table[cp - FIRST] = n
    path.write_bytes(bytes(table))


def stroke_key(name: str) -> tuple:
    return tuple((stroke_count(ch), ord(ch)) for ch in name)


def by_strokes(names) -> list[str]:
    """Distinct names, ordered by surname strokes."""
    return sorted(dict.fromkeys(names), key=stroke_key)
