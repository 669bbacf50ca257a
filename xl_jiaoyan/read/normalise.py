"""A record sheet's columns read by the kinds the contract declares for them.

``normalise`` is the one step every record sheet goes through: its date (readable, in the
semester, future or not, on a working day), its other date columns, its required names
(resolved to teacher ids; unresolved rows left out), duplicates (by the sheet's own rule,
passed in), then every other column by kind — optional names, name lists (with 全组 and
group names standing for their members), times, 节次 spans, list values and text.  The
result is a typed table keyed by the contract's column keys, plus ``row`` and ``future``,
and the findings.  The rules that span rows stay in ``records``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable

import numpy as np
import pandas as pd

from xl_jiaoyan.domain.calendar import SemesterCalendar
from xl_jiaoyan.domain.cells import md, split_names, squash, text, to_int, to_period_span, to_time, to_weekday
from xl_jiaoyan.contract import CALENDAR, CALENDAR_TYPES, Sheet
from xl_jiaoyan.domain.findings import ERROR, HINT, WARNING, Finding, Findings
from xl_jiaoyan.domain.frames import typed_frame
from xl_jiaoyan.domain.roster import Roster
from xl_jiaoyan.read.schema import read_dates
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


def mapped_uniques(series: pd.Series, fn) -> tuple[np.ndarray, np.ndarray]:
    """(codes, fn of each distinct value): ``fn`` runs once per distinct value (logs repeat
    a lot); ``values[codes]`` is ``series.map(fn)``."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    values = np.empty(len(uniques), dtype=object)
    values[:] = [fn(u) for u in uniques]
    return codes, values


def map_unique(series: pd.Series, fn) -> pd.Series:
    """``series.map(fn)``, calling ``fn`` once per distinct value."""
    codes, values = mapped_uniques(series, fn)
    return pd.Series(values[codes], index=series.index, dtype=object)


def dated(table: Table, ctx: Context, found: Found, who: str, schedule: bool = False,
          school_days=None) -> pd.DataFrame:
    """Rows with a readable date in the semester, with ``date`` (now a date) and
    ``future``.  ``who`` is the key of the column shown as 人员 in findings.  A
    ``schedule`` (活动安排) may hold future rows without a hint.  ``school_days(frame)``
    selects the rows that must fall on a working day (default: all)."""
    f = table.frame
    sheet, label = table.sheet.name, table.sheet.label(DATE)
    values = f[DATE]
    person = map_unique(f[who], text)
    days = date_column(f, DATE, label, person, sheet, ctx, found)
    bad = days.isna()
    for raw, row, p in zip(values[bad], f["row"][bad], person[bad]):
        shown = text(raw)
        found.append(Finding(
            ERROR, "日期无效", sheet, int(row), p, None,
            f"「{label}」{'为空（或是 #N/A 这类错误值）' if not shown else '写的“' + shown + '”读不出日期'}。",
            "请写成 2026-09-15、9月15日 或 9.15 这样的日期。本行暂不计入统计。"))
    f = f[~bad].assign(date=days[~bad])
    person = person[~bad]
    inside = map_unique(f[DATE], ctx.cal.contains).astype(bool)
    for d, row, p in zip(f[DATE][~inside], f["row"][~inside], person[~inside]):
        found.append(Finding(
            ERROR, "日期超出学期", sheet, int(row), p, d,
            f"日期 {d.isoformat()} 不在本学期（{ctx.cal.start.isoformat()} 至 {ctx.cal.end.isoformat()}）内。",
            "请核对年份和月份；不属于本学期的记录请移走。本行暂不计入统计。"))
    f, person = f[inside], person[inside]
    future = map_unique(f[DATE], lambda d: d > ctx.as_of).astype(bool)
    if not schedule:
        days = f[DATE][future]
        found.add(HINT, "未来日期", sheet, f["row"][future].to_numpy(), person[future].to_numpy(), days.to_numpy(),
                  map_unique(days, lambda d: f"日期 {d.isoformat()} 在统计截止日 {ctx.as_of.isoformat()} 之后，"
                                             "暂不计入。").to_numpy(),
                  "如果是预先登记的安排，可以不用处理。")
    f = f.assign(future=future.to_numpy())
    off = ~map_unique(f[DATE], ctx.cal.is_working).astype(bool)
    if school_days is not None:
        off &= school_days(f)
    days = f[DATE][off]
    found.add(WARNING, "节假日", sheet, f["row"][off].to_numpy(), person[off].to_numpy(), days.to_numpy(),
              map_unique(days, lambda d: f"{ctx.cal.rest_day(d)}，不是调休上课日。").to_numpy(),
              f"请核对日期；若当天确实上课，请在「{CALENDAR}」中加一行“{CALENDAR_TYPES[1]}”。")
    return f


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
        found.append(Finding(
            WARNING, "日期两可", sheet, int(rows[i]), people[i], chosen,
            f"「{label}」是数字 {text(typed[i])}，可以是 {md(readings[0])}，也可以是 {md(readings[1])}"
            f"（Excel 把 {readings[1].month}.{readings[1].day} 存成 {text(typed[i])}）。"
            f"按学期和前后几行的日期，取 {md(chosen)}，已照此计入。",
            f"如果应是 {md(other)}，请改写成 {other.isoformat()}；以后可先把这一列设为“日期”格式再输入。"))
    return days


def resolve_column(f: pd.DataFrame, column: str, sheet: Sheet, ctx: Context, found: Found) -> pd.DataFrame:
    """A required one-name column resolved to teacher ids (in place); unresolved rows dropped."""
    tids = map_unique(f[column], lambda v: ctx.roster.resolve(v).tid)
    bad = tids.isna()
    label = sheet.label(column)
    for raw, row, d in zip(f[column][bad], f["row"][bad], f[DATE][bad]):
        raw_s = text(raw)
        if not raw_s:
            found.append(Finding(ERROR, "未知人员", sheet.name, int(row), "", d,
                                 f"「{label}」为空。", "请填写姓名。本行暂不计入统计。"))
        else:
            found.append(ctx.roster.problem_finding(ctx.roster.resolve(raw), raw_s, sheet.name, int(row), label, d))
    f = f[~bad].copy()
    f[column] = tids[~bad].astype(int)
    return f


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


def _other_dates(f: pd.DataFrame, table: Table, who: str, ctx: Context, found: Found) -> pd.DataFrame:
    """Date columns besides the record's own (汇报课日期): None when blank; an unreadable
    one is an error finding, the row still counts."""
    sheet = table.sheet
    for col in sheet.columns:
        if col.kind != "date" or col.key == DATE or col.key not in f:
            continue
        days = date_column(f, col.key, col.name, map_unique(f[who], text), sheet.name, ctx, found)
        days = pd.Series(np.where(days.isna(), None, days.astype(object)), index=days.index, dtype=object)
        for raw, row, d, day in zip(f[col.key], f["row"], days, f[DATE]):
            if text(raw) and d is None:
                found.append(Finding(ERROR, "日期无效", sheet.name, int(row), "", day,
                                     f"「{col.name}」写的“{text(raw)}”读不出日期。", "请写成 2026-10-20 这样的日期。"))
        f = f.assign(**{col.key: days})
    return f


SIMPLE: dict[str, Callable] = {
    "time": to_time, "int": to_int, "weekday": to_weekday,
    "choice": lambda v: squash(text(v)), "group": lambda v: squash(text(v)), "text": text,
}


def normalise(table: Table, ctx: Context, *, who: str, schedule: bool = False, school_days=None,
              dedupe: Callable[[pd.DataFrame, Found], pd.DataFrame] | None = None) -> tuple[pd.DataFrame, Found]:
    """The record sheet as a typed table (see the module's docstring)."""
    found = Findings()
    sheet = table.sheet
    f = dated(table, ctx, found, who, schedule, school_days)
    f = _other_dates(f, table, who, ctx, found)
    for col in sheet.columns:
        if col.kind == "name" and col.required:
            f = resolve_column(f, col.key, sheet, ctx, found)
    if dedupe is not None:
        f = dedupe(f, found)
    columns = {"row": f["row"].astype(int).to_numpy(), DATE: f[DATE].to_numpy(),
               "future": f["future"].astype(bool).to_numpy()}
    records = None
    for col in sheet.columns:
        key = col.key
        if key == DATE or col.kind == "date":
            columns[key] = f[key].to_numpy() if key != DATE else columns[DATE]
        elif col.kind == "name" and col.required:
            columns[key] = f[key].to_numpy()
        elif col.kind in ("name", "names"):
            records = records if records is not None else f.to_dict("records")
            groups = [squash(text(r.get("group"))) for r in records]
            if col.kind == "name":
                columns[key] = [_one(r[key], sheet, col.name, r, ctx, found) for r in records]
            else:
                columns[key] = [resolve_people(r[key], g, sheet.name, int(r["row"]), col.name, ctx, found, r[DATE])
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


def _one(raw, sheet: Sheet, label: str, rec: dict, ctx: Context, found: Found) -> int | None:
    """An optional one-name cell (主持人): the teacher id, None when blank or unknown."""
    if not text(raw):
        return None
    res = ctx.roster.resolve(raw)
    if res.tid is None:
        found.append(ctx.roster.problem_finding(res, text(raw), sheet.name, int(rec["row"]), label, rec[DATE],
                                                whole_row=False))
    return res.tid
