"""材料要求 and 材料上交: what each owner must hand in by when, and what they handed in.

A 材料要求 row is a material, its owners (a role, 教研组 / 备课组 / 学校 as in 指标, group
names, or teachers' names) and its 截止: a date, 第N周 (that week's Friday), 期末 (the last
teaching week's Friday), 每月 (one per month of the term, due at its end) or 培训后N天
(one per 培训记录 row the owner attended, due N days after it).  Each (owner, 材料, 期次)
is one ``Due``.  A 材料上交 row of 已交 or 合格 fills the earliest open ``Due`` of its
submitter (theirs, else their 备课组's, 教研组's or the school's); 退回 fills nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from xl_jiaoyan.domain.frames import pd

from xl_jiaoyan.contract import EACH_GROUP, EACH_PREP, THE_SCHOOL
from xl_jiaoyan.contract.offices import DONE, MONTHLY_WORD, NOT_DUE, OVERDUE, RETURNED, TERM_END_WORD
from xl_jiaoyan.domain.cells import md, split_names, squash, text, to_date, to_int
from xl_jiaoyan.domain.findings import ERROR, HINT, WARNING, Findings, finding
from xl_jiaoyan.read.normalise import Context, normalise
from xl_jiaoyan.read.schema import closest
from xl_jiaoyan.read.table import Table

PERSON, GROUP, PREP, SCHOOL = "teacher", "group", "prep", "school"     # owner kinds, as in counting
_WEEK = re.compile(r"^第?(.+?)周$")
_AFTER = re.compile(r"^(?:各次|每次)?(外出|区外|校本|区级|县级|市级|省级|国家级)?培训(?:结束|回校)?后(.+?)(?:天|日)(?:内)?$")
OUTSIDE = "外出"        # 外出培训后7天: the trainings of 设置 需汇报课的培训
FRIDAY = 4


@dataclass
class Due:
    req_row: int            # the 材料要求 row
    material: str
    kind: str               # PERSON, GROUP, PREP or SCHOOL
    owner: object           # teacher id, 教研组 / 备课组 name, or "" for the school
    issue: str              # 期次: the month, the training, or "" for a single deadline
    opens: date             # the earliest day a hand-in counts for it
    due: date
    handed: date | None = None
    handed_row: int | None = None
    returned: date | None = None

    def status(self, as_of: date) -> str:
        return DONE if self.handed is not None else OVERDUE if as_of > self.due else NOT_DUE


def _deadlines(raw, ctx: Context, trainings: pd.DataFrame,
               outside: tuple[str, ...] = ()) -> list[tuple[str, date, date, tuple]] | None:
    """(期次, opens, due, attendees or None) for a 截止 cell; None when it cannot be read.
    培训后N天 may name the trainings' 类型 (校本培训后3天, 市级培训后7天) or 外出 (``outside``:
    the 类型 of 设置 需汇报课的培训)."""
    cal, s = ctx.cal, squash(text(raw))
    if s == TERM_END_WORD or not s:
        return [("", cal.start, cal.week_days(cal.weeks)[FRIDAY], None)]
    if s == MONTHLY_WORD:
        return [(p.label, p.first, p.last, None) for p in cal.periods("月")]
    if (m := _WEEK.match(s)) and (n := to_int(m.group(1))) is not None:
        return [("", cal.start, cal.week_days(n)[FRIDAY], None)] if 1 <= n <= cal.weeks else None
    if (m := _AFTER.match(s)) and (n := to_int(m.group(2))) is not None:
        held = trainings[~trainings["future"].astype(bool)] if len(trainings) else trainings
        if m.group(1) and len(held):
            kinds = outside if m.group(1) == OUTSIDE else ("区级", "县级") if m.group(1) in ("区级", "县级") else \
                ("区外",) if m.group(1) == "区外" else (m.group(1),)
            held = held[held["kind"].isin(kinds)]
        return [(f"{md(d)}{title or '培训'}", d, d + timedelta(days=n), tuple(people))
                for d, title, people in zip(held["date"], held["title"], held["attendees"])] if len(held) else []
    d = to_date(raw, cal.year_for)
    return [("", cal.start, d, None)] if d is not None else None


def _owners(raw, ctx: Context, sheet: str, row: int, label: str, found: Findings) -> list[tuple[str, object]]:
    roster, out = ctx.roster, []
    for token in split_names(raw):
        k = squash(token)
        if k in (THE_SCHOOL, "全校"):
            out.append((SCHOOL, ""))
        elif k in (EACH_GROUP, "各教研组"):
            out += [(GROUP, g) for g in roster.groups()]
        elif k in (EACH_PREP, "各备课组"):
            out += [(PREP, g) for g in roster.prep_groups()]
        elif (members := roster.members(token)) is not None:
            out += [(PERSON, t) for t in members]
        elif (res := roster.resolve(token)).tid is not None:
            out.append((PERSON, res.tid))
        else:
            found.append(roster.problem_finding(res, token, sheet, row, label, whole_row=False))
    return list(dict.fromkeys(out))


def requirements(table: Table | None, ctx: Context, trainings: pd.DataFrame,
                 outside: tuple[str, ...] = ()) -> tuple[list[Due], Findings]:
    """Every (owner, 材料, 期次) the 材料要求 rows ask for (``outside``: 设置 需汇报课的培训)."""
    found, dues = Findings(), []
    if table is None or table.empty:
        return dues, found
    sheet, label = table.name, table.label
    for r in table.frame.to_dict("records"):
        row, material = int(r["row"]), squash(text(r["material"]))
        if not material:
            found.append(finding(ERROR, "material.blank", sheet, row, label("material")))
            continue
        deadlines = _deadlines(r["due"], ctx, trainings, outside)
        if deadlines is None:
            found.append(finding(ERROR, "material.due", sheet, row, label("due"), material=material,
                                 value=text(r["due"]), weeks=ctx.cal.weeks))
            continue
        if not text(r["due"]):
            found.append(finding(HINT, "material.no_due", sheet, row, label("due"), material=material))
        owners = _owners(r["owners"], ctx, sheet, row, label("owners"), found)
        if not owners:
            found.append(finding(ERROR, "material.no_owner", sheet, row, label("owners"), material=material,
                                 value=text(r["owners"])))
            continue
        for kind, owner in owners:
            for issue, opens, due, attended in deadlines:
                if attended is None or _attended(kind, owner, attended, ctx):
                    dues.append(Due(row, material, kind, owner, issue, opens, due))
    return dues, found


def _attended(kind: str, owner, attended: tuple, ctx: Context) -> bool:
    roster = ctx.roster
    if kind == PERSON:
        return owner in attended
    if kind == SCHOOL:
        return bool(attended)
    names = roster.group if kind == GROUP else roster.prep_group
    return any(names[t] == owner for t in attended)


def hand_ins(dues: list[Due], table: Table | None, ctx: Context, req_sheet: str) -> Findings:
    """Fill ``dues`` from 材料上交 (in place), and the findings of its rows."""
    if table is None or table.empty:
        return Findings()
    f, found = normalise(table, ctx)
    sheet, label = table.name, table.label
    if not dues:
        found.append(finding(HINT, "material.no_requirements", sheet, int(f["row"].min()) if len(f) else 0, "",
                             requirements=req_sheet))
        return found
    by_key: dict[tuple, list[Due]] = {}
    for d in sorted(dues, key=lambda d: (d.due, d.opens)):
        by_key.setdefault((d.material, d.kind, d.owner), []).append(d)
    materials = list(dict.fromkeys(d.material for d in dues))
    roster = ctx.roster
    held = f[~f["future"].astype(bool)].sort_values(["date", "row"], kind="stable")
    for row, day, material, tid, result in zip(held["row"], held["date"], held["material"], held["by"],
                                               held["result"]):
        material = squash(text(material))
        if material not in materials:
            near = closest(material, materials)
            found.append(finding(WARNING, "material.unknown", sheet, row, label("material"), tid, day,
                                 value=material, requirements=req_sheet,
                                 suggest=f"是不是“{near}”？" if near else ""))
            continue
        owners = ((PERSON, tid), (PREP, roster.prep_group[tid]), (GROUP, roster.group[tid]), (SCHOOL, ""))
        open_ = [d for key in owners for d in by_key.get((material, *key), ()) if d.handed is None]
        if not open_:
            if not any((material, *key) in by_key for key in owners):
                found.append(finding(HINT, "material.not_owed", sheet, row, label("by"), tid, day,
                                     material=material, requirements=req_sheet))
            continue
        target = next((d for d in open_ if d.opens <= day), open_[0])
        if squash(text(result)) == RETURNED:
            target.returned = day
        else:
            target.handed, target.handed_row = day, int(row)
    return found


def overdue_findings(dues: list[Due], as_of: date, req_sheet: str, label: str) -> Findings:
    """One 警告 per owner and 材料要求 row with something past its 截止 and not handed in."""
    found, late = Findings(), {}
    for d in dues:
        if d.status(as_of) == OVERDUE:
            late.setdefault((d.req_row, d.material, d.kind, d.owner), []).append(d)
    for (row, material, _, owner), items in late.items():
        shown = "、".join(f"{d.issue}（{md(d.due)}）" if d.issue else md(d.due) for d in items)
        found.append(finding(WARNING, "material.overdue", req_sheet, row, label, owner, items[0].due,
                             material=material, dues=shown, n=len(items)))
    return found
