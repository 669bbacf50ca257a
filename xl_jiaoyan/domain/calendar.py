"""The semester calendar: teaching weeks, holidays, make-up working days, periods."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar

from xl_jiaoyan.domain.cells import chinese_week, md, weekday_name

HOLIDAY_REACH = 31  # days a holiday's name is looked for beyond the week shown
MONTH_DAYS = 15     # a month at either end of the semester with fewer days inside is no month of its own
HALF_DAYS = 8       # the same for a half-month (半月) at either end
# 'National Day' -> 国庆节; the festivals by the names notices use (中秋节, not 中秋)
HOLIDAY_NAMES = {h.value: {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}.get(h.chinese, h.chinese)
                 for h in chinese_calendar.Holiday}


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
    kind: str        # 周, 双周, 半月, 月, 两月
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
    _holiday_names: dict[date, str] = field(default_factory=dict, repr=False, compare=False)

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
            out = [self._period(kind, index, label, first, last) for index, label, first, last in self._months()]
        elif kind == "两月":      # the months (after joining) paired in order from the first
            months = self._months()
            for k in range(0, len(months), 2):
                pair = months[k:k + 2]
                label = pair[0][1] if len(pair) == 1 else _span_label(pair[0][1], pair[1][1])
                out.append(self._period(kind, k // 2 + 1, label, pair[0][2], pair[-1][3]))
        elif kind == "半月":      # each month cut at its 15th: 1st–15th and 16th–end
            for index, label, first, last in self._months():
                year, month = divmod(index - 1, 12)
                middle = date(year, month + 1, 15)
                halves = ((first, min(middle, last), "上半月"), (max(middle + timedelta(days=1), first), last, "下半月"))
                for half, (a, b, name) in enumerate(halves):
                    if a <= b:
                        out.append(self._period(kind, index * 2 + half, f"{label}{name}", a, b))
            # a half at either end with fewer than HALF_DAYS of its days joins its neighbour
            if len(out) > 1 and (out[-1].last - out[-1].first).days + 1 < HALF_DAYS:
                out[-2:] = [self._period(kind, out[-2].index, out[-2].label, out[-2].first, out[-1].last)]
            if len(out) > 1 and (out[0].last - out[0].first).days + 1 < HALF_DAYS:
                out[:2] = [self._period(kind, out[1].index, out[1].label, out[0].first, out[1].last)]
        else:
            raise ValueError(kind)
        return out

    def period_index(self, kind: str, d: date) -> int:
        if kind == "周":
            return self.week_of(d)
        if kind == "双周":
            return (self.week_of(d) + 1) // 2
        if kind == "月":
            index = d.year * 12 + d.month
            months = self._months()
            if index < months[0][0]:
                return months[0][0]
            return min(index, months[-1][0])
        for p in self.periods(kind):          # 两月, 半月: the period that holds the day
            if d <= p.last:
                return p.index
        return p.index

    def _months(self) -> list[tuple[int, str, date, date]]:
        """Calendar months cut to the semester, (index, label, first, last); a month at
        either end with fewer than MONTH_DAYS of its days inside joins its neighbour (a
        term starting Monday 31 August counts that day in September)."""
        months = []
        d = self.start
        while d <= self.end:
            nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
            label = f"{d.year}年{d.month}月" if self.start.year != self.end.year else f"{d.month}月"
            months.append((d.year * 12 + d.month, label, d, min(nxt - timedelta(days=1), self.end)))
            d = nxt
        if len(months) > 1 and (months[0][3] - months[0][2]).days + 1 < MONTH_DAYS:
            months[:2] = [(*months[1][:2], months[0][2], months[1][3])]
        if len(months) > 1 and (months[-1][3] - months[-1][2]).days + 1 < MONTH_DAYS:
            months[-2:] = [(*months[-2][:3], months[-1][3])]
        return months

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
        if d not in self._holiday_names:
            try:
                english = chinese_calendar.get_holiday_detail(d)[1]
            except NotImplementedError:
                english = None
            self._holiday_names[d] = HOLIDAY_NAMES.get(english, "") if english else ""
        return self._holiday_names[d]

    def run_name(self, days) -> str:
        """What a run of days off is: every name of the whole holiday it belongs to, in
        order, also where a week shows only part of it (2025-10-01…08: 国庆节、中秋节)."""
        first, last = min(days), max(days)
        for step in (-1, 1):
            d = first if step < 0 else last
            for _ in range(HOLIDAY_REACH):
                nxt = d + timedelta(days=step)
                if self.is_working(nxt) or not self.day_name(nxt):
                    break
                d = nxt
            first, last = (d, last) if step < 0 else (first, d)
        span = (first + timedelta(days=i) for i in range((last - first).days + 1))
        return "、".join(dict.fromkeys(n for n in map(self.day_name, span) if n))

    def rest_day(self, d: date) -> str:
        """10月23日（星期五）是休息日（秋季运动会后补休） — for messages."""
        name = self.day_name(d)
        return f"{md(d)}（{weekday_name(d)}）是休息日" + (f"（{name}）" if name else "")


OFF_WORDS = ("假", "休", "休息", "放假")


def _span_label(a: str, b: str) -> str:
    """2026年9月 and 2026年10月 -> 2026年9—10月; 9月 and 10月 -> 9—10月."""
    year_a, _, month_a = a.rpartition("年")
    year_b, _, month_b = b.rpartition("年")
    if year_a == year_b:
        return f"{year_a + '年' if year_a else ''}{month_a[:-1]}—{month_b}"
    return f"{a}—{b}"


def off_phrase(name: str) -> str:
    """国庆节、中秋节 -> 国庆节、中秋节放假; a name that already says so stays (农忙假)."""
    return name if name.endswith(OFF_WORDS) else f"{name}放假"
