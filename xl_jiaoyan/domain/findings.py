"""Findings (冲突检查 rows) and the error that stops a run."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Iterator, Sequence

ERROR, WARNING, HINT = "错误", "警告", "提示"
LEVEL_ORDER = {ERROR: 0, WARNING: 1, HINT: 2}


class WorkbookError(Exception):
    """The workbook cannot be used as it is; the message is for the user (Chinese).

    Raised before anything is written, so the file stays as it was.  Exit code 2.
    """


class PlaceError(WorkbookError):
    """A WorkbookError at a place of the workbook: the sheet, and the row and column
    where there is one.  The message starts with the place, as ``where`` writes it."""

    def __init__(self, sheet: str, row: int | None, column: str | None, problem: str):
        super().__init__(where(sheet, row, column) + problem)
        self.sheet, self.row, self.column = sheet, row, column


class ForeignSheet(WorkbookError):
    """A sheet of an output name exists that the tool did not write (both adapters)."""

    def __init__(self, name: str):
        super().__init__(f"工作簿中已有名为「{name}」的工作表，但它不是本工具生成的，为避免覆盖你的数据，已停止。"
                         f"请把这个工作表改名（例如改成「{name}（旧）」）后再运行。")
        self.name = name


@dataclass(frozen=True)
class Finding:
    level: str            # 错误 / 警告 / 提示
    category: str         # 人员冲突, 未知人员, 日期无效 ...
    sheet: str = ""
    row: int | None = None  # Excel row number
    person: str = ""
    day: date | None = None
    message: str = ""
    advice: str = ""

    def values(self) -> tuple:
        """The finding as a 冲突检查 row (contract.FINDING_COLUMNS order)."""
        return (self.level, self.category, self.sheet, self.row, self.person, self.day, self.message, self.advice)

    def sort_key(self):
        return (LEVEL_ORDER.get(self.level, 9), self.sheet, self.row or 0, self.category)


COLUMNS = ("level", "category", "sheet", "row", "person", "day", "message", "advice")


class Findings:
    """The 冲突检查 rows as columns, in the order they were found.

    The checks over a large log add their findings a batch of columns at a time (``add``:
    no Python object per finding); the rare kinds ``append`` a ``Finding``.  The sheet,
    the counts, ``check`` and the notice read the same table: ``columns(sorted=True)``
    sorts it once (level, sheet, row, category; stable), ``count`` counts a level, and
    iterating gives ``Finding`` objects for the small uses.
    """

    def __init__(self, items: Iterable[Finding] = ()):
        self._parts: list[tuple[int, dict]] = []      # (length, column -> list or one value)
        self._singles: list[Finding] = []
        self._cache: dict[bool, dict[str, list]] = {}
        self.extend(items)

    def append(self, f: Finding) -> None:
        self._singles.append(f)
        self._cache.clear()

    def add(self, level: str, category: str, sheet: str, rows: Sequence, people: Sequence | str,
            days: Sequence | None, messages: Sequence | str, advice: Sequence | str) -> None:
        """A batch of findings: ``rows`` one per finding; every other argument either one
        value per finding or one value for all of them."""
        n = len(rows)
        if not n:
            return
        self._flush()
        self._parts.append((n, {"level": level, "category": category, "sheet": sheet,
                                "row": rows.tolist() if hasattr(rows, "tolist") else [int(r) for r in rows], "person": people, "day": days,
                                "message": messages, "advice": advice}))
        self._cache.clear()

    def extend(self, items: Iterable[Finding]) -> None:
        if isinstance(items, Findings):
            self._flush()
            items._flush()
            self._parts.extend(items._parts)
            self._cache.clear()
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
            self._parts.append((len(fs), {c: [getattr(f, c) for f in fs] for c in COLUMNS}))

    def __len__(self) -> int:
        return sum(n for n, _ in self._parts) + len(self._singles)

    def __bool__(self) -> bool:
        return len(self) > 0

    def columns(self, sorted: bool = False) -> dict[str, list]:
        """Every column as one list (``sorted``: by level, sheet, row, category)."""
        if sorted not in self._cache:
            self._flush()
            cols: dict[str, list] = {c: [] for c in COLUMNS}
            for n, part in self._parts:
                for c in COLUMNS:
                    v = part[c]
                    if isinstance(v, (str, date, type(None))):      # one value for the whole batch
                        cols[c].extend([v] * n)
                    else:
                        cols[c].extend(v)
            if sorted and cols["row"]:
                order = self._order(cols)
                cols = {c: list(map(v.__getitem__, order)) for c, v in cols.items()} if order is not None else cols
            self._cache[sorted] = cols
        return self._cache[sorted]

    @staticmethod
    def _order(cols: dict[str, list]) -> list[int] | None:
        """The stable order of Finding.sort_key, by integer keys (None: already in order)."""
        import numpy as np        # not at import: the CLI starts without numpy
        row = np.array([r or 0 for r in cols["row"]], dtype=np.int64)
        level = _ranks(cols["level"], key=lambda v: LEVEL_ORDER.get(v, 9))
        order = np.lexsort((_ranks(cols["category"]), row, _ranks(cols["sheet"]), level))
        if (order[1:] > order[:-1]).all():
            return None
        return order.tolist()

    def __iter__(self) -> Iterator[Finding]:
        cols = self.columns()
        return (Finding(*values) for values in zip(*(cols[c] for c in COLUMNS)))

    def sorted(self) -> list[Finding]:
        cols = self.columns(sorted=True)
        return [Finding(*values) for values in zip(*(cols[c] for c in COLUMNS))]

    def count(self, level: str) -> int:
        self._flush()
        return sum(n if part["level"] == level else 0 if isinstance(part["level"], str)
                   else sum(v == level for v in part["level"]) for n, part in self._parts)


def _ranks(values: list, key=None):
    """Each value's rank among the distinct values (few: levels, sheets, categories) in
    the order of ``key`` (default: the values'), so integers sort as the values do; hashed,
    not compared per element (a numpy array)."""
    import numpy as np
    import pandas as pd
    codes, uniques = pd.factorize(np.array(values, dtype=object))      # None: code -1, ranked last
    keys = [u if key is None else key(u) for u in uniques]
    dense = {k: i for i, k in enumerate(sorted(set(keys)))}              # equal keys, equal ranks
    return np.array([dense[k] for k in keys] + [len(dense)], dtype=np.int64)[codes]


def where(sheet: str, row: int | None, column: str | None = None) -> str:
    """'工作表「听课记录」第 12 行「日期」列' — how messages name a place."""
    text = f"工作表「{sheet}」"
    if row:
        text += f"第 {row} 行"
    if column:
        text += f"「{column}」列"
    return text
