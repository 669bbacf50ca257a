"""Quota status (指标明细): who owes what, what they did, and how they stand.

Pure functions of tables, the calendar and the as-of date.
"""
from __future__ import annotations

import math
import numpy as np
from xl_jiaoyan.domain.frames import pd

from xl_jiaoyan import contract
from xl_jiaoyan.compute.counting import GROUP, PREP, SCHOOL, TEACHER, WHO, counted_events
from xl_jiaoyan.compute.quota_rules import (Rule, counted_as, describe_rule, item_label, level_words, read_rules,
                                           without_records)
from xl_jiaoyan.contract import (ACTIVITY, EACH_GROUP, EACH_PREP, PAIRS, PERIODS, PERSON, QUOTA_ITEMS,
                                 SHARE_ITEM, TERM_PERIOD, THE_SCHOOL)
from xl_jiaoyan.domain.calendar import SemesterCalendar
from xl_jiaoyan.domain.cells import squash, text
from xl_jiaoyan.domain.frames import text_as_objects, typed_frame
from xl_jiaoyan.domain.roster import Roster
from xl_jiaoyan.read.schema import map_unique

__all__ = ["Rule", "describe_rule", "item_label", "read_rules", "without_records", "counted_events",
           "owed", "quota_status", "GROUP", "PREP", "SCHOOL", "TEACHER", "WHO"]

MET, ON_PACE, BEHIND, MISSED = "已达标", "正常", "落后", "未达标"
DETAIL_KEYS = list(contract.DETAIL_KEYS)     # the detail table; contract.DETAIL_COLUMNS name them
# beside DETAIL_KEYS: a quota's filters (类型, 最低级别 rank), 截止周, its heading, whether its
# 截止周 is near and not met, and the elapsed periods that fell short (the 说明's list, as data)
FILTER_KEYS = ["filter_kind", "filter_level", "due_week", "label", "soon", "short"]
KIND_ORDER = {SCHOOL: 0, GROUP: 1, PREP: 2, TEACHER: 3}


def owed(roster: Roster, rules: list[Rule], school: str) -> pd.DataFrame:
    """One row per (who, 项目, 周期, 类型, 最低级别) with its quota: the largest over the
    applicable rules (and that rule's 截止周)."""
    best: dict[tuple, tuple[int, int]] = {}

    def offer(k, r: Rule, minimum: int):
        if k not in best or minimum > best[k][0]:
            best[k] = (minimum, r.due_week)
    person_rules = [r for r in rules if r.obj == PERSON]
    for tid in roster.in_post():
        roles = roster.roles(tid)
        for r in person_rules:
            if r.target in roles:
                offer((TEACHER, tid, "", *r.key), r, r.minimum)
    for r in rules:
        if r.target == EACH_GROUP:
            for g in roster.groups():
                offer((GROUP, -1, g, *r.key), r, r.minimum)
        elif r.target == EACH_PREP:
            for g in roster.prep_groups():
                offer((PREP, -1, g, *r.key), r, r.minimum)
        elif r.target == THE_SCHOOL:
            minimum = r.minimum
            if r.item == SHARE_ITEM:      # a share of the teachers in post -> a head count
                minimum = math.ceil(r.minimum * len(roster.in_post()) / 100)
            offer((SCHOOL, -1, "", *r.key), r, minimum)
    order = {item: i for i, item in enumerate(QUOTA_ITEMS)}
    group_pos = {g: i for i, g in enumerate(roster.groups())}
    prep_pos = {g: i for i, g in enumerate(roster.prep_groups())}
    rows = []
    for (kind, tid, group, item, period, ctype, level), (minimum, due_week) in best.items():
        if minimum <= 0:
            continue
        if kind == TEACHER:
            who, pos = (roster.ids[tid], roster.names[tid], roster.group[tid]), tid
        elif kind == GROUP:
            who, pos = ("", group, group), group_pos[group]
        elif kind == PREP:
            who, pos = ("", group, roster.prep_home.get(group, "")), prep_pos[group]
        else:
            who, pos = ("", school, ""), 0
        rows.append((kind, tid, group, *who, item, period, minimum, ctype, level, due_week,
                     item_label(item, ctype, level), pos,
                     (order.get(item, 99), item, PERIODS.index(period), ctype, level)))
    names = [*WHO, *DETAIL_KEYS[:6], *FILTER_KEYS[:4], "_pos", "_order"]
    columns = dict(zip(names, map(list, zip(*rows)))) if rows else {k: [] for k in names}
    for k in ("tid", "quota", "_pos", "filter_level", "due_week"):
        columns[k] = np.array(columns[k], dtype=np.int64)
    return typed_frame(columns, len(rows))


def _records_for(by_item: dict[str, pd.DataFrame], item: str, ctype: str, level: int) -> pd.DataFrame:
    """The counted records (grouped by 项目) a quota of (项目, 类型, 最低级别) counts."""
    item, ctype = counted_as(item, ctype)
    here = by_item.get(item, _NONE)
    if ctype and "ctype" in here:
        here = here[(map_unique(here["ctype"], lambda v: squash(text(v))) == ctype).to_numpy()]
    if level >= 0 and "level" in here:
        here = here[here["level"].fillna(-1).astype(np.int64) >= level]
    return here


_NONE = pd.DataFrame({"kind": [], "tid": np.zeros(0, dtype=np.int64), "group": [], "item": [], "date": [],
                      "partner": np.zeros(0, dtype=np.int64)})


def quota_status(need: pd.DataFrame, counted: pd.DataFrame, cal: SemesterCalendar,
                 as_of, roster: Roster | None = None) -> pd.DataFrame:
    """Fill 实际/应完成/差额/状态/说明 for every owed row (see the workbook contract)."""
    over = cal.is_over(as_of)
    week = cal.current_week(as_of)
    out = []
    by_item = dict(tuple(counted.groupby("item", sort=False))) if len(counted) else {}   # one pass, not one per quota
    for (period, item, ctype, level), rows in need.groupby(["period", "item", "filter_kind", "filter_level"],
                                                           sort=False):
        keys = list(zip(rows["kind"], rows["tid"], rows["group"]))
        here = _records_for(by_item, item, ctype, int(level))
        pairs = item == PAIRS and roster is not None
        if period == TERM_PERIOD:
            r = _term(rows, keys, here, week, cal.weeks, over, roster if pairs else None)
        else:
            r = _periodic(rows, keys, here, cal, period, as_of, over, roster if pairs else None)
        filters = "；".join(p for p in (f"只计类型“{ctype}”" if ctype else "",
                                         f"只计{level_words(int(level))}" if level >= 0 else "") if p)
        if filters:
            r["note"] = [f"{filters}。{n}" if n else f"{filters}。" for n in r["note"]]
        out.append(r)
    if not out:
        return pd.DataFrame(columns=[*DETAIL_KEYS, *WHO, *FILTER_KEYS])
    res = pd.concat(out, ignore_index=True)
    res["gap"] = (res["due"] - res["actual"]).clip(lower=0).astype(int)
    res = res.assign(_k=res["kind"].map(KIND_ORDER)).sort_values(["_k", "_pos", "_order"], kind="stable")
    return text_as_objects(res[[*DETAIL_KEYS, *WHO, *FILTER_KEYS]].reset_index(drop=True))


def _term(rows, keys, here, week, weeks, over, roster) -> pd.DataFrame:
    """A 学期 quota: 实际 so far against 指标 × 当前周次 ÷ 学期周数 (or, with a 截止周, 0
    before that week and the whole 指标 from it on)."""
    if roster is not None:          # 师徒互听: the pair that did least
        n = here.groupby(["tid", "partner"]).size().to_dict()
        actual, short = [], []
        for (kind, tid, group), q in zip(keys, rows["quota"]):
            partners = roster.partners.get(tid, ())
            counts = {p: int(n.get((tid, p), 0)) for p in partners}
            actual.append(min(counts.values()) if counts else 0)
            short.append([f"与{roster.label(p)}还需 {q - c} 次" for p, c in counts.items() if c < q])
    else:
        n = here.groupby(WHO).size().to_dict()
        actual, short = [int(n.get(k, 0)) for k in keys], None
    r = rows.assign(actual=actual)
    due_week = r["due_week"].to_numpy()
    paced = r["quota"].to_numpy() * week // weeks
    r["due"] = np.where(due_week > 0, np.where(week >= due_week, r["quota"].to_numpy(), 0), paced).astype(int)
    r["status"] = [MET if a >= q else MISSED if over else ON_PACE if a >= d else BEHIND
                   for a, q, d in zip(r["actual"], r["quota"], r["due"])]
    r["soon"] = [bool(w) and a < q and w - 2 <= week for a, q, w in zip(r["actual"], r["quota"], due_week)]
    notes = []
    for i, (a, q, item, w) in enumerate(zip(r["actual"], r["quota"], r["item"], due_week)):
        if a >= q:
            notes.append("")
            continue
        said = "；".join(short[i]) if short is not None else ""
        said = said or (f"还需 {q - a} 人参赛" if item == SHARE_ITEM else f"本学期还需 {q - a} 次")
        notes.append(f"须在第{w}周完成，" + said if w else said)
    r["note"] = notes
    r["short"] = [()] * len(r)
    return r


def _periodic(rows, keys, here, cal, period, as_of, over, roster) -> pd.DataFrame:
    """A 周/双周/半月/月/两月 quota: how many elapsed periods met it; 说明 names the others
    (for 师徒互听, per pair)."""
    periods = [p for p in cal.periods(period) if p.working and p.last < as_of]
    idx = {p.index: p for p in periods}
    day_index = {d: cal.period_index(period, d) for d in pd.unique(here["date"])}
    c = here.assign(p=here["date"].map(day_index))
    c = c[c["p"].isin(idx)]
    missed, notes = [], []         # per row: the elapsed periods that fell short, in order
    if roster is not None:
        per = c.groupby(["tid", "partner", "p"]).size().to_dict()
        for (kind, tid, group), q in zip(keys, rows["quota"]):
            partners = roster.partners.get(tid, ()) or (-1,)
            short = {p: [x.label for x in periods if per.get((tid, p, x.index), 0) < q] for p in partners}
            anyone = set().union(*short.values())
            missed.append(tuple(x.label for x in periods if x.label in anyone))
            if len(partners) > 1:
                notes.append("；".join(f"与{roster.label(p)}未达标：{'、'.join(s)}" for p, s in short.items() if s))
            else:
                notes.append("未达标：" + "、".join(short[partners[0]]) if short[partners[0]] else "")
    else:
        per = c.groupby([*WHO, "p"]).size().to_dict()
        for k, q in zip(keys, rows["quota"]):
            short = tuple(x.label for x in periods if per.get((*k, x.index), 0) < q)
            missed.append(short)
            notes.append("未达标：" + "、".join(short) if short else "")
    actual = [len(periods) - len(m) for m in missed]
    r = rows.assign(actual=actual, due=len(periods), short=missed)
    r["status"] = [(MET if a == len(periods) else MISSED) if over else (ON_PACE if a == len(periods) else BEHIND)
                   for a in actual]
    r["note"] = notes
    r["soon"] = False
    return r


def capped_progress(rows: pd.DataFrame) -> float | None:
    """Σ min(实际, 应完成) ÷ Σ 应完成 over teacher rows: one keen teacher's surplus hides
    nobody's shortfall (教研组统计, the district's 听课进度); None before anything is due."""
    return capped_progress_by(rows.assign(_all=0), "_all").get(0)


def capped_progress_by(rows: pd.DataFrame, by: str) -> dict:
    """``capped_progress`` of the rows of each value of column ``by``, in one pass."""
    sums = rows.assign(_capped=rows["actual"].clip(upper=rows["due"]))[[by, "due", "_capped"]] \
        .groupby(by, sort=False).sum()
    return {k: float(c / d) if d else None for k, d, c in zip(sums.index, sums["due"], sums["_capped"])}


def weekly_activity_quota(detail: pd.DataFrame) -> dict[str, int]:
    """教研组 -> its weekly 教研活动 quota, as 指标明细 has it."""
    if not len(detail):
        return {}
    rows = detail[(detail["kind"] == GROUP) & (detail["item"] == ACTIVITY) & (detail["period"] == "周")
                  & (detail["label"] == ACTIVITY)]
    return dict(zip(rows["group"], rows["quota"]))


def fell_short(held: dict[tuple[str, int], int], quota: dict[str, int], group: str, week: int) -> bool:
    """Whether ``group`` held fewer 教研活动 in teaching ``week`` than its weekly quota (what
    教研组统计 marks and the notice reminds; False for a group without a weekly quota)."""
    return group in quota and held.get((group, week), 0) < quota[group]
