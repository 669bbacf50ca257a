"""The semester plan (工作进度): one item per row, week and dates filled down."""
from __future__ import annotations

import re
from datetime import timedelta

import pandas as pd

from .calendar import SemesterCalendar
from .cells import text, to_date_range, to_week_number
from .findings import WARNING, Finding
from .read.table import Table

SHEET = "工作进度"
_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
# '1、' '2.' '（3）' '(4)、' at the start or after a space, newline, 。 or ；
_NUMBERED = re.compile(r"(?:^|(?<=[\s。；;]))\s*(?:[（(]" + _NUM + r"[)）][、.．]?|" + _NUM + r"[、.．](?!\d))\s*")
COLUMNS = ["row", "week", "first", "last", "item", "负责人", "备注"]


def split_items(cell: str) -> list[str]:
    """'1、开学检查 2、制定计划' -> ['开学检查', '制定计划']; unnumbered text stays whole."""
    s = cell.strip()
    marks = list(_NUMBERED.finditer(s))
    if len(marks) < 1 or marks[0].start() != 0 and s[:marks[0].start()].strip():
        return [line.strip() for line in s.splitlines() if line.strip()] or [s]
    items = []
    for m, nxt in zip(marks, marks[1:] + [None]):
        piece = s[m.end(): nxt.start() if nxt else len(s)].strip()
        if piece:
            items.append(piece.rstrip("；;"))
    return items


def plan_items(table: Table | None, cal: SemesterCalendar, findings: list[Finding]) -> pd.DataFrame:
    if table is None or table.empty:
        return pd.DataFrame(columns=COLUMNS)
    out = []
    week_raw, date_raw = None, None
    for rec in table.frame.to_dict("records"):
        row = int(rec["row"])
        if text(rec["周次"]):
            week_raw = rec["周次"]
            date_raw = rec["日期"] if text(rec["日期"]) else None
        elif text(rec["日期"]):
            date_raw = rec["日期"]
        week = to_week_number(week_raw) if week_raw is not None else None
        if week_raw is not None and week is None:
            findings.append(Finding(WARNING, "周历", SHEET, row, "", None,
                                    f"「周次」写的“{text(week_raw)}”读不出是第几周。",
                                    "请写成 第十一周、第11周 或 11。"))
        span = to_date_range(date_raw, cal.year_for) if date_raw is not None else None
        if date_raw is not None and span is None:
            findings.append(Finding(WARNING, "周历", SHEET, row, "", None,
                                    f"「日期」写的“{text(date_raw)}”读不出日期，按周次推算。",
                                    "请写成 3月9日至3月13日 或 3.9-3.13 这样的日期。"))
        if span is None and week:
            first = cal.week1 + timedelta(days=7 * (week - 1))
            span = (first, first + timedelta(days=6))
        if week is None and span is not None and cal.contains(span[0]):
            week = cal.week_of(span[0])
        content = text(rec["工作内容"])
        if not content:
            continue
        for item in split_items(content):
            out.append({"row": row, "week": week, "first": span[0] if span else None,
                        "last": span[1] if span else None, "item": item,
                        "负责人": text(rec["负责人"]), "备注": text(rec["备注"])})
    return pd.DataFrame(out, columns=COLUMNS)
