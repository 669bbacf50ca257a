"""Clashes in 活动安排: people or rooms booked twice, judges judging their own lesson,
events during a class on someone's 课表.

Overlaps are found by sorting bookings by (key, date, start) and scanning once — no
pairwise loop over all events.  One finding per pair of clashing events, naming who.
"""
from __future__ import annotations

from datetime import time

from xl_jiaoyan.domain.frames import pd

from xl_jiaoyan.domain.cells import squash, text, to_int, to_time
from xl_jiaoyan.contract import DEFAULT_PERIODS, EVENTS, STANDING, SHEET as CONTRACT
from xl_jiaoyan.domain.findings import WARNING, Finding, finding
from xl_jiaoyan.read.table import Table
from xl_jiaoyan.compute.records import lesson_key

SHEET = EVENTS
Periods = dict[int, tuple[int, int]]   # period -> (start, end) in minutes


def minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def bell_schedule(table: Table | None) -> Periods:
    """节次 sheet, or the default bell schedule when it is missing or empty."""
    out: Periods = {}
    rows = [] if table is None else table.frame.to_dict("records")
    for rec in rows:
        n, a, b = to_int(rec["period"]), to_time(rec["start"]), to_time(rec["end"])
        if n is not None and a is not None and b is not None:
            out[n] = (minutes(a), minutes(b))
    if not out:
        out = {n: (minutes(to_time(a)), minutes(to_time(b))) for n, a, b in DEFAULT_PERIODS}
    return out


def interval(ev: dict, periods: Periods) -> tuple[int, int] | None:
    """An event's (start, end) in minutes: 开始/结束 first, else its 节次."""
    if ev["start"] is not None and ev["end"] is not None:
        return minutes(ev["start"]), minutes(ev["end"])
    if ev["p_first"] is not None and ev["p_first"] in periods and ev["p_last"] in periods:
        return periods[ev["p_first"]][0], periods[ev["p_last"]][1]
    return None


def _clock(span: tuple[int, int]) -> str:
    return f"{span[0] // 60:02d}:{span[0] % 60:02d}–{span[1] // 60:02d}:{span[1] % 60:02d}"


def _overlaps(bookings: pd.DataFrame) -> dict[tuple[int, int], set]:
    """bookings: key, date, start, end, event -> {(earlier event, later event): keys}."""
    pairs: dict[tuple[int, int], set] = {}
    b = bookings.sort_values(["key", "date", "start", "end"], kind="stable")
    last_group, active = None, []          # bookings of this key and day still running
    for key, day, start, end, event in zip(b["key"], b["date"], b["start"], b["end"], b["event"]):
        if (key, day) != last_group:
            last_group, active = (key, day), []
        active = [(e_end, e) for e_end, e in active if e_end > start]
        for _, other in active:
            if other != event:
                pairs.setdefault((min(other, event), max(other, event)), set()).add(key)
        active.append((end, event))
    return pairs


def event_clashes(events: pd.DataFrame, lessons: dict[int, str], periods: Periods,
                  sheet: str = SHEET, working=lambda d: True) -> list[Finding]:
    """Clashes among 活动安排 rows (``sheet``: as the workbook names it) and the 固定活动
    occurrences among them (their own ``sheet`` column; one finding per 固定活动 row and
    kind of clash, not one per week).  A day without classes (``working`` false: a
    holiday, a weekend that is no make-up day) has no 上课冲突."""
    out: list[Finding] = []
    evs = events.to_dict("records")
    fixed = CONTRACT[STANDING]

    def label(key: str, e: dict | None = None) -> str:
        if e is not None and isinstance(e.get("sheet"), str):     # a 固定活动 occurrence (活动安排: none, NaN)
            return fixed.label("attendees" if key in ("teachers", "judges") else key)
        return CONTRACT[SHEET].label(key)

    def where(e: dict) -> str:
        return e["sheet"] if isinstance(e.get("sheet"), str) and e["sheet"] else sheet
    spans = [interval(e, periods) for e in evs]
    people, rooms = [], []
    for i, (e, span) in enumerate(zip(evs, spans)):
        if set(e["judges"]) & set(e["teachers"]):
            out.append(finding(WARNING, "judge_own", where(e), e["row"], label("judges", e),
                               sorted(set(e["judges"]) & set(e["teachers"])), e["date"],
                               event=e["topic"] or e["kind"]))
        if span is None:
            continue
        for t in set(e["teachers"]) | set(e["judges"]) | set(e["attendees"]):
            people.append((t, e["date"], span[0], span[1], i))
        if squash(text(e["room"])):
            rooms.append((squash(e["room"]), e["date"], span[0], span[1], i))
        if lessons and working(e["date"]):
            busy = [p for p, (a, b) in periods.items() if a < span[1] and span[0] < b]
            clashing = {t for t in (set(e["judges"]) | set(e["attendees"])) - set(e["teachers"])
                        for p in busy if lesson_key(t, e["date"].weekday(), p) in lessons}
            if clashing:
                out.append(finding(WARNING, "lesson_clash.event", where(e), e["row"], label("attendees", e),
                                   sorted(clashing), e["date"], event=e["topic"] or e["kind"], when=e["date"],
                                   clock=_clock(span)))
    columns = ["key", "date", "start", "end", "event"]
    for kind, bookings in (("clash.person", people), ("clash.room", rooms)):
        if not bookings:
            continue
        for (a, b), keys in _overlaps(pd.DataFrame(bookings, columns=columns)).items():
            if evs[a]["row"] > evs[b]["row"]:
                a, b = b, a
            first, second, sa, sb = evs[a], evs[b], spans[a], spans[b]
            person = kind == "clash.person"
            out.append(finding(
                WARNING, kind, where(second), second["row"],
                label("teachers", second) if person else label("room", second),
                sorted(keys) if person else first["room"], second["date"],
                this_row=second["row"], event=second["topic"] or second["kind"], clock=_clock(sb),
                other_row=first["row"], other=first["topic"] or first["kind"], other_clock=_clock(sa),
                room=first["room"]))
    return _once_per_standing_row(out, {sheet})


def _once_per_standing_row(found: list[Finding], own: set[str]) -> list[Finding]:
    """A standing time clashes the same way every week: its first clash of each kind
    (and with each other row) stands for the rest."""
    seen, out = set(), []
    for f in found:
        key = (f.code, f.sheet, f.row, tuple(f.people), dict(f.params).get("other_row"))
        if f.sheet not in own:
            if key in seen:
                continue
            seen.add(key)
        out.append(f)
    return out
