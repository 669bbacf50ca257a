"""The week's notice from a computed result: which template, which week, as it stood then."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from xl_jiaoyan.compute.pipeline import Result, compute
from xl_jiaoyan.read.grid import Source

if TYPE_CHECKING:          # Jinja2 is imported only by commands that make a notice
    from xl_jiaoyan.notice.template import TemplateText


@dataclass
class Notice:
    week: int
    paragraphs: list[str]
    origin: str          # which template: 默认模板, 工作表「通知模板」, 文件 …
    as_of: date | None = None   # the date its figures are computed for (a past week: its Monday)


def read_template(source: Source) -> TemplateText:
    """The notice template: a 通知模板 sheet, else a .j2 file beside the workbook, else
    the default."""
    from xl_jiaoyan.notice.template import SHEET, default_template, sheet_template
    if SHEET in source.sheet_names():
        grid = source.grid(SHEET)
        rows = [(grid.first_row + i, r[0] if r else None) for i, r in enumerate(grid.head(len(grid)))]
        t = sheet_template(rows)
        if t is not None:
            return t
    return source.template_file() or default_template()


def make_notice(result: Result, template: TemplateText, week: int | None = None) -> Notice:
    """The notice for ``week`` (default: the as-of week); WorkbookError when the week is
    not a teaching week or the template is broken."""
    from xl_jiaoyan.notice.content import check_week, notice_data
    from xl_jiaoyan.notice.template import render
    week = check_week(result, week)
    then = as_it_stood(result, week)
    return Notice(week, render(template, notice_data(then, week)), template.origin, then.as_of)


def as_it_stood(result: Result, week: int) -> Result:
    """For a week before the as-of week, the figures as they stood on its Monday (the day
    its notice went out): a past week's notice never tells today's numbers."""
    monday = result.cal.week_days(week)[0]
    if week >= result.week or result.tables is None or monday >= result.as_of:
        return result
    return compute(result.tables, monday)


def weekly_notice(result: Result, template: TemplateText) -> list[str]:
    """What refresh puts in 本周通知: the as-of week's notice, or why there is none.  A
    broken template stops the run even then."""
    if not result.cal.contains(result.as_of):
        from xl_jiaoyan.notice.template import compile_template
        compile_template(template)     # make_notice compiles it otherwise
        return [f"统计截至 {result.as_of.isoformat()}，不在本学期的教学周内，所以没有本周通知。"
                "需要某一周的通知时，可运行 xl-jiaoyan notice 工作簿 --week 周次。"]
    return make_notice(result, template).paragraphs
