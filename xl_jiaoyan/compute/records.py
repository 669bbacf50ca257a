"""The record sheets as typed tables, and the rules that span rows.

Every record sheet is read column by column by ``read.normalise`` (dates, names, lists,
times, 节次); what is left here are the rules that need more than one cell: exact
duplicates, a lesson observed by its own teacher, observations bunched on one day,
observations during the observer's own class, and the 汇报课 an outside training owes.
Each table keeps the Excel ``row`` of its record; rows with an error are left out and
reported; rows dated after the as-of date stay, marked ``future``, and are not counted.
"""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from xl_jiaoyan.domain.calendar import SemesterCalendar
from xl_jiaoyan.domain.cells import squash, text, to_period_span, to_weekday, weekday_name, yes_no
from xl_jiaoyan.contract import SCHOOL_TRAINING, TIMETABLE
from xl_jiaoyan.domain.findings import ERROR, WARNING, Finding, Findings
from xl_jiaoyan.read.normalise import Context, Found, map_unique, mapped_uniques, normalise
from xl_jiaoyan.read.table import Table
from xl_jiaoyan.domain.roster import Roster

__all__ = ["Context", "observations", "events", "activities", "trainings", "achievements", "timetable",
           "held_per_week", "lesson_key"]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})


def normalized_codes(series: pd.Series, fn) -> np.ndarray:
    """Integer codes equal exactly where ``fn`` of the values is equal."""
    codes, values = mapped_uniques(series, fn)
    merged, _ = pd.factorize(values, use_na_sentinel=False)
    return merged[codes]


def duplicates(keys: list[str], sheet: str, who: str):
    """The dedupe rule for ``normalise``: exact duplicates of an earlier row are errors."""
    return lambda f, found: drop_duplicates(f, keys, sheet, found, who)


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
    sheet, label = table.sheet.name, table.sheet.label
    f, found = normalise(table, ctx, who="observer", dedupe=duplicates(
        ["date", "period", "observer", "teacher", "klass", "subject", "title"], sheet, "observer"))
    own = f["observer"] == f["teacher"]
    for row, d, tid in zip(f["row"][own], f["date"][own], f["observer"][own]):
        found.append(Finding(
            ERROR, "自听自课", sheet, int(row), ctx.roster.name(tid), d,
            f"{label('observer')}和{label('teacher')}是同一人。",
            f"请核对{label('observer')}或{label('teacher')}。本行不计入听课次数。"))
    f = f[~own]
    _bunching(f, sheet, ctx, found)
    _during_own_class(f, sheet, ctx, found)
    return f[cols].reset_index(drop=True), found


def lesson_key(tid, weekday, period):
    """One integer per (teacher, weekday 0-6, period): how 课表 lookups are done."""
    return tid * 1000 + weekday * 100 + period


def timetable(table: Table | None, roster: Roster) -> tuple[dict[int, str], Found]:
    """课表 -> {lesson_key: 班级}; rows that cannot be read are reported."""
    out: dict[int, str] = {}
    found = Findings()
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


def _during_own_class(f: pd.DataFrame, sheet: str, ctx: Context, found: Found) -> None:
    """An observation in a period when the observer's own class is on the 课表."""
    if not ctx.lessons or f.empty:
        return
    weekday = map_unique(f["date"], date.weekday).to_numpy(dtype=np.int64)
    first = f["p_first"].fillna(0).to_numpy(dtype=np.int64)
    last = f["p_last"].fillna(-1).to_numpy(dtype=np.int64)
    observer = f["observer"].to_numpy(dtype=np.int64)
    known = np.fromiter(ctx.lessons, dtype=np.int64)
    clash = np.zeros(len(f), dtype=np.int64)     # the first period of the span that clashes
    hit = np.zeros(len(f), dtype=bool)
    for offset in range(int(np.max(last - first, initial=0)) + 1):
        period = first + offset
        at = ~hit & (period <= last) & np.isin(lesson_key(observer, weekday, period), known)
        clash[at] = period[at]
        hit |= at
    hit = np.flatnonzero(hit)
    if not len(hit):
        return
    tids, periods, days = observer[hit], clash[hit], f["date"].to_numpy()[hit]
    who = list(map(ctx.roster.name, tids.tolist()))
    klass = [ctx.lessons[k] or "本班" for k in lesson_key(tids, weekday[hit], periods).tolist()]
    shown = {d: f"{d.isoformat()}（{weekday_name(d)}）" for d in set(days.tolist())}    # per distinct day
    found.add(WARNING, "上课冲突", sheet, f["row"].to_numpy()[hit], who, days,
              [f"{n} 在 {shown[d]}第 {p} 节听课，但课表上这一节要给 {k} 上课。"
               for n, d, p, k in zip(who, days.tolist(), periods.tolist(), klass)],
              "请核对听课的日期和节次，或课表是否已调整。")


def _bunching(f: pd.DataFrame, sheet: str, ctx: Context, found: Found) -> None:
    """More observations by one person on one day than 单日听课上限: records made up later."""
    cap = ctx.daily_cap
    day = map_unique(f["date"], date.toordinal).to_numpy(dtype=np.int64)
    key = f["observer"].to_numpy(dtype=np.int64) * 10_000_000 + day   # one integer per person-day
    counts = pd.Series(key).value_counts()
    over = counts.index[counts > cap].to_numpy()
    if not len(over):
        return
    f = f[np.isin(key, over)]
    sizes = f.groupby(["observer", "date"], sort=False)["row"].agg(["size", "min", "max"])
    sizes = sizes[sizes["size"] > cap]
    tids, days = sizes.index.get_level_values(0).tolist(), sizes.index.get_level_values(1).tolist()
    who = list(map(ctx.roster.name, tids))
    found.add(WARNING, "补记录", sheet, sizes["min"].to_numpy(), who, days,
              [f"{p} 在 {d.isoformat()} 一天记了 {n} 节听课（第 {a}–{b} 行之间），超过单日上限 {cap} 节，可能是集中补记。"
               for p, d, n, a, b in zip(who, days, sizes["size"].tolist(), sizes["min"].tolist(), sizes["max"].tolist())],
              "请核对这些记录的日期。")


def events(table: Table | None, ctx: Context) -> tuple[pd.DataFrame, Found]:
    """活动安排; ``period_text`` and ``attendees_text`` keep what was written, for the notice."""
    cols = ["row", "date", "future", "kind", "topic", "teachers", "judges", "attendees",
            "p_first", "p_last", "start", "end", "room", "group", "period_text", "attendees_text"]
    if table is None or table.empty:
        return _empty(cols), []
    f, found = normalise(table, ctx, who="teachers", schedule=True, dedupe=duplicates(
        ["date", "period", "start", "kind", "topic", "teachers", "room"], table.sheet.name, "teachers"))
    return f[cols].reset_index(drop=True), found


def activities(table: Table | None, ctx: Context) -> tuple[pd.DataFrame, Found]:
    cols = ["row", "date", "future", "group", "topic", "host", "attendees"]
    if table is None or table.empty:
        return _empty(cols), []
    f, found = normalise(table, ctx, who="group", dedupe=duplicates(
        ["date", "group", "kind", "topic"], table.sheet.name, "group"))   # 教研组: checked against the roster
    return f[cols].reset_index(drop=True), found


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
    """培训记录, with what each outside training owes: its 汇报课 due date, whether one is
    owed (no 汇报课日期 yet) and whether it is overdue (a 警告)."""
    cols = ["row", "date", "future", "kind", "title", "attendees", "reflection", "report_date",
            "at_school", "report_due", "owes_report", "overdue"]
    if table is None or table.empty:
        return _empty(cols), []
    sheet, label = table.sheet.name, table.sheet.label
    f, found = normalise(table, ctx, who="attendees", school_days=lambda t: t["kind"] == SCHOOL_TRAINING,
                         dedupe=duplicates(["date", "title", "kind", "attendees"], sheet, "attendees"))
    at_school = (f["kind"] == SCHOOL_TRAINING).to_numpy()
    due, owes, overdue = [], [], []
    for d, school, report, row, people, written, title in zip(
            f["date"], at_school, f["report_date"], f["row"], f["attendees"], f["attendees_text"], f["title"]):
        due.append(None if school else d + timedelta(weeks=ctx.report_weeks))
        owes.append(not school and report is None and d <= ctx.as_of)
        overdue.append(owes[-1] and due[-1] < ctx.as_of)
        if overdue[-1]:
            found.append(Finding(
                WARNING, "汇报课", sheet, int(row), "、".join(ctx.roster.name(t) for t in people) or written, d,
                f"{d.isoformat()} 的外出培训「{title}」已过 {ctx.report_weeks} 周"
                f"（应在 {due[-1].isoformat()} 前），还没有登记汇报课日期。",
                f"请安排回校汇报课或专题讲座，并在「{label('report_date')}」列填写日期。"))
    f = f.assign(reflection=[yes_no(v, default=False) for v in f["reflection"]], at_school=at_school,
                 report_due=due, owes_report=owes, overdue=overdue)
    return f[cols].reset_index(drop=True), found


def achievements(table: Table | None, ctx: Context) -> tuple[pd.DataFrame, Found]:
    cols = ["row", "date", "future", "teacher", "kind", "level", "title", "result"]
    if table is None or table.empty:
        return _empty(cols), []
    f, found = normalise(table, ctx, who="teacher", school_days=lambda t: pd.Series(False, index=t.index),
                         dedupe=duplicates(["date", "teacher", "kind", "level", "title", "result"],
                                           table.sheet.name, "teacher"))
    return f[cols].reset_index(drop=True), found
