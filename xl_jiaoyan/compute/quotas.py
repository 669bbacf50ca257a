"""Quota status (指标明细): who owes what, what they did, and how they stand.

Pure functions of tables, the calendar and the as-of date.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from xl_jiaoyan import contract
from xl_jiaoyan.domain.calendar import SemesterCalendar
from xl_jiaoyan.domain.cells import squash, text, to_int, to_number
from xl_jiaoyan.contract import EACH_GROUP, ITEM_SHEET, MENTOR, PERIODS, QUOTA_ITEMS, QUOTAS, SHARE_ITEM, SHEET as SHEETS, THE_SCHOOL
from xl_jiaoyan.domain.findings import ERROR, HINT, WARNING, Finding, finding
from xl_jiaoyan.domain.frames import text_as_objects, typed_frame
from xl_jiaoyan.read.table import Table
from xl_jiaoyan.domain.roster import Roster

SHEET = QUOTAS
LABEL = SHEETS[QUOTAS].label
MET, ON_PACE, BEHIND, MISSED = "已达标", "正常", "落后", "未达标"
DETAIL_KEYS = list(contract.DETAIL_KEYS)     # the detail table; contract.DETAIL_COLUMNS name them
# Who a quota or a counted record belongs to: typed columns, not an encoded string.
TEACHER, GROUP, SCHOOL = "teacher", "group", "school"
WHO = ["kind", "tid", "group"]          # kind; teacher id (-1 unless a teacher); 教研组 ("" for the school)


@dataclass(frozen=True)
class Rule:
    target: str   # a role, 教研组 or 学校
    item: str
    period: str
    minimum: int
    row: int


def percent(v) -> int | None:
    """'10%', '１０％', 10 or a percent-formatted 0.1 -> 10."""
    s = squash(text(v)).replace("％", "%")
    if isinstance(v, float) and 0 < v < 1:
        return round(v * 100)
    n = to_number(s.rstrip("%"))
    return None if n is None or n < 0 else round(n)


def read_rules(table: Table | None, roster: Roster) -> tuple[list[Rule], list[Finding]]:
    findings: list[Finding] = []
    if table is None or table.empty:
        findings.append(finding(WARNING, "quota.no_sheet", SHEET if table is None else table.name))
        return [], findings
    known_roles = set().union(*roster.roles_of) if len(roster) else set()
    known_roles |= {MENTOR} if roster.mentor else set()
    rules = []
    sheet = table.name
    for rec in table.frame.to_dict("records"):
        row = int(rec["row"])
        target, item, period = (squash(text(rec[c])) for c in ("target", "item", "period"))
        minimum = percent(rec["minimum"]) if item == SHARE_ITEM else to_int(rec["minimum"])
        problem = None                  # 项目 and 周期 were checked against the contract's lists
        if not item or not period:
            problem = finding(ERROR, "quota.blank", sheet, row, LABEL("item") if not item else LABEL("period"))
        elif item == SHARE_ITEM and (target != THE_SCHOOL or period != PERIODS[0] or minimum is None):
            problem = finding(ERROR, "quota.share_form", sheet, row, LABEL("item"), item=SHARE_ITEM,
                              school=THE_SCHOOL, term=PERIODS[0])
        elif minimum is None or minimum < 0:
            problem = finding(ERROR, "quota.minimum", sheet, row, LABEL("minimum"), value=text(rec["minimum"]))
        elif not target:
            problem = finding(ERROR, "quota.no_target", sheet, row, LABEL("target"))
        if problem:
            findings.append(problem)
            continue
        if target not in (EACH_GROUP, THE_SCHOOL) and target not in known_roles:
            findings.append(finding(WARNING, "quota.no_holder", sheet, row, LABEL("target"), target=target))
        rules.append(Rule(target, item, period, minimum, row))
    return rules, findings + _never_apply(rules, roster, sheet)


def _never_apply(rules: list[Rule], roster: Roster, sheet: str) -> list[Finding]:
    """A role's quota that a larger quota of another role its holders all have always
    overrides (教研组长 听课 10 when every 教研组长 is also 教师 with 15): a 提示, so staff
    know why their number is not the one used."""
    out = []
    people = [r for r in rules if r.target not in (EACH_GROUP, THE_SCHOOL)]
    for r in people:
        holders = [t for t in roster.in_post() if r.target in roster.roles(t)]
        if not holders:
            continue
        over = []
        for t in holders:
            larger = [q for q in people if q is not r and (q.item, q.period) == (r.item, r.period)
                      and q.minimum > r.minimum and q.target in roster.roles(t)]
            if not larger:
                break
            over.append(max(larger, key=lambda q: q.minimum))
        else:
            top = max(over, key=lambda q: q.minimum)
            out.append(finding(HINT, "quota.overridden", sheet, r.row, LABEL("minimum"), target=r.target,
                               item=r.item, period=r.period, minimum=r.minimum, top=top.target,
                               top_minimum=top.minimum))
    return out


def without_records(rules: list[Rule], unrecorded: set[str]) -> tuple[list[Rule], dict[str, list[Rule]]]:
    """The rules whose records can be counted, and per missing or empty record sheet the
    rules left out because of it (see the contract: not recorded yet is not zero done)."""
    kept, skipped = [], {}
    for r in rules:
        sheet = ITEM_SHEET[r.item]
        if sheet in unrecorded:
            skipped.setdefault(sheet, []).append(r)
        else:
            kept.append(r)
    return kept, skipped


def describe_rule(r: Rule) -> str:
    """教研活动（教研组，每周 1 次） — how a 指标 row reads in a message."""
    every = "本学期" if r.period == PERIODS[0] else f"每{r.period}"
    amount = f"{r.minimum}%的教师参赛" if r.item == SHARE_ITEM else f"{r.minimum} 次"
    return f"{r.item}（{r.target}，{every} {amount}）"


def counted_events(roster: Roster, obs, events, activities, trainings, achievements) -> pd.DataFrame:
    """One row per countable record: kind, tid, group (see WHO), item, date."""
    parts: list[pd.DataFrame] = []

    def add(kind, tids, groups, items, dates):
        n = len(dates)
        tids = np.full(n, tids, dtype=np.int64) if np.isscalar(tids) else np.asarray(tids, dtype=np.int64)
        parts.append(typed_frame({"kind": kind, "tid": tids, "group": groups, "item": items, "date": dates}, n))

    def teacher(tids, items, dates):
        tids = np.asarray(tids, dtype=np.int64)
        add(TEACHER, tids, "", items, dates)

    def each(days, kinds, people_lists):
        """Records with several people each (执教, 参加人员): one count per person."""
        rows = [(t, kind, d) for d, kind, people in zip(days, kinds, people_lists) for t in people]
        if rows:
            teacher(*map(list, zip(*rows)))
    o = obs[~obs["future"].astype(bool)]
    teacher(o["observer"], "听课", o["date"].to_numpy())
    mentor = pd.Series(roster.mentor, dtype="float64")
    pair = ((o["observer"].map(mentor) == o["teacher"]) | (o["teacher"].map(mentor) == o["observer"])).to_numpy()
    teacher(o["observer"][pair], "师徒互听", o["date"][pair].to_numpy())

    e = events[~events["future"].astype(bool)]
    each(e["date"], e["kind"], e["teachers"])

    a = achievements[~achievements["future"].astype(bool)]
    teacher(a["teacher"], a["kind"].to_numpy(), a["date"].to_numpy())

    act = activities[~activities["future"].astype(bool)]
    add(GROUP, -1, act["group"].astype(str).to_numpy(), "教研活动", act["date"].to_numpy())
    each(act["date"], ["教研活动"] * len(act), act["attendees"])

    entrants = a[a["kind"] == "竞赛"].sort_values("date").drop_duplicates("teacher")
    entrants = entrants[entrants["teacher"].map(lambda t: roster.posted[t]).astype(bool)]
    add(SCHOOL, -1, "", SHARE_ITEM, entrants["date"].to_numpy())   # one per teacher who entered

    tr = trainings[~trainings["future"].astype(bool) & trainings["at_school"].astype(bool)]
    add(SCHOOL, -1, "", "校本培训", tr["date"].to_numpy())
    each(tr["date"], ["校本培训"] * len(tr), tr["attendees"])
    return pd.concat(parts, ignore_index=True)


def owed(roster: Roster, rules: list[Rule], school: str) -> pd.DataFrame:
    """One row per (who, 项目, 周期) with its quota: the largest over applicable rules."""
    best: dict[tuple, int] = {}
    person_rules = [r for r in rules if r.target not in (EACH_GROUP, THE_SCHOOL)]
    for tid in roster.in_post():
        roles = roster.roles(tid)
        for r in person_rules:
            if r.target in roles:
                k = (TEACHER, tid, "", r.item, r.period)
                best[k] = max(best.get(k, 0), r.minimum)
    for r in rules:
        if r.target == EACH_GROUP:
            for g in roster.groups():
                k = (GROUP, -1, g, r.item, r.period)
                best[k] = max(best.get(k, 0), r.minimum)
        elif r.target == THE_SCHOOL:
            k = (SCHOOL, -1, "", r.item, r.period)
            minimum = r.minimum
            if r.item == SHARE_ITEM:      # a share of the teachers in post -> a head count
                minimum = math.ceil(r.minimum * len(roster.in_post()) / 100)
            best[k] = max(best.get(k, 0), minimum)
    order = {item: i for i, item in enumerate(QUOTA_ITEMS)}
    group_pos = {g: i for i, g in enumerate(roster.groups())}
    rows = []
    for (kind, tid, group, item, period), minimum in best.items():
        if minimum <= 0:
            continue
        if kind == TEACHER:
            who, pos = (roster.ids[tid], roster.names[tid], roster.group[tid]), tid
        elif kind == GROUP:
            who, pos = ("", group, group), group_pos[group]
        else:
            who, pos = ("", school, ""), 0
        rows.append((kind, tid, group, *who, item, period, minimum, pos, (order.get(item, 99), PERIODS.index(period))))
    names = [*WHO, *DETAIL_KEYS[:6], "_pos", "_order"]
    columns = dict(zip(names, map(list, zip(*rows)))) if rows else {k: [] for k in names}
    for k in ("tid", "quota", "_pos"):
        columns[k] = np.array(columns[k], dtype=np.int64)
    return typed_frame(columns, len(rows))


def capped_progress(rows: pd.DataFrame) -> float | None:
    """Σ min(实际, 应完成) ÷ Σ 应完成 over teacher rows: one keen teacher's surplus hides
    nobody's shortfall (教研组统计, the district's 听课进度); None before anything is due."""
    return capped_progress_by(rows.assign(_all=0), "_all").get(0)


def capped_progress_by(rows: pd.DataFrame, by: str) -> dict:
    """``capped_progress`` of the rows of each value of column ``by``, in one pass."""
    sums = rows.assign(_capped=rows["actual"].clip(upper=rows["due"]))[[by, "due", "_capped"]] \
        .groupby(by, sort=False).sum()
    return {k: float(c / d) if d else None for k, d, c in zip(sums.index, sums["due"], sums["_capped"])}


def quota_status(need: pd.DataFrame, counted: pd.DataFrame, cal: SemesterCalendar,
                 as_of) -> pd.DataFrame:
    """Fill 实际/应完成/差额/状态/说明 for every owed row (see the workbook contract)."""
    over = cal.is_over(as_of)
    week = cal.current_week(as_of)
    out = []
    for period, rows in need.groupby("period", sort=False):
        keys = list(zip(rows["kind"], rows["tid"], rows["group"], rows["item"]))
        counted_here = counted[counted["item"].isin(set(rows["item"]))]
        if period == "学期":
            n = counted_here.groupby([*WHO, "item"]).size().to_dict()
            actual = [int(n.get(k, 0)) for k in keys]
            r = rows.assign(actual=actual)
            r["due"] = (r["quota"] * week // cal.weeks).astype(int)
            r["status"] = [MET if a >= q else MISSED if over else ON_PACE if a >= d else BEHIND
                           for a, q, d in zip(r["actual"], r["quota"], r["due"])]
            r["note"] = [(f"还需 {q - a} 人参赛" if item == SHARE_ITEM else f"本学期还需 {q - a} 次")
                         if a < q else "" for a, q, item in zip(r["actual"], r["quota"], r["item"])]
        else:
            periods = [p for p in cal.periods(period) if p.working and p.last < as_of]
            idx = {p.index: p for p in periods}
            day_index = {d: cal.period_index(period, d) for d in pd.unique(counted_here["date"])}
            c = counted_here.assign(p=counted_here["date"].map(day_index))
            per_dict = c[c["p"].isin(idx)].groupby([*WHO, "item", "p"]).size().to_dict()
            actual, short_lists = [], []
            for k, q in zip(keys, rows["quota"]):
                short = [p.label for p in periods if per_dict.get((*k, p.index), 0) < q]
                actual.append(len(periods) - len(short))
                short_lists.append(short)
            r = rows.assign(actual=actual, due=len(periods))
            r["status"] = [(MET if not sh else MISSED) if over else (ON_PACE if not sh else BEHIND)
                           for sh in short_lists]
            r["note"] = ["未达标：" + "、".join(sh) if sh else "" for sh in short_lists]
        out.append(r)
    if not out:
        return pd.DataFrame(columns=[*DETAIL_KEYS, *WHO])
    res = pd.concat(out, ignore_index=True)
    res["gap"] = (res["due"] - res["actual"]).clip(lower=0).astype(int)
    kind_order = res["kind"].map({SCHOOL: 0, GROUP: 1, TEACHER: 2})
    res = res.assign(_k=kind_order).sort_values(["_k", "_pos", "_order"], kind="stable")
    return text_as_objects(res[[*DETAIL_KEYS, *WHO]].reset_index(drop=True))   # 状态, 说明 made as lists


def weekly_activity_quota(detail: pd.DataFrame) -> dict[str, int]:
    """教研组 -> its weekly 教研活动 quota, as 指标明细 has it."""
    if not len(detail):
        return {}
    rows = detail[(detail["kind"] == GROUP) & (detail["item"] == "教研活动") & (detail["period"] == "周")]
    return dict(zip(rows["group"], rows["quota"]))


def fell_short(held: dict[tuple[str, int], int], quota: dict[str, int], group: str, week: int) -> bool:
    """Whether ``group`` held fewer 教研活动 in teaching ``week`` than its weekly quota (what
    教研组统计 marks and the notice reminds; False for a group without a weekly quota)."""
    return group in quota and held.get((group, week), 0) < quota[group]
