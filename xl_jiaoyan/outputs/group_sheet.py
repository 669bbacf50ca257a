"""教研组统计: per 教研组, 听课 progress and 教研活动 held in each teaching week."""
from __future__ import annotations

from collections import Counter

from ..calendar import SemesterCalendar
from ..contract import GROUP_COLUMNS, OUT_GROUPS
from ..quotas import GROUP, TEACHER
from ..roster import Roster
from .spec import Chart, OutputSheet

HOLIDAY = "提示"       # grey
SHORT = "未达标"        # red


def group_sheet(detail, held: dict[tuple[str, int], int], roster: Roster, cal: SemesterCalendar, as_of,
                title: str) -> OutputSheet:
    weeks = cal.periods("周")
    header = list(GROUP_COLUMNS) + [f"第{p.index}周" for p in weeks]
    sheet = OutputSheet(OUT_GROUPS, title, header, widths=[12, 8, 8, 9, 8] + [6.5] * len(weeks),
                        formats={4: "0%"}, legend=[("未达标", SHORT), ("放假", HOLIDAY)],
                        charts=[Chart("各教研组听课进度（实际 ÷ 应完成）", 0, [4], y_format="0%")])
    quota = {r["group"]: r["quota"] for r in detail.to_dict("records")
             if r["kind"] == GROUP and r["item"] == "教研活动" and r["period"] == "周"}
    people = detail[(detail["kind"] == TEACHER) & (detail["item"] == "听课") & (detail["period"] == "学期")]
    sums = people.groupby("team")[["actual", "due"]].sum()
    members = Counter(roster.group[t] for t in roster.in_post())
    for i, group in enumerate(roster.groups()):
        actual, due = (int(x) for x in sums.loc[group]) if group in sums.index else (0, 0)
        row = [group, members[group], actual, due, (actual / due) if due else None]
        for j, p in enumerate(weeks):
            col = 5 + j
            if not p.working:
                row.append("放假")
                sheet.styles[(i, col)] = HOLIDAY
                continue
            n = held.get((group, p.index), 0)
            row.append(n if p.first <= as_of else None)
            if group in quota and p.last < as_of and n < quota[group]:
                sheet.styles[(i, col)] = SHORT
        sheet.rows.append(row)
    return sheet
