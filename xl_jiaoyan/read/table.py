"""Find a sheet's header row and turn its grid into a DataFrame of raw values.

The header row is the first row (of the first 30) holding every required header of the
contract sheet; headers match after removing spaces of either width.  The frame has one
column per contract column, named by the column's ``key`` (absent columns are all None),
plus ``row`` (the Excel row number).  Rows empty in
every contract column are dropped.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xl_jiaoyan.domain.frames import pd

from xl_jiaoyan.domain.cells import squash, text
from xl_jiaoyan.contract import Sheet
from xl_jiaoyan.errors import PlaceError
from xl_jiaoyan.read.grid import Grid

HEADER_SEARCH_ROWS = 30


@dataclass
class Table:
    sheet: Sheet
    frame: pd.DataFrame          # contract columns (raw values) by their keys, + 'row'
    header_row: int              # Excel row of the header
    present: frozenset[str]      # keys of the contract columns found in the header
    name: str = ""               # the sheet as the workbook names it (a near name: 听课记录表)

    def __post_init__(self):
        self.name = self.name or self.sheet.name

    @property
    def empty(self) -> bool:
        return self.frame.empty

    def label(self, key: str) -> str:
        return self.sheet.label(key)

    def with_frame(self, frame: pd.DataFrame) -> "Table":
        return Table(self.sheet, frame, self.header_row, self.present, self.name)


def _header_map(cells: list, sheet: Sheet) -> dict[str, int]:
    """Contract column name -> position, by the column's name or (when the name itself is
    not in the row) one of its aliases."""
    written: dict[str, int] = {}
    for j, v in enumerate(cells):
        key = squash(text(v)) if v is not None else ""
        if key and key not in written:
            written[key] = j
    found: dict[str, int] = {}
    taken = {c.name for c in sheet.columns}
    for c in sheet.columns:
        if c.name in written:
            found[c.name] = written[c.name]
            continue
        alias = next((a for a in c.aliases if a in written and a not in taken), None)
        if alias is not None and written[alias] not in found.values():
            found[c.name] = written[alias]
    return found


def read_table(grid: Grid, sheet: Sheet) -> Table | None:
    """The sheet's records, or None when the sheet holds nothing at all.

    Raises WorkbookError when it has content but no row carries the required headers.
    """
    grid.fill_merged()
    rows = grid.head(HEADER_SEARCH_ROWS)
    required = sheet.required_columns
    best: tuple[int, int, dict] = (-1, -1, {})
    for i, cells in enumerate(rows):
        found = _header_map(cells, sheet)
        if all(r in found for r in required):
            return _build(grid, sheet, i, found)
        score = sum(r in found for r in required)
        if score > best[0]:
            best = (score, i, found)
    if not any(any(text(v) for v in r) for r in rows) and _blank(grid.body(0)).all():
        return None
    score, i, found = best
    missing = [r for r in required if r not in found]
    row = grid.first_row + i if score > 0 else None
    raise PlaceError(
        grid.name, row, None, ("的表头" if row else "前 30 行") + "缺少必需的列："
        + "、".join(f"「{m}」" for m in missing)
        + f"。\n请在表头行补上这些列名（应有的列：{'、'.join(sheet.header)}），"
        "或用 xl-jiaoyan init 生成的模板对照。")


def _blank(frame: pd.DataFrame) -> np.ndarray:
    """Rows with no value in any column (None, NaN, '' or only spaces)."""
    blank = np.ones(len(frame), dtype=bool)
    for c in frame.columns:
        column = frame[c]
        empty = column.isna().to_numpy().copy()
        spaces = [v for v in pd.unique(column[~empty]) if isinstance(v, str) and not v.strip()]
        if spaces:
            empty |= column.isin(spaces).to_numpy()
        blank &= empty
    return blank


def _repeated_header(frame: pd.DataFrame, names: list[str]) -> np.ndarray:
    """Rows that repeat the header (blocks pasted with their headers): not records."""
    repeated = np.ones(len(frame), dtype=bool)
    for c in names:
        if c not in frame:
            return np.zeros(len(frame), dtype=bool)
        column = frame[c]
        hits = [v for v in pd.unique(column.dropna()) if isinstance(v, str) and squash(v) == c]
        if not hits:
            return np.zeros(len(frame), dtype=bool)
        repeated &= column.isin(hits).to_numpy()
    return repeated


def _as_shown(values: pd.Series, rows: pd.Series, col: int, percent: set[tuple[int, int]]) -> pd.Series:
    """A number shown as a percentage reads as the person sees it: 1 shown as 100% -> '100%'."""
    return pd.Series([f"{v * 100:g}%" if (r, col) in percent and isinstance(v, (int, float))
                      and not isinstance(v, bool) else v for v, r in zip(values, rows)], index=values.index, dtype=object)


def _build(grid: Grid, sheet: Sheet, i: int, found: dict[str, int]) -> Table:
    header_row = grid.first_row + i
    cols = list(found)
    raw = grid.body(i + 1)
    if len(raw):
        frame = pd.DataFrame({c: raw[found[c]] if found[c] in raw else None for c in cols}, index=raw.index)
    else:
        frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
    frame["row"] = range(header_row + 1, header_row + 1 + len(frame))
    if cols:
        blank = _blank(frame[cols])
        if blank.any():
            frame = frame[~blank]
        frame = frame[~_repeated_header(frame, sheet.required_columns or cols)]
    for column in sheet.columns:
        if column.percent and grid.percent and column.name in found:
            frame[column.name] = _as_shown(frame[column.name], frame["row"], found[column.name], grid.percent)
    for c in sheet.header:
        if c not in frame:
            frame[c] = None
    keys = {c.name: c.key for c in sheet.columns}
    frame = frame.rename(columns=keys)
    return Table(sheet, frame.reset_index(drop=True), header_row, frozenset(keys[c] for c in found), grid.name)
