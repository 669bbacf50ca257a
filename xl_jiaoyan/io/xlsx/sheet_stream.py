"""Data rows streamed as sheet XML straight into the new package.

XlsxWriter writes each output sheet's frame (title, header, widths, panes, filter, print
setup, charts) and registers every format a data cell may take; the rows themselves are
made here, chunk by chunk, with style ids looked up once per (style, column, variant) in
the merged styles.xml.  Memory is bounded by the rows of one chunk, not by the sheet.
"""
from __future__ import annotations

import re

import numpy as np
from datetime import date, datetime
from collections.abc import Sequence
from typing import Iterator

from xl_jiaoyan.outputs.spec import MAX_CELL_TEXT, ColumnStyles, OutputSheet, fit, height_of, line_count
from xl_jiaoyan.io.xlsx.sheet_scan import column_letters
from xl_jiaoyan.io.xlsx.render import DATE, LINK, PLAIN, WRAP

ROWS_PER_CHUNK = 2_000
EPOCH = date(1899, 12, 30)
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;",
                         **{c: f"_x{c:04X}_" for c in (*range(0, 9), 11, 12, *range(14, 32))}})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")        # the characters _ESCAPE writes as _xHHHH_
_NEEDS_ESCAPE = re.compile(r"[&<>]|" + _CONTROL.pattern + r"|_x[0-9A-Fa-f]{4}_")
_ESCAPED_LOOKALIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_HYPERLINKS_BEFORE = re.compile(rb"<(?:\w{1,30}:)?(?:printOptions|pageMargins|pageSetup|headerFooter|drawing)\b")
_DIMENSION = re.compile(rb'<(?:\w{1,30}:)?dimension ref="[^"]{0,40}"/>')


def _needs_escape(s: str) -> bool:
    """``_NEEDS_ESCAPE.search(s)``, answered by substring tests (several times faster on
    megabytes of text; the control-character class only when the text has any
    unprintable character at all)."""
    return ("&" in s or "<" in s or ">" in s or ("_x" in s and _NEEDS_ESCAPE.search(s) is not None)
            or (not s.isprintable() and _CONTROL.search(s) is not None))


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


class _Memo(dict):
    """value -> what ``make`` makes of it, made once per distinct value."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, key):
        if len(self) >= MEMO_LIMIT:      # mostly distinct texts (messages): do not hold them all
            self.clear()
        value = self[key] = self.make(key)
        return value


MEMO_LIMIT = 20_000


class SheetStream:
    """One output sheet's part: the frame XlsxWriter made (remapped into the workbook's
    styles) with the data rows and links put in, as chunks of bytes.

    Rows are made column by column: each column's cells are worked out once per distinct
    (value, style) in it and put together per row by one format string, so a sheet of
    many repeated values (levels, categories, names, dates) costs little per row."""

    def __init__(self, sheet: OutputSheet, frame_xml: bytes, xf: dict[tuple, int]):
        self.sheet, self.xf = sheet, xf
        self.width = sheet.width
        last = sheet.first_data_row + max(len(sheet.rows), 1)
        ref = f'<dimension ref="A1:{_letters(max(len(sheet.header), 1) - 1)}{last}"/>'.encode()
        frame_xml = _DIMENSION.sub(ref, frame_xml, count=1)
        body = frame_xml.rindex(b"</sheetData>")
        self.head, self.tail = frame_xml[:body], frame_xml[body:]
        if isinstance(sheet.styles, ColumnStyles):
            self.styles_of = dict(sheet.styles.by_column)        # column -> style per data row
        else:
            self.styles_of = {}                                  # column -> {data row: style}
            for (i, j), style in sheet.styles.items():
                self.styles_of.setdefault(j, {})[i] = style
        self.links_of: dict[int, set[int]] = {}
        for i, j in sheet.links:
            self.links_of.setdefault(j, set()).add(i)
        self.link_span = {j: (min(rows), max(rows)) for j, rows in self.links_of.items()}
        self.row_format = _Memo(self._row_format)
        self.memos = [_Memo(lambda v, j=j: self._cell(j, v)) for j in range(self.width)]
        self.styled_memos = [_Memo(lambda key, j=j: self._cell(j, *key)) for j in range(self.width)]
        self.wrap_widths = {j: sheet.widths[j] for j in sorted(sheet.wrap) if j < len(sheet.widths) and j < self.width}
        self.height_attr = _Memo(lambda lines: (f' ht="{height_of(lines):g}" customHeight="1"'
                                                if height_of(lines) else ""))

    def chunks(self) -> Iterator[bytes]:
        yield self.head
        n = len(self.sheet.rows)
        for start in range(0, n, ROWS_PER_CHUNK):
            yield self._rows(start, min(start + ROWS_PER_CHUNK, n)).encode("utf-8")
        links = self._links()
        if links:
            at = _HYPERLINKS_BEFORE.search(self.tail)
            cut = at.start() if at else self.tail.rindex(b"</")
            yield self.tail[:cut]
            yield links.encode("utf-8")
            yield self.tail[cut:]
        else:
            yield self.tail

    def _rows(self, start: int, stop: int) -> str:
        """Rows ``start``..``stop`` as XML."""
        sheet = self.sheet
        excel_row = sheet.first_data_row + 1 + start          # Excel row of data row ``start``
        values = [sheet.column(j, start, stop) for j in range(self.width)]
        pieces, args = [], []
        for j in range(self.width):
            types = set(map(type, values[j]))
            piece = self._inline(j, values[j], types, start, stop)
            if piece is None:        # cells made one by one (once per distinct value)
                piece, column = "%s", self._column(j, values[j], types, start, stop)
            else:                    # the values go straight into the row
                column = list(map(str, values[j])) if int in types else values[j]
            pieces.append(piece)
            args.append(column)
        if self.wrap_widths:
            lines = np.ones(stop - start, dtype=np.int64)
            for j, width in self.wrap_widths.items():
                np.maximum(lines, _line_counts(values[j], width), out=lines)
            heights = list(map(self.height_attr.__getitem__, lines.tolist()))
        else:
            heights = [""] * (stop - start)
        rows = list(map(str, range(excel_row, excel_row + stop - start)))   # made once, used in every cell
        variables = [rows, heights]               # the row number again before each cell
        for column in args:
            variables += [rows, column]
        return _interleave(self.row_format[tuple(pieces)], variables, stop - start)

    def _row_format(self, pieces: tuple[str, ...]) -> tuple[str, ...]:
        """The fixed text of a row whose column ``j`` is ``pieces[j]`` after its reference
        (``%s`` where the cell's value goes), around its variable parts: the row number,
        the height attribute, then the row number and value of each cell."""
        return tuple(('<row r="%s"%s>' + "".join(f'<c r="{_letters(j)}%s"' + piece for j, piece in enumerate(pieces))
                      + "</row>").split("%s"))

    def _column(self, j: int, values: list, types: set, start: int, stop: int) -> list[str]:
        """The cells of column ``j`` (all but their ``<c r="…"``), one per data row;
        ``types``: the types of the values."""
        styled, linked = self.styles_of.get(j), self._linked(j, start, stop)
        if styled is None and linked is None and bool not in types:
            return list(map(self.memos[j].__getitem__, values))    # equal values make equal cells (True == 1 would not)
        styles = (styled[start:stop] if isinstance(styled, Sequence) else [styled.get(i) for i in range(start, stop)]) \
            if styled is not None else [None] * (stop - start)
        links = [i in linked for i in range(start, stop)] if linked is not None else [False] * (stop - start)
        return list(map(self.styled_memos[j].__getitem__, zip(values, styles, links, map(type, values))))

    def _linked(self, j: int, start: int, stop: int) -> set[int] | None:
        linked = self.links_of.get(j)
        if linked is not None and (stop <= self.link_span[j][0] or start > self.link_span[j][1]):
            return None                           # no link in these rows
        return linked

    def _inline(self, j: int, values: list, types: set, start: int, stop: int) -> str | None:
        """For an unstyled, unlinked column chunk holding only whole numbers, or only texts
        that need no escaping: its cells after the reference, as a %-format of the value
        (None: not such a column)."""
        if j in self.styles_of or self._linked(j, start, stop) is not None:
            return None
        if types == {int}:
            return f' s="{self.xf[(None, j, PLAIN)]}"><v>%s</v></c>'
        if types != {str} or ("" in values and j not in self.sheet.wrap):
            return None
        if (_needs_escape("".join(values)) or max(map(len, values)) > MAX_CELL_TEXT
                or list(map(str.strip, values)) != values):        # strip returns the same text when it has nothing to strip
            return None
        s = self.xf[(None, j, WRAP if j in self.sheet.wrap else PLAIN)]
        return f' s="{s}" t="inlineStr"><is><t>%s</t></is></c>'

    def _cell(self, j: int, v, style: str | None = None, linked: bool = False, _type=None) -> str:
        """One cell after its reference: style, type and value."""
        xf = self.xf
        kind = type(v)
        if linked:
            s = xf.get((style, j, LINK))
            if kind is int or kind is float:
                return f' s="{s}"><v>{_number(v)}</v></c>'
            return f' s="{s}" t="inlineStr"><is>{text_xml(str(v))}</is></c>'
        if kind is str:
            if v or j in self.sheet.wrap:        # a wrapping column keeps even an empty text as text
                return f' s="{xf[(style, j, WRAP if j in self.sheet.wrap else PLAIN)]}" t="inlineStr"><is>{text_xml(v)}</is></c>'
            return f' s="{xf[(style, j, PLAIN)]}"/>'
        s = xf[(style, j, PLAIN)]
        if v is None:
            return f' s="{s}"/>'
        if kind is bool:
            return f' s="{s}" t="inlineStr"><is><t>{"是" if v else "否"}</t></is></c>'
        if kind is int or kind is float or isinstance(v, (int, float)):
            return f' s="{s}"><v>{_number(v)}</v></c>'
        if isinstance(v, (date, datetime)):
            return f' s="{xf[(style, j, DATE)]}"><v>{_serial(v)}</v></c>'
        return f' s="{s}" t="inlineStr"><is>{text_xml(str(v))}</is></c>'

    def _links(self) -> str:
        if not self.sheet.links:
            return ""
        first = self.sheet.first_data_row + 1
        values = {j: self.sheet.column(j) for j in self.links_of if j < self.width}
        letters = {j: _letters(j) for j in self.links_of}
        attr = _Memo(_attr)
        location = _Memo(lambda target: attr["'" + target.replace("'", "''") + "'!A"])
        out = [f'<hyperlink ref="{letters[j]}{first + i}" location="{location[target]}{row}" '
               f'display="{attr[str(values[j][i]) if j in values else ""]}"/>'
               for (i, j), (target, row) in sorted(self.sheet.links.items())]
        return "<hyperlinks>" + "".join(out) + "</hyperlinks>"


def _interleave(fixed: tuple[str, ...], variables: list[list[str]], n: int) -> str:
    """``fixed[0] variables[0][i] fixed[1] variables[1][i] … fixed[-1]`` for rows i < n, all
    joined: one list filled a column at a time by slice assignment (loops in C, where a
    format per row would parse its format and build a tuple each time), joined once."""
    if not n:
        return ""
    step = 2 * len(variables)
    flat: list = [None] * (n * step)
    flat[0::step] = [fixed[0]] + [fixed[-1] + fixed[0]] * (n - 1)    # a row's end and the next row's start
    for k, column in enumerate(variables):
        if k:
            flat[2 * k::step] = [fixed[k]] * n
        flat[2 * k + 1::step] = column
    return "".join(flat) + fixed[-1]


def _line_counts(values: list, width: float) -> np.ndarray:
    """``line_count`` of each value, for a chunk of texts without line breaks at once: the
    chunk is encoded once, and each text's UTF-8 length read off between the separators."""
    joined = "\x00".join(values) if set(map(type, values)) == {str} else "\n"
    encoded = np.frombuffer(joined.encode("utf-8"), dtype=np.uint8) if "\n" not in joined else None
    ends = np.flatnonzero(encoded == 0) if encoded is not None else None
    if ends is None or len(ends) != len(values) - 1:      # line breaks, other types, or NULs in a text
        return np.fromiter((line_count(v, width) for v in values), dtype=np.int64, count=len(values))
    chars = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    utf8 = np.diff(ends, prepend=-1, append=len(encoded)) - 1
    shown = chars + (utf8 - chars) // 2                  # display_width: CJK counts two
    return np.maximum(np.ceil(shown / max(width - 2, 1)), 1).astype(np.int64)


def _attr(s: str) -> str:
    return s.translate(_ESCAPE).replace('"', "&quot;")
