"""A name's sound: the toneless pinyin of each character, to recognise a homophone typo
(刘晓红 written for 刘小红).

Readings come from the ``pypinyin`` package — each character's first reading, as
``lazy_pinyin`` gives it without its phrase dictionary (names are read character by
character) — kept as a text table in ``data/pinyin.txt``, one line per reading with the
characters that have it (``build_table`` remakes it).  Loading the table takes a few
milliseconds, where importing the package and its dictionary takes a tenth of a second.
A character the table does not know stands for itself.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).parent.parent / "data" / "pinyin.txt"


@lru_cache(maxsize=1)
def readings() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in TABLE.read_text("utf-8").splitlines():
        reading, chars = line.split("\t")
        out.update(dict.fromkeys(chars, reading))
    return out


def sound(name: str) -> str:
    table = readings()
    return " ".join(table.get(ch, ch) for ch in name)


def package_reading(ch: str) -> str:
    """``ch`` read by pypinyin itself (maintainers: pip install "xl-jiaoyan[build]")."""
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    from pypinyin import lazy_pinyin
    return "".join(lazy_pinyin(ch))


def build_table(path: Path = TABLE) -> None:
    """Write the table from the ``pypinyin`` package."""
    package_reading("一")
    from pypinyin.pinyin_dict import pinyin_dict
    groups: dict[str, list[str]] = {}
    for cp in sorted(pinyin_dict):
        ch = chr(cp)
        reading = package_reading(ch)
        if reading != ch and "\t" not in reading and "\n" not in reading:
            groups.setdefault(reading, []).append(ch)
    path.write_text("".join(f"{r}\t{''.join(chars)}\n" for r, chars in sorted(groups.items())), "utf-8")
