"""The 设置 sheet -> Settings."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from xl_jiaoyan.domain.cells import MAX_WEEKS, squash, text, to_date, to_int, year_near, yes_no
from xl_jiaoyan.contract import SETTING, SETTINGS, SETTINGS_SHEET as SHEET, SHEET as SHEETS
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


VALUE = SHEETS[SHEET].label("value")


def read_settings(table: Table | None) -> Settings:
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
    week1 = to_date(raw)
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
    raw, row = get("name_people", defaults["name_people"])
    name_people = yes_no(raw)
    if name_people is None:
        raise PlaceError(SHEET, row, VALUE, f"的「通知点名」应为“是”或“否”，现在是“{text(raw)}”。")
    return Settings(text(school), text(dept), text(term), week1, weeks, as_of,
                    report_weeks, daily_cap, name_people)
