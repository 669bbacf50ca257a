"""The 设置 sheet -> Settings."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from xl_jiaoyan.domain.cells import MAX_WEEKS, date_readings, squash, text, to_date, to_int, year_near, yes_no
from xl_jiaoyan.contract import (ACTIVITIES, CHECK_GRADES, REPORT_TRAININGS, SETTING, SETTINGS, SETTINGS_SHEET as SHEET,
                                 SHEET as SHEETS, TRAINING_TYPES)
from xl_jiaoyan.domain.cells import split_names
from xl_jiaoyan.read.schema import ALIASES, closest
from xl_jiaoyan.errors import PlaceError, WorkbookError
from xl_jiaoyan.read.table import Table


@dataclass(frozen=True)
class Settings:
    school: str
    department: str
    term: str
    week1: date
    weeks: int
    as_of: date | None
    report_weeks: int
    daily_cap: int
    name_people: bool = True     # 通知点名: reminders in the notice name the teachers
    report_trainings: tuple[str, ...] = REPORT_TRAININGS   # 需汇报课的培训
    prep_days: int = 7           # 集体备课提前(天)
    prep_counts: bool = True     # 集体备课计入教研活动
    activity_required: tuple[str, ...] = ("topic", "host")   # 教研活动必填, as column keys
    check_grades: tuple[str, ...] = CHECK_GRADES   # 检查等第, best first; the last one fails
    recheck_weeks: int = 2       # 复查期限(周)


VALUE = SHEETS[SHEET].label("value")


def _first_monday(raw, near: date) -> date | None:
    """第一周周一 as written; typed without a year (3.07, 3月7日), the Monday among its
    readings in the years around ``near`` (设置's full 当前日期, else the run's date) that
    lies nearest to it — a term starts on a Monday — else the nearest reading."""
    readings = list(date_readings(raw))
    if not readings:
        readings = [d for y in (near.year - 1, near.year, near.year + 1)
                    for d in date_readings(raw, lambda month, day, y=y: y)]
    mondays = [d for d in readings if d.weekday() == 0] or readings
    return min(mondays, key=lambda d: abs((d - near).days)) if mondays else None


def read_settings(table: Table | None, today: date | None = None) -> Settings:
    """``today``: the run's date, which gives a year to a 第一周周一 typed without one
    (3.07, 3月7日: the Monday nearest to it)."""
    if table is None or table.empty:
        raise WorkbookError(f"工作表「{SHEET}」是空的。请至少填写「学校名称」和「第一周周一」两项。")
    values: dict[str, tuple[object, int]] = {}
    for item, value, row in zip(table.frame["item"], table.frame["value"], table.frame["row"]):
        key = squash(text(item))
        if key and key not in values:
            values[key] = (value, int(row))

    def get(key, default):
        name = SETTING[key]
        v, row = values.get(squash(name), (None, None))
        if v is None or text(v) == "":
            if default is None and row is not None:       # the item is there, its value blank
                raise PlaceError(SHEET, row, VALUE, f"的「{name}」还没有填写。请在「{SHEETS[SHEET].label('value')}」"
                                 f"列这一格填上{name}。")
            if default is None:
                raise PlaceError(
                    SHEET, row, None, f"缺少「{name}」。请在「{SHEETS[SHEET].label('item')}」列写上“{name}”，"
                    f"并在「{SHEETS[SHEET].label('value')}」列填写。")
            return default, row
        return v, row

    defaults = {key: d for key, (_, d, _) in zip(SETTING, SETTINGS)}
    school, _ = get("school", None)
    dept, _ = get("department", defaults["department"])
    term, _ = get("term", "")

    raw, row = get("week1", None)
    stated, _ = get("as_of", "")
    week1 = _first_monday(raw, to_date(stated) or today or date.today())
    if week1 is None:
        raise PlaceError(SHEET, row, VALUE, f"的「第一周周一」读不出日期：“{text(raw)}”。"
                         "请写成 2026-08-31 这样带年份的日期。")
    if week1.weekday() != 0:
        raise PlaceError(
            SHEET, row, VALUE, f"的「第一周周一」是 {week1.isoformat()}，"
            f"那天是星期{'一二三四五六日'[week1.weekday()]}。请填第一教学周星期一的日期。")

    def positive_int(key, most):
        v, r = get(key, defaults[key])
        n = to_int(v)
        if n is None or not 0 < n <= most:
            raise PlaceError(SHEET, r, VALUE, f"的「{SETTING[key]}」应为 1 到 {most} 之间的整数，"
                                f"现在是“{text(v)}”。")
        return n

    weeks = positive_int("weeks", MAX_WEEKS)
    report_weeks = positive_int("report_weeks", MAX_WEEKS)
    daily_cap = positive_int("daily_cap", 100)

    raw, row = get("as_of", "")
    as_of = None
    if text(raw):      # 11.20, 11月20号 or the number 11.2: the year of the semester
        term_end = week1 + timedelta(weeks=weeks)
        as_of = to_date(raw, year_near(week1 + (term_end - week1) / 2), fits=lambda d: week1 <= d <= term_end)
        if as_of is None:
            raise PlaceError(SHEET, row, VALUE, f"的「当前日期」读不出日期：“{text(raw)}”。"
                             "请写成 2026-11-20 这样的日期，或留空表示今天。")
    def yes(key):
        raw, row = get(key, defaults[key])
        value = yes_no(raw)
        if value is None:
            raise PlaceError(SHEET, row, VALUE, f"的「{SETTING[key]}」应为“是”或“否”，现在是“{text(raw)}”。")
        return value

    def one_of(key, allowed: dict[str, str]) -> tuple[str, ...]:
        """A list setting (需汇报课的培训, 教研活动必填): each value on its list, or a clear stop."""
        raw, row = get(key, defaults[key])
        out = []
        for token in split_names(raw):
            if token not in allowed:
                near = closest(token, list(allowed))
                raise PlaceError(SHEET, row, VALUE, f"的「{SETTING[key]}」写的“{token}”不是可选的值"
                                 f"（{'、'.join(allowed)}）。" + (f"是不是“{near}”？" if near else ""))
            out.append(allowed[token])
        return tuple(dict.fromkeys(out))

    name_people = yes("name_people")
    trainings = one_of("report_trainings", {**{t: ALIASES.get(t, t) for t in TRAINING_TYPES[1:]}, "区外培训": "区外"})
    activity = SHEETS[ACTIVITIES]
    required = one_of("activity_required", {c.name: c.key for c in activity.columns})
    raw, row = get("check_grades", defaults["check_grades"])
    grades = tuple(dict.fromkeys(split_names(raw)))
    if len(grades) < 2:
        raise PlaceError(SHEET, row, VALUE, f"的「{SETTING['check_grades']}」至少要有两个等第（从好到差，用顿号隔开，"
                         f"例如“{'、'.join(CHECK_GRADES)}”），现在是“{text(raw)}”。")
    return Settings(text(school), text(dept), text(term), week1, weeks, as_of,
                    report_weeks, daily_cap, name_people, trainings,
                    positive_int("prep_days", 60), yes("prep_counts"), required, grades,
                    positive_int("recheck_weeks", MAX_WEEKS))
