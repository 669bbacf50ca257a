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

from ..outputs.spec import MAX_CELL_TEXT, OutputSheet, fit
from .sheet_scan import column_letters
from .xlsx_render import DATE, LINK, PLAIN, WRAP

ROWS_PER_CHUNK = 2_000
EPOCH = date(1899, 12, 30)
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;",
                         **{c: f"_x{c:04X}_" for c in (*range(0, 9), 11, 12, *range(14, 32))}})
_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f]|_x[0-9A-Fa-f]{4}_")
_ESCAPED_LOOKALIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_HYPERLINKS_BEFORE = re.compile(rb"<(?:\w{1,30}:)?(?:printOptions|pageMargins|pageSetup|headerFooter|drawing)\b")
_DIMENSION = re.compile(rb'<(?:\w{1,30}:)?dimension ref="[^"]{0,40}"/>')


def _letters(j: int) -> str:
    """Column letters of 0-based column ``j``."""
    return column_letters(j + 1)


def text_xml(s: str) -> str:
    """An inline string cell's <t>, escaped as XlsxWriter escapes it (too long a text cut
    as ``fit`` cuts it)."""
    if len(s) > MAX_CELL_TEXT:
        s = fit(s)
    if _NEEDS_ESCAPE.search(s):                  # rare: most texts go through untouched
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
        ref = f'<dimension ref="A1:{_letters(max(len(sheet.header), 1) - 1)}{last}"/>'.encode()
        frame_xml = _DIMENSION.sub(ref, frame_xml, count=1)
        body = frame_xml.rindex(b"</sheetData>")
        self.head, self.tail = frame_xml[:body], frame_xml[body:]
        self.styles_of: dict[int, dict[int, str]] = {}      # column -> {data row: style}
        for (i, j), style in sheet.styles.items():
            self.styles_of.setdefault(j, {})[i] = style
        self.links_of: dict[int, set[int]] = {}
        for i, j in sheet.links:
            self.links_of.setdefault(j, set()).add(i)

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
        """Rows ``start``..``stop`` as XML, built column by column: per column the style
        ids are looked up once per style present, not once per cell."""
        sheet = self.sheet
        rows = sheet.rows[start:stop]
        excel_row = sheet.first_data_row + 1 + start          # Excel row of rows[0]
        width = max(len(sheet.header), max(map(len, rows), default=0))
        columns = [self._column(j, [r[j] if j < len(r) else None for r in rows], start, excel_row)
                   for j in range(width)]
        heights = [sheet.row_height(i) for i in range(start, stop)] if sheet.wrap else [None] * len(rows)
        for k, (cells, height) in enumerate(zip(zip(*columns), heights)):
            r = excel_row + k
            head = f'<row r="{r}" ht="{height:g}" customHeight="1">' if height else f'<row r="{r}">'
            yield head + "".join(cells) + "</row>"

    def _column(self, j: int, values: list, start: int, excel_row: int) -> list[str]:
        sheet, xf = self.sheet, self.xf
        letter = _letters(j)
        styled = self.styles_of.get(j)            # data row -> style, for the rows styled in this column
        linked = self.links_of.get(j)
        wrap = j in sheet.wrap
        ids = {}                                  # style -> (plain, date, text, link) style ids
        out = []
        append = out.append
        for k, v in enumerate(values):
            i = start + k
            style = styled.get(i) if styled else None
            s = ids.get(style)
            if s is None:
                s = ids[style] = (xf[(style, j, PLAIN)], xf[(style, j, DATE)],
                                  xf[(style, j, WRAP if wrap else PLAIN)], xf.get((style, j, LINK)))
            ref = f"{letter}{excel_row + k}"
            kind = type(v)
            if linked is not None and i in linked:
                if kind is int or kind is float:
                    append(f'<c r="{ref}" s="{s[3]}"><v>{_number(v)}</v></c>')
                else:
                    append(f'<c r="{ref}" s="{s[3]}" t="inlineStr"><is>{text_xml(str(v))}</is></c>')
            elif kind is str:
                if v or wrap:         # a wrapping column keeps even an empty text as text
                    append(f'<c r="{ref}" s="{s[2]}" t="inlineStr"><is>{text_xml(v)}</is></c>')
                else:
                    append(f'<c r="{ref}" s="{s[0]}"/>')
            elif v is None:
                append(f'<c r="{ref}" s="{s[0]}"/>')
            elif kind is bool:
                append(f'<c r="{ref}" s="{s[0]}" t="inlineStr"><is><t>{"是" if v else "否"}</t></is></c>')
            elif kind is int or kind is float or isinstance(v, (int, float)):
                append(f'<c r="{ref}" s="{s[0]}"><v>{_number(v)}</v></c>')
            elif isinstance(v, (date, datetime)):
                append(f'<c r="{ref}" s="{s[1]}"><v>{_serial(v)}</v></c>')
            else:
                append(f'<c r="{ref}" s="{s[0]}" t="inlineStr"><is>{text_xml(str(v))}</is></c>')
        return out

    def _links(self) -> str:
        if not self.sheet.links:
            return ""
        first = self.sheet.first_data_row + 1
        out = []
        for (i, j), (target, row) in sorted(self.sheet.links.items()):
            location = "'" + target.replace("'", "''") + "'!A" + str(row)
            value = self.sheet.rows[i][j] if j < len(self.sheet.rows[i]) else ""
            out.append(f'<hyperlink ref="{_letters(j)}{first + i}" location="{_attr(location)}" '
                       f'display="{_attr(str(value))}"/>')
        return "<hyperlinks>" + "".join(out) + "</hyperlinks>"


def _attr(s: str) -> str:
    return s.translate(_ESCAPE).replace('"', "&quot;")
