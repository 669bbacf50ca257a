"""The notice's lines on the office's other records: this week's 复查, the materials due this
week and those overdue, and the 课题 milestones of this week and the next (and overdue).

Each line is ready to print; people are in surname-stroke order, a long list shortened to
its first ``MAX_NAMES`` and 等N人; with 设置 通知点名 否, a count instead of names.
"""
from __future__ import annotations

from datetime import date

from xl_jiaoyan.compute.checks import rechecks_due
from xl_jiaoyan.compute.materials import PERSON
from xl_jiaoyan.contract.offices import OVERDUE, STAGES
from xl_jiaoyan.domain.cells import md
from xl_jiaoyan.domain.strokes import by_strokes

MAX_NAMES = 10


def named(names: list[str], name_people: bool = True) -> str:
    """张三、李四 / 张三、李四……等12人 / 共12人."""
    names = by_strokes(names)
    if not name_people:
        return f"共{len(names)}人"
    if len(names) > MAX_NAMES:
        return "、".join(names[:MAX_NAMES]) + f"等{len(names)}人"
    return "、".join(names)


def rechecks(result, first: date, last: date, name_people: bool) -> list[str]:
    """本周复查: the pending 复查 due (or planned) this week, then those already overdue."""
    graded, roster = result.checks, result.roster
    if graded is None or not len(graded):
        return []
    out = []
    due = rechecks_due(graded, first, last)
    for (item, when), rows in due.groupby(["item", "when"], sort=False):
        out.append(f"本周复查：{item}（{md(when)}前）{named([roster.label(t) for t in rows['tid']], name_people)}")
    late = graded[graded["overdue"].astype(bool)]
    late = late[~late.index.isin(due.index)]
    for item, rows in late.groupby("item", sort=False):
        dues = "、".join(dict.fromkeys(md(d) for d in sorted(rows["due"])))
        out.append(f"{item}复查已逾期（应在{dues}前）：{named([roster.label(t) for t in rows['tid']], name_people)}，"
                   "请尽快复查")
    return out


def _owner_name(d, roster) -> str:
    return roster.label(d.owner) if d.kind == PERSON else d.owner or "全校"


def materials(result, first: date, last: date, name_people: bool) -> tuple[list[str], list[str]]:
    """(本周截止, 已逾期): materials due this week and not handed in, by material and day;
    materials past their 截止 and not handed in, by material."""
    roster, as_of = result.roster, result.as_of
    this_week: dict[tuple[str, date], list[str]] = {}
    overdue: dict[str, list[str]] = {}
    for d in sorted(result.dues, key=lambda d: (d.due, d.req_row)):
        if d.handed is not None:
            continue
        if first <= d.due <= last:
            this_week.setdefault((d.material, d.due), []).append(_owner_name(d, roster))
        elif d.status(as_of) == OVERDUE:
            overdue.setdefault(d.material, []).append(_owner_name(d, roster))
    due = [f"本周截止：{m}（{md(day)}前交），还未交的有 {named(names, name_people)}"
           for (m, day), names in this_week.items()]
    late = [f"{m}已过截止时间还未交：{named(names, name_people)}" for m, names in overdue.items()]
    return due, late


def milestones(result, week: int) -> list[str]:
    """课题 stages planned this week and next week, then the stages overdue."""
    cal, as_of = result.cal, result.as_of
    this, nxt = cal.week_days(week), cal.week_days(week + 1) if week < cal.weeks else None
    out, late = [], []
    for p in result.projects:
        for stage in STAGES:
            s = p.stages.get(stage)
            if s is None or s.planned is None:
                continue
            done = "" if s.done is None else "，已完成" if s.done == s.planned else f"，已于{md(s.done)}完成"
            if this[0] <= s.planned <= this[-1]:
                out.append(f"本周课题节点：「{p.title}」{stage}（{md(s.planned)}{done}）")
            elif nxt and nxt[0] <= s.planned <= nxt[-1]:
                out.append(f"下周课题节点：「{p.title}」{stage}（{md(s.planned)}{done}），请课题组做好准备")
            elif s.done is None and s.planned < as_of:
                late.append(f"课题「{p.title}」{stage}已逾期（计划{md(s.planned)}），请课题组抓紧完成")
    return out + late
