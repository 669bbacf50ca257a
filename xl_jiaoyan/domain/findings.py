"""Findings as data: what the tool noticed, with no word of Chinese prose in it.

A finding holds its level, a message ``code`` (the catalogue in ``messages`` gives its
category and words), the place (sheet as the workbook names it, Excel row, the contract's
column name), the people concerned — teacher ids (ints), or the text written when it
names no one on the roster — the day, and the message's parameters.  Names become text
in one place, ``messages.render``, through the roster's label (王芳(语文组) for
namesakes), for every output alike.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Iterator, Sequence


ERROR, WARNING, HINT = "错误", "警告", "提示"
LEVEL_ORDER = {ERROR: 0, WARNING: 1, HINT: 2}

@dataclass(frozen=True)
class Finding:
    level: str                    # 错误 / 警告 / 提示
    code: str                     # a key of messages.CATALOGUE
    sheet: str = ""               # the sheet as the workbook names it
    row: int | None = None        # Excel row number
    column: str = ""              # the contract's name of the column concerned
    people: tuple = ()            # teacher ids, or texts written that name no one known
    day: date | None = None
    params: tuple = ()            # (name, value) pairs for the message

    @property
    def category(self) -> str:
        from xl_jiaoyan.domain.messages import category
        return category(self.code)



def finding(level: str, code: str, sheet: str = "", row: int | None = None, column: str = "",
            people: Iterable | int | str | None = (), day: date | None = None, **params) -> Finding:
    """A Finding, with the people as a tuple and the parameters as keywords."""
    return Finding(level, code, sheet, None if row is None else int(row), column or "", as_people(people), day,
                   tuple(sorted(params.items())))


def as_people(value) -> tuple:
    """People as a finding keeps them: a tuple of teacher ids and texts (blank texts dropped)."""
    if value is None or value == "":
        return ()
    if isinstance(value, (int, str)):
        return (value,)
    if hasattr(value, "item") and not hasattr(value, "__len__"):      # a numpy integer
        return (value.item(),)
    return tuple(v for v in value if v is not None and v != "")


COLUMNS = ("level", "code", "sheet", "row", "column", "people", "day", "params")


class Findings:
    """The findings of a run as columns, in the order they were found.

    The checks over a large log add their findings a batch at a time (``add``: one code,
    columns of rows, people, days and parameters; no Python object per finding); the rare
    kinds ``append`` a ``Finding``.  ``messages.render`` turns the table into the
    冲突检查 columns, sorted once (level, sheet, row, category)."""

    def __init__(self, items: Iterable[Finding] = ()):
        self.parts: list[tuple[int, dict]] = []      # (length, column -> list or one value)
        self._singles: list[Finding] = []
        self.extend(items)

    def append(self, f: Finding) -> None:
        self._singles.append(f)

    def add(self, level: str, code: str, sheet: str, rows: Sequence, column: str = "",
            people: Sequence | str | int | None = None, days: Sequence | date | None = None, **params) -> None:
        """A batch of findings: ``rows`` one per finding; ``people`` one per finding (a
        teacher id, a text, or a tuple of them) or one for all; ``days`` and each
        parameter either one value per finding or one for all."""
        n = len(rows)
        if not n:
            return
        self._flush()
        if people is None or isinstance(people, (str, int)):
            people = as_people(people)
            one_people = True
        else:
            people = people.tolist() if hasattr(people, "tolist") else list(people)
            one_people = False
        self.parts.append((n, {"level": level, "code": code, "sheet": sheet, "column": column,
                               "row": rows.tolist() if hasattr(rows, "tolist") else [int(r) for r in rows],
                               "people": people if one_people else list(people), "one_people": one_people,
                               "day": days if isinstance(days, (date, type(None))) else list(days),
                               "params": {k: v if isinstance(v, (str, int, float, date, type(None))) else list(v)
                                          for k, v in params.items()}}))

    def extend(self, items: Iterable[Finding]) -> None:
        if isinstance(items, Findings):
            self._flush()
            items._flush()
            self.parts.extend(items.parts)
        else:
            for f in items:
                self.append(f)

    def __iadd__(self, items: Iterable[Finding]) -> "Findings":
        self.extend(items)
        return self

    def _flush(self) -> None:
        """Singles appended so far become a part, keeping the order of finding."""
        if self._singles:
            fs, self._singles = self._singles, []
            self.parts.append((len(fs), {"singles": fs}))

    def flushed(self) -> list[tuple[int, dict]]:
        self._flush()
        return self.parts

    def __len__(self) -> int:
        return sum(n for n, _ in self.parts) + len(self._singles)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self) -> Iterator[Finding]:
        for n, part in self.flushed():
            if "singles" in part:
                yield from part["singles"]
                continue
            for i in range(n):
                yield Finding(part["level"], part["code"], part["sheet"], part["row"][i], part["column"],
                              part["people"] if part["one_people"] else as_people(part["people"][i]),
                              part["day"] if not isinstance(part["day"], list) else part["day"][i],
                              tuple(sorted((k, v[i] if isinstance(v, list) else v)
                                           for k, v in part["params"].items())))

    def count(self, level: str) -> int:
        total = 0
        for n, part in self.flushed():
            if "singles" in part:
                total += sum(f.level == level for f in part["singles"])
            elif part["level"] == level:
                total += n
        return total
