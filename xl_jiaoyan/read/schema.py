"""The contract executed on a table: each column checked by its declared kind.

``check_table`` runs for every input sheet before any counting: a value outside a
column's allowed list (``Column.choices``) or a 教研组 the roster does not have
(``Column.kind == "group"``) becomes a finding that names the closest allowed value — never
a silent fallback.  Values of a strict list that are off leave their row out of every
count (错误); a near miss in an open list (角色, 活动 类型) or an unknown group where the
row still counts is a 警告.  ``read_dates`` reads a date column as staff type dates,
including the numbers Excel stores for 4.12 and the two readings of 4.1.
"""
from __future__ import annotations

import difflib
from datetime import date

import numpy as np
from xl_jiaoyan.domain.frames import pd

from xl_jiaoyan.domain.cells import date_readings, split_names, squash, text, yes_no
from xl_jiaoyan.contract import YES_NO, Column
from xl_jiaoyan.domain.findings import ERROR, WARNING, Finding, finding
from xl_jiaoyan.read.table import Table

ALIASES = {"县级": "区级"}      # the contract: 区级 (县级)


def closest(value: str, allowed) -> str | None:
    """The allowed value a mistyped one most likely meant (数学 -> 数学组, 市极 -> 市级)."""
    allowed = [a for a in allowed if a]
    inside = [a for a in allowed if value and (value in a or a in value)]
    if inside:
        return min(inside, key=lambda a: abs(len(a) - len(value)))
    hits = difflib.get_close_matches(value, allowed, n=1, cutoff=0.4)
    return hits[0] if hits else None


def _suggest(value: str, allowed) -> str:
    near = closest(value, allowed)
    return f"是不是“{near}”？" if near else ""


def map_unique(series: pd.Series, fn) -> pd.Series:
    """``series.map(fn)``, calling ``fn`` once per distinct value (logs repeat a lot)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    values = np.empty(len(uniques), dtype=object)
    values[:] = [fn(u) for u in uniques]
    return pd.Series(values[codes], index=series.index, dtype=object, copy=False)


def _canonical(column: Column, raw) -> tuple[str, bool]:
    """(the value as the contract spells it, whether it is on the list).  Blank is on it
    (required values are checked where they are used)."""
    if not text(raw):
        return "", True
    if column.choices == YES_NO:
        parsed = yes_no(raw, default=None)
        return ("是" if parsed else "否", True) if parsed is not None else (squash(text(raw)), False)
    value = squash(text(raw))
    value = ALIASES.get(value, value) if ALIASES.get(value) in column.choices else value
    return value, value in column.choices


def check_table(table: Table | None, groups: list[str], around=None,
                preps: list[str] = ()) -> tuple[Table | None, list[Finding]]:
    """The table with choice columns spelled as the contract spells them (off-list values
    of a non-strict column replaced by its fallback, if it has one), rows holding a value
    off a strict list removed, and a finding for every value off a list.  ``around(table)``
    gives each row's (people, day) for the findings (default: none)."""
    if table is None or table.empty:
        return table, []
    frame, sheet, findings = table.frame, table.sheet, []
    context: list = []          # (people, days) of every row, worked out at the first finding only

    def place(i: int) -> tuple:
        if around is None:
            return (), None
        if not context:
            context.extend(around(table))
        people, days = context
        return people.iat[i], days.iat[i] if days is not None else None
    drop = np.zeros(len(frame), dtype=bool)
    rows = frame["row"].to_numpy()
    for column in sheet.columns:
        if column.key not in table.present:
            continue
        if column.kind == "choice" and column.choices:
            checked = map_unique(frame[column.key], lambda v, c=column: _canonical(c, v))
            ok = np.array([c[1] for c in checked], dtype=bool)
            values = [v if good or column.strict or column.fallback is None else column.fallback
                      for v, good in checked]
            frame = frame.assign(**{column.key: values})
            for i in np.flatnonzero(~ok):
                f = _off_list(table.name, int(rows[i]), column, checked.iat[i][0], *place(i))
                if f is not None:
                    findings.append(f)
            if column.strict:
                drop |= ~ok
        elif column.kind == "roles":
            for i, cell in enumerate(frame[column.key]):
                for role in split_names(cell):
                    key = squash(role)
                    if key not in column.choices and (near := closest(key, column.choices)) and near != key:
                        findings.append(finding(WARNING, "role.near", table.name, rows[i], column.name, place(i)[0],
                                                value=key, near=near))
        elif column.kind == "group" and groups:
            names = map_unique(frame[column.key], lambda v: squash(text(v)))
            off = np.array([bool(g) and g not in groups for g in names], dtype=bool)
            for i in np.flatnonzero(off):
                findings.append(finding(WARNING if not column.strict else ERROR,
                                        "group.unknown" if column.strict else "group.unknown.counted",
                                        table.name, rows[i], column.name, names.iat[i], place(i)[1],
                                        value=names.iat[i], groups="、".join(groups),
                                        suggest=_suggest(names.iat[i], groups)))
            if column.strict:
                drop |= off
        elif column.kind == "prep":      # a 备课组: the roster's (a row of an unknown one is left out)
            names = map_unique(frame[column.key], lambda v: squash(text(v)))
            off = np.array([bool(g) and g not in preps for g in names], dtype=bool)
            for i in np.flatnonzero(off):
                findings.append(finding(ERROR, "prep.unknown", table.name, rows[i], column.name, names.iat[i],
                                        place(i)[1], value=names.iat[i], groups="、".join(preps) or "无",
                                        suggest=_suggest(names.iat[i], preps)))
            drop |= off
    if drop.any():
        frame = frame[~drop].reset_index(drop=True)
    return table.with_frame(frame), findings


def _off_list(sheet: str, row: int, column: Column, value: str, people=(), day=None) -> Finding | None:
    allowed = "、".join(column.choices)
    if column.strict:
        return finding(ERROR, "value.off_list", sheet, row, column.name, people, day, value=value, allowed=allowed,
                       suggest=_suggest(value, column.choices))
    if column.fallback is not None:
        return finding(WARNING, "value.fallback", sheet, row, column.name, people, day, value=value,
                       allowed=allowed, fallback=column.fallback)
    near = closest(value, column.choices)
    if near is None or near == value:       # an open list: other values are fine
        return None
    return finding(WARNING, "value.near", sheet, row, column.name, people, day, value=value, near=near)


def read_dates(values: pd.Series, year_for, fits) -> tuple[pd.Series, list[tuple[int, tuple[date, ...]]]]:
    """A date column: the date of each row (a categorical, one category per day; missing
    when unreadable) and, for each row whose number reads two ways (4.1: 4月1日 or
    4月10日), (position, readings).

    Of two readings, the one inside the semester (``fits``) is taken; when both fit, the
    one nearer the dates of the rows just before and after it."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    each = [date_readings(u, year_for) for u in uniques]          # once per distinct value
    one = np.empty(len(each), dtype=object)
    one[:] = [r[0] if len(r) == 1 else None for r in each]
    twofold = np.flatnonzero(np.array([len(r) > 1 for r in each], dtype=bool)[codes]).tolist() if len(each) else []
    if not twofold:      # one category per day: what is asked of each day is asked once
        day_codes, days = pd.factorize(one)
        return pd.Series(pd.Categorical.from_codes(day_codes[codes], categories=pd.Index(days, dtype=object)),
                         index=values.index), []
    single = one[codes]
    dates = pd.Series(single, index=values.index, dtype=object, copy=False)
    held = np.empty(len(each), dtype=object)
    for k, r in enumerate(each):        # one by one: numpy would make equal-length tuples a 2-D array
        held[k] = r
    readings = pd.Series(held[codes], index=values.index, dtype=object, copy=False)
    ordinals = pd.Series([d.toordinal() if d is not None else np.nan for d in single], dtype="float64")
    before, after = ordinals.ffill().to_numpy(), ordinals.bfill().to_numpy()
    out = []
    for i in twofold:
        options = [d for d in readings.iat[i] if fits(d)] or list(readings.iat[i])
        near = [x for x in (before[i], after[i]) if x == x]

        def distance(d: date) -> float:
            return sum(abs(d.toordinal() - x) for x in near)
        dates.iat[i] = min(options, key=distance) if near else options[0]
        out.append((i, readings.iat[i]))
    return dates.astype("category"), out
