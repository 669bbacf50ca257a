"""A computed result as the output-sheet descriptions refresh writes (the write seam's near side)."""
from __future__ import annotations

from datetime import datetime

from xl_jiaoyan import __version__
from xl_jiaoyan.compute.pipeline import Result
from xl_jiaoyan.contract import ACTIVITIES
from xl_jiaoyan.domain.cells import chinese_week
from xl_jiaoyan.outputs.findings_sheet import findings_sheet
from xl_jiaoyan.outputs.group_sheet import group_sheet
from xl_jiaoyan.outputs.notice_sheet import notice_sheet
from xl_jiaoyan.outputs.quota_sheets import detail_sheet, overview_sheet
from xl_jiaoyan.outputs.score_sheets import items_sheet, totals_sheet
from xl_jiaoyan.outputs.spec import OutputSheet


def provenance(result: Result, source_label: str, now: datetime | None = None) -> str:
    now = now or datetime.now()
    week = result.week
    when = ("开学前" if week == 0 else chinese_week(week)) if not result.cal.is_over(result.as_of) else "学期已结束"
    return (f"统计截至 {result.as_of.isoformat()}（{when}）。本表是 {now:%Y-%m-%d %H:%M} 根据「{source_label}」"
            f"中大家填写的各表自动生成的（xl-jiaoyan {__version__}），每次刷新都会整张重写，请不要在本表里修改。")


def describe(result: Result, source_label: str, sheet_names: set[str],
             now: datetime | None = None, notice_text: list[str] | None = None) -> list[OutputSheet]:
    title = provenance(result, source_label, now)
    sheets = [overview_sheet(result.detail, result.roster, title),
              detail_sheet(result.detail, title),
              group_sheet(result.detail, result.held, result.roster, result.cal, result.as_of, title,
                          ACTIVITIES not in result.unrecorded)]
    if result.score_totals is not None:
        sheets += [totals_sheet(result.score_totals, title),
                   items_sheet(result.scored, result.roster, title, sheet_names, result.sheet_names)]
    sheets.append(findings_sheet(result.findings, result.roster.label, title, sheet_names))
    if notice_text is not None:
        sheets.append(notice_sheet(notice_text, title))
    return sheets
