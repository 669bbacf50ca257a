"""Live mode: the workbook open in Excel, read and written through xlwings.

Reading (``source.py``) gives the pipeline the same ``Grid``s the file adapter gives
(values of each sheet's used range, with Excel row numbers); writing renders the same ``OutputSheet``
descriptions the file adapter renders with XlsxWriter, with the same style table.  What
merged cells are found through xlwings on desktop Excel (not on the remote engine, which
cannot say synchronously).  Borders, alignment, frozen panes, print area and charts go through
xlwings' portable API; paper, orientation, fit-to-width and repeated header rows have no
portable API and are set through the COM object where there is one (desktop Excel on
Windows).
"""
from __future__ import annotations

import sys
from contextlib import contextmanager

from xl_jiaoyan.outputs.spec import GRID, PAGE_FOOTER, STYLES, TAB_COLOR, OutputSheet, Sink
from xl_jiaoyan.io.live.layout import ChartPlan, Layout, Rule, plan_sheet
from xl_jiaoyan.contract import OUTPUT_MARKER as MARKER, OUTPUT_MARKER_VALUE
from xl_jiaoyan.errors import ForeignSheet, WriteFailed

MARKER_FORMULA = "=" + OUTPUT_MARKER_VALUE


class LiveSink(Sink):
    """Output sheets written into the open workbook (``write_outputs``), progress shown."""

    def __init__(self, book, progress=lambda _: None):
        self.book, self.progress = book, progress

    def write(self, sheets: list[OutputSheet]) -> None:
        write_outputs(self.book, sheets, self.progress)


def caller():
    """The workbook that called through RunPython."""
    import xlwings as xw
    return xw.Book.caller()


def owned_sheets(book) -> set[str]:
    """Sheets carrying the tool's marker name (in file mode and live mode alike)."""
    owned = set()
    for n in book.names:
        full = n.name
        if full.endswith("!" + MARKER):
            owned.add(full[: -len(MARKER) - 1].strip("'").replace("''", "'"))
    return owned


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
        rng.horizontal_alignment = style["align"]


def _rule(rng, rule: Rule) -> None:
    """A conditional format: the colour follows the value, in one call whatever the rows.
    A neighbour's value is read through INDIRECT("RC[n]", FALSE), which every engine
    evaluates relative to the formatted cell itself (a relative A1 reference in a rule
    added through COM would be taken relative to whatever cell happens to be active)."""
    style = STYLES[rule.style]
    colours = {"fill_color": style.get("bg_color"), "font_color": style.get("font_color")}
    literal = '"' + rule.value.replace('"', '""') + '"'
    if rule.offset == 0:
        rng.conditional_formats.add_cell_value("equal_to", "=" + literal, **colours)
    else:
        rng.conditional_formats.add_custom(f'=INDIRECT("RC[{rule.offset}]",FALSE)={literal}', **colours)


def paint(sheet, plan: Layout, old: tuple[int, int] = (0, 0)) -> None:
    """Carry out one sheet's plan; ``old`` is the (rows, columns) the sheet used before."""
    def at(area):
        return sheet.range((area[0], area[1]), (area[2], area[3]))

    for area in plan.text:                 # Text before the values: nothing is re-parsed
        at(area).number_format = "@"
    sheet.range((1, 1)).value = plan.block
    title = sheet.range((1, 1), (1, plan.span))
    if plan.span > 1:
        title.merge()
    _apply_style(title, {**STYLES["title"], "text_wrap": True})
    for col, style in plan.legend:
        _apply_style(sheet.range((1, col)), {**STYLES[style], "align": "center"})
    _apply_style(sheet.range((2, 1), (2, plan.ncols)), STYLES["header"])
    for j, width in enumerate(plan.widths):
        sheet.range((1, j + 1)).column_width = width
    if old[1] > plan.ncols:                # columns a wider table left behind
        sheet.range((1, plan.ncols + 1), (1, old[1])).column_width = STANDARD_WIDTH
    for area, code in plan.number_formats:
        at(area).number_format = code
    for area in plan.wrap:
        at(area).wrap_text = True
    for area, style in plan.painted:
        _apply_style(at(area), STYLES[style])
    for rule in plan.rules:
        _rule(at(rule.area), rule)
    # every column of the rows: Excel fits a row to the wrapped cells of the range it is given
    sheet.range((plan.first, 1), (max(plan.last, old[0], plan.first), plan.ncols)).rows.autofit()
    sheet.range((1, 1)).row_height = plan.title_height
    sheet.range((2, 1)).row_height = plan.header_height
    sheet.range((2, 1), (plan.last, plan.ncols)).vertical_alignment = "center"
    if len(plan.block) > 2:
        body = sheet.range((plan.first, 1), (plan.last, plan.ncols))
        body.borders.line_style = "continuous"          # the grid file mode draws (GRID)
        body.borders.weight = "thin"
        body.borders.color = GRID["border_color"]
    freeze(sheet, plan.first)
    for chart in plan.charts:
        _chart(sheet, plan, chart)
    end = sheet.range(plan.print_end).get_address(False, False)
    sheet.page_setup.print_area = f"A1:{end}"
    _page_setup(sheet, plan)


STANDARD_WIDTH = 8.43      # Excel's default column width, in characters


def freeze(sheet, row: int) -> None:
    """Rows above ``row`` stay in view.  The remote engine has ``Sheet.freeze_panes``;
    the desktop engines do not (xlwings 0.37), so there it is done as Excel does it: on
    the window showing the sheet (COM on Windows, AppleScript on macOS).  Frozen panes
    are a convenience: an engine that can do neither leaves the sheet unfrozen."""
    try:
        sheet.freeze_panes.freeze_at(sheet.range((row, 1)))
        return
    except NotImplementedError:
        pass
    try:
        freeze_window(sheet, row - 1)
    except Exception:
        pass


def freeze_window(sheet, rows: int) -> None:
    sheet.activate()
    app = sheet.book.app.api
    if sys.platform == "darwin":
        window = app.active_window
        window.freeze_panes.set(False)
        window.scroll_row.set(1)
        window.split_column.set(0)
        window.split_row.set(rows)
        window.freeze_panes.set(True)
    else:
        window = app.ActiveWindow
        window.FreezePanes = False
        window.ScrollRow = 1
        window.ScrollColumn = 1
        window.SplitColumn = 0
        window.SplitRow = rows
        window.FreezePanes = True


def _page_setup(sheet, plan: Layout) -> None:
    """A4, orientation, one page wide, header row repeated, page numbers and the tab
    colour: only desktop Excel on Windows exposes these (through the COM object);
    elsewhere Excel's defaults stay."""
    try:
        rgb = int(TAB_COLOR[1:], 16)
        sheet.api.Tab.Color = (rgb & 0xFF) << 16 | (rgb & 0xFF00) | rgb >> 16     # COM colours are BGR
    except Exception:
        pass
    try:
        ps = sheet.page_setup.api
    except Exception:
        return
    app = None
    try:        # Excel 2010+: page setup not sent to the printer one property at a time
        app = sheet.book.app.api
        app.PrintCommunication = False
    except Exception:                     # Excel 2007, or not COM: each property goes through
        app = None
    try:
        ps.PaperSize = 9                          # xlPaperA4
        ps.Orientation = 2 if plan.landscape else 1
        ps.Zoom = False
        ps.FitToPagesWide = 1
        ps.FitToPagesTall = False
        ps.PrintTitleRows = "$2:$2"
        ps.CenterFooter = PAGE_FOOTER[2:]
    except Exception:
        pass
    finally:
        if app is not None:
            try:
                app.PrintCommunication = True
            except Exception:
                pass


# xlwings gives a new chart style 227 unless told otherwise: a style of Excel 2013 and
# later, which Excel 2007 and 2010 refuse (the ribbon's workbook targets 2007).  Style 2
# is the default look in every version from 2007 on.
CHART_STYLE = 2


def _chart(sheet, plan: Layout, chart: ChartPlan) -> None:
    """The same native chart as file mode: made with its type, source (the series
    columns with their header, which names them), anchor cell and a style every Excel
    since 2007 has; the category column as the x axis; then file mode's title, value axis
    format and legend, and (desktop Excel on Windows) the value labels."""
    made = sheet.charts.add(width=chart.width, height=chart.height, chart_type=chart.kind,
                            source=sheet.range(*chart.source), anchor=sheet.range(chart.anchor),
                            style=CHART_STYLE)
    made.set_x_axis_values(sheet.range(*chart.categories))
    made.title = chart.title
    if chart.y_format:
        made.value_axis.number_format = chart.y_format
    if chart.y_max is not None:
        made.value_axis.maximum_scale = chart.y_max
    made.legend.visible = chart.legend
    if chart.legend:
        made.legend.position = "bottom"
    try:                                        # no portable API: COM (Windows) only
        xl_chart = made.api[1]
        for i in range(1, xl_chart.SeriesCollection().Count + 1):
            series = xl_chart.SeriesCollection(i)
            series.HasDataLabels = True
            if chart.y_format:
                series.DataLabels().NumberFormat = chart.y_format
    except Exception:
        pass


@contextmanager
def _quiet(app):
    """Screen updating and automatic calculation off while writing, restored after —
    also when the write fails.  Engines that cannot say or set them are left alone."""
    restore = []
    for name, value in (("screen_updating", False), ("calculation", "manual")):
        try:
            before = getattr(app, name)
        except (NotImplementedError, AttributeError):
            before = True if name == "screen_updating" else None
        if before is None or before == value:
            continue
        try:
            setattr(app, name, value)
            restore.append((name, before))
        except (NotImplementedError, AttributeError):
            pass
    try:
        yield
    finally:
        for name, before in reversed(restore):
            try:
                setattr(app, name, before)
            except Exception:
                pass


def _reset(sheet) -> tuple[int, int]:
    """Empty one of our sheets for a new render: values, formats, conditional formats,
    the merged title, charts.  Returns the (rows, columns) it used, whose row heights
    and column widths the new render puts back."""
    try:
        used = sheet.used_range
        old = (used.row + used.shape[0] - 1, used.column + used.shape[1] - 1)
    except (NotImplementedError, AttributeError):
        old = (0, 0)
    for chart in list(sheet.charts):
        chart.delete()
    sheet.clear()
    sheet.cells.conditional_formats.clear()
    return old


def write_outputs(book, sheets: list[OutputSheet], progress=lambda _: None) -> None:
    """Replace the tool's output sheets in the open book (refusing sheets it did not write).

    Every plan is made before the first write; a failure part way raises WriteFailed
    naming what was already written."""
    existing = {s.name.lower(): s for s in book.sheets}
    owned = {n.lower() for n in owned_sheets(book)}
    for out in sheets:
        found = existing.get(out.name.lower())
        if found is not None and found.name.lower() not in owned:
            raise ForeignSheet(found.name)
    plans = [plan_sheet(out) for out in sheets]
    done: list[str] = []
    with _quiet(book.app):
        try:
            active = book.sheets.active
        except (NotImplementedError, AttributeError):
            active = None
        for plan in plans:
            progress(f"写入「{plan.name}」")
            try:
                sheet = existing.get(plan.name.lower())
                if sheet is None:
                    sheet = book.sheets.add(plan.name, after=book.sheets[len(book.sheets) - 1])
                    sheet.names.add(MARKER, MARKER_FORMULA)
                    old = (0, 0)
                else:
                    old = _reset(sheet)
                paint(sheet, plan, old)
            except Exception as e:
                raise WriteFailed(done, plan.name, e) from e
            done.append(plan.name)
        if active is not None:
            try:
                active.activate()
            except Exception:
                pass
