"""What live mode writes into one output sheet, worked out before Excel is touched.

Desktop Excel charges several COM (or AppleScript) round trips for every call, so the
live writer must not make calls per row.  ``layout`` turns an ``OutputSheet`` into a plan
whose size does not grow with the rows:

- one value block, with 行号 links as ``HYPERLINK`` formulas (no add-hyperlink per row);
- the ranges to format as Text ("@") before the values arrive, so Excel keeps text as
  text ("13/18", "0012", "9/11", "=…" typed by a stranger) — whole columns where a
  column holds only text; an apostrophe prefix where text is too long for a Text cell;
- colours as conditional-format rules over whole columns where the colour follows a
  cell's value (a status column, a level column) or its neighbour's (完成 beside 状态);
  what follows no value is painted in vertical runs (教研组统计's weeks: a handful).

Pure: no xlwings here; ``live.paint`` carries the plan out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from xl_jiaoyan.outputs.spec import DATE_FORMAT, OutputSheet, fit

LINK = "link"


class Formula(str):
    """A cell formula inside a value block (never formatted as Text)."""


def hyperlink(target: str, row: int, shown) -> Formula:
    """=HYPERLINK to cell A``row`` of sheet ``target`` inside the workbook, showing
    ``shown`` (a row number stays a number)."""
    ref = "#'" + target.replace("'", "''") + f"'!A{row}"
    label = shown if isinstance(shown, (int, float)) and not isinstance(shown, bool) \
        else '"' + str(shown).replace('"', '""') + '"'
    return Formula(f'=HYPERLINK("{ref.replace(chr(34), chr(34) * 2)}",{label})')


def cell(value):
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        return fit(value)
    return value


Area = tuple[int, int, int, int]    # 1-based first row, first column, last row, last column


@dataclass
class Rule:
    """A conditional format over ``area``: colour a cell whose own value (``offset`` 0)
    or the value ``offset`` columns to its right equals ``value``."""
    area: Area
    value: str
    offset: int
    style: str


@dataclass
class ChartPlan:
    """A native chart: made with its type, source and anchor cell (1-based), then given
    its category column, and the title, value labels, axis format and legend file mode
    gives it.  Width and height in points."""
    kind: str
    source: tuple[tuple[int, int], tuple[int, int]]
    categories: tuple[tuple[int, int], tuple[int, int]]
    anchor: tuple[int, int]
    width: float
    height: float
    title: str = ""
    y_format: str | None = None
    y_max: float | None = None
    legend: bool = False            # several series: a legend at the bottom


@dataclass
class Layout:
    name: str
    block: list[list]                 # from A1: title row, header, data rows
    ncols: int
    first: int                        # Excel row of the first data row
    last: int                         # Excel row of the last data row (first if none)
    span: int                         # columns the title spans
    title_height: float
    header_height: float
    text: list[Area] = field(default_factory=list)
    number_formats: list[tuple[Area, str]] = field(default_factory=list)
    wrap: list[Area] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    painted: list[tuple[Area, str]] = field(default_factory=list)   # static style runs
    legend: list[tuple[int, str]] = field(default_factory=list)     # (column, style)
    widths: list[float] = field(default_factory=list)
    print_end: tuple[int, int] = (1, 1)
    landscape: bool = True
    charts: list[ChartPlan] = field(default_factory=list)


def _runs(rows: list[int]):
    """(first, last) runs of consecutive numbers in a sorted list."""
    if not rows:
        return
    start = prev = rows[0]
    for i in rows[1:]:
        if i != prev + 1:
            yield start, prev
            start = i
        prev = i
    yield start, prev


LONG_TEXT = 255   # Excel shows a Text-formatted cell holding more characters as ####


def _quote(row: list, columns) -> None:
    """Protect the text of these cells with Excel's apostrophe prefix (not part of the
    value: the cell holds the text itself)."""
    for j in columns:
        if type(row[j]) is str and row[j]:
            row[j] = "'" + row[j]


def _protect_text(block: list[list], ncols: int, first: int) -> list[Area]:
    """Keep every text as text in desktop Excel, which parses a str assigned to a cell as
    if typed.  Areas to format as Text before the values arrive: the title and header
    rows as one area; per data column, the whole column where it holds only text (and
    blanks), else runs of text between numbers.  Where text is longer than Excel shows
    in a Text cell, the column's (or heading's) texts get the apostrophe prefix instead.
    Changes ``block`` in place for the apostrophes."""
    areas: list[Area] = []
    head = block[:first - 1]
    if any(type(v) is str and len(v) > LONG_TEXT for r in head for v in r):
        for r in head:
            _quote(r, range(ncols))
    else:
        areas.append((1, 1, first - 1, ncols))
    data = block[first - 1:]
    for j in range(ncols):
        kinds = ["t" if type(r[j]) is str else ("-" if r[j] is None else "n") for r in data]
        if "t" not in kinds:
            continue
        if any(k == "t" and len(r[j]) > LONG_TEXT for k, r in zip(kinds, data)):
            for r in data:
                _quote(r, (j,))
        elif "n" not in kinds:
            areas.append((first, j + 1, first + len(data) - 1, j + 1))
        else:
            text_rows = [i for i, k in enumerate(kinds) if k != "n"]
            for a, b in _runs(text_rows):
                if any(kinds[i] == "t" for i in range(a, b + 1)):
                    areas.append((first + a, j + 1, first + b, j + 1))
    return areas


def _style_plan(out: OutputSheet, first: int, last: int) -> tuple[list[Rule], list[tuple[Area, str]]]:
    """Conditional rules where a colour follows a value, static runs otherwise."""
    by_key_col: dict[tuple[str, int], set[int]] = {}
    for (i, j), key in out.styles.items():
        by_key_col.setdefault((key, j), set()).add(i)
    rules, painted = [], []
    nrows = len(out.rows)
    columns = max(len(out.header), max((len(r) for r in out.rows), default=0))
    equal_cache: dict[tuple[str, int], set[int]] = {}

    def equal(key: str, c: int) -> set[int]:
        if (key, c) not in equal_cache:
            equal_cache[(key, c)] = {i for i, r in enumerate(out.rows) if c < len(r) and r[c] == key}
        return equal_cache[(key, c)]

    for (key, j), rows in sorted(by_key_col.items()):
        source = next((c for c in [j] + [c for c in range(columns) if c != j] if equal(key, c) == rows), None)
        if source is not None and nrows > 1:
            rules.append(Rule((first, j + 1, last, j + 1), key, source - j, key))
            continue
        for a, b in _runs(sorted(rows)):
            painted.append(((first + a, j + 1, first + b, j + 1), key))
    return rules, painted


CHART_TYPES = {"column": "column_clustered", "bar": "bar_clustered", "line": "line"}


def _chart(out: OutputSheet, chart, k: int, first: int, last: int) -> ChartPlan:
    """The same chart file mode draws: the series columns (with their header) over the
    data rows, the category column as the x axis, placed under the table."""
    a, b = chart.series[0], chart.series[-1]
    if chart.rows is not None:
        last = first + chart.rows - 1
    if b - a + 1 != len(chart.series):      # not side by side: the first series alone
        b = a
    width = min(max(int(sum(out.widths[:len(out.header)]) * 7), 480), 1100) * 0.75
    return ChartPlan(CHART_TYPES.get(chart.kind, "line"), ((first - 1, a + 1), (last, b + 1)),
                     ((first, chart.categories + 1), (last, chart.categories + 1)),
                     (out.chart_anchor(k) + 1, 1), width, chart.height_rows * 15.0,
                     chart.title, chart.y_format, chart.y_max, b > a)


def _link_areas(out: OutputSheet, first: int, ncols: int) -> list[tuple[Area, str]]:
    """Link colour: the whole column where every filled cell is a link, else runs."""
    by_col: dict[int, list[int]] = {}
    for (i, j) in out.links:
        if j < ncols:
            by_col.setdefault(j, []).append(i)
    areas = []
    for j, rows in sorted(by_col.items()):
        filled = [i for i, r in enumerate(out.rows) if j < len(r) and r[j] not in (None, "")]
        if len(filled) == len(rows):
            areas.append(((first, j + 1, first + len(out.rows) - 1, j + 1), LINK))
        else:
            areas += [((first + a, j + 1, first + b, j + 1), LINK) for a, b in _runs(sorted(rows))]
    return areas


def plan_sheet(out: OutputSheet) -> Layout:
    ncols = max(len(out.header), 1)
    span = out.title_span
    top = [out.title] + [None] * (ncols - 1)
    legend = out.legend if span < ncols else []
    for k, (label, _) in enumerate(legend):
        top[span + k] = label
    block = [top, list(out.header) + [None] * (ncols - len(out.header))]
    links_of: dict[int, list[tuple[int, tuple[str, int]]]] = {}
    for (i, j), link in out.links.items():
        links_of.setdefault(i, []).append((j, link))
    for i, r in enumerate(out.rows):
        row = [cell(v) for v in r][:ncols] + [None] * (ncols - len(r))
        for j, (target, at) in links_of.get(i, ()):
            if j < ncols and row[j] is not None:
                row[j] = hyperlink(target, at, row[j])
        block.append(row)
    first = out.first_data_row + 1
    last = first + max(len(out.rows), 1) - 1
    plan = Layout(out.name, block, ncols, first, last, span, out.title_height, out.HEADER_HEIGHT,
                  widths=list(out.widths[:ncols]), landscape=out.landscape,
                  legend=[(span + k + 1, style) for k, (_, style) in enumerate(legend)],
                  print_end=(out.last_row + 1, ncols))
    plan.text = _protect_text(block, ncols, first)
    if out.rows:
        for j, code in sorted(out.formats.items()):
            if j < ncols:
                plan.number_formats.append(((first, j + 1, last, j + 1), code))
        dated = {j for r in out.rows[:50] for j, v in enumerate(r[:ncols]) if isinstance(v, (date, datetime))}
        for j in sorted(dated - set(out.formats)):
            plan.number_formats.append(((first, j + 1, last, j + 1), DATE_FORMAT))
        plan.wrap = [(first, j + 1, last, j + 1) for j in sorted(out.wrap) if j < ncols]
        plan.rules, plan.painted = _style_plan(out, first, last)
        plan.painted += _link_areas(out, first, ncols)
        plan.charts = [_chart(out, chart, k, first, last) for k, chart in enumerate(out.charts)]
    return plan
