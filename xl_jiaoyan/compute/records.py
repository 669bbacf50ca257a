"""The record sheets as typed tables, and the rules that span rows.

Every record sheet is read by ``read.normalise`` from the rules the contract declares for
it (dates, names, duplicates, lists, times, 节次); what is left here are the rules that
need more than one cell and are particular to one sheet: a lesson observed by its own
teacher, observations bunched on one day, observations during the observer's own class,
and the 汇报课 an outside training owes.
Each table keeps the Excel ``row`` of its record; rows with an error are left out and
reported; rows dated after the as-of date stay, marked ``future``, and are not counted.
"""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from xl_jiaoyan.domain.frames import pd

from xl_jiaoyan.domain.calendar import SemesterCalendar
from xl_jiaoyan.domain.cells import text, to_period_span, to_weekday, weekday_name, yes_no
from xl_jiaoyan.contract import REPORT_EVENTS, REPORT_TRAININGS, SCHOOL_TRAINING
from xl_jiaoyan.domain.findings import ERROR, HINT, WARNING, Findings, finding
from xl_jiaoyan.read.normalise import Context, Found, map_unique, normalise
from xl_jiaoyan.read.table import Table
from xl_jiaoyan.domain.roster import Roster

__all__ = ["Context", "observations", "events", "activities", "trainings", "achievements", "timetable",
           "held_per_week", "lesson_key"]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})


def observations(table: Table | None, ctx: Context) -> tuple[pd.DataFrame, Found]:
    cols = ["row", "date", "future", "observer", "teacher", "p_first", "p_last", "klass", "lesson_type"]
    if table is None or table.empty:
        return _empty(cols), []
    sheet = table.name
    f, found = normalise(table, ctx)
    # a lesson at another school (授课单位) has 授课人 -1: never the observer's own, nor a 师徒 pair
    own = (f["observer"] == f["teacher"]).to_numpy()
    found.add(ERROR, "own_lesson", sheet, f["row"][own].to_numpy(), table.label("teacher"),
              f["observer"][own].tolist(), f["date"][own].tolist())
    f = f[~own]
    _bunching(f, sheet, table.label("date"), ctx, found)
    _during_own_class(f, sheet, table.label("period"), ctx, found)
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
    sheet, f, label = table.name, table.frame, table.label
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
            found.append(finding(ERROR, "timetable.unreadable", sheet, row, bad, tid, value=text(shown)))
        else:
            for p in range(span[0], span[1] + 1):
                out[lesson_key(tid, weekday, p)] = klass
    return out, found


def _during_own_class(f: pd.DataFrame, sheet: str, label: str, ctx: Context, found: Found) -> None:
    """An observation in a period when the observer's own class is on the 课表 (never on a
    day without classes: a holiday, or a weekend that is no make-up day)."""
    if not ctx.lessons or f.empty:
        return
    f = f[map_unique(f["date"], ctx.cal.is_working).astype(bool).to_numpy()]
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
    tids, periods, days = observer[hit], clash[hit], f["date"].to_numpy()[hit].tolist()
    klass = [ctx.lessons[k] or "本班" for k in lesson_key(tids, weekday[hit], periods).tolist()]
    shown = {d: f"{d.isoformat()}（{weekday_name(d)}）" for d in set(days)}    # per distinct day
    found.add(WARNING, "lesson_clash.observation", sheet, f["row"].to_numpy()[hit], label, tids.tolist(), days,
              day_text=[shown[d] for d in days], period=periods.tolist(), klass=klass)


def _bunching(f: pd.DataFrame, sheet: str, label: str, ctx: Context, found: Found) -> None:
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
    found.add(WARNING, "bunching", sheet, sizes["min"].to_numpy(), label, tids, days, when=days,
              n=sizes["size"].tolist(), first=sizes["min"].tolist(), last=sizes["max"].tolist(), cap=cap)


def events(table: Table | None, ctx: Context) -> tuple[pd.DataFrame, Found]:
    """活动安排; ``period_text`` and ``attendees_text`` keep what was written, for the notice."""
    cols = ["row", "date", "future", "kind", "topic", "teachers", "judges", "attendees",
            "p_first", "p_last", "start", "end", "room", "group", "period_text", "attendees_text"]
    if table is None or table.empty:
        return _empty(cols), []
    f, found = normalise(table, ctx)
    return f[cols].reset_index(drop=True), found


def activities(table: Table | None, ctx: Context, prep_days: int = 7,
               required: tuple[str, ...] = ()) -> tuple[pd.DataFrame, Found]:
    """教研活动记录.  A row with a 备课组 is that 备课组's 集体备课 (``prep``); its 教研组, when
    blank, is the 备课组's.  A row with neither is an 错误; a blank column of 设置
    教研活动必填 is a 提示; a 集体备课 fewer than ``prep_days`` before its 授课日期 a 警告."""
    cols = ["row", "date", "future", "group", "prep", "kind", "topic", "host", "attendees", "preparer",
            "lesson_date"]
    if table is None or table.empty:
        return _empty(cols), []
    f, found = normalise(table, ctx)      # 教研组 and 备课组: checked against the roster before
    sheet, label = table.name, table.label
    home = ctx.roster.prep_home
    f = f.assign(group=[g or home.get(p, "") for g, p in zip(f["group"], f["prep"])])
    none = ((f["group"] == "") & (f["prep"] == "")).to_numpy()
    found.add(ERROR, "activity.no_group", sheet, f["row"][none].to_numpy(), label("group"), "", f["date"][none].tolist())
    f = f[~none]
    if required and len(f):          # one 提示 per row, naming every blank column 设置 教研活动必填 lists
        blank = np.array([[not v if isinstance(v, list) else v is None or not text(v) for v in f[key]]
                          for key in required], dtype=bool)
        rows, groups, dates = f["row"].tolist(), f["group"].tolist(), f["date"].tolist()
        for i in np.flatnonzero(blank.any(axis=0)).tolist():
            named = [label(k) for k, b in zip(required, blank[:, i]) if b]
            found.append(finding(HINT, "activity.blank", sheet, rows[i], named[0], groups[i],
                                 dates[i], blanks="」「".join(named)))
    early = [p != "" and lesson is not None and (lesson - d).days < prep_days
             for p, lesson, d in zip(f["prep"], f["lesson_date"], f["date"])]
    early = np.array(early, dtype=bool)
    if early.any():
        e = f[early]
        found.add(WARNING, "prep.late", sheet, e["row"].to_numpy(), label("lesson_date"), e["prep"].tolist(),
                  e["date"].tolist(), lesson=e["lesson_date"].tolist(), ahead=prep_days,
                  gap=[(lesson - d).days for lesson, d in zip(e["lesson_date"], e["date"])])
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


def report_lessons(events: pd.DataFrame) -> dict[int, list[date]]:
    """Teacher -> the days of the 汇报课 and 讲座 of 活动安排 they give (执教)."""
    out: dict[int, list[date]] = {}
    if len(events):
        given = events[events["kind"].isin(REPORT_EVENTS)]
        for d, tids in zip(given["date"], given["teachers"]):
            for t in tids:
                out.setdefault(t, []).append(d)
    return out


def trainings(table: Table | None, ctx: Context, owing_kinds: tuple[str, ...] = REPORT_TRAININGS,
              given: dict[int, list[date]] | None = None) -> tuple[pd.DataFrame, Found]:
    """培训记录, with what each training of a 类型 in ``owing_kinds`` (设置 需汇报课的培训)
    owes: its 汇报课 due date, who still owes it (``owing``: no 汇报课日期, and no 汇报课 or
    讲座 of theirs in 活动安排 after the training — ``given``), whether one is owed, and
    whether it is overdue (a 警告 naming those who owe it)."""
    cols = ["row", "date", "future", "kind", "title", "attendees", "reflection", "report_date",
            "at_school", "report_due", "owing", "owes_report", "overdue"]
    if table is None or table.empty:
        return _empty(cols), []
    given = given or {}
    f, found = normalise(table, ctx)
    at_school = (f["kind"] == SCHOOL_TRAINING).to_numpy()
    due, owing, owes, overdue = [], [], [], []
    for d, kind, report, row, people, written, title in zip(
            f["date"], f["kind"], f["report_date"], f["row"], f["attendees"], f["attendees_text"], f["title"]):
        needs = kind in owing_kinds and report is None and d <= ctx.as_of
        due.append(d + timedelta(weeks=ctx.report_weeks) if kind in owing_kinds else None)
        still = tuple(t for t in people if not any(g > d for g in given.get(t, ()))) if needs else ()
        owing.append(still)
        owes.append(needs and (bool(still) or not people))
        overdue.append(owes[-1] and due[-1] < ctx.as_of)
        if overdue[-1]:
            found.append(finding(WARNING, "report.overdue", table.name, row, table.label("report_date"),
                                 still or written, d, when=d, title=title, weeks=ctx.report_weeks,
                                 due=due[-1]))
    f = f.assign(reflection=[yes_no(v, default=False) for v in f["reflection"]], at_school=at_school,
                 report_due=due, owing=owing, owes_report=owes, overdue=overdue)
    return f[cols].reset_index(drop=True), found


def achievements(table: Table | None, ctx: Context) -> tuple[pd.DataFrame, Found]:
    cols = ["row", "date", "future", "teacher", "kind", "level", "title", "result"]
    if table is None or table.empty:
        return _empty(cols), []
    f, found = normalise(table, ctx)
    return f[cols].reset_index(drop=True), found
