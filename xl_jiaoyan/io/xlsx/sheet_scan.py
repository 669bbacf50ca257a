"""Look at a workbook package before calamine does: what it really holds, not what it claims.

calamine allocates the whole rectangle between a sheet's first and last value cell, so one
value at XFD1048576 asks for 17 billion cells (a Rust abort), and it inflates parts without
a bound of ours.  This module streams each part once through Python's zipfile, which stops
at the declared size and checks the CRC, and refuses:

* a part whose uncompressed size is out of all proportion to any real workbook (zip bomb);
* a sheet whose value cells span a rectangle far larger than the cells it really holds.

The scan is linear: plain byte counts and regular expressions with no repetition inside
another, each tried only where a literal such as 'r="' occurs.  It also finds the first row holding a value,
which decides whether a large log is read column-wise.
"""
from __future__ import annotations

import heapq
import re
import zipfile
from typing import Iterator
from dataclasses import dataclass, field

from xl_jiaoyan.errors import UnsafeFile, WorkbookError
from xl_jiaoyan.io.xlsx.package import Package

PART_LIMIT = 2 << 30          # uncompressed bytes of any one part
RATIO_FLOOR = 64 << 20        # parts larger than this must also compress like real XML:
RATIO_LIMIT = 100             # at most 100:1 (real sheets: 5-20:1; a zip bomb: ~1000:1)
AREA_LIMIT = 50_000_000       # cells calamine may lay out for one sheet (about 1.6 GB)
SPARSE_FLOOR = 4_000_000      # above this, the rectangle must be at least 1/16 full
SPARSE_FACTOR = 16
CHUNK = 4 << 20
EXCEL_ROWS = 1_048_576

# Cell references as calamine reads them: letters of either case (any number of them) and
# digits with leading zeros, so "xfd1", "AAAA1" and "A0001048576" are as far as they read.
# A cell in a far column (two letters or more) or a row of seven digits or more.  No
# leading \b: a pattern that starts with a literal lets the regex engine skip ahead to
# each 'r="'; the byte before is checked per match.  _FAR only finds the first such
# reference of a block (one cheap pass); the patterns below look at the block from there.
_FAR = re.compile(rb'r="[A-Za-z](?:[A-Za-z]|\d{7})')
_FAR_COL = re.compile(rb'r="([A-Za-z]{2,})(\d+)"')
_ROW7 = re.compile(rb'r="[A-Za-z](\d{7,})"')
# After "<c": a cell tag not of the usual, near form — one capital letter and a row up to
# 1,049,999 (a full-height sheet's last rows are near too).  However such cells are
# placed, they span at most 26 x 1,049,999 cells, well inside AREA_LIMIT.
_NOT_NEAR = rb'(?! r="[A-Z](?:\d{1,6}|10[0-4]\d{4})")'
_WORD_BYTE = re.compile(rb"[\w:]")
_REF = re.compile(rb'r="([A-Za-z]+)(\d+)"')
_REF_ROW = re.compile(rb'r="[A-Za-z]+(\d+)"')
_ROW_REF = re.compile(rb'<(?:\w{1,30}:)?row\s[^>]{0,512}?\br="(\d+)"')
_ROOT = re.compile(rb"<(\w{1,30}:)?worksheet\b")
# a cell tag (opening or closing) of any prefix, and an unprefixed one
_ANY_CELL_TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.\-]{0,30}:)?c(?=[\s/>])")
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
_UNPREFIXED_CELL = (b"<c ", b"<c>", b"</c>", b"<c/", b"<c\t", b"<c\n", b"<c\r")
_OPEN_END = re.compile(rb"[^>]{0,512}>")
_VALUE_START = re.compile(rb"\s{0,64}<(?:\w{1,30}:)?(?:v|is|f)\b")
BEYOND = 1 << 40              # a row or column number past any sheet


def row_number(digits: bytes) -> int:
    """Digits of a reference as calamine reads them (leading zeros ignored)."""
    digits = digits.lstrip(b"0") or b"0"
    return int(digits) if len(digits) <= 12 else BEYOND


def column_number(letters: str) -> int:
    if len(letters) > 8:
        return BEYOND
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _is_value_cell(data: bytes, ref_end: int) -> bool:
    """Whether the cell tag whose r="…" ends at ``ref_end`` holds a value (not ``<c …/>``)."""
    m = _OPEN_END.match(data, ref_end)
    if m is None or data[m.end() - 2:m.end()] == b"/>":
        return False
    return _VALUE_START.match(data, m.end()) is not None


def refuse_bombs(pkg: Package, label: str) -> None:
    """Refuse a package with a part no real workbook has (judged by the central directory;
    the streaming reads below hold every part to its declared size)."""
    for info in pkg.infos.values():
        if info.flag_bits & 0x1:           # an encrypted entry (ZipCrypto or AES)
            raise WorkbookError(f"{label} 里的部件 {info.filename} 加了密，无法读取。"
                                "请用 Excel 或 WPS 打开，另存一份不加密的副本再试。")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise WorkbookError(f"{label} 里的部件 {info.filename} 用了 Excel 不用的压缩方式（编号 {info.compress_type}），"
                                "读不出来。请用 Excel 或 WPS 打开并重新保存后再试。")
        size = info.file_size
        if size > PART_LIMIT or (size > RATIO_FLOOR and size > RATIO_LIMIT * max(info.compress_size, 1)):
            raise UnsafeFile(
                f"{label} 里的部件 {info.filename} 解压后有 {size / (1 << 20):,.0f} MB，"
                f"而压缩后只有 {info.compress_size / 1024:,.0f} KB，不像正常的工作簿（可能是恶意构造的“压缩炸弹”），"
                "为安全起见没有读取。请向发来文件的人确认，或用 Excel、WPS 打开另存后再试。")


SHARED_STRINGS_LIMIT = 5_000_000   # calamine keeps each in memory (about 170 bytes each: 850 MB)
_SI_TAGS = (b"<si>", b"<si ", b"<si/", b":si>", b":si ", b":si/")


def verify_part(pkg: Package, part: str, label: str) -> None:
    """Inflate ``part`` once, to its declared size, checking its CRC (calamine reads it
    next, with no bound of ours).  The shared-string table is also counted: a few MB of
    tiny strings would otherwise become gigabytes when calamine opens the workbook."""
    counting = part.rsplit("/", 1)[-1].lower() == "sharedstrings.xml"
    strings, tail = 0, b""
    try:
        for block in pkg.inflated(part, CHUNK):
            if counting:        # the last 3 bytes carried over: a 4-byte tag across blocks counts once
                data = tail + block
                strings += sum(data.count(t) for t in _SI_TAGS)
                tail = data[-3:]
                if strings > SHARED_STRINGS_LIMIT:
                    raise UnsafeFile(f"{label} 的共享文字表有 {SHARED_STRINGS_LIMIT:,} 条以上的文字，不像正常的工作簿"
                                     "（一百万行的听课记录也用不了这么多），读取会耗尽内存，为安全起见没有读取。"
                                     "请向发来文件的人确认，或用 Excel、WPS 打开另存后再试。")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
        raise WorkbookError(f"{label} 已损坏（部件 {part} 读不出来：{e}）。"
                            "请用 Excel 或 WPS 打开并重新保存后再试。") from None


@dataclass
class SheetScan:
    value_cells: int = 0
    last_row: int = 0            # of the value cells (exact for sheets in row order)
    far_row: int = 0             # largest row / column among far references
    far_col: int = 0
    first_value_row: int | None = None
    # (row, column) of one value cell that lies far out, to name it in a message
    far_example: tuple[int, int] | None = None
    last_example: tuple[int, int] | None = None     # (row, column) of the value cell at last_row
    # (Excel row, column from 0) -> value of each number cell with one decimal (4.1): the
    # column-wise reader gets these as text, where "4.1" would lose its second reading
    # (4月10日, as Excel stores 4.10); the reader puts the numbers back
    short_numbers: dict[tuple[int, int], float] = field(default_factory=dict)

    @property
    def area(self) -> int:
        rows = max(self.last_row, self.far_row)
        cols = max(26 if self.value_cells else 0, self.far_col)
        return rows * cols


def _blocks(pkg: Package, part: str) -> Iterator[bytes]:
    """The inflated blocks of ``part``, the last one empty.  (Inflating in a helper thread
    while the scan looks at the block before was slower: the two hand the interpreter lock
    back and forth around every byte count.)"""
    yield from pkg.inflated(part, CHUNK)
    yield b""


def scan_sheet(pkg: Package, part: str, sheet: str, label: str) -> SheetScan:
    """One streaming pass over a worksheet part; raises WorkbookError when calamine would
    have to lay out far more cells than the sheet holds."""
    s = SheetScan()
    carry = b""
    close_c = None
    head_left = 1 << 20          # the first value row is looked for in the first MB
    try:
        for block in _blocks(pkg, part):
            data = carry + block
            if not block:
                cut = len(data)
            else:
                cut = data.rfind(b"<")
                if cut <= 0:
                    cut = len(data)
            chunk, carry = data[:cut], data[cut:]
            if close_c is None:
                root = _ROOT.search(chunk)
                p = (root.group(1) or b"") if root else b""
                close_c, any_c = b"</" + p + b"c>", b"<" + p + b"c"
                cell_tags = (b"<" + p + b"c>", b"<" + p + b"c ")
                placed_tag, row_tag = b"<" + p + b'c r="', b"<" + p + b"row"
                odd_cell = re.compile(re.escape(any_c) + _NOT_NEAR)
                # found by its rare decimal point (a log's cells hold integers), then read back
                short, open_v = re.compile(rb"\.\d</" + re.escape(p) + b"v>"), b"<" + p + b"v>"
            # (a ':' is looked for first: one memchr pass, where most sheets have none)
            if (chunk.find(b":") >= 0 and _PREFIXED_CELL.search(chunk) is not None) \
                    or (p and any(t in chunk for t in _UNPREFIXED_CELL)):
                # calamine takes every tag named c as a cell, whatever its prefix (an <x:c> in an
                # unprefixed sheet, an unprefixed <c> under <x:worksheet>): seen in the root's form
                chunk = _ANY_CELL_TAG.sub(b"<\\1" + p + b"c", chunk)
            s.value_cells += chunk.count(close_c)       # cells with content (empty ones are <c …/>)
            # every cell tag opening <c r="A1" … <c r="Z1049999": nothing far, nothing unplaced
            if odd_cell.search(chunk) is not None:
                _far_cells(chunk, s)
                # tags opening with <c: cells, and a few cols/cfRule tags counted as unplaced
                # (which only sends the chunk through the exact count below)
                if chunk.count(any_c) > chunk.count(placed_tag):
                    # cells that calamine places by position: counted per row
                    s.far_col = max([s.far_col] + [sum(piece.count(t) for t in cell_tags)
                                                   for piece in chunk.split(row_tag)])
                    # and as far down as any row tag of the block says (their cells have
                    # no reference to tell)
                    s.far_row = max([s.far_row] + [row_number(r) for r in _ROW_REF.findall(chunk)])
            if len(s.short_numbers) < SHORT_NUMBERS:
                _short_numbers(chunk, short, open_v, any_c, s)
            if s.first_value_row is None and head_left > 0:
                _first_value_row(chunk[:head_left], s)
                head_left -= len(chunk)
            _last_rows(chunk[-(1 << 16):], s)    # cheap; the last chunk's tells
            if not block:
                break
            if len(carry) > CHUNK:           # a "tag" of megabytes: not a worksheet
                raise WorkbookError(f"{label} 的工作表「{sheet}」已损坏（内容不是正常的表格数据）。"
                                    "请用 Excel 或 WPS 打开并重新保存后再试。")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
        raise WorkbookError(f"{label} 的工作表「{sheet}」已损坏（{e}）。"
                            "请用 Excel 或 WPS 打开并重新保存后再试。") from None
    _judge(s, sheet)
    return s


SHORT_NUMBERS = 2_000_000      # at most this many short numbers are kept per sheet
_TYPE = re.compile(rb'\st="([^"]{0,16})"')


def _short_numbers(chunk: bytes, short: re.Pattern, open_v: bytes, cell_open: bytes, s: SheetScan) -> None:
    """Number cells holding one-decimal values (<v>4.1</v> in a cell with no text type)."""
    for m in short.finditer(chunk):
        dot = m.start()
        v = chunk.rfind(open_v, max(0, dot - 2 - len(open_v)), dot)
        digits = chunk[v + len(open_v):dot] if v >= 0 else b""
        if not (1 <= len(digits) <= 2 and digits.isdigit()):
            continue
        start = chunk.rfind(cell_open, 0, v)
        if start < 0 or v - start > 600:
            continue
        tag = chunk[start:chunk.find(b">", start, m.start()) + 1]
        ref = _REF.search(tag)
        kind = _TYPE.search(tag)
        if ref is None or (kind is not None and kind.group(1) != b"n"):
            continue
        row, col = row_number(ref.group(2)), column_number(ref.group(1).decode()) - 1
        s.short_numbers[(row, col)] = float(digits + chunk[dot:dot + 2])


def _far_cells(chunk: bytes, s: SheetScan) -> None:
    at = _FAR.search(chunk)
    if at is None:
        return                              # the common case: one pass, no match
    start = at.start()
    for m in _FAR_COL.finditer(chunk, start):    # wide sheets are small: each one looked at
        row, col = row_number(m.group(2)), column_number(m.group(1).decode())
        if (row > s.far_row or col > s.far_col) and _is_ref(chunk, m):
            _far(s, row, col)
    # rows of seven digits in the first columns (the last rows of a full-height log: many):
    # only the largest row of a value cell teaches anything
    top = _top_value_ref(chunk, start, _ROW7.findall(chunk, start), s.far_row)
    if top is not None:
        _far(s, *top)


def _far(s: SheetScan, row: int, col: int) -> None:
    if s.far_example is None or row * col > s.far_example[0] * s.far_example[1]:
        s.far_example = (row, col)
    s.far_row, s.far_col = max(s.far_row, row), max(s.far_col, col)


def _is_ref(chunk: bytes, m: re.Match) -> bool:
    """Whether ``m`` (at 'r="…"') is the reference of a value cell, not the end of another
    attribute's name or an empty cell."""
    start = m.start()
    return not (start and _WORD_BYTE.match(chunk, start - 1)) and _is_value_cell(chunk, m.end())


def _top_value_ref(chunk: bytes, start: int, rows: list[bytes], above: int) -> tuple[int, int] | None:
    """(row, column) of the value cell with the largest row over ``above``, among the
    references from ``start`` whose row digits are ``rows``: the largest rows are looked
    up first (in a sheet in row order the first one is it), all of them after eight misses."""
    if not rows:
        return None
    if max(map(len, rows)) <= 12:          # the usual: plain numbers, read at C speed
        numbers = set(map(int, rows))
        if max(numbers) <= above:
            return None
        candidates = [(row, str(row).encode()) for row in heapq.nlargest(9, numbers)]
    else:
        candidates = sorted({(row_number(r), r.lstrip(b"0")) for r in rows}, reverse=True)
    for tried, (row, digits) in enumerate(candidates):
        if row <= above:
            return None
        if tried == 8:
            break
        for m in re.compile(rb'r="([A-Za-z]+)(0*' + digits + rb')"').finditer(chunk, start):
            if _is_ref(chunk, m):
                return row, column_number(m.group(1).decode())
    else:
        return None
    best = None
    for m in _REF.finditer(chunk, start):
        row = row_number(m.group(2))
        if row > max(above, best[0] if best else 0) and _is_ref(chunk, m):
            best = (row, column_number(m.group(1).decode()))
    return best


def _first_value_row(chunk: bytes, s: SheetScan) -> None:
    for m in _REF.finditer(chunk):
        if _is_ref(chunk, m):
            s.first_value_row = row_number(m.group(2))
            return


def _last_rows(chunk: bytes, s: SheetScan) -> None:
    top = _top_value_ref(chunk, 0, _REF_ROW.findall(chunk), s.last_row)
    if top is not None:
        s.last_row, s.last_example = top[0], top


def _judge(s: SheetScan, sheet: str) -> None:
    area = s.area
    if area <= SPARSE_FLOOR or (area <= AREA_LIMIT and area <= SPARSE_FACTOR * s.value_cells):
        return
    example = s.far_example
    if example is None and s.last_example is not None and s.last_example[0] >= s.far_row:
        example = s.last_example                    # the last row of a sheet in row order
    if example is not None:
        row, col = example
        where = f"{column_letters(col)}{row} 单元格"
    else:
        where = f"第 {max(s.last_row, s.far_row)} 行"
    raise UnsafeFile(
        f"工作表「{sheet}」的{where}有内容，离其他数据很远：这张表真正有内容的只有 {s.value_cells:,} 个单元格，"
        f"读取却要铺开约 {area:,} 个单元格，会占满内存，所以没有读取。"
        "请在 Excel 或 WPS 中删除数据区以外多余的行和列（选中后右键“删除”）并保存，再运行。")
