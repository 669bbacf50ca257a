"""The semester plan (工作进度): one item per row, week and dates filled down.

A 周次 may name a month (九月份): the rows under it, until the next 周次, are the month's
items.  A 日期 may name a month too, or a deadline (10月底前): a deadline item is reminded
every week from its plan week until it is due.  A row that reaches no notice is a 警告.
Where a run of weeks is dated consistently off its numbers, the dates are read (the 周历
finding says so); a lone mismatch keeps its number.
"""
from __future__ import annotations

import re
from datetime import timedelta

from xl_jiaoyan.domain.frames import pd

from xl_jiaoyan.domain.calendar import SemesterCalendar
from xl_jiaoyan.domain.cells import chinese_week, text, to_date_range, to_int, to_week_number
from xl_jiaoyan.contract import PLAN
from xl_jiaoyan.compute.plan_dates import deadline_of, month_of, month_weeks
from xl_jiaoyan.domain.findings import HINT, WARNING, Finding, finding
from xl_jiaoyan.read.table import Table

SHEET = PLAN
_NUM = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
# '1、' '2.' '（3）' '(4)、' at the start or after a space, newline, 。 or ；  A 、 may be
# followed by anything, 9月28日 included; a dot not by a digit (3.9 is a date).
_NUMBERED = re.compile(r"(?:^|(?<=[\s。；;]))\s*(?:[（(]" + _NUM + r"[)）][、.．]?|" + _NUM + r"(?:、|[.．](?!\d)))\s*")
COLUMNS = ["row", "week", "first", "last", "item", "owner", "note", "month", "due", "from_week"]
GAP = 3          # numbering may skip this many (1、3、): still items, with a 提示


def split_items(cell: str) -> list[str]:
    """'1、开学检查 2、制定计划' -> ['开学检查', '制定计划']; unnumbered text stays whole."""
    return numbered_items(cell)[0]


def numbered_items(cell: str) -> tuple[list[str], list[str]]:
    """The items, and the numbers skipped (1、3、 skips 2)."""
    s = cell.strip()
    marks = _in_sequence(list(_NUMBERED.finditer(s)))
    numbers = [to_int(m.group(1) or m.group(2)) for m in marks]
    skipped = [str(n) for a, b in zip(numbers, numbers[1:]) for n in range(a + 1, b)]
    if len(marks) < 1 or marks[0].start() != 0 and s[:marks[0].start()].strip():
        return [line.strip() for line in s.splitlines() if line.strip()] or [s], []
    items = []
    for m, nxt in zip(marks, marks[1:] + [None]):
        piece = s[m.end(): nxt.start() if nxt else len(s)].strip()
        if piece:
            items.append(piece.rstrip("；;"))
    return items, skipped


def _in_sequence(marks: list[re.Match]) -> list[re.Match]:
    """Only the marks that count on from the first (1、 2、 3、): a 3、 inside item 1 is text."""
    kept: list[re.Match] = []
    for m in marks:
        n = to_int(m.group(1) or m.group(2))
        if not kept or 0 < n - to_int(kept[-1].group(1) or kept[-1].group(2)) <= GAP:
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
        month = month_of(week_raw, cal) if week_raw is not None else None
        week = to_week_number(week_raw) if week_raw is not None and month is None else None
        due = deadline_of(week_raw, cal) if week_raw is not None and month is None and week is None else None
        if week_raw is not None and month is None and week is None and due is None:
            findings.append(finding(WARNING, "plan.week_unreadable", sheet, row, label("week"), value=text(week_raw)))
        span = None
        if date_raw is not None and (written := month_of(date_raw, cal) or deadline_of(date_raw, cal)):
            month, due = (written, due) if isinstance(written, tuple) else (month, written)
        elif date_raw is not None:
            span = to_date_range(date_raw, cal.year_for)
            if span is None and (new_week or text(rec["dates"])):
                incomplete = re.search(r"[xX×?？*＊]", text(date_raw))
                findings.append(finding(WARNING, "plan.date_incomplete" if incomplete else "plan.date_unreadable",
                                        sheet, row, label("dates"), value=text(date_raw)))
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
        items, skipped = numbered_items(content)
        if skipped:
            findings.append(finding(HINT, "plan.numbering_gap", sheet, row, label("content"), missing="、".join(skipped),
                                    n=len(items)))
        if week is None and month is None and due is None and week_raw is None:     # (unreadable: said)
            findings.append(finding(WARNING, "plan.undated", sheet, row, label("week")))
        month_index = month[0] * 12 + month[1] if month else None
        weeks_of = month_weeks(cal, *month) if month else []
        if month and not weeks_of and due is None and week is None:
            findings.append(finding(WARNING, "plan.month_outside", sheet, row, label("week"), month=month[1],
                                    start=cal.start, end=cal.end))
        start = week or (weeks_of[0] if weeks_of else 1)
        for item in items:
            out.append({"row": row, "week": week if due is None else None, "first": span[0] if span else None,
                        "last": span[1] if span else None, "item": item,
                        "owner": text(rec["owner"]), "note": text(rec["note"]), "month": month_index,
                        "due": due, "from_week": start if due is not None else None})
    shifted, checks = week_checks(weeks, cal, sheet, label("dates"))
    findings += checks
    plan = pd.DataFrame(out, columns=COLUMNS)
    if shifted and len(plan):       # one reading: the run's items go to the weeks their dates are in
        plan["week"] = [shifted.get(w, w) if w == w and w is not None else w for w in plan["week"]]
    return plan, findings


def week_checks(weeks: list[tuple[int, int, tuple]], cal: SemesterCalendar, sheet: str = SHEET,
                column: str = "") -> tuple[dict[int, int], list[Finding]]:
    """Week labels against their dates: a shifted run is one finding (and its weeks are
    read by their dates: ``shifted`` maps each number to the week it is placed in), a lone
    mismatch one each (read by its number), and two weeks whose dates overlap."""
    out: list[Finding] = []
    shifted: dict[int, int] = {}
    offsets = [(row, w, span, cal.week_of(span[0]) - w) for row, w, span in weeks]
    i = 0
    while i < len(offsets):
        j = i
        while j + 1 < len(offsets) and offsets[j + 1][3] == offsets[i][3]:
            j += 1
        row, w, span, off = offsets[i]
        if off and j > i:
            rows = "、".join(str(o[0]) for o in offsets[i:j + 1])
            shifted.update({o[1]: o[1] + o[3] for o in offsets[i:j + 1] if 1 <= o[1] + o[3] <= cal.weeks})
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
    return shifted, out


def _week_span(cal: SemesterCalendar, w: int) -> tuple:
    first = cal.week1 + timedelta(days=7 * (w - 1))
    return first, first + timedelta(days=4)


def _span(span: tuple) -> str:
    a, b = span
    return f"{a.month}月{a.day}日" + ("" if a == b else f"至{b.month}月{b.day}日")
