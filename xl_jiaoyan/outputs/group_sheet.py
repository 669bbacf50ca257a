"""教研组统计: per 教研组, 听课 progress and 教研活动 held in each teaching week."""
from __future__ import annotations

from collections import Counter

from xl_jiaoyan.domain.calendar import SemesterCalendar
from xl_jiaoyan.contract import BEHIND_COUNT, GROUP_COLUMNS, OBSERVED, ON_TRACK_COUNT, OUT_GROUPS
from xl_jiaoyan.compute.quotas import BEHIND, MISSED, TEACHER, capped_progress_by, fell_short, weekly_activity_quota
from xl_jiaoyan.domain.roster import Roster
from xl_jiaoyan.outputs.spec import Chart, OutputSheet

HOLIDAY = "提示"       # grey
SHORT = "未达标"        # red


def group_sheet(detail, held: dict[tuple[str, int], int], roster: Roster, cal: SemesterCalendar, as_of,
                title: str, activities_recorded: bool = True) -> OutputSheet:
    """Per group: 听课 progress by the contract's capped definition with the head counts
    on track and behind (charted), then 教研活动 held per week (blank while nothing has
    been recorded in 教研活动记录 at all)."""
    weeks = cal.periods("周")
    header = list(GROUP_COLUMNS) + [f"第{p.index}周" for p in weeks]
    on_track, behind = GROUP_COLUMNS.index(ON_TRACK_COUNT), GROUP_COLUMNS.index(BEHIND_COUNT)
    sheet = OutputSheet(OUT_GROUPS, title, header, widths=[12, 8, 8, 10, 10] + [6.5] * len(weeks),
                        formats={GROUP_COLUMNS.index(OBSERVED): "0%"},
                        legend=[("未达标", SHORT), ("放假", HOLIDAY)],
                        charts=[Chart("各教研组听课：正常或已达标的人数与落后的人数", 0, [on_track, behind])])
    quota = weekly_activity_quota(detail)
    people = detail[(detail["kind"] == TEACHER) & (detail["label"] == "听课") & (detail["period"] == "学期")]
    progress = capped_progress_by(people, "team")
    counts = people.assign(late=people["status"].isin([BEHIND, MISSED])).groupby("team")["late"].agg(["size", "sum"])
    heads = {g: (int(n), int(late)) for g, n, late in zip(counts.index, counts["size"], counts["sum"])}
    members = Counter(roster.group[t] for t in roster.in_post())
    first_week = len(GROUP_COLUMNS)
    for i, group in enumerate(roster.groups()):
        if group in heads:
            n, late = heads[group]
            row = [group, members[group], progress[group], n - late, late]
        else:
            row = [group, members[group], None, None, None]
        for j, p in enumerate(weeks):
            col = first_week + j
            if not p.working:
                row.append("放假")
                sheet.styles[(i, col)] = HOLIDAY
                continue
            n = held.get((group, p.index), 0)
            row.append(n if p.first <= as_of and activities_recorded else None)
            if p.last < as_of and fell_short(held, quota, group, p.index):
                sheet.styles[(i, col)] = SHORT
        sheet.rows.append(row)
    return sheet
