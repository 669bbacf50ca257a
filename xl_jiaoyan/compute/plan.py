"""The semester plan (工作进度): one item per row, week and dates filled down."""
from __future__ import annotations

import re
from datetime import timedelta

import pandas as pd

from xl_jiaoyan.domain.calendar import SemesterCalendar
from xl_jiaoyan.domain.cells import chinese_week, text, to_date_range, to_int, to_week_number
from xl_jiaoyan.contract import PLAN
from xl_jiaoyan.domain.findings import WARNING, Finding, finding
from xl_jiaoyan.read.table import Table

SHEET = PLAN
_NUM = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
# '1、' '2.' '（3）' '(4)、' at the start or after a space, newline, 。 or ；  A 、 may be
# followed by anything, 9月28日 included; a dot not by a digit (3.9 is a date).
_NUMBERED = re.compile(r"(?:^|(?<=[\s。；;]))\s*(?:[（(]" + _NUM + r"[)）][、.．]?|" + _NUM + r"(?:、|[.．](?!\d)))\s*")
COLUMNS = ["row", "week", "first", "last", "item", "owner", "note"]


def split_items(cell: str) -> list[str]:
    """'1、开学检查 2、制定计划' -> ['开学检查', '制定计划']; unnumbered text stays whole."""
    s = cell.strip()
    marks = _in_sequence(list(_NUMBERED.finditer(s)))
    if len(marks) < 1 or marks[0].start() != 0 and s[:marks[0].start()].strip():
        return [line.strip() for line in s.splitlines() if line.strip()] or [s]
    items = []
    for m, nxt in zip(marks, marks[1:] + [None]):
        piece = s[m.end(): nxt.start() if nxt else len(s)].strip()
        if piece:
            items.append(piece.rstrip("；;"))
    return items


def _in_sequence(marks: list[re.Match]) -> list[re.Match]:
    """Only the marks that count on from the first (1、 2、 3、): a 3、 inside item 1 is text."""
    kept: list[re.Match] = []
    for m in marks:
        n = to_int(m.group(1) or m.group(2))
        if not kept or n == to_int(kept[-1].group(1) or kept[-1].group(2)) + 1:
            kept.append(m)
    return kept


def plan_items(table: Table | None, cal: SemesterCalendar) -> tuple[pd.DataFrame, list[Finding]]:
    findings: list[Finding] = []
    if table is None or table.empty:
        return pd.DataFrame(columns=COLUMNS), findings
    out = []
    sheet, label = table.name, table.label
    weeks: list[tuple[int, int, tuple]] = []   # (row, week, typed span) of each week label
    week_raw, date_raw = None, None
    for rec in table.frame.to_dict("records"):
        row = int(rec["row"])
        # a row repeating the 周次 and 日期 above (a merged cell, filled in) continues that week
        new_week = bool(text(rec["week"])) and (rec["week"], rec["dates"]) != (week_raw, date_raw)
        if new_week:
            week_raw = rec["week"]
            date_raw = rec["dates"] if text(rec["dates"]) else None
        elif text(rec["dates"]):
            date_raw = rec["dates"]
        week = to_week_number(week_raw) if week_raw is not None else None
        if week_raw is not None and week is None:
            findings.append(finding(WARNING, "plan.week_unreadable", sheet, row, label("week"), value=text(week_raw)))
        span = to_date_range(date_raw, cal.year_for) if date_raw is not None else None
        if date_raw is not None and span is None and (new_week or text(rec["dates"])):
            incomplete = re.search(r"[xX×?？*＊]", text(date_raw))
            findings.append(finding(WARNING, "plan.date_incomplete" if incomplete else "plan.date_unreadable", sheet,
                                    row, label("dates"), value=text(date_raw)))
        if new_week and span is not None and week:
            weeks.append((row, week, span))
        if span is not None and span[0] == span[1] and not cal.is_working(span[0]) and text(rec["dates"]):
            findings.append(finding(WARNING, "plan.rest_day", sheet, row, label("dates"), (), span[0],
                                    rest=cal.rest_day(span[0])))
        if span is None and week:
            first = cal.week1 + timedelta(days=7 * (week - 1))
            span = (first, first + timedelta(days=6))
        if week is None and span is not None and cal.contains(span[0]):
            week = cal.week_of(span[0])
        content = text(rec["content"])
        if not content:
            continue
        for item in split_items(content):
            out.append({"row": row, "week": week, "first": span[0] if span else None,
                        "last": span[1] if span else None, "item": item,
                        "owner": text(rec["owner"]), "note": text(rec["note"])})
    findings += week_checks(weeks, cal, sheet, label("dates"))
    return pd.DataFrame(out, columns=COLUMNS), findings


def week_checks(weeks: list[tuple[int, int, tuple]], cal: SemesterCalendar, sheet: str = SHEET,
                column: str = "") -> list[Finding]:
    """Week labels against their dates: a shifted run is one finding, a lone mismatch one
    each, and two weeks whose dates overlap."""
    out: list[Finding] = []
    offsets = [(row, w, span, cal.week_of(span[0]) - w) for row, w, span in weeks]
    i = 0
    while i < len(offsets):
        j = i
        while j + 1 < len(offsets) and offsets[j + 1][3] == offsets[i][3]:
            j += 1
        row, w, span, off = offsets[i]
        if off and j > i:
            rows = "、".join(str(o[0]) for o in offsets[i:j + 1])
            out.append(finding(WARNING, "plan.shifted", sheet, row, column, (), span[0], week=chinese_week(w),
                               n=j - i + 1, rows=rows, direction="晚" if off > 0 else "早", by=abs(off),
                               span=_span(span), belongs=chinese_week(w + off)))
        elif off:
            out.append(finding(WARNING, "plan.wrong_week", sheet, row, column, (), span[0], week=chinese_week(w),
                               span=_span(span), belongs=chinese_week(w + off),
                               expected=_span(_week_span(cal, w))))
        i = j + 1
    by_date = sorted(weeks, key=lambda x: x[2][0])
    for (r1, w1, s1), (r2, w2, s2) in zip(by_date, by_date[1:]):
        if w1 != w2 and s2[0] <= s1[1]:
            later = max((r1, w1, s1), (r2, w2, s2))
            other = min((r1, w1, s1), (r2, w2, s2))
            out.append(finding(WARNING, "plan.overlap", sheet, later[0], column, (), later[2][0],
                               week=chinese_week(later[1]), span=_span(later[2]), other=chinese_week(other[1]),
                               other_row=other[0], other_span=_span(other[2])))
    return out


def _week_span(cal: SemesterCalendar, w: int) -> tuple:
    first = cal.week1 + timedelta(days=7 * (w - 1))
    return first, first + timedelta(days=4)


def _span(span: tuple) -> str:
    a, b = span
    return f"{a.month}月{a.day}日" + ("" if a == b else f"至{b.month}月{b.day}日")
