"""The semester calendar from 设置, national holiday data and the 校历 sheet."""
from __future__ import annotations

from xl_jiaoyan.domain.calendar import SemesterCalendar, national_days
from xl_jiaoyan.domain.cells import squash, text, to_date
from xl_jiaoyan.contract import CALENDAR, CALENDAR_TYPES, SHEET as SHEETS

from xl_jiaoyan.domain.findings import ERROR, HINT, Finding, finding
from xl_jiaoyan.read.settings import Settings
from xl_jiaoyan.read.table import Table

DAY_OFF = CALENDAR_TYPES[0]      # 放假 (the other: 上课, a make-up working day)

SHEET = CALENDAR
LABEL = SHEETS[CALENDAR].label


def build_calendar(settings: Settings, table: Table | None) -> tuple[SemesterCalendar, list[Finding]]:
    findings: list[Finding] = []
    cal = SemesterCalendar(settings.week1, settings.weeks)
    off, work, missing = national_days(cal.start, cal.end)
    cal.off |= off
    cal.extra |= work
    rows = [] if table is None else table.frame.to_dict("records")
    sheet = SHEET if table is None else table.name
    for rec in rows:
        d = to_date(rec["date"], cal.year_for, fits=cal.contains)
        kind = squash(text(rec["kind"]))
        if d is None:
            findings.append(finding(ERROR, "calendar.date_unreadable", sheet, rec["row"], LABEL("date"),
                                    value=text(rec["date"])))
            continue
        if kind not in CALENDAR_TYPES:
            findings.append(finding(ERROR, "calendar.kind", sheet, rec["row"], LABEL("kind"), (), d,
                                    value=text(rec["kind"])))
            continue
        if kind == DAY_OFF:
            cal.off.add(d)
            cal.extra.discard(d)
        else:
            cal.extra.add(d)
            cal.off.discard(d)
        if text(rec["note"]):
            cal.names[d] = text(rec["note"])
    for year in missing:
        has_rows = any(d.year == year for d in cal.off | cal.extra if cal.contains(d))
        findings.append(finding(HINT, "calendar.no_data", sheet, year=year, has_rows=has_rows))
    return cal, findings
