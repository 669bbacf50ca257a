"""The read side of the seam: a sheet as a grid of raw cell values.

Adapters (file, live, tests) produce ``Grid`` objects; nothing above this module knows
where they came from.  Row ``i`` of ``rows`` is Excel row ``first_row + i``; column ``j``
is Excel column ``j`` (0 = A).  Empty cells are ``None`` or ``''``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from xl_jiaoyan.domain.frames import pd

Cell = object
Range = tuple[tuple[int, int], tuple[int, int]]  # ((row0, col0), (row1, col1)), 0-based


@dataclass
class Grid:
    """A sheet's cells, as rows (``rows``) or, for large sheets, as a column frame
    (``frame``: columns 0..n-1, text values, None for empty cells)."""

    name: str
    rows: list[list[Cell]] | None = None
    first_row: int = 1
    merged: list[Range] = field(default_factory=list)
    frame: pd.DataFrame | None = None
    percent: set[tuple[int, int]] = field(default_factory=set)   # (Excel row, column) shown as n%
    # a column frame's cells that hold numbers, by (Excel row, column): a column-wise
    # reader gives text, and a date column must tell the number 4.1 from the text "4.1"
    numbers: dict[tuple[int, int], float] = field(default_factory=dict)

    def head(self, n: int) -> list[list[Cell]]:
        if self.frame is not None:
            return [list(r) for r in self.frame.head(n).itertuples(index=False)]
        return self.rows[:n]

    def body(self, start: int) -> pd.DataFrame:
        """Rows from index ``start`` on, columns numbered from 0 (A)."""
        if self.frame is not None:
            body = self.frame.iloc[start:].reset_index(drop=True)
            return self._typed(body, self.first_row + start) if self.numbers else body
        return pd.DataFrame(self.rows[start:], dtype=object)   # short rows padded with None

    def _typed(self, body: pd.DataFrame, first: int) -> pd.DataFrame:
        """The column frame with the number cells as numbers again."""
        by_column: dict[int, list[tuple[int, float]]] = {}
        for (row, col), value in self.numbers.items():
            if col in body.columns and 0 <= row - first < len(body):
                by_column.setdefault(col, []).append((row - first, value))
        for col, cells in by_column.items():
            values = body[col].astype(object).to_numpy().copy()
            for i, value in cells:
                values[i] = value
            body[col] = values
        return body

    def __len__(self) -> int:
        return len(self.frame) if self.frame is not None else len(self.rows)

    def fill_merged(self) -> None:
        """Give every cell of a merged range the value of its top-left cell."""
        if self.rows is None:
            return
        for (r0, c0), (r1, c1) in self.merged:
            i0 = r0 - (self.first_row - 1)
            if i0 < 0 or i0 >= len(self.rows):
                continue
            top = self.rows[i0]
            value = top[c0] if c0 < len(top) else None
            for i in range(max(i0, 0), min(r1 - (self.first_row - 1), len(self.rows) - 1) + 1):
                row = self.rows[i]
                if len(row) <= c1:
                    row.extend([None] * (c1 + 1 - len(row)))
                for c in range(c0, c1 + 1):
                    row[c] = value
        self.merged = []


class Source:
    """The read seam: what every read adapter offers (file, live Excel, memory)."""

    path_label: str = ""
    hints: tuple = ()      # findings about the reading itself (e.g. a faster reader to install)

    def sheet_names(self) -> list[str]:
        raise NotImplementedError

    def grid(self, name: str, as_sheet: str | None = None) -> Grid:
        """The sheet ``name`` as the workbook names it; ``as_sheet``: the contract sheet it
        is read as (听课记录 for 听课记录表), when that matters to the adapter."""
        raise NotImplementedError

    def template_file(self):
        """A notice template stored beside the workbook (``TemplateText``), if any."""
        return None


class MemorySource(Source):
    """Sheets held in memory as rows of cell values (row 1 first): the logic tests' source.

    ``MemorySource({"设置": [["项目", "值"], ["学校名称", "一中"]], ...})``; a sheet may
    also be given as a ``Grid`` (first row, merged ranges)."""

    def __init__(self, sheets: dict[str, list[list] | Grid], label: str = "内存中的工作簿"):
        self.sheets = sheets
        self.path_label = label
        self.hints = []

    def sheet_names(self) -> list[str]:
        return list(self.sheets)

    def grid(self, name: str, as_sheet: str | None = None) -> Grid:
        held = self.sheets[name]
        if isinstance(held, Grid):
            return Grid(held.name, [list(r) for r in held.rows] if held.rows is not None else None, held.first_row,
                        list(held.merged), held.frame, set(held.percent))
        return Grid(name, [list(r) for r in held])
