"""Data rows streamed as sheet XML straight into the new package.

XlsxWriter writes each output sheet's frame (title, header, widths, panes, filter, print
setup, charts) and registers every format a data cell may take; the rows themselves are
made here, chunk by chunk, with style ids looked up once per (style, column, variant) in
the merged styles.xml.  Memory is bounded by the rows of one chunk, not by the sheet.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Iterator

from ..outputs.spec import OutputSheet, fit
from .xlsx_render import DATE, LINK, PLAIN, WRAP

ROWS_PER_CHUNK = 2_000
EPOCH = date(1899, 12, 30)
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;",
                         **{c: f"_x{c:04X}_" for c in (*range(0, 9), 11, 12, *range(14, 32))}})
_ESCAPED_LOOKALIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_HYPERLINKS_BEFORE = re.compile(rb"<(?:\w{1,30}:)?(?:printOptions|pageMargins|pageSetup|headerFooter|drawing)\b")
_DIMENSION = re.compile(rb'<(?:\w{1,30}:)?dimension ref="[^"]{0,40}"/>')


def column_letters(n: int) -> str:
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def text_xml(s: str) -> str:
    """An inline string cell's <t>, escaped as XlsxWriter escapes it."""
    if "_x" in s:
        s = _ESCAPED_LOOKALIKE.sub(r"_x005F_\1", s)
    s = s.translate(_ESCAPE)
    if s[:1].isspace() or s[-1:].isspace():
        return f'<t xml:space="preserve">{s}</t>'
    return f"<t>{s}</t>"


def _number(v) -> str:
    return str(v) if isinstance(v, int) else f"{v:.16G}"


def _serial(v) -> str:
    if isinstance(v, datetime):
        days = (v.date() - EPOCH).days + (v.hour * 3600 + v.minute * 60 + v.second) / 86400
        return _number(days)
    return str((v - EPOCH).days)


class SheetStream:
    """One output sheet's part: the frame XlsxWriter made (remapped into the workbook's
    styles) with the data rows and links put in, as chunks of bytes."""

    def __init__(self, sheet: OutputSheet, frame_xml: bytes, xf: dict[tuple, int]):
        self.sheet, self.xf = sheet, xf
        last = sheet.first_data_row + max(len(sheet.rows), 1)
        ref = f'<dimension ref="A1:{column_letters(max(len(sheet.header), 1) - 1)}{last}"/>'.encode()
        frame_xml = _DIMENSION.sub(ref, frame_xml, count=1)
        body = frame_xml.rindex(b"</sheetData>")
        self.head, self.tail = frame_xml[:body], frame_xml[body:]

    def chunks(self) -> Iterator[bytes]:
        yield self.head
        rows = self.sheet.rows
        for start in range(0, len(rows), ROWS_PER_CHUNK):
            yield "".join(self._rows(start, min(start + ROWS_PER_CHUNK, len(rows)))).encode("utf-8")
        links = self._links()
        if links:
            at = _HYPERLINKS_BEFORE.search(self.tail)
            cut = at.start() if at else self.tail.rindex(b"</")
            yield self.tail[:cut]
            yield links.encode("utf-8")
            yield self.tail[cut:]
        else:
            yield self.tail

    def _rows(self, start: int, stop: int) -> Iterator[str]:
        sheet, xf = self.sheet, self.xf
        first = sheet.first_data_row + 1           # Excel row of data row 0
        letters = [column_letters(j) for j in range(max(len(sheet.header), max(
            (len(r) for r in sheet.rows[start:stop]), default=0)))]
        wrap, styles, links = sheet.wrap, sheet.styles, sheet.links
        ncols = len(sheet.header)
        for i in range(start, stop):
            row = sheet.rows[i]
            r = first + i
            height = sheet.row_height(i) if wrap else None
            cells = []
            for j in range(max(len(row), ncols)):
                value = row[j] if j < len(row) else None
                style = styles.get((i, j))
                ref = f"{letters[j]}{r}"
                if j in wrap and isinstance(value, str):
                    cells.append(f'<c r="{ref}" s="{xf[(style, j, WRAP)]}" t="inlineStr"><is>{text_xml(fit(value))}</is></c>')
                    continue
                if (i, j) in links:
                    s = xf[(style, j, LINK)]
                    if isinstance(value, (int, float)) and not isinstance(value, bool):
                        cells.append(f'<c r="{ref}" s="{s}"><v>{_number(value)}</v></c>')
                    else:
                        cells.append(f'<c r="{ref}" s="{s}" t="inlineStr"><is>{text_xml(str(value))}</is></c>')
                elif value is None or value == "":
                    cells.append(f'<c r="{ref}" s="{xf[(style, j, PLAIN)]}"/>')
                elif isinstance(value, (date, datetime)):
                    cells.append(f'<c r="{ref}" s="{xf[(style, j, DATE)]}"><v>{_serial(value)}</v></c>')
                elif isinstance(value, bool):
                    cells.append(f'<c r="{ref}" s="{xf[(style, j, PLAIN)]}" t="inlineStr"><is>'
                                 f'<t>{"是" if value else "否"}</t></is></c>')
                elif isinstance(value, (int, float)):
                    cells.append(f'<c r="{ref}" s="{xf[(style, j, PLAIN)]}"><v>{_number(value)}</v></c>')
                else:
                    cells.append(f'<c r="{ref}" s="{xf[(style, j, PLAIN)]}" t="inlineStr"><is>'
                                 f'{text_xml(fit(str(value)))}</is></c>')
            head = f'<row r="{r}" ht="{height:g}" customHeight="1">' if height else f'<row r="{r}">'
            yield head + "".join(cells) + "</row>"

    def _links(self) -> str:
        if not self.sheet.links:
            return ""
        first = self.sheet.first_data_row + 1
        out = []
        for (i, j), (target, row) in sorted(self.sheet.links.items()):
            location = "'" + target.replace("'", "''") + "'!A" + str(row)
            value = self.sheet.rows[i][j] if j < len(self.sheet.rows[i]) else ""
            out.append(f'<hyperlink ref="{column_letters(j)}{first + i}" location="{_attr(location)}" '
                       f'display="{_attr(str(value))}"/>')
        return "<hyperlinks>" + "".join(out) + "</hyperlinks>"


def _attr(s: str) -> str:
    return s.translate(_ESCAPE).replace('"', "&quot;")
