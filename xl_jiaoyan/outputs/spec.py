"""The write side of the seam: an output sheet as plain data.

Adapters render an ``OutputSheet`` (file mode through XlsxWriter, live mode through
xlwings); both read the style table below, so the two look the same.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# style key -> properties (colours as hex RGB).  Status colours follow Excel's own
# "good / neutral / bad" cell styles so staff recognise them.
STYLES: dict[str, dict] = {
    "title": {"bold": True, "font_color": "#595959"},
    "header": {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
               "valign": "vcenter", "align": "center"},
    "已达标": {"bg_color": "#C6EFCE", "font_color": "#006100"},
    "正常": {"bg_color": "#DDEBF7", "font_color": "#1F4E78"},
    "落后": {"bg_color": "#FFEB9C", "font_color": "#9C5700"},
    "未达标": {"bg_color": "#FFC7CE", "font_color": "#9C0006"},
    "错误": {"bg_color": "#FFC7CE", "font_color": "#9C0006"},
    "警告": {"bg_color": "#FFEB9C", "font_color": "#9C5700"},
    "提示": {"bg_color": "#EDEDED", "font_color": "#404040"},
    "link": {"font_color": "#0563C1", "underline": 1},
    "wrap": {"text_wrap": True},
    "notice_title": {"bold": True, "font_size": 14, "align": "center"},
    "notice_sign": {"align": "right"},
}
STATUS_LEGEND = [(k, k) for k in ("已达标", "正常", "落后", "未达标")]
GRID = {"border": 1, "border_color": "#BFBFBF"}   # every table cell: prints as a grid
DATE_FORMAT = "yyyy-mm-dd"
PAGE_FOOTER = "&C第 &P 页 共 &N 页"   # printed output sheets: page numbers, centred (Excel codes)
TAB_COLOR = "#4472C4"                  # output sheets' tabs: easy to tell from the input sheets
MAX_LINKS = 65530   # Excel keeps at most this many hyperlinks on one worksheet


@dataclass
class Chart:
    """A native chart placed under the table: one category column, one or more value
    columns (the header names each series), all over the sheet's data rows."""
    title: str
    categories: int
    series: list[int]
    kind: str = "column"            # column | bar | line
    y_format: str | None = None     # number format of the value axis, e.g. "0%"
    y_max: float | None = None
    height_rows: int = 16           # rows the chart covers (width: the table's)
    rows: int | None = None         # data rows it draws from (None: all; a second table may follow)


class ColumnRows(Sequence):
    """A table's rows held as its columns (冲突检查 of a large log: no list per row).
    Indexes like a list of rows; writers that can take a column at a time use ``columns``."""

    def __init__(self, columns: list[Sequence]):
        self.columns = columns
        self._n = len(columns[0]) if columns else 0

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):
        if isinstance(i, slice):
            return ColumnRows([c[i] for c in self.columns])
        if not -self._n <= i < self._n:
            raise IndexError(i)
        return [c[i] for c in self.columns]


class ColumnStyles(Mapping):
    """(data row, column) -> style key, held as one list per column (None: no style)."""

    def __init__(self, by_column: dict[int, Sequence]):
        self.by_column = by_column

    def __getitem__(self, key: tuple[int, int]) -> str:
        i, j = key
        column = self.by_column.get(j)
        value = column[i] if column is not None and 0 <= i < len(column) else None
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self):
        for j, column in self.by_column.items():
            for i, value in enumerate(column):
                if value is not None:
                    yield (i, j)

    def __len__(self) -> int:
        return sum(sum(v is not None for v in column) for column in self.by_column.values())


@dataclass
class OutputSheet:
    name: str
    title: str                                   # cell A1: provenance
    header: list[str]                            # row 2
    rows: list[list] = field(default_factory=list)  # from row 3
    widths: list[float] = field(default_factory=list)
    styles: dict[tuple[int, int], str] = field(default_factory=dict)   # (data row, col) -> key
    links: dict[tuple[int, int], tuple[str, int]] = field(default_factory=dict)  # -> (sheet, row)
    formats: dict[int, str] = field(default_factory=dict)  # col -> number format
    wrap: set[int] = field(default_factory=set)            # cols whose text wraps
    autofilter: bool = True
    landscape: bool = True
    legend: list[tuple[str, str]] = field(default_factory=list)  # (label, style key), row 1 right
    charts: list[Chart] = field(default_factory=list)
    paper: int = 9                               # Excel's paper code: 9 A4, 8 A3 (wide district tables)

    @property
    def title_span(self) -> int:
        """Columns the provenance line spans: the table's width less the legend cells."""
        ncols = max(len(self.header), 1)
        return ncols - len(self.legend) if ncols - len(self.legend) >= 2 else ncols

    @property
    def last_row(self) -> int:
        """0-based last row the sheet prints: the table, then its charts below it."""
        last = self.first_data_row + max(len(self.rows), 1) - 1
        for chart in self.charts:
            last += 1 + chart.height_rows
        return last

    def chart_anchor(self, k: int) -> int:
        """0-based row the k-th chart's top left corner sits in."""
        row = self.first_data_row + max(len(self.rows), 1) + 1
        return row + sum(c.height_rows + 1 for c in self.charts[:k])

    HEADER_ROW = 1   # 0-based row of the header (A1 is the title)
    HEADER_HEIGHT = 30.0

    @property
    def title_height(self) -> float:
        """Height of row 1: the provenance line wraps over the title span."""
        width = sum(self.widths[:self.title_span]) or 10 * self.title_span
        lines = -(-display_width(self.title) // max(int(width) - 2, 1))
        return 15.0 * max(lines, 1)

    @property
    def first_data_row(self) -> int:
        return self.HEADER_ROW + 1

    def row_height(self, i: int, line: float = 15.0) -> float | None:
        """Height for data row ``i`` so wrapped text shows whole (None: default height).

        Computed rather than left to the application: LibreOffice keeps the default
        height for wrapped cells of a file it opens, and Excel only refits on edit.
        """
        row = self.rows[i]
        lines = max([line_count(row[j], self.widths[j]) for j in self.wrap
                     if j < len(row) and j < len(self.widths)], default=1)
        return height_of(lines, line)

    @property
    def width(self) -> int:
        """Columns of the table: the header's, or a longer row's."""
        rows = self.rows
        longest = len(rows.columns) if isinstance(rows, ColumnRows) else max(map(len, rows), default=0)
        return max(len(self.header), longest)

    def column(self, j: int, start: int = 0, stop: int | None = None) -> list:
        """Column ``j`` of data rows ``start``..``stop`` (None where a row is short)."""
        rows = self.rows
        if isinstance(rows, ColumnRows):
            if j < len(rows.columns):
                return list(rows.columns[j][start:stop])
            return [None] * len(range(len(rows))[start:stop])
        return [r[j] if j < len(r) else None for r in rows[start:stop]]

    def styles_present(self) -> dict[int, set]:
        """Column -> the style keys its data cells use."""
        if isinstance(self.styles, ColumnStyles):
            return {j: set(column) - {None} for j, column in self.styles.by_column.items()}
        out: dict[int, set] = {}
        for (_, j), style in self.styles.items():
            out.setdefault(j, set()).add(style)
        return out


def line_count(value, width: float) -> int:
    """Lines a text takes in a wrapping column ``width`` characters wide."""
    if (isinstance(value, str) and value
            and (2 * len(value) > width - 2 or "\n" in value)):   # else surely one line
        return sum(math.ceil(display_width(part) / max(width - 2, 1)) or 1 for part in value.split("\n"))
    return 1


def height_of(lines: int, line: float = 15.0) -> float | None:
    """The height of a row whose tallest cell has ``lines`` lines (None: default height)."""
    return min(line * lines, MAX_ROW_HEIGHT) if lines > 1 else None


MAX_CELL_TEXT = 32767   # Excel's limit on the characters in one cell
MAX_ROW_HEIGHT = 408.75  # points: Excel's 409, in whole pixels (545 px) as XlsxWriter stores it


def fit(text: str) -> str:
    """Text short enough for one cell (input cells can hold anything)."""
    return text if len(text) <= MAX_CELL_TEXT else text[:MAX_CELL_TEXT - 1] + "…"


def display_width(text: str) -> int:
    """Width in Excel character units: CJK and full-width characters (three bytes in
    UTF-8) count as two, ASCII as one; computed from the encoded length, at C speed."""
    return len(text) + (len(text.encode("utf-8")) - len(text)) // 2


class Sink:
    """The write seam: where output-sheet descriptions go (a file, the open workbook, memory)."""

    def write(self, sheets: list[OutputSheet]) -> None:
        raise NotImplementedError


class MemorySink(Sink):
    """Output sheets kept by name, as described: what the logic tests read."""

    def __init__(self):
        self.sheets: dict[str, OutputSheet] = {}

    def write(self, sheets: list[OutputSheet]) -> None:
        for s in sheets:
            self.sheets[s.name] = s
