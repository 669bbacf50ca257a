"""The semester calendar from 设置, national holiday data and the 校历 sheet."""
from __future__ import annotations

from xl_jiaoyan.domain.calendar import SemesterCalendar, national_days
from xl_jiaoyan.domain.cells import squash, text, to_date
from xl_jiaoyan.contract import CALENDAR, CALENDAR_TYPES, SHEET as SHEETS

DAY_OFF = CALENDAR_TYPES[0]      # 放假 (the other: 上课, a make-up working day)
from xl_jiaoyan.domain.findings import ERROR, HINT, Finding
from xl_jiaoyan.read.settings import Settings
from xl_jiaoyan.read.table import Table

SHEET = CALENDAR
LABEL = SHEETS[CALENDAR].label


def build_calendar(settings: Settings, table: Table | None) -> tuple[SemesterCalendar, list[Finding]]:
    findings: list[Finding] = []
    cal = SemesterCalendar(settings.week1, settings.weeks)
    off, work, missing = national_days(cal.start, cal.end)
    cal.off |= off
    cal.extra |= work
    rows = [] if table is None else table.frame.to_dict("records")
    for rec in rows:
        d = to_date(rec["date"], cal.year_for, fits=cal.contains)
        kind = squash(text(rec["kind"]))
        if d is None:
            findings.append(Finding(ERROR, "日期无效", SHEET, int(rec["row"]), "", None,
                                    f"「{LABEL('date')}」写的“{text(rec['date'])}”读不出日期，这一行校历不起作用。",
                                    "请写成 2027-01-01 这样的日期。"))
            continue
        if kind not in CALENDAR_TYPES:
            findings.append(Finding(ERROR, CALENDAR, SHEET, int(rec["row"]), "", d,
                                    f"「{LABEL('kind')}」写的“{text(rec['kind'])}”不认识，这一行校历不起作用。",
                                    "请填“放假”或“上课”。"))
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
        findings.append(Finding(
            HINT, "节假日数据", SHEET, None, "", None,
            f"本工具没有 {year} 年的国家节假日数据，{year} 年的放假和调休只按「校历」工作表"
            + ("中填写的日期计算。" if has_rows else "计算，而「校历」中还没有该年的日期。"),
            f"请在「校历」中逐日填写 {year} 年学期内的放假日（如元旦、春节）和调休上课日。"))
    return cal, findings
