"""Live mode: the workbook open in Excel, read and written through xlwings.

Reading gives the pipeline the same ``Grid``s the file adapter gives (values of each
sheet's used range, with Excel row numbers); writing renders the same ``OutputSheet``
descriptions the file adapter renders with XlsxWriter, with the same style table.  What
the live adapter does not do: fill merged cells on reading (merges are not part of a
range's values), borders, print setup and frozen panes (xlwings has no portable API for
them; Excel keeps them from the last file-mode refresh), and charts where the xlwings
engine has no chart support.
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from ..findings import WorkbookError
from ..notice.template import FILE_NAME, TemplateText
from ..outputs.spec import DATE_FORMAT, STYLES, OutputSheet, fit
from ..read.grid import Grid, Source
from .splice import MARKER

MARKER_FORMULA = '="xl-jiaoyan"'


class LiveSource(Source):
    def __init__(self, book):
        self.book = book
        self.path_label = book.name

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def grid(self, name: str) -> Grid:
        used = self.book.sheets[name].used_range
        values = used.options(ndim=2).value or [[]]
        lead = [None] * (used.column - 1)
        rows = [lead + list(r) for r in values] if lead else [list(r) for r in values]
        if used.row > 1:
            rows = [[] for _ in range(used.row - 1)] + rows
        return Grid(name, rows, 1, [])

    def template_file(self) -> TemplateText | None:
        try:
            folder = Path(self.book.fullname).parent
        except Exception:          # a book that is not a file (new, or on the web)
            return None
        beside = folder / FILE_NAME
        if not beside.is_file():
            return None
        return TemplateText(beside.read_text(encoding="utf-8-sig"), f"文件「{beside.name}」")


def owned_sheets(book) -> set[str]:
    """Sheets carrying the tool's marker name (in file mode and live mode alike)."""
    owned = set()
    for n in book.names:
        full = n.name
        if full.endswith("!" + MARKER):
            owned.add(full[: -len(MARKER) - 1].strip("'").replace("''", "'"))
    return owned


def _cell(value):
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        return fit(value)
    return value


def _runs(cells: list[tuple[int, int]]):
    """(first row, last row, column) runs of vertically adjacent cells."""
    by_col: dict[int, list[int]] = {}
    for i, j in cells:
        by_col.setdefault(j, []).append(i)
    for j, rows in by_col.items():
        rows.sort()
        start = prev = rows[0]
        for i in rows[1:]:
            if i != prev + 1:
                yield start, prev, j
                start = i
            prev = i
        yield start, prev, j


def _apply_style(rng, style: dict) -> None:
    if "bg_color" in style:
        rng.color = style["bg_color"]
    if "font_color" in style:
        rng.font.color = style["font_color"]
    if style.get("bold"):
        rng.font.bold = True
    if "font_size" in style:
        rng.font.size = style["font_size"]
    if style.get("text_wrap"):
        rng.wrap_text = True


def render(sheet, out: OutputSheet) -> None:
    """Write one output sheet into an (empty) xlwings sheet."""
    ncols = max(len(out.header), 1)
    span = out.title_span
    top = [out.title] + [None] * (ncols - 1)
    for k, (label, _) in enumerate(out.legend if span < ncols else []):
        top[span + k] = label
    block = [top, list(out.header) + [None] * (ncols - len(out.header))]
    block += [[_cell(v) for v in r] + [None] * (ncols - len(r)) for r in out.rows]
    sheet.range((1, 1)).value = block
    first = out.first_data_row + 1                    # Excel row of the first data row
    last = first + max(len(out.rows), 1) - 1
    title = sheet.range((1, 1), (1, span))
    if span > 1:
        title.merge()
    _apply_style(title, {**STYLES["title"], "text_wrap": True})
    for k, (_, style) in enumerate(out.legend if span < ncols else []):
        _apply_style(sheet.range((1, span + k + 1)), STYLES[style])
    _apply_style(sheet.range((2, 1), (2, ncols)), STYLES["header"])
    for j, width in enumerate(out.widths[:ncols]):
        sheet.range((1, j + 1)).column_width = width
    for j, code in out.formats.items():
        if out.rows:
            sheet.range((first, j + 1), (last, j + 1)).number_format = code
    date_cols = {j for r in out.rows[:50] for j, v in enumerate(r) if isinstance(v, (date, datetime))}
    for j in date_cols - set(out.formats):
        sheet.range((first, j + 1), (last, j + 1)).number_format = DATE_FORMAT
    for j in out.wrap:
        if out.rows:
            sheet.range((first, j + 1), (last, j + 1)).wrap_text = True
    by_style: dict[str, list[tuple[int, int]]] = {}
    for (i, j), key in out.styles.items():
        by_style.setdefault(key, []).append((i, j))
    for key, cells in by_style.items():
        for a, b, j in _runs(cells):
            _apply_style(sheet.range((first + a, j + 1), (first + b, j + 1)), STYLES[key])
    for i in range(len(out.rows)) if out.wrap else ():
        height = out.row_height(i)
        if height:
            sheet.range((first + i, 1)).row_height = height
    for (i, j), (target, row) in out.links.items():
        quoted = "'" + target.replace("'", "''") + "'"
        sheet.range((first + i, j + 1)).add_hyperlink(f"#{quoted}!A{row}", str(out.rows[i][j]))
    for chart in out.charts:
        _chart(sheet, out, chart, first, last)


def _chart(sheet, out: OutputSheet, chart, first: int, last: int) -> None:
    """A native chart where the xlwings engine can make one (desktop Excel can)."""
    try:
        anchor = sheet.range((last + 2, 1))
        made = sheet.charts.add(anchor.left, anchor.top, 480, chart.height_rows * 15)
        cols = [chart.categories] + chart.series
        made.set_source_data(sheet.range((2, min(cols) + 1), (last, max(cols) + 1)))
        made.chart_type = {"column": "column_clustered", "bar": "bar_clustered"}.get(chart.kind, "line")
    except Exception:    # e.g. the remote engine: the table says the same
        pass


def write_outputs(book, sheets: list[OutputSheet], progress=lambda _: None) -> None:
    """Replace the tool's output sheets in the open book (refusing sheets it did not write)."""
    existing = {s.name.lower(): s for s in book.sheets}
    owned = {n.lower() for n in owned_sheets(book)}
    for out in sheets:
        found = existing.get(out.name.lower())
        if found is not None and found.name.lower() not in owned:
            raise WorkbookError(
                f"工作簿中已有名为「{found.name}」的工作表，但它不是本工具生成的，为避免覆盖你的数据，已停止。"
                f"请把这个工作表改名（例如改成「{found.name}（旧）」）后再运行。")
    for out in sheets:
        progress(f"写入「{out.name}」")
        sheet = existing.get(out.name.lower())
        if sheet is None:
            sheet = book.sheets.add(out.name, after=book.sheets[len(book.sheets) - 1])
            sheet.names.add(MARKER, MARKER_FORMULA)
        else:
            sheet.clear()
        render(sheet, out)
