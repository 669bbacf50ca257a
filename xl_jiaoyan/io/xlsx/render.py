"""Render OutputSheet descriptions with XlsxWriter (file mode, and init's new workbooks)."""
from __future__ import annotations

from datetime import date, datetime

import xlsxwriter

from xl_jiaoyan.outputs.spec import DATE_FORMAT, GRID, PAGE_FOOTER, STYLES, TAB_COLOR, Chart, OutputSheet, fit


class Formats:
    """XlsxWriter formats built from style keys, cached per (style, number format)."""

    def __init__(self, workbook: xlsxwriter.Workbook):
        self.wb = workbook
        self._cache: dict[tuple, object] = {}

    def get(self, style: str | None = None, num_format: str | None = None, **extra):
        """The format for a style key; every cell is centred vertically, so rows made
        taller by wrapped text stay aligned."""
        key = (style, num_format, tuple(sorted(extra.items())))
        if key not in self._cache:
            props = {"valign": "vcenter"}
            props.update(STYLES.get(style, {}) if style else {})
            props.update(extra)
            if num_format:
                props["num_format"] = num_format
            self._cache[key] = self.wb.add_format(props)
        return self._cache[key]


def _quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


# How a data cell is formatted, by what it holds: text in a wrapping column, a link, a
# date, anything else.  Both writers (cells through XlsxWriter, rows streamed) use this.
WRAP, LINK, DATE, PLAIN = "wrap", "link", "date", "plain"


def cell_format(formats: Formats, style: str | None, fmt_code: str | None, variant: str):
    if variant == WRAP:
        return formats.get(style, fmt_code, **GRID, **STYLES["wrap"])
    if variant == LINK:
        return formats.get(style or "link", fmt_code, **GRID, **(STYLES["link"] if style else {}))
    if variant == DATE:
        return formats.get(style, fmt_code or DATE_FORMAT, **GRID)
    return formats.get(style, fmt_code, **GRID)


def render(wb: xlsxwriter.Workbook, sheet: OutputSheet, formats: Formats, rows: bool = True) -> None:
    """The sheet through XlsxWriter; with ``rows`` False everything but the data rows
    (those are streamed into the package by ``sheet_stream``)."""
    ws = wb.add_worksheet(sheet.name)
    ncols = max(len(sheet.header), 1)
    span = sheet.title_span
    ws.set_row(0, sheet.title_height)
    if span > 1:   # the provenance line wraps over the table's width, not past it
        ws.merge_range(0, 0, 0, span - 1, sheet.title, formats.get("title", text_wrap=True))
    else:
        ws.write_string(0, 0, sheet.title, formats.get("title", text_wrap=True))
    if span < ncols:
        for j, (label, style) in enumerate(sheet.legend):
            ws.write_string(0, span + j, label, formats.get(style, align="center", border=1, text_wrap=True))
    hr = sheet.HEADER_ROW
    ws.set_row(hr, sheet.HEADER_HEIGHT)
    for j, name in enumerate(sheet.header):
        ws.write_string(hr, j, name, formats.get("header"))
    for j, width in enumerate(sheet.widths):
        ws.set_column(j, j, width)
    first = sheet.first_data_row
    ncols_body = len(sheet.header)
    for i, row in enumerate(sheet.rows if rows else ()):
        r = first + i
        height = sheet.row_height(i) if sheet.wrap else None
        if height:
            ws.set_row(r, height)
        for j in range(max(len(row), ncols_body)):
            value = row[j] if j < len(row) else None
            style = sheet.styles.get((i, j))
            fmt_code = sheet.formats.get(j)
            link = sheet.links.get((i, j))
            if j in sheet.wrap and isinstance(value, str):
                ws.write_string(r, j, fit(value), cell_format(formats, style, fmt_code, WRAP))
                continue
            if link is not None:
                target = f"internal:{_quote(link[0])}!A{link[1]}"
                fmt = cell_format(formats, style, fmt_code, LINK)
                ws.write_url(r, j, target, fmt, string=str(value))
                if isinstance(value, (int, float)):
                    ws.write_number(r, j, value, fmt)  # keep the link, store a number
            elif value is None or value == "":
                ws.write_blank(r, j, None, cell_format(formats, style, fmt_code, PLAIN))
            elif isinstance(value, (date, datetime)):
                ws.write_datetime(r, j, datetime(value.year, value.month, value.day)
                                  if not isinstance(value, datetime) else value,
                                  cell_format(formats, style, fmt_code, DATE))
            elif isinstance(value, bool):
                ws.write_string(r, j, "是" if value else "否", cell_format(formats, style, fmt_code, PLAIN))
            elif isinstance(value, (int, float)):
                ws.write_number(r, j, value, cell_format(formats, style, fmt_code, PLAIN))
            else:
                ws.write_string(r, j, fit(str(value)), cell_format(formats, style, fmt_code, PLAIN))
    ws.freeze_panes(first, 0)
    last_row = first + max(len(sheet.rows), 1) - 1
    if sheet.autofilter and sheet.header:
        ws.autofilter(hr, 0, last_row, len(sheet.header) - 1)
    for k, chart in enumerate(sheet.charts):
        _chart(wb, ws, sheet, chart, sheet.chart_anchor(k))
    if sheet.landscape:
        ws.set_landscape()
    ws.set_paper(sheet.paper)
    ws.set_footer(PAGE_FOOTER)
    ws.set_tab_color(TAB_COLOR)
    ws.print_area(0, 0, sheet.last_row, ncols - 1)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(hr)
    ws.hide_gridlines(1)   # on screen only; the table prints with its own borders


def _chart(wb: xlsxwriter.Workbook, ws, sheet: OutputSheet, spec: Chart, anchor: int) -> None:
    chart = wb.add_chart({"type": spec.kind})
    first = sheet.first_data_row
    last = first + (len(sheet.rows) if spec.rows is None else spec.rows) - 1
    for col in spec.series:
        chart.add_series({"name": [sheet.name, sheet.HEADER_ROW, col],
                          "categories": [sheet.name, first, spec.categories, last, spec.categories],
                          "values": [sheet.name, first, col, last, col],
                          "data_labels": {"value": True, **({"num_format": spec.y_format} if spec.y_format else {})}})
    chart.set_title({"name": spec.title})
    axis = {"major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}}
    if spec.y_format:
        axis["num_format"] = spec.y_format
    if spec.y_max is not None:
        axis.update(min=0, max=spec.y_max)
    chart.set_y_axis(axis)
    chart.set_legend({"position": "bottom"} if len(spec.series) > 1 else {"none": True})
    width_px = int(sum(sheet.widths[:max(len(sheet.header), 1)]) * 7 + 5 * len(sheet.header))
    chart.set_size({"width": min(max(width_px, 480), 1100), "height": spec.height_rows * 20})
    ws.insert_chart(anchor, 0, chart, {"object_position": 3})


def render_scratch(sheets: list[OutputSheet], path_or_buffer, font_name: str,
                   font_size: float, rows: bool = True) -> dict[str, dict]:
    """A workbook holding only the output sheets, strings inline, in the given default font.

    With ``rows`` False the data rows are left out; every format they may use still gets
    its place in the scratch styles, and the result gives per sheet
    {(style, column, variant): scratch xf index}."""
    wb = xlsxwriter.Workbook(path_or_buffer, {
        "constant_memory": True,
        "default_format_properties": {"font_name": font_name, "font_size": font_size}})
    formats = Formats(wb)
    for s in sheets:
        render(wb, s, formats, rows)
    # XlsxWriter numbers a format when a cell first uses it (a format equal to one already
    # numbered shares that number); asked here, every data format is in styles.xml.
    used = {s.name: {key: fmt._get_xf_index() for key, fmt in data_formats(s, formats).items()}
            for s in ([] if rows else sheets)}
    wb.close()
    return used


def data_formats(sheet: OutputSheet, formats: Formats) -> dict[tuple, object]:
    """Every format a data cell of ``sheet`` may take, by (style, column, variant): worked
    out per column from the styles present in it, not per cell."""
    styles: dict[int, set] = {j: {None} for j in range(sheet.width)}
    for j, present in sheet.styles_present().items():
        styles.setdefault(j, {None}).update(present)
    linked = {j for _, j in sheet.links}
    out = {}
    for j, present in styles.items():
        variants = [PLAIN, DATE] + ([WRAP] if j in sheet.wrap else []) + ([LINK] if j in linked else [])
        for style in present:
            for v in variants:
                out[(style, j, v)] = cell_format(formats, style, sheet.formats.get(j), v)
    return out
