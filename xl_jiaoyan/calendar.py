"""The semester calendar: teaching weeks, holidays, make-up working days, periods."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar

from .cells import chinese_week

HOLIDAY_NAMES = {h.value: h.chinese for h in chinese_calendar.Holiday}   # 'National Day' -> 国庆节


def national_days(start: date, end: date) -> tuple[set[date], set[date], list[int]]:
    """(days off on weekdays or weekends, weekend make-up working days, years without data)."""
    missing = []
    for year in range(start.year, end.year + 1):
        try:
            chinese_calendar.is_holiday(date(year, 6, 1))
        except NotImplementedError:
            missing.append(year)
    off = {d for d in chinese_calendar.holidays if start <= d <= end and d.year not in missing}
    work = {d for d in chinese_calendar.workdays if start <= d <= end and d.year not in missing}
    return off, work, missing


@dataclass(frozen=True)
class Period:
    kind: str        # 周, 双周, 月
    index: int       # key used to group dates
    label: str       # 第3周, 第3-4周, 10月
    first: date
    last: date
    working: bool    # holds at least one working day


@dataclass
class SemesterCalendar:
    week1: date
    weeks: int
    off: set[date] = field(default_factory=set)      # days without school
    extra: set[date] = field(default_factory=set)    # weekend days with school (调休)
    names: dict[date, str] = field(default_factory=dict)

    @property
    def start(self) -> date:
        return self.week1

    @property
    def end(self) -> date:
        return self.week1 + timedelta(days=7 * self.weeks - 1)

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    def is_working(self, d: date) -> bool:
        if d in self.extra:
            return True
        return d.weekday() < 5 and d not in self.off

    def week_of(self, d: date) -> int:
        """Teaching week of a date inside the semester (1-based)."""
        return (d - self.week1).days // 7 + 1

    def current_week(self, as_of: date) -> int:
        """0 before week 1, ``weeks`` after the last week."""
        if as_of < self.week1:
            return 0
        return min(self.week_of(as_of), self.weeks)

    def is_over(self, as_of: date) -> bool:
        return as_of > self.end

    def year_for(self, month: int, day: int) -> int:
        """The year of a date written without one: the one nearest the semester."""
        best, best_gap = self.start.year, None
        for y in (self.start.year - 1, self.start.year, self.start.year + 1, self.end.year):
            try:
                d = date(y, month, day)
            except ValueError:
                continue
            gap = 0 if self.start <= d <= self.end else min(abs((d - self.start).days),
                                                             abs((d - self.end).days))
            if best_gap is None or gap < best_gap:
                best, best_gap = y, gap
        return best

    def periods(self, kind: str) -> list[Period]:
        out: list[Period] = []
        if kind == "周":
            for w in range(1, self.weeks + 1):
                first = self.week1 + timedelta(days=7 * (w - 1))
                out.append(self._period(kind, w, f"第{w}周", first, first + timedelta(days=6)))
        elif kind == "双周":
            for k in range(1, (self.weeks + 1) // 2 + 1):
                w0, w1 = 2 * k - 1, min(2 * k, self.weeks)
                first = self.week1 + timedelta(days=7 * (w0 - 1))
                last = self.week1 + timedelta(days=7 * w1 - 1)
                label = f"第{w0}-{w1}周" if w1 > w0 else f"第{w0}周"
                out.append(self._period(kind, k, label, first, last))
        elif kind == "月":
            d = self.start
            while d <= self.end:
                nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
                last = min(nxt - timedelta(days=1), self.end)
                out.append(self._period(kind, d.year * 12 + d.month, f"{d.year}年{d.month}月"
                                        if self.start.year != self.end.year else f"{d.month}月",
                                        d, last))
                d = nxt
        else:
            raise ValueError(kind)
        return out

    def period_index(self, kind: str, d: date) -> int:
        if kind == "周":
            return self.week_of(d)
        if kind == "双周":
            return (self.week_of(d) + 1) // 2
        if kind == "月":
            return d.year * 12 + d.month
        raise ValueError(kind)

    def _period(self, kind, index, label, first, last) -> Period:
        working = any(self.is_working(first + timedelta(days=i))
                      for i in range((last - first).days + 1))
        return Period(kind, index, label, first, last, working)

    def week_label(self, w: int) -> str:
        return chinese_week(w)

    def week_days(self, w: int) -> list[date]:
        """Monday to Sunday of teaching week ``w``."""
        first = self.week1 + timedelta(days=7 * (w - 1))
        return [first + timedelta(days=i) for i in range(7)]

    def day_name(self, d: date) -> str:
        """What a day off or make-up day is for: the 校历 说明, else the national holiday."""
        if self.names.get(d):
            return self.names[d]
        try:
            english = chinese_calendar.get_holiday_detail(d)[1]
        except NotImplementedError:
            return ""
        return HOLIDAY_NAMES.get(english, "") if english else ""
