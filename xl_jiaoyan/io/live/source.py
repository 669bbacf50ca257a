"""Live mode's reading: the used range of each sheet of the open workbook as the same
``Grid`` the file adapter gives (values with Excel row numbers, merged ranges, cells shown
as percentages), a used range inflated far past the values read only as far as they go."""
from __future__ import annotations

from pathlib import Path

from xl_jiaoyan.contract import SHEET
from xl_jiaoyan.domain.findings import HINT, finding
from xl_jiaoyan.io.xlsx.cell_formats import is_percent
from xl_jiaoyan.notice.template import TemplateText, beside
from xl_jiaoyan.read.grid import Grid, Source


# A used range longer than this is read in blocks, top down, up to the last block that
# holds a value: a sheet formatted (or once filled) down to row 1,048,576 would otherwise
# be asked for a million rows in one call — minutes, and gigabytes, through COM.
USED_ROWS_GUARD = 50_000
BLOCK_ROWS = 5_000


class LiveSource(Source):
    def __init__(self, book):
        self.book = book
        self.path_label = book.name
        self.hints = []

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def grid(self, name: str, as_sheet: str | None = None) -> Grid:
        sheet = self.book.sheets[name]
        used = sheet.used_range
        if used.shape[0] > USED_ROWS_GUARD:
            used, values = self._guarded(sheet, name, used)
        else:
            values = used.options(ndim=2).value or [[]]
        lead = [None] * (used.column - 1)
        rows = [lead + list(r) for r in values] if lead else [list(r) for r in values]
        if used.row > 1:
            rows = [[] for _ in range(used.row - 1)] + rows
        grid = Grid(name, rows, 1, merged_areas(used))
        if any(c.percent for c in getattr(SHEET.get(as_sheet or name), "columns", ())):
            grid.percent = percent_cells(used, values)
        return grid

    def _guarded(self, sheet, name: str, used):
        """An overlong used range read block by block until a block is blank; a 提示
        names where the values end when that is far above the used range's end."""
        top, left = used.row, used.column
        bottom, right = top + used.shape[0] - 1, left + used.shape[1] - 1
        values: list[list] = []
        start = top
        while start <= bottom:
            end = min(start + BLOCK_ROWS - 1, bottom)
            block = sheet.range((start, left), (end, right)).options(ndim=2).value or []
            if not any(v is not None and v != "" for r in block for v in r):
                break
            values += block
            start = end + 1
        while values and not any(v is not None and v != "" for v in values[-1]):
            values.pop()
        last = top + len(values) - 1
        if bottom - max(last, top) >= BLOCK_ROWS:
            self.hints.append(finding(HINT, "read.used_range", name, name=name, used=bottom, last=max(last, top)))
        return sheet.range((top, left), (max(last, top), right)), values or [[]]

    def template_file(self) -> TemplateText | None:
        try:
            folder = Path(self.book.fullname).parent
        except Exception:          # a book that is not a file (new, or on the web)
            return None
        return beside(folder)


PERCENT_PROBES = 200   # number cells of a small sheet (指标) asked for their format


def percent_cells(used, values) -> set[tuple[int, int]]:
    """(Excel row, 0-based column) of the number cells shown as percentages: Excel hands
    100% over as 1, so the format says what the person typed."""
    out: set[tuple[int, int]] = set()
    numbers = [(i, j) for i, r in enumerate(values) for j, v in enumerate(r)
               if isinstance(v, (int, float)) and not isinstance(v, bool)]
    for i, j in numbers[:PERCENT_PROBES]:
        try:
            fmt = used[i, j].number_format or ""
        except (NotImplementedError, AttributeError):
            return out
        if is_percent(fmt):
            out.add((used.row + i, used.column - 1 + j))
    return out


MERGE_PROBES = 5_000   # range questions asked per sheet to find its merged cells


def merged_areas(used) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Merged ranges of a used range, 0-based as the file adapter gives them.

    Desktop engines answer ``merge_cells`` for a whole range at once (False: none, True:
    all merged, None: some), so the used range is halved until each part answers False
    or is one cell: a sheet without merges costs one question, each merged area about
    two per halving (a few dozen), never one per cell.  Engines that cannot say (the
    remote engine) give none."""
    try:
        if used.merge_cells is False:
            return []
    except (NotImplementedError, AttributeError):
        return []
    nrows, ncols = used.shape
    r0, c0 = used.row, used.column
    found: list[tuple[int, int, int, int]] = []      # relative top, left, bottom, right
    stack, probes = [(0, 0, nrows - 1, ncols - 1)], 0
    while stack and probes < MERGE_PROBES:
        top, left, bottom, right = stack.pop()
        if any(t <= top and l <= left and bottom <= b and right <= r for t, l, b, r in found):
            continue
        probes += 1
        state = used[top:bottom + 1, left:right + 1].merge_cells
        if state is False:
            continue
        if state is True or (top, left) == (bottom, right):
            area = used[top, left].merge_area
            t, l = area.row - r0, area.column - c0
            box = (t, l, t + area.shape[0] - 1, l + area.shape[1] - 1)
            if (box[2] > box[0] or box[3] > box[1]) and box not in found:
                found.append(box)
            if box[0] <= top and box[1] <= left and bottom <= box[2] and right <= box[3]:
                continue
            if (top, left) == (bottom, right):
                continue
        if bottom - top >= right - left:
            mid = (top + bottom) // 2
            stack += [(mid + 1, left, bottom, right), (top, left, mid, right)]
        else:
            mid = (left + right) // 2
            stack += [(top, mid + 1, bottom, right), (top, left, bottom, mid)]
    return [((r0 - 1 + t, c0 - 1 + l), (r0 - 1 + b, c0 - 1 + r)) for t, l, b, r in found]
