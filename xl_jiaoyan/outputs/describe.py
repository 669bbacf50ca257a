"""A computed result as the output-sheet descriptions refresh writes (the write seam's near side)."""
from __future__ import annotations

from datetime import datetime

from xl_jiaoyan import __version__
from xl_jiaoyan.compute.pipeline import Result
from xl_jiaoyan.contract import ACHIEVEMENTS, ACTIVITIES, CHECKS, HANDINS, MATERIALS, PROJECTS
from xl_jiaoyan.domain.cells import chinese_week
from xl_jiaoyan.outputs.findings_sheet import findings_sheet
from xl_jiaoyan.outputs.group_sheet import group_sheet
from xl_jiaoyan.outputs.notice_sheet import notice_sheet
from xl_jiaoyan.outputs.office_sheets import achievements_sheet, checks_sheet, materials_sheet, projects_sheet
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
    sheets += office_sheets(result, title)
    if result.score_totals is not None:
        sheets += [totals_sheet(result.score_totals, title),
                   items_sheet(result.scored, result.roster, title, sheet_names, result.sheet_names)]
    sheets.append(findings_sheet(result.findings, result.roster.label, title, sheet_names))
    if notice_text is not None:
        sheets.append(notice_sheet(notice_text, title))
    return sheets


def office_sheets(result: Result, title: str) -> list[OutputSheet]:
    """检查汇总, 材料明细 and 课题进度 when their input sheet has rows; 成果统计 when 成果登记
    or 课题 has rows in a workbook that has the office's sheets (any of 常规检查, 材料要求,
    材料上交, 课题: a workbook made before them refreshes exactly as it did)."""
    recorded = {name for name in (CHECKS, MATERIALS, PROJECTS, ACHIEVEMENTS) if name not in result.unrecorded}
    present = any((result.tables or {}).get(name) is not None for name in (CHECKS, MATERIALS, HANDINS, PROJECTS))
    out = []
    if CHECKS in recorded:
        out.append(checks_sheet(result.checks, result.settings.check_grades, result.roster, title))
    if MATERIALS in recorded:
        out.append(materials_sheet(result.dues, result.roster, result.settings.school, result.as_of, title))
    if PROJECTS in recorded:
        out.append(projects_sheet(result.projects, result.roster, result.as_of, title))
    if present and recorded & {ACHIEVEMENTS, PROJECTS}:
        out.append(achievements_sheet(result.achievements, result.projects, result.roster, title))
    return out
