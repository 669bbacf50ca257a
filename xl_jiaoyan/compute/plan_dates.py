"""What a 工作进度 周次 or 日期 cell may say besides a week and dates: a month (九月份, 10月,
元月) or a deadline (10月份之前, 10月底前, 10月20日前, 期中前, 期末前)."""
from __future__ import annotations

import re
from datetime import date, timedelta

from xl_jiaoyan.domain.calendar import SemesterCalendar
from xl_jiaoyan.domain.cells import CN_NUMERALS, squash, text, to_int

_M = r"(元|正|[0-9]{1,2}|[" + CN_NUMERALS + r"]{1,3})"
_MONTH = re.compile(r"^" + _M + r"月份?(?:工作|安排|计划)?[：:]?$")
_BEFORE = r"(?:之前|以前|前)(?:完成|上交|到位)?$"
_BEFORE_MONTH = re.compile(r"^" + _M + r"月份?" + _BEFORE)
_END_OF_MONTH = re.compile(r"^" + _M + r"月(?:底|末|下旬)" + r"(?:之前|以前|前)?(?:完成|上交|到位)?$")
_BEFORE_DAY = re.compile(r"^" + _M + r"月([0-9]{1,2}|[" + CN_NUMERALS + r"]{1,3})[日号]" + _BEFORE)
_MID_TERM = re.compile(r"^期中(?:考试)?" + _BEFORE)
_TERM_END = re.compile(r"^期末(?:考试)?" + _BEFORE)
FRIDAY = 4


def _month_number(s: str) -> int | None:
    n = 1 if s in ("元", "正") else to_int(s)
    return n if n is not None and 1 <= n <= 12 else None


def month_of(raw, cal: SemesterCalendar) -> tuple[int, int] | None:
    """(year, month) a cell names as a month of the plan, or None."""
    m = _MONTH.match(squash(text(raw)))
    n = _month_number(m.group(1)) if m else None
    return (cal.year_for(n, 1), n) if n else None


def _month_end(year: int, month: int) -> date:
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def deadline_of(raw, cal: SemesterCalendar) -> date | None:
    """The day a deadline cell says the item is due by, or None."""
    s = squash(text(raw))
    if (m := _BEFORE_MONTH.match(s)) and (n := _month_number(m.group(1))):
        return date(cal.year_for(n, 1), n, 1) - timedelta(days=1)
    if (m := _END_OF_MONTH.match(s)) and (n := _month_number(m.group(1))):
        return _month_end(cal.year_for(n, 1), n)
    if (m := _BEFORE_DAY.match(s)) and (n := _month_number(m.group(1))) and (d := to_int(m.group(2))):
        try:
            return date(cal.year_for(n, d), n, d)
        except ValueError:
            return None
    if _MID_TERM.match(s):
        return cal.week_days(max(cal.weeks // 2, 1))[FRIDAY]
    if _TERM_END.match(s):
        return cal.week_days(cal.weeks)[FRIDAY]
    return None


def week_month(cal: SemesterCalendar, week: int) -> int:
    """The month (year × 12 + month) a teaching week's items belong to: the month its Monday
    lies in, as 指标 cuts months (a term starting Monday 31 August: week 1 is September's)."""
    return cal.period_index("月", cal.week_days(week)[0])


def month_weeks(cal: SemesterCalendar, year: int, month: int) -> list[int]:
    """The teaching weeks whose items that month's are."""
    return [w for w in range(1, cal.weeks + 1) if week_month(cal, w) == year * 12 + month]
