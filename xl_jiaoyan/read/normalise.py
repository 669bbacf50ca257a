"""A record sheet read by the rules the contract declares for it — one validator for every sheet.

``normalise`` is the one step every record sheet goes through, whichever reader gave its
grid (row-wise or column-wise): its date (readable, in the semester, future or not, on a
working day, as ``Sheet.future_hint`` and ``Sheet.workdays`` say), its other date columns,
the names of the person the row is about (``Column.person == ROW``: unresolved rows left
out, 错误), exact duplicates by ``Sheet.dedupe`` (错误), then every other column by kind —
names listed around the row (``LISTED``: an unknown one is a 警告 and gets nothing),
name lists with 全组 and group names standing for their members, times, 节次 spans, list
values and text.  Findings name the people by teacher id (``Sheet.who``'s column), the
column, and the sheet as the workbook names it.  The rules that span rows stay in
``compute.records``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable

import numpy as np
from xl_jiaoyan.domain.frames import pd

from xl_jiaoyan.contract import ALL_DAYS, LISTED, ROW, Column
from xl_jiaoyan.domain.calendar import SemesterCalendar
from xl_jiaoyan.domain.cells import md, split_names, squash, text, to_int, to_period_span, to_time, to_weekday
from xl_jiaoyan.domain.findings import ERROR, HINT, WARNING, Findings, finding
from xl_jiaoyan.domain.frames import typed_frame
from xl_jiaoyan.domain.roster import Roster
from xl_jiaoyan.read.schema import map_unique, read_dates
from xl_jiaoyan.read.table import Table

Found = Findings
DATE = "date"          # the key of every record sheet's own date column


@dataclass(frozen=True)
class Context:
    """What every record sheet is read against; each reader returns its own findings."""
    roster: Roster
    cal: SemesterCalendar
    as_of: date
    daily_cap: int = 4          # 设置!单日听课上限
    report_weeks: int = 4       # 设置!汇报课期限(周)
    lessons: dict[int, str] = field(default_factory=dict)   # lesson_key -> 班级, from 课表
    school: str = ""            # 设置!学校名称: a 授课单位 other than it is a lesson elsewhere


def mapped_uniques(series: pd.Series, fn) -> tuple[np.ndarray, np.ndarray]:
    """(codes, fn of each distinct value): ``fn`` runs once per distinct value (logs repeat
    a lot); ``values[codes]`` is ``series.map(fn)``."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    values = np.empty(len(uniques), dtype=object)
    values[:] = [fn(u) for u in uniques]
    return codes, values


def people_of(roster: Roster, column: Column | None) -> Callable:
    """How a cell of the column a sheet's findings name as 人员 becomes people: teacher ids
    for the names the roster knows, the text as written for the rest (a group, 全组, a
    name nobody has) — never a guess."""
    if column is None:
        return lambda v: ()
    if column.kind == "name":
        return lambda v: roster.resolve(v).tid if roster.resolve(v).tid is not None else squash(text(v))
    if column.kind == "names":
        def many(v):
            out = []
            for token in split_names(v):
                tid = roster.resolve(token).tid if roster.members(token) is None else None
                out.append(tid if tid is not None else token)
            return tuple(dict.fromkeys(out))
        return many
    return lambda v: squash(text(v))


def subject_people(table: Table, roster: Roster) -> pd.Series:
    sheet = table.sheet
    column = next((c for c in sheet.columns if c.key == sheet.who), None)
    return map_unique(table.frame[sheet.who], people_of(roster, column)) if column else \
        pd.Series("", index=table.frame.index, dtype=object)


def _on_workdays(table: Table, f: pd.DataFrame) -> np.ndarray | None:
    rule = table.sheet.workdays
    if rule == ALL_DAYS:
        return None
    if rule is None:
        return np.zeros(len(f), dtype=bool)
    key, value = rule
    return (f[key] == value).to_numpy()


def dated(table: Table, ctx: Context, found: Found, person: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    """Rows with a readable date in the semester, with ``date`` (now a date) and
    ``future``; and their people."""
    f = table.frame
    sheet, label = table.name, table.label(DATE)
    days = date_column(f, DATE, label, person, sheet, ctx, found)
    bad = days.isna().to_numpy()
    if bad.any():
        shown = map_unique(f[DATE][bad], text)
        blank = (shown == "").to_numpy()
        rows, people = f["row"][bad].to_numpy(), person[bad].to_numpy()
        found.add(ERROR, "date.blank", sheet, rows[blank], label, people[blank])
        found.add(ERROR, "date.unreadable", sheet, rows[~blank], label, people[~blank],
                  value=shown[~blank].tolist())
    f = f[~bad].assign(date=days[~bad])
    person = person[~bad]
    inside = map_unique(f[DATE], ctx.cal.contains).astype(bool)
    found.add(ERROR, "date.outside", sheet, f["row"][~inside].to_numpy(), label, person[~inside].to_numpy(),
              f[DATE][~inside].tolist(), when=f[DATE][~inside].tolist(), start=ctx.cal.start, end=ctx.cal.end)
    f, person = f[inside], person[inside]
    future = map_unique(f[DATE], lambda d: d > ctx.as_of).astype(bool)
    if table.sheet.future_hint:
        days = f[DATE][future].tolist()
        found.add(HINT, "date.future", sheet, f["row"][future].to_numpy(), label, person[future].to_numpy(), days,
                  when=days, as_of=ctx.as_of)
    f = f.assign(future=future.to_numpy())
    off = ~map_unique(f[DATE], ctx.cal.is_working).astype(bool).to_numpy()
    school = _on_workdays(table, f)
    if school is not None:
        off &= school
    days = f[DATE][off]
    found.add(WARNING, "date.rest_day", sheet, f["row"][off].to_numpy(), label, person[off].to_numpy(),
              days.tolist(), rest=map_unique(days, ctx.cal.rest_day).tolist())
    return f, person


def date_column(f: pd.DataFrame, column: str, label: str, person: pd.Series, sheet: str, ctx: Context,
                found: Found) -> pd.Series:
    """The dates of a column as staff type them, as a categorical (missing where
    unreadable); a number with two readings (4.1: 4月1日 or 4月10日, as Excel stores 4.10)
    is read as the one that fits the semester and the rows around it, with a 警告 naming both."""
    days, twofold = read_dates(f[column], ctx.cal.year_for, ctx.cal.contains)
    typed, rows, people = f[column].to_numpy(), f["row"].to_numpy(), person.to_numpy()   # once, not per row
    for i, readings in twofold:
        chosen = days.iat[i]
        other = next(d for d in readings if d != chosen)
        found.append(finding(WARNING, "date.twofold", sheet, rows[i], label, people[i], chosen,
                             value=text(typed[i]), first=md(readings[0]), second=md(readings[1]),
                             typed=f"{readings[1].month}.{readings[1].day}", chosen=md(chosen),
                             other=md(other), other_iso=other.isoformat()))
    return days


def resolve_column(f: pd.DataFrame, person: pd.Series, column: Column, sheet: str, ctx: Context,
                   found: Found) -> tuple[pd.DataFrame, pd.Series]:
    """The column a row is about, resolved to teacher ids (in place); unresolved rows dropped."""
    key = column.key
    tids = map_unique(f[key], lambda v: ctx.roster.resolve(v).tid)
    bad = tids.isna()
    for raw, row, d, p in zip(f[key][bad], f["row"][bad], f[DATE][bad], person[bad]):
        raw_s = text(raw)
        if not raw_s:
            found.append(finding(ERROR, "name.blank", sheet, row, column.name, p, d))
        else:
            found.append(ctx.roster.problem_finding(ctx.roster.resolve(raw), raw_s, sheet, int(row), column.name, d))
    f = f[~bad].copy()
    f[key] = tids[~bad].astype(int)
    return f, person[~bad]


def resolve_members(f: pd.DataFrame, person: pd.Series, column: Column, sheet: str, ctx: Context,
                    found: Found) -> tuple[pd.DataFrame, pd.Series]:
    """A column the row is about that may hold several people (常规检查 被检查人: names, a
    教研组, a 备课组, 全体教师): a tuple of teacher ids per row; a row with a name the roster
    does not know (or none at all) is an 错误 and left out."""
    key, keep, members = column.key, [], []
    for raw, row, d, p in zip(f[key], f["row"], f[DATE], person):
        tokens, tids, ok = split_names(raw), [], True
        if not tokens:
            found.append(finding(ERROR, "name.blank", sheet, row, column.name, p, d))
            ok = False
        for token in tokens:
            group = ctx.roster.members(token)
            if group is not None:
                tids.extend(group)
                continue
            res = ctx.roster.resolve(token)
            if res.tid is None:
                found.append(ctx.roster.problem_finding(res, token, sheet, int(row), column.name, d, people=p))
                ok = False
            else:
                tids.append(res.tid)
        keep.append(ok)
        members.append(tuple(dict.fromkeys(tids)))
    mask = np.array(keep, dtype=bool)
    kept = pd.Series([m for m, k in zip(members, keep) if k], index=f.index[mask], dtype=object)
    return f[mask].assign(**{key: kept}), person[mask]


def resolve_people(cell, group: str, sheet: str, row: int, label: str, ctx: Context, found: Found,
                   day=None) -> list[int]:
    """A cell of names, group names, roles or 全体教师 -> tids (unresolved names reported)."""
    out: list[int] = []
    for token in split_names(cell):
        members = ctx.roster.members(token, group)
        if members is not None:
            out.extend(members)
            continue
        res = ctx.roster.resolve(token)
        if res.tid is None:
            found.append(ctx.roster.problem_finding(res, token, sheet, row, label, day, whole_row=False))
        else:
            out.append(res.tid)
    return list(dict.fromkeys(out))


def _other_dates(f: pd.DataFrame, table: Table, person: pd.Series, ctx: Context, found: Found) -> pd.DataFrame:
    """Date columns besides the record's own (汇报课日期): None when blank; an unreadable
    one is an error finding, the row still counts."""
    for col in table.sheet.columns:
        if col.kind != "date" or col.key == DATE or col.key not in f:
            continue
        days = date_column(f, col.key, col.name, person, table.name, ctx, found)
        days = pd.Series(np.where(days.isna(), None, days.astype(object)), index=days.index, dtype=object, copy=False)
        for raw, row, d, day, p in zip(f[col.key], f["row"], days, f[DATE], person):
            if text(raw) and d is None:
                found.append(finding(ERROR, "date.other_unreadable", table.name, row, col.name, p, day,
                                     value=text(raw)))
        f = f.assign(**{col.key: days})
    return f


def drop_duplicates(f: pd.DataFrame, person: pd.Series, table: Table, found: Found) -> tuple[pd.DataFrame, pd.Series]:
    """Exact duplicates (after normalisation) of an earlier row, by ``Sheet.dedupe``: errors."""
    keys = table.sheet.dedupe
    if f.empty or not keys:
        return f, person
    key = np.zeros(len(f), dtype=np.int64)
    for k in keys:   # one integer per distinct normalised row, kept small by re-factorizing
        codes = normalized_codes(f[k], lambda v: v if isinstance(v, (int, date)) else squash(text(v)))
        key, _ = pd.factorize(key * (int(codes.max()) + 1) + codes)
    dup = pd.Series(key, index=f.index, copy=False).duplicated(keep="first")
    if dup.any():
        first_row = f["row"].groupby(key).transform("first")
        found.add(ERROR, "duplicate", table.name, f["row"][dup].to_numpy(), table.label(table.sheet.who),
                  person[dup].to_numpy(),
                  f[DATE][dup].tolist(), first=first_row[dup].tolist())
    return f[~dup], person[~dup]


def normalized_codes(series: pd.Series, fn) -> np.ndarray:
    """Integer codes equal exactly where ``fn`` of the values is equal."""
    codes, values = mapped_uniques(series, fn)
    merged, _ = pd.factorize(values, use_na_sentinel=False)
    return merged[codes]


SIMPLE: dict[str, Callable] = {
    "time": to_time, "int": to_int, "weekday": to_weekday,
    "choice": lambda v: squash(text(v)), "group": lambda v: squash(text(v)), "prep": lambda v: squash(text(v)),
    "text": text,
}


def normalise(table: Table, ctx: Context) -> tuple[pd.DataFrame, Found]:
    """The record sheet as a typed table, with ``row`` and ``future``, and the findings
    (see the module's docstring)."""
    found = Findings()
    sheet, name = table.sheet, table.name
    person = subject_people(table, ctx.roster)
    f, person = dated(table, ctx, found, person)
    f = _other_dates(f, table, person, ctx, found)
    for col in sheet.columns:
        freed = col.person == ROW and bool(sheet.elsewhere) and col.key in sheet.elsewhere[1]
        away = _elsewhere(f, table, ctx) if freed else None
        if away is not None:              # a lesson at another school: its 授课人 as written
            a = away.to_numpy(dtype=bool)
            here, here_people = resolve_column(f[~a], person[~a], col, name, ctx, found)
            f = pd.concat([here, f[a].assign(**{col.key: -1})]).sort_index()
            person = pd.concat([here_people, person[a]]).sort_index()
        elif col.person == ROW and col.kind == "names":
            f, person = resolve_members(f, person, col, name, ctx, found)
        elif col.person == ROW:
            f, person = resolve_column(f, person, col, name, ctx, found)
    if any(c.person == ROW and c.kind == "name" and c.key == sheet.who for c in sheet.columns):
        person = f[sheet.who]
    f, person = drop_duplicates(f, person, table, found)
    columns = {"row": f["row"].astype(int).to_numpy(), DATE: f[DATE].to_numpy(),
               "future": f["future"].astype(bool).to_numpy()}
    records = None
    for col in sheet.columns:
        key = col.key
        if key == DATE or col.kind == "date":
            columns[key] = f[key].to_numpy() if key != DATE else columns[DATE]
        elif col.person == ROW:
            columns[key] = f[key].to_numpy()
        elif col.kind in ("name", "names"):
            records = records if records is not None else f.to_dict("records")
            groups = [squash(text(r.get("group"))) for r in records]
            if col.kind == "name":
                columns[key] = [_one(r[key], name, col.name, r, ctx, found) for r in records]
            else:
                columns[key] = [resolve_people(r[key], g, name, int(r["row"]), col.name, ctx, found, r[DATE])
                                for r, g in zip(records, groups)]
                columns[key + "_text"] = map_unique(f[key], text).to_numpy()
        elif col.kind == "periods":
            codes, spans = mapped_uniques(f[key], lambda v: to_period_span(v) or (None, None))
            columns["p_first"] = np.array([s[0] for s in spans], dtype=object)[codes]
            columns["p_last"] = np.array([s[1] for s in spans], dtype=object)[codes]
            columns[key + "_text"] = map_unique(f[key], text).to_numpy()
        else:
            columns[key] = map_unique(f[key], SIMPLE.get(col.kind, text)).to_numpy()
    return typed_frame(columns, len(f)), found


def _elsewhere(f: pd.DataFrame, table: Table, ctx: Context) -> pd.Series | None:
    """Rows about a lesson at another school (``Sheet.elsewhere``): its column holds a
    school that is not 学校名称.  None when the sheet has no such column or no such row."""
    if not table.sheet.elsewhere or table.sheet.elsewhere[0] not in table.present:
        return None
    own = squash(ctx.school)
    units = map_unique(f[table.sheet.elsewhere[0]], lambda v: squash(text(v)))
    away = (units != "") & (units != own)
    return away if away.any() else None


def _one(raw, sheet: str, label: str, rec: dict, ctx: Context, found: Found) -> int | None:
    """A one-name cell listed around the row (主持人): the teacher id, None when blank or unknown."""
    if not text(raw):
        return None
    res = ctx.roster.resolve(raw)
    if res.tid is None:
        found.append(ctx.roster.problem_finding(res, text(raw), sheet, int(rec["row"]), label, rec[DATE],
                                                whole_row=False))
    return res.tid


__all__ = ["Context", "Found", "normalise", "map_unique", "mapped_uniques", "LISTED"]
