"""检查汇总, 材料明细, 课题进度 and 成果统计: each written only when its input sheet has rows."""
from __future__ import annotations

from datetime import date

from xl_jiaoyan.domain.frames import pd

from xl_jiaoyan.compute.materials import GROUP, PERSON, PREP, Due
from xl_jiaoyan.compute.projects import Project
from xl_jiaoyan.contract import (ACHIEVEMENT_LEVELS, ACHIEVEMENT_TYPES, BELOW_PASS, BY_GROUP, BY_KIND, CHECK_LEAD_COLUMNS, COMPLETED,
                                 COUNT_TOTAL, MATERIAL_COLUMNS, NO_LEVEL, OUT_ACHIEVEMENTS, OUT_CHECKS,
                                 OUT_MATERIALS, OUT_PROJECTS, PLANNED, PROJECT_LEAD_COLUMNS, PROJECT_TAIL_COLUMNS,
                                 RECHECK_PENDING, WHOLE_SCHOOL)
from xl_jiaoyan.contract.offices import CONCLUDED, DONE, LATE, NOT_DUE, ON_TIME, OVERDUE, STAGES
from xl_jiaoyan.domain.cells import md, squash
from xl_jiaoyan.domain.roster import Roster
from xl_jiaoyan.domain.strokes import by_strokes
from xl_jiaoyan.outputs.spec import DATE_FORMAT, Chart, OutputSheet

NO_GROUP = "未分组"
STATUS_STYLE = {DONE: "已达标", NOT_DUE: "正常", OVERDUE: "未达标", CONCLUDED: "已达标", ON_TIME: "正常", LATE: "未达标"}
LEVEL_COLUMN = {"县级": "区级"}


def checks_sheet(graded: pd.DataFrame, grades: tuple[str, ...], roster: Roster, title: str) -> OutputSheet:
    """Per 检查项目 and 教研组 (then 全校): checks held, teachers checked, each 等第's count,
    the names below 合格 and the 复查 still to do (逾期 said)."""
    header = [*CHECK_LEAD_COLUMNS, *grades, BELOW_PASS, RECHECK_PENDING]
    sheet = OutputSheet(OUT_CHECKS, title, header, widths=[12, 12, 8, 8] + [7] * len(grades) + [30, 30],
                        wrap={len(header) - 2, len(header) - 1}, legend=[("合格以下", "未达标"), ("待复查", "落后")])
    if not len(graded):
        return sheet
    g = graded.assign(team=[roster.group[t] or NO_GROUP for t in graded["tid"]])
    order = [*roster.groups(), NO_GROUP]
    for item, rows in g.groupby("item", sort=False):
        parts = [(team, rows[rows["team"] == team]) for team in order if (rows["team"] == team).any()]
        for team, part in parts + [(WHOLE_SCHOOL, rows)]:
            below = by_strokes(dict.fromkeys(roster.label(t) for t in part[part["below"].astype(bool)]["tid"]))
            pending = part[part["pending"].astype(bool)]
            late = {roster.label(t) for t in pending[pending["overdue"].astype(bool)]["tid"]}
            waiting = [n + ("（逾期）" if n in late else "") for n in by_strokes(dict.fromkeys(
                roster.label(t) for t in pending["tid"]))]
            counts = part["grade"].value_counts()
            i = len(sheet.rows)
            sheet.rows.append([item, team, part["date"].nunique(), len(part), *(int(counts.get(x, 0)) for x in grades),
                               "、".join(below), "、".join(waiting)])
            if below:
                sheet.styles[(i, len(header) - 2)] = "未达标"
            if waiting:
                sheet.styles[(i, len(header) - 1)] = "落后"
    return sheet


def _owner(d: Due, roster: Roster, school: str) -> list:
    if d.kind == PERSON:
        return [roster.ids[d.owner], roster.names[d.owner], roster.group[d.owner]]
    if d.kind == GROUP:
        return ["", d.owner, d.owner]
    if d.kind == PREP:
        return ["", d.owner, roster.prep_home.get(d.owner, "")]
    return ["", school, ""]


def materials_sheet(dues: list[Due], roster: Roster, school: str, as_of: date, title: str) -> OutputSheet:
    """One row per (owner, 材料, 期次), in the order of 材料要求 and then of the roster."""
    header = list(MATERIAL_COLUMNS)
    status_col = header.index("状态")
    sheet = OutputSheet(OUT_MATERIALS, title, header, widths=[8, 12, 12, 16, 18, 12, 8, 12, 30], wrap={8},
                        formats={5: DATE_FORMAT, 7: DATE_FORMAT},
                        legend=[(DONE, "已达标"), (NOT_DUE, "正常"), (OVERDUE, "未达标")])
    rank = {PERSON: 0, PREP: 1, GROUP: 2}
    for i, d in enumerate(sorted(dues, key=lambda d: (d.req_row, rank.get(d.kind, 3), _order(d), d.due))):
        status = d.status(as_of)
        note = []
        if d.handed is not None and d.handed > d.due:
            note.append(f"{md(d.handed)}补交（晚{(d.handed - d.due).days}天）")
        if d.returned is not None and d.handed is None:
            note.append(f"{md(d.returned)}退回，待重交")
        sheet.rows.append([*_owner(d, roster, school), d.material, d.issue, d.due, status, d.handed, "；".join(note)])
        sheet.styles[(i, status_col)] = STATUS_STYLE[status]
    return sheet


def _order(d: Due):
    return d.owner if isinstance(d.owner, int) else 0


def projects_sheet(projects: list[Project], roster: Roster, as_of: date, title: str) -> OutputSheet:
    stages = [f"{s}{w}" for s in STAGES for w in (PLANNED, COMPLETED)]
    header = [*PROJECT_LEAD_COLUMNS, *stages, *PROJECT_TAIL_COLUMNS]
    first_stage = len(PROJECT_LEAD_COLUMNS)
    status_col = header.index(PROJECT_TAIL_COLUMNS[1])
    sheet = OutputSheet(OUT_PROJECTS, title, header, widths=[28, 7, 9, 20] + [10.5] * len(stages) + [8, 8, 24],
                        wrap={0, 3, len(header) - 1}, paper=8,
                        formats={first_stage + k: DATE_FORMAT for k in range(len(stages))},
                        legend=[(CONCLUDED, "已达标"), (ON_TIME, "正常"), (LATE, "未达标")])
    for i, p in enumerate(projects):
        cells = []
        for s in STAGES:
            st = p.stages.get(s)
            cells += [st.planned, st.done] if st is not None else [None, None]
        status = p.status(as_of)
        sheet.rows.append([p.title, p.level, roster.name(p.host) if p.host is not None else "",
                           "、".join(roster.name(t) for t in p.members), *cells, p.current() or "未开始", status,
                           p.note(as_of)])
        sheet.styles[(i, status_col)] = STATUS_STYLE[status]
        for s in p.late(as_of):
            sheet.styles[(i, first_stage + 2 * STAGES.index(s))] = "未达标"
    return sheet


def achievements_sheet(achievements: pd.DataFrame, projects: list[Project], roster: Roster,
                       title: str) -> OutputSheet:
    """Counts per 类型 × 级别 (a 课题 once, whether in 成果登记 or 课题), charted; below, per
    教研组 × 类型.  Records after the as-of date are not counted yet."""
    a = achievements[~achievements["future"].astype(bool)] if len(achievements) else achievements
    items = [(k, lv, squash(str(n)) if k == ACHIEVEMENT_TYPES[1] else None, roster.group[t])
             for k, lv, n, t in zip(a["kind"], a["level"], a["title"], a["teacher"])] if len(a) else []
    for p in projects:           # a 课题 of the 课题 sheet: its own level, the 主持人's group
        team = roster.group[p.host] if p.host is not None else (roster.group[p.members[0]] if p.members else "")
        items = [x for x in items if x[2] != p.title]
        items.append((ACHIEVEMENT_TYPES[1], p.level, p.title, team))
    records = [(k, LEVEL_COLUMN.get(lv, lv) or NO_LEVEL, key, team or NO_GROUP) for k, lv, key, team in items]
    kinds = list(dict.fromkeys([k for k in ACHIEVEMENT_TYPES if any(r[0] == k for r in records)] +
                               [r[0] for r in records]))
    levels = [*ACHIEVEMENT_LEVELS, NO_LEVEL]
    teams = [g for g in [*roster.groups(), NO_GROUP] if any(r[3] == g for r in records)]
    by_level = _count(records, lambda r: (r[0], r[1]), lambda r: r[2])          # a 课题 once
    by_team = _count(records, lambda r: (r[3], r[0]), lambda r: (r[2], r[3]))   # once per group
    header = [BY_KIND, *levels, COUNT_TOTAL]
    width = max(len(header), len(kinds) + 2)
    sheet = OutputSheet(OUT_ACHIEVEMENTS, title, header, widths=[12] + [8] * (width - 1), autofilter=False,
                        charts=[Chart("各类成果的数量", 0, [len(header) - 1], rows=len(kinds))])
    for kind in kinds:
        counts = [by_level.get((kind, lv), 0) for lv in levels]
        sheet.rows.append([kind, *counts, sum(counts)])
    sheet.rows.append([COUNT_TOTAL, *(sum(r[j] for r in sheet.rows) for j in range(1, len(header)))])
    sheet.rows.append([None])
    below = len(sheet.rows)
    sheet.rows.append([BY_GROUP, *kinds, COUNT_TOTAL])
    for j in range(len(kinds) + 2):
        sheet.styles[(below, j)] = "header"
    for team in teams:
        counts = [by_team.get((team, k), 0) for k in kinds]
        sheet.rows.append([team, *counts, sum(counts)])
    return sheet


def _count(records, cell, once) -> dict:
    """Records per ``cell``; a 课题 (a record with a key) only once per ``once``."""
    out, seen = {}, set()
    for r in records:
        if r[2] is not None:
            if once(r) in seen:
                continue
            seen.add(once(r))
        out[cell(r)] = out.get(cell(r), 0) + 1
    return out
