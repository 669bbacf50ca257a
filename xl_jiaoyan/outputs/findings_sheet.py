"""冲突检查: one row per finding, sorted by level, sheet and row; 行号 jumps to the row."""
from __future__ import annotations

from collections import Counter

from ..contract import FINDING_COLUMNS, OUT_FINDINGS
from ..findings import ERROR, HINT, WARNING, Finding
from .spec import DATE_FORMAT, MAX_LINKS, OutputSheet

WIDTHS = [6, 12, 12, 6, 10, 11, 60, 44]


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)


def category_counts(findings: list[Finding]) -> str:
    """'错误 5 条，警告 8 条，提示 3 条。按类别：未知人员 1、…' for the top of the sheet."""
    ordered = sorted_findings(findings)
    levels = "，".join(f"{lv} {sum(f.level == lv for f in ordered)} 条" for lv in (ERROR, WARNING, HINT))
    counts = Counter(f.category for f in ordered)
    return f"共 {len(ordered)} 条：{levels}。按类别：" + "、".join(f"{c} {n}" for c, n in counts.items()) + "。"


MAX_SHOWN = 500   # a finding quotes the cell; a 30,000-character cell is cut for reading


def clip(value):
    return value[:MAX_SHOWN] + "……（后略）" if isinstance(value, str) and len(value) > MAX_SHOWN else value


def findings_sheet(findings: list[Finding], title: str, sheet_names: set[str]) -> OutputSheet:
    sheet = OutputSheet(OUT_FINDINGS, f"{category_counts(findings)}　{title}", list(FINDING_COLUMNS), widths=WIDTHS,
                        formats={5: DATE_FORMAT}, wrap={6, 7})
    for i, f in enumerate(sorted_findings(findings)):
        sheet.rows.append([clip(v) for v in f.values()])
        sheet.styles[(i, 0)] = f.level
        if f.row and f.sheet in sheet_names and len(sheet.links) < MAX_LINKS:
            sheet.links[(i, 3)] = (f.sheet, f.row)
    return sheet
