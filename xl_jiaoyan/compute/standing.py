"""固定活动 -> dated occurrences, shaped like 活动安排 rows (``sheet`` names where each came
from), for the notice and every clash check — never counted for a quota.

频率 每周 (default), 隔周 (起始周, +2 …) or 每月第N周 (the Nth such weekday of each month),
between 起始周 and 结束周 (default: the whole term).  An occurrence on a day without classes
is moved by 遇假: 顺延 (the same weekday of the next week, default), 取消, or 提前 (the
working day before) — each a 提示 naming the new date.  A postponed one that lands on the
next occurrence is held once.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from xl_jiaoyan.domain.frames import pd

from xl_jiaoyan.contract.standing import CANCEL, EARLIER, FORTNIGHTLY, POSTPONE, WEEKLY
from xl_jiaoyan.domain.cells import md, squash, text, to_int, to_period_span, to_time, to_weekday
from xl_jiaoyan.domain.findings import ERROR, HINT, Findings, finding
from xl_jiaoyan.read.normalise import Context, resolve_people
from xl_jiaoyan.read.table import Table

COLUMNS = ["row", "date", "future", "kind", "topic", "teachers", "judges", "attendees", "p_first", "p_last",
           "start", "end", "room", "group", "period_text", "attendees_text", "sheet"]
_MONTHLY = re.compile(r"^每月(?:的)?第(.+?)(?:周|个星期.|次)$")
TRIES = 4          # weeks a postponement may look ahead for a working day


def _weeks(every: str, first: int, last: int) -> list[int] | tuple[str, int] | None:
    s = squash(every)
    if s in ("", WEEKLY):
        return list(range(first, last + 1))
    if s in (FORTNIGHTLY, "双周", "每两周"):
        return list(range(first, last + 1, 2))
    if (m := _MONTHLY.match(s)) and (n := to_int(m.group(1))) and 1 <= n <= 5:
        return ("monthly", n)
    return None


def _monthly(cal, weekday: int, n: int, first: int, last: int) -> list[date]:
    """The Nth such weekday of each month, in the weeks asked for."""
    days = [cal.week_days(w)[weekday] for w in range(first, last + 1)]
    return [d for d in days if (d.day - 1) // 7 + 1 == n]


def standing(table: Table | None, ctx: Context) -> tuple[pd.DataFrame, Findings]:
    found = Findings()
    if table is None or table.empty:
        return pd.DataFrame(columns=COLUMNS), found
    cal, sheet, label = ctx.cal, table.name, table.label
    rows = []
    for r in table.frame.to_dict("records"):
        row, name = int(r["row"]), text(r["name"])
        weekday = to_weekday(r["weekday"])
        if not name or weekday is None or weekday > 6:
            found.append(finding(ERROR, "standing.unreadable", sheet, row, label("name" if not name else "weekday"),
                                 value=text(r["weekday"]) if name else ""))
            continue
        first, last = to_int(r["first_week"]) or 1, to_int(r["last_week"]) or cal.weeks
        plan = _weeks(text(r["every"]), max(first, 1), min(last, cal.weeks))
        if plan is None:
            found.append(finding(ERROR, "standing.every", sheet, row, label("every"), value=text(r["every"])))
            continue
        days = _monthly(cal, weekday, plan[1], max(first, 1), min(last, cal.weeks)) if isinstance(plan, tuple) \
            else [cal.week_days(w)[weekday] for w in plan]
        people = resolve_people(r["attendees"], "", sheet, row, label("attendees"), ctx, found)
        span = to_period_span(r["period"]) or (None, None)
        held: list[date] = []
        for d in days:
            rule = squash(text(r["on_holiday"])) or POSTPONE
            moved = d if cal.is_working(d) else _move(d, rule, cal)
            if moved != d:
                found.append(finding(HINT, "standing.moved" if moved else "standing.cancelled", sheet, row,
                                     label("on_holiday"), people, d, name=name, week=cal.week_of(d), on=md(d),
                                     reason=cal.day_name(d) or "休息日", to=md(moved) if moved else "",
                                     verb="提前" if rule == EARLIER else "顺延",
                                     merged="（与那天的活动合为一次）" if moved in days or moved in held else ""))
            if moved and moved not in held:
                held.append(moved)
        for d in sorted(held):
            rows.append((row, d, d > ctx.as_of, "", name, [], [], people, span[0], span[1], to_time(r["start"]),
                         to_time(r["end"]), text(r["room"]), "", text(r["period"]), text(r["attendees"]), sheet))
    return pd.DataFrame(rows, columns=COLUMNS), found


def _move(d: date, rule: str, cal) -> date | None:
    """Where an occurrence on a day without classes goes (None: cancelled)."""
    if rule == CANCEL:
        return None
    step = timedelta(days=-1 if rule == EARLIER else 7)
    for _ in range(TRIES if rule != EARLIER else 7):
        d += step
        if not cal.contains(d):
            return None
        if cal.is_working(d):
            return d
    return None
