"""冲突检查: one row per finding, sorted by level, sheet and row; 行号 jumps to the row."""
from __future__ import annotations

from collections import Counter
from typing import Callable

from xl_jiaoyan.contract import FINDING_COLUMNS, OUT_FINDINGS
from xl_jiaoyan.domain.findings import ERROR, HINT, WARNING, Findings
from xl_jiaoyan.domain.messages import RENDERED, render
from xl_jiaoyan.outputs.spec import DATE_FORMAT, MAX_LINKS, ColumnRows, ColumnStyles, OutputSheet

WIDTHS = [6, 12, 12, 6, 10, 10, 11, 60, 44]
ROW, DAY, MESSAGE, ADVICE = (RENDERED.index(c) for c in ("row", "day", "message", "advice"))


def category_counts(findings: Findings, cols: dict[str, list]) -> str:
    """'共 16 条：错误 5 条，警告 8 条，提示 3 条。按类别：未知人员 1、…' for the top of the sheet."""
    levels = "，".join(f"{lv} {findings.count(lv)} 条" for lv in (ERROR, WARNING, HINT))
    counts = Counter(cols["category"])
    return f"共 {len(findings)} 条：{levels}。按类别：" + "、".join(f"{c} {n}" for c, n in counts.items()) + "。"


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


def findings_sheet(findings: Findings, label: Callable[[int], str], title: str, sheet_names: set[str]) -> OutputSheet:
    """The sheet, people named by ``label`` (the roster's)."""
    cols = render(findings, label)
    sheet = OutputSheet(OUT_FINDINGS, f"{category_counts(findings, cols)}　{title}", list(FINDING_COLUMNS),
                        widths=WIDTHS, formats={DAY: DATE_FORMAT}, wrap={MESSAGE, ADVICE})
    sheet.rows = ColumnRows([cols[c] if c in ("row", "day") else _clipped(cols[c]) for c in RENDERED])
    sheet.styles = ColumnStyles({0: cols["level"]})
    for i, (name, row) in enumerate(zip(cols["sheet"], cols["row"])):
        if row and name in sheet_names:
            sheet.links[(i, ROW)] = (name, row)
            if len(sheet.links) >= MAX_LINKS:
                break
    return sheet
