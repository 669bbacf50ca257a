"""冲突检查: one row per finding, sorted by level, sheet and row; 行号 jumps to the row."""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from xl_jiaoyan.contract import FINDING_COLUMNS, OUT_FINDINGS
from xl_jiaoyan.domain.findings import COLUMNS, ERROR, HINT, WARNING, Finding, Findings
from xl_jiaoyan.outputs.spec import DATE_FORMAT, MAX_LINKS, ColumnRows, ColumnStyles, OutputSheet

WIDTHS = [6, 12, 12, 6, 10, 11, 60, 44]


def as_findings(findings: Iterable[Finding]) -> Findings:
    return findings if isinstance(findings, Findings) else Findings(findings)


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    return as_findings(findings).sorted()


def category_counts(findings: Iterable[Finding]) -> str:
    """'错误 5 条，警告 8 条，提示 3 条。按类别：未知人员 1、…' for the top of the sheet."""
    table = as_findings(findings)
    levels = "，".join(f"{lv} {table.count(lv)} 条" for lv in (ERROR, WARNING, HINT))
    counts = Counter(table.columns(sorted=True)["category"])
    return f"共 {len(table)} 条：{levels}。按类别：" + "、".join(f"{c} {n}" for c, n in counts.items()) + "。"


MAX_SHOWN = 500   # a finding quotes the cell; a 30,000-character cell is cut for reading


def clip(value):
    return value[:MAX_SHOWN] + "……（后略）" if isinstance(value, str) and len(value) > MAX_SHOWN else value


def _clipped(column: list) -> list:
    """The column with long texts cut (most columns have none: checked at C speed)."""
    try:
        if max(map(len, column), default=0) <= MAX_SHOWN:
            return column
    except TypeError:           # numbers, dates, None
        pass
    return [clip(v) for v in column]


def findings_sheet(findings: Iterable[Finding], title: str, sheet_names: set[str]) -> OutputSheet:
    table = as_findings(findings)
    cols = table.columns(sorted=True)
    sheet = OutputSheet(OUT_FINDINGS, f"{category_counts(table)}　{title}", list(FINDING_COLUMNS), widths=WIDTHS,
                        formats={5: DATE_FORMAT}, wrap={6, 7})
    sheet.rows = ColumnRows([cols[c] if c in ("row", "day") else _clipped(cols[c]) for c in COLUMNS])
    sheet.styles = ColumnStyles({0: cols["level"]})
    for i, (name, row) in enumerate(zip(cols["sheet"], cols["row"])):
        if row and name in sheet_names:
            sheet.links[(i, 3)] = (name, row)
            if len(sheet.links) >= MAX_LINKS:
                break
    return sheet
