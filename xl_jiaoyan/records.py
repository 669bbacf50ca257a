"""Normalise the record sheets into typed tables.

Each table keeps the Excel ``row`` of its record.  Rows with an error (unreadable or
out-of-semester date, unknown or ambiguous name, exact duplicate, a lesson observed by
its own teacher) are left out and reported; rows dated after the as-of date stay, marked
``future``, and are not counted.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from .calendar import SemesterCalendar
from .cells import split_names, squash, text, to_period_span, to_time, to_weekday, yes_no
from .contract import CALENDAR, CALENDAR_TYPES, SCHOOL_TRAINING, TIMETABLE, Sheet
from .findings import ERROR, HINT, WARNING, Finding
from .read.schema import read_dates
from .read.table import Table
from .roster import Roster


@dataclass(frozen=True)
class Context:
    """What every record sheet is read against; each reader returns its own findings."""
    roster: Roster
    cal: SemesterCalendar
    as_of: date
    daily_cap: int = 4          # 设置!单日听课上限
    report_weeks: int = 4       # 设置!汇报课期限(周)
    lessons: dict[int, str] = field(default_factory=dict)   # lesson_key -> 班级, from 课表

Found = list[Finding]


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


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})


def dated(table: Table, ctx: Context, found: Found, who: str, column: str = "date", schedule: bool = False,
          school_days=None) -> pd.DataFrame:
    """Rows with a readable date in the semester, with 'date' (now a date) and 'future'.

    ``who`` is the key of the column shown as 人员 in findings.  A ``schedule`` (活动安排)
    may hold future rows without a hint.  ``school_days(frame)`` selects the rows that
    must fall on a working day (default: all).
    """
    f = table.frame
    sheet = table.sheet.name
    values = f[column]
    person = map_unique(f[who], text)
    days = date_column(f, column, table.sheet.label(column), person, sheet, ctx, found)
    bad = days.isna()
    for raw, row, p in zip(values[bad], f["row"][bad], person[bad]):
        shown = text(raw)
        found.append(Finding(
            ERROR, "日期无效", sheet, int(row), p, None,
            f"「{table.sheet.label(column)}」"
            f"{'为空（或是 #N/A 这类错误值）' if not shown else '写的“' + shown + '”读不出日期'}。",
            "请写成 2026-09-15、9月15日 或 9.15 这样的日期。本行暂不计入统计。"))
    f = f[~bad].assign(date=days[~bad])
    person = person[~bad]
    inside = map_unique(f["date"], ctx.cal.contains).astype(bool)
    for d, row, p in zip(f["date"][~inside], f["row"][~inside], person[~inside]):
        found.append(Finding(
            ERROR, "日期超出学期", sheet, int(row), p, d,
            f"日期 {d.isoformat()} 不在本学期（{ctx.cal.start.isoformat()} 至 {ctx.cal.end.isoformat()}）内。",
            "请核对年份和月份；不属于本学期的记录请移走。本行暂不计入统计。"))
    f, person = f[inside], person[inside]
    future = f["date"] > ctx.as_of
    for d, row, p in [] if schedule else zip(f["date"][future], f["row"][future], person[future]):
        found.append(Finding(
            HINT, "未来日期", sheet, int(row), p, d,
            f"日期 {d.isoformat()} 在统计截止日 {ctx.as_of.isoformat()} 之后，暂不计入。",
            "如果是预先登记的安排，可以不用处理。"))
    f = f.assign(future=future.to_numpy())
    off = ~map_unique(f["date"], ctx.cal.is_working).astype(bool)
    if school_days is not None:
        off &= school_days(f)
    for d, row, p in zip(f["date"][off], f["row"][off], person[off]):
        found.append(Finding(
            WARNING, "节假日", sheet, int(row), p, d,
            f"{d.isoformat()}（{_weekday(d)}）是休息日，不是调休上课日。{ctx.cal.names.get(d, '')}".rstrip(),
            f"请核对日期；若当天确实上课，请在「{CALENDAR}」中加一行“{CALENDAR_TYPES[1]}”。"))
    return f


def date_column(f: pd.DataFrame, column: str, label: str, person: pd.Series, sheet: str, ctx: Context,
                found: Found) -> pd.Series:
    """The dates of a column as staff type them; a number with two readings (4.1: 4月1日
    or 4月10日, as Excel stores 4.10) is read as the one that fits the semester and the
    rows around it, with a 警告 naming both."""
    days, twofold = read_dates(f[column], ctx.cal.year_for, ctx.cal.contains)
    for i, readings in twofold:
        chosen = days.iat[i]
        other = next(d for d in readings if d != chosen)
        found.append(Finding(
            WARNING, "日期两可", sheet, int(f["row"].iat[i]), person.iat[i], chosen,
            f"「{label}」是数字 {text(f[column].iat[i])}，可以是 {_md(readings[0])}，也可以是 {_md(readings[1])}"
            f"（Excel 把 {readings[1].month}.{readings[1].day} 存成 {text(f[column].iat[i])}）。"
            f"按学期和前后几行的日期，取 {_md(chosen)}，已照此计入。",
            f"如果应是 {_md(other)}，请改写成 {other.isoformat()}；以后可先把这一列设为“日期”格式再输入。"))
    return days


def _md(d: date) -> str:
    return f"{d.month}月{d.day}日"


def _weekday(d: date) -> str:
    return "星期" + "一二三四五六日"[d.weekday()]


def resolve_column(f: pd.DataFrame, column: str, sheet: Sheet, ctx: Context, found: Found) -> pd.DataFrame:
    """Resolve a one-name column to tids in column ``column + '_tid'``; drop unresolved rows."""
    tids = map_unique(f[column], lambda v: ctx.roster.resolve(v).tid)
    bad = tids.isna()
    label = sheet.label(column)
    for raw, row, d in zip(f[column][bad], f["row"][bad], f["date"][bad]):
        raw_s = text(raw)
        if not raw_s:
            found.append(Finding(ERROR, "未知人员", sheet.name, int(row), "", d,
                                 f"「{label}」为空。", "请填写姓名。本行暂不计入统计。"))
        else:
            found.append(ctx.roster.problem_finding(ctx.roster.resolve(raw), raw_s, sheet.name, int(row), label, d))
    f = f[~bad].copy()
    f[column + "_tid"] = tids[~bad].astype(int)
    return f


def resolve_people(cell, group: str, sheet: str, row: int, column: str, ctx: Context, found: Found,
                   day=None) -> list[int]:
    """A cell of names, group names, roles or 全体教师 -> tids (unresolved names reported;
    ``column`` is the column's label)."""
    out: list[int] = []
    for token in split_names(cell):
        members = ctx.roster.members(token, group)
        if members is not None:
            out.extend(members)
            continue
        res = ctx.roster.resolve(token)
        if res.tid is None:
            found.append(ctx.roster.problem_finding(res, token, sheet, row, column, day))
        else:
            out.append(res.tid)
    return list(dict.fromkeys(out))


def normalized_codes(series: pd.Series, fn) -> np.ndarray:
    """Integer codes equal exactly where ``fn`` of the values is equal."""
    codes, values = mapped_uniques(series, fn)
    merged, _ = pd.factorize(values, use_na_sentinel=False)
    return merged[codes]


def drop_duplicates(f: pd.DataFrame, keys: list[str], sheet: str, found: Found, who: str) -> pd.DataFrame:
    """Exact duplicates (after normalisation) of an earlier row are errors."""
    if f.empty:
        return f
    key = np.zeros(len(f), dtype=np.int64)
    for k in keys:   # one integer per distinct normalised row, kept small by re-factorizing
        codes = normalized_codes(f[k], lambda v: v if isinstance(v, (int, date)) else squash(text(v)))
        key, _ = pd.factorize(key * (int(codes.max()) + 1) + codes)
    group = pd.Series(key, index=f.index)
    dup = group.duplicated(keep="first")
    if dup.any():
        first_row = f["row"].groupby(key).transform("first")
        for row, first, d, p in zip(f["row"][dup], first_row[dup], f["date"][dup], f[who][dup]):
            found.append(Finding(
                ERROR, "重复记录", sheet, int(row), text(p), d,
                f"与第 {first} 行完全相同。", "请删除重复的一行。本行不重复计入。"))
    return f[~dup]


def observations(table: Table | None, ctx: Context) -> tuple[pd.DataFrame, Found]:
    cols = ["row", "date", "future", "observer", "teacher", "p_first", "p_last", "klass"]
    if table is None or table.empty:
        return _empty(cols), []
    found: Found = []
    sheet, label = table.sheet.name, table.sheet.label
    f = dated(table, ctx, found, "observer")
    f = resolve_column(f, "observer", table.sheet, ctx, found)
    f = resolve_column(f, "teacher", table.sheet, ctx, found)
    f = drop_duplicates(f, ["date", "period", "observer_tid", "teacher_tid", "klass", "subject", "title"], sheet,
                        found, "observer")
    own = f["observer_tid"] == f["teacher_tid"]
    for row, d, tid in zip(f["row"][own], f["date"][own], f["observer_tid"][own]):
        found.append(Finding(
            ERROR, "自听自课", sheet, int(row), ctx.roster.name(tid), d,
            f"{label('observer')}和{label('teacher')}是同一人。",
            f"请核对{label('observer')}或{label('teacher')}。本行不计入听课次数。"))
    f = f[~own]
    _bunching(f, sheet, ctx, found)
    codes, spans = mapped_uniques(f["period"], lambda v: to_period_span(v) or (None, None))
    first = pd.Series(np.array([s[0] for s in spans], dtype=object)[codes], index=f.index, dtype=object)
    last = pd.Series(np.array([s[1] for s in spans], dtype=object)[codes], index=f.index, dtype=object)
    _during_own_class(f, first, last, sheet, ctx, found)
    table = pd.DataFrame({
        "row": f["row"].astype(int), "date": f["date"], "future": f["future"].astype(bool),
        "observer": f["observer_tid"], "teacher": f["teacher_tid"],
        "p_first": first, "p_last": last,
        "klass": map_unique(f["klass"], text)}, columns=cols).reset_index(drop=True)
    return table, found


def lesson_key(tid, weekday, period):
    """One integer per (teacher, weekday 0-6, period): how 课表 lookups are done."""
    return tid * 1000 + weekday * 100 + period


def timetable(table: Table | None, roster: Roster) -> tuple[dict[int, str], Found]:
    """课表 -> {lesson_key: 班级}; rows that cannot be read are reported."""
    out: dict[int, str] = {}
    found: Found = []
    if table is None or table.empty:
        return out, found
    sheet, f, label = table.sheet.name, table.frame, table.sheet.label
    tids = map_unique(f["teacher"], lambda v: roster.resolve(v).tid)
    weekdays = map_unique(f["weekday"], to_weekday)
    spans = map_unique(f["period"], to_period_span)
    classes = map_unique(f["klass"], text)
    for raw, row, tid, weekday, span, klass, wd_raw, p_raw in zip(
            f["teacher"], f["row"], tids, weekdays, spans, classes, f["weekday"], f["period"]):
        if tid is None:
            found.append(roster.problem_finding(roster.resolve(raw), text(raw), sheet, int(row), label("teacher")))
        elif weekday is None or span is None:
            bad, shown = (label("weekday"), wd_raw) if weekday is None else (label("period"), p_raw)
            found.append(Finding(ERROR, TIMETABLE, sheet, int(row), roster.name(tid), None,
                                 f"「{bad}」写的“{text(shown)}”读不出来，这一行课表不起作用。",
                                 f"{label('weekday')}写 一 至 五（或 周一、1），{label('period')}写 3 或 3-4。"))
        else:
            for p in range(span[0], span[1] + 1):
                out[lesson_key(tid, weekday, p)] = klass
    return out, found


def _during_own_class(f: pd.DataFrame, p_first: pd.Series, p_last: pd.Series, sheet: str,
                      ctx: Context, found: Found) -> None:
    """An observation in a period when the observer's own class is on the 课表."""
    if not ctx.lessons or f.empty:
        return
    weekday = map_unique(f["date"], date.weekday).to_numpy(dtype=np.int64)
    first = p_first.fillna(0).to_numpy(dtype=np.int64)
    last = p_last.fillna(-1).to_numpy(dtype=np.int64)
    observer = f["observer_tid"].to_numpy(dtype=np.int64)
    known = np.fromiter(ctx.lessons, dtype=np.int64)
    hit = np.zeros(len(f), dtype=bool)
    for offset in range(int(np.max(last - first, initial=0)) + 1):
        period = first + offset
        hit |= (period <= last) & np.isin(lesson_key(observer, weekday, period), known)
    for i in np.flatnonzero(hit):
        tid, d = int(observer[i]), f["date"].iat[i]
        clash = next(p for p in range(first[i], last[i] + 1) if lesson_key(tid, d.weekday(), p) in ctx.lessons)
        found.append(Finding(
            WARNING, "上课冲突", sheet, int(f["row"].iat[i]), ctx.roster.name(tid), d,
            f"{ctx.roster.name(tid)} 在 {d.isoformat()}（{_weekday(d)}）第 {clash} 节听课，"
            f"但课表上这一节要给 {ctx.lessons[lesson_key(tid, d.weekday(), clash)] or '本班'} 上课。",
            "请核对听课的日期和节次，或课表是否已调整。"))


def _bunching(f: pd.DataFrame, sheet: str, ctx: Context, found: Found) -> None:
    """More observations by one person on one day than 单日听课上限: records made up later."""
    cap = ctx.daily_cap
    day = map_unique(f["date"], date.toordinal).to_numpy(dtype=np.int64)
    key = f["observer_tid"].to_numpy(dtype=np.int64) * 10_000_000 + day   # one integer per person-day
    counts = pd.Series(key).value_counts()
    over = counts.index[counts > cap].to_numpy()
    if not len(over):
        return
    f = f[np.isin(key, over)]
    sizes = f.groupby(["observer_tid", "date"], sort=False)["row"].agg(["size", "min", "max"])
    for (tid, d), (n, first, last) in sizes[sizes["size"] > cap].iterrows():
        found.append(Finding(
            WARNING, "补记录", sheet, int(first), ctx.roster.name(tid), d,
            f"{ctx.roster.name(tid)} 在 {d.isoformat()} 一天记了 {n} 节听课（第 {first}–{last} 行之间），"
            f"超过单日上限 {cap} 节，可能是集中补记。", "请核对这些记录的日期。"))


def events(table: Table | None, ctx: Context) -> tuple[pd.DataFrame, Found]:
    """活动安排; ``period_text`` and ``attendees_text`` keep what was written, for the notice."""
    cols = ["row", "date", "future", "kind", "topic", "teachers", "judges", "attendees",
            "p_first", "p_last", "start", "end", "room", "group", "period_text", "attendees_text"]
    if table is None or table.empty:
        return _empty(cols), []
    found: Found = []
    sheet, label = table.sheet.name, table.sheet.label
    f = dated(table, ctx, found, "teachers", schedule=True)
    f = drop_duplicates(f, ["date", "period", "start", "kind", "topic", "teachers", "room"], sheet, found,
                        "teachers")
    out = []
    for rec in f.to_dict("records"):
        row, d, group = int(rec["row"]), rec["date"], squash(text(rec["group"]))

        def people(key):
            return resolve_people(rec[key], group, sheet, row, label(key), ctx, found, d)
        span = to_period_span(rec["period"])
        out.append({
            "row": row, "date": d, "future": bool(rec["future"]), "kind": squash(text(rec["kind"])),
            "topic": text(rec["topic"]),
            "teachers": people("teachers"), "judges": people("judges"), "attendees": people("attendees"),
            "p_first": span[0] if span else None, "p_last": span[1] if span else None,
            "start": to_time(rec["start"]), "end": to_time(rec["end"]),
            "room": text(rec["room"]), "group": group, "period_text": text(rec["period"]),
            "attendees_text": text(rec["attendees"])})
    return pd.DataFrame(out, columns=cols), found


def activities(table: Table | None, ctx: Context) -> tuple[pd.DataFrame, Found]:
    cols = ["row", "date", "future", "group", "topic", "host", "attendees"]
    if table is None or table.empty:
        return _empty(cols), []
    found: Found = []
    sheet, label = table.sheet.name, table.sheet.label
    f = dated(table, ctx, found, "group")
    f = drop_duplicates(f, ["date", "group", "kind", "topic"], sheet, found, "group")
    out = []
    for rec in f.to_dict("records"):
        row, d, group = int(rec["row"]), rec["date"], squash(text(rec["group"]))   # checked: in the roster
        host = None
        if text(rec["host"]):
            res = ctx.roster.resolve(rec["host"])
            if res.tid is None:
                found.append(ctx.roster.problem_finding(res, text(rec["host"]), sheet, row, label("host"), d))
            host = res.tid
        out.append({"row": row, "date": d, "future": bool(rec["future"]), "group": group,
                    "topic": text(rec["topic"]), "host": host,
                    "attendees": resolve_people(rec["attendees"], group, sheet, row, label("attendees"), ctx,
                                                found, d)})
    return pd.DataFrame(out, columns=cols), found


def held_per_week(activities: pd.DataFrame, cal: SemesterCalendar) -> dict[tuple[str, int], int]:
    """教研活动 held (not future) per (教研组, teaching week): what 教研组统计 shows and the
    notice's reminder reads."""
    held: dict[tuple[str, int], int] = {}
    if len(activities):
        act = activities[~activities["future"].astype(bool)]
        for group, day in zip(act["group"], act["date"]):
            key = (group, cal.week_of(day))
            held[key] = held.get(key, 0) + 1
    return held


def trainings(table: Table | None, ctx: Context) -> tuple[pd.DataFrame, Found]:
    cols = ["row", "date", "future", "kind", "title", "attendees", "reflection", "report_date",
            "at_school", "report_due", "owes_report", "overdue"]
    if table is None or table.empty:
        return _empty(cols), []
    found: Found = []
    sheet, label = table.sheet.name, table.sheet.label
    f = dated(table, ctx, found, "attendees", school_days=lambda t: t["kind"] == SCHOOL_TRAINING)
    f = drop_duplicates(f, ["date", "title", "kind", "attendees"], sheet, found, "attendees")
    f = f.assign(report=date_column(f, "report_date", label("report_date"), map_unique(f["attendees"], text),
                                    sheet, ctx, found))
    out = []
    for rec in f.to_dict("records"):
        row, d = int(rec["row"]), rec["date"]
        report = rec["report"]
        if text(rec["report_date"]) and report is None:
            found.append(Finding(
                ERROR, "日期无效", sheet, row, "", d,
                f"「{label('report_date')}」写的“{text(rec['report_date'])}”读不出日期。",
                "请写成 2026-10-20 这样的日期。"))
        kind = rec["kind"]                       # spelled as the contract spells it
        at_school = kind == SCHOOL_TRAINING
        attendees = resolve_people(rec["attendees"], "", sheet, row, label("attendees"), ctx, found, d)
        due = None if at_school else d + timedelta(weeks=ctx.report_weeks)
        owes = not at_school and report is None and d <= ctx.as_of
        overdue = owes and due < ctx.as_of
        if overdue:
            found.append(Finding(
                WARNING, "汇报课", sheet, row, "、".join(ctx.roster.name(t) for t in attendees) or
                text(rec["attendees"]), d,
                f"{d.isoformat()} 的外出培训「{text(rec['title'])}」已过 {ctx.report_weeks} 周"
                f"（应在 {due.isoformat()} 前），还没有登记汇报课日期。",
                f"请安排回校汇报课或专题讲座，并在「{label('report_date')}」列填写日期。"))
        out.append({"row": row, "date": d, "future": bool(rec["future"]),
                    "kind": kind, "title": text(rec["title"]), "attendees": attendees,
                    "reflection": yes_no(rec["reflection"], default=False), "report_date": report,
                    "at_school": at_school, "report_due": due, "owes_report": owes, "overdue": overdue})
    return pd.DataFrame(out, columns=cols), found


def achievements(table: Table | None, ctx: Context) -> tuple[pd.DataFrame, Found]:
    cols = ["row", "date", "future", "teacher", "kind", "level", "title", "result"]
    if table is None or table.empty:
        return _empty(cols), []
    found: Found = []
    sheet = table.sheet.name
    f = dated(table, ctx, found, "teacher", school_days=lambda t: pd.Series(False, index=t.index))
    f = resolve_column(f, "teacher", table.sheet, ctx, found)
    f = drop_duplicates(f, ["date", "teacher_tid", "kind", "level", "title", "result"], sheet, found, "teacher")
    table = pd.DataFrame({
        "row": f["row"].astype(int), "date": f["date"], "future": f["future"].astype(bool),
        "teacher": f["teacher_tid"], "kind": map_unique(f["kind"], lambda v: squash(text(v))),
        "level": map_unique(f["level"], lambda v: squash(text(v))), "title": map_unique(f["title"], text),
        "result": map_unique(f["result"], text)}, columns=cols).reset_index(drop=True)
    return table, found
