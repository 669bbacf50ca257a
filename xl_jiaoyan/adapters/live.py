"""Live mode: the workbook open in Excel, read and written through xlwings.

Reading gives the pipeline the same ``Grid``s the file adapter gives (values of each
sheet's used range, with Excel row numbers); writing renders the same ``OutputSheet``
descriptions the file adapter renders with XlsxWriter, with the same style table.  What
merged cells are found through xlwings on desktop Excel (not on the remote engine, which
cannot say synchronously).  Borders, alignment, frozen panes, print area and charts go through
xlwings' portable API; paper, orientation, fit-to-width and repeated header rows have no
portable API and are set through the COM object where there is one (desktop Excel on
Windows).
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from ..notice.template import TemplateText, beside
from ..outputs.spec import DATE_FORMAT, GRID, STYLES, OutputSheet, fit
from ..read.grid import Grid, Source
from .splice import MARKER, SpliceRefused

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
        return Grid(name, rows, 1, merged_areas(used))

    def template_file(self) -> TemplateText | None:
        try:
            folder = Path(self.book.fullname).parent
        except Exception:          # a book that is not a file (new, or on the web)
            return None
        return beside(folder)


MERGE_SCAN_CELLS = 20_000   # merged cells are looked for in sheets up to this size


def merged_areas(used) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Merged ranges of a used range, 0-based as the file adapter gives them.  Desktop
    engines answer ``merge_cells`` at once (False: none, True/None: some); only then are
    cells visited, each merged area once.  Engines that cannot say (the remote engine)
    and very large sheets (logs, which have no merges worth filling) give none."""
    try:
        if used.merge_cells is False or used.count > MERGE_SCAN_CELLS:
            return []
    except (NotImplementedError, AttributeError):
        return []
    found, seen = [], set()
    r0, c0 = used.row, used.column
    nrows, ncols = used.shape
    for i in range(nrows):
        for j in range(ncols):
            if (r0 + i, c0 + j) in seen:
                continue
            cell = used[i, j]
            if not cell.merge_cells:
                continue
            area = cell.merge_area
            top, left = area.row, area.column
            bottom, right = top + area.shape[0] - 1, left + area.shape[1] - 1
            seen |= {(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)}
            found.append(((top - 1, left - 1), (bottom - 1, right - 1)))
    return found


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
    if "align" in style:
        try:
            rng.horizontal_alignment = style["align"]
        except NotImplementedError:
            pass


def _text_format(sheet, block: list[list]) -> None:
    """Format every cell that will hold text as Text ("@") before the values arrive.

    Desktop Excel parses a str assigned to Range.value as if typed: "=HYPERLINK(…)" in a
    name would become a live formula, "13/18" or "9/11" a date, "0012" the number 12.  In
    a Text cell it stays the text it is.  One call per vertical run of text cells, so a
    column of names costs one call whatever its length."""
    cells = [(i, j) for i, row in enumerate(block) for j, v in enumerate(row) if isinstance(v, str)]
    for a, b, j in _runs(cells):
        sheet.range((a + 1, j + 1), (b + 1, j + 1)).number_format = "@"


def render(sheet, out: OutputSheet) -> None:
    """Write one output sheet into an (empty) xlwings sheet."""
    ncols = max(len(out.header), 1)
    span = out.title_span
    top = [out.title] + [None] * (ncols - 1)
    for k, (label, _) in enumerate(out.legend if span < ncols else []):
        top[span + k] = label
    block = [top, list(out.header) + [None] * (ncols - len(out.header))]
    block += [[_cell(v) for v in r] + [None] * (ncols - len(r)) for r in out.rows]
    _text_format(sheet, block)
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
    try:
        sheet.range((2, 1), (last, ncols)).vertical_alignment = "center"
    except NotImplementedError:    # engines that cannot align (Office Scripts)
        pass
    if out.rows:
        body = sheet.range((first, 1), (last, ncols))
        body.borders.line_style = "continuous"          # the grid file mode draws (GRID)
        body.borders.weight = "thin"
        body.borders.color = GRID["border_color"]
    sheet.freeze_panes.freeze_at(sheet.range((first, 1)))
    for chart in out.charts:
        _chart(sheet, out, chart, first, last)
    end = sheet.range((out.last_row + 1, ncols)).get_address(False, False)
    sheet.page_setup.print_area = f"A1:{end}"
    _page_setup(sheet, out)


def _page_setup(sheet, out: OutputSheet) -> None:
    """A4, orientation, one page wide, header row repeated: only desktop Excel on Windows
    exposes these (through the COM object); elsewhere Excel's defaults stay."""
    try:
        ps = sheet.page_setup.api
        ps.PaperSize = 9                          # xlPaperA4
        ps.Orientation = 2 if out.landscape else 1
        ps.Zoom = False
        ps.FitToPagesWide = 1
        ps.FitToPagesTall = False
        ps.PrintTitleRows = "$2:$2"
    except Exception:
        pass


def _chart(sheet, out: OutputSheet, chart, first: int, last: int) -> None:
    """The same native chart as file mode: the series columns (with their header, which
    names them) over the data rows, the category column as the x axis."""
    if not out.rows:
        return
    a, b = chart.series[0], chart.series[-1]
    if b - a + 1 != len(chart.series):      # not side by side: the first series alone
        b = a
    try:
        top = sheet.range((last + 2, 1)).top
    except NotImplementedError:        # engines that cannot read positions: estimate
        top = 15 * (last + 1) + 30
    width = min(max(int(sum(out.widths[:len(out.header)]) * 7), 480), 1100) * 0.75   # points
    made = sheet.charts.add(0, top, width, chart.height_rows * 15)
    made.set_source_data(sheet.range((first - 1, a + 1), (last, b + 1)))
    made.chart_type = {"column": "column_clustered", "bar": "bar_clustered"}.get(chart.kind, "line")
    made.set_x_axis_values(sheet.range((first, chart.categories + 1), (last, chart.categories + 1)))


def write_outputs(book, sheets: list[OutputSheet], progress=lambda _: None) -> None:
    """Replace the tool's output sheets in the open book (refusing sheets it did not write)."""
    existing = {s.name.lower(): s for s in book.sheets}
    owned = {n.lower() for n in owned_sheets(book)}
    for out in sheets:
        found = existing.get(out.name.lower())
        if found is not None and found.name.lower() not in owned:
            raise SpliceRefused(found.name)
    for out in sheets:
        progress(f"写入「{out.name}」")
        sheet = existing.get(out.name.lower())
        if sheet is None:
            sheet = book.sheets.add(out.name, after=book.sheets[len(book.sheets) - 1])
            sheet.names.add(MARKER, MARKER_FORMULA)
        else:
            sheet.clear()
        render(sheet, out)
