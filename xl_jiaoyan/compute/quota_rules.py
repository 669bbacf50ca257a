"""The 指标 sheet read into rules, each checked against what the workbook can count.

A rule that cannot be counted for its 对象 (师徒互听 of a 教研组), a filter that does not
apply (最低级别 on 听课), or a 项目 no sheet knows is an 错误 on its row, never a row of
zeros.  Which 项目 can be counted for which 对象 is the contract's ``SOURCES``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from xl_jiaoyan import contract
from xl_jiaoyan.contract import (ACTIVITY, ALL_OBJECTS, EVERY, PREP_LESSON, EACH_GROUP, EACH_PREP, FAMILY, LEVEL_RANK, MENTOR,
                                 PERSON, QUOTAS, SHARE_ITEM, SHEET as SHEETS, SOURCES, TERM_PERIOD,
                                 THE_SCHOOL, Source)
from xl_jiaoyan.domain.cells import squash, text, to_int, to_number
from xl_jiaoyan.domain.findings import ERROR, HINT, WARNING, Finding, finding
from xl_jiaoyan.domain.roster import Roster
from xl_jiaoyan.read.schema import closest
from xl_jiaoyan.read.table import Table

SHEET = QUOTAS
LABEL = SHEETS[QUOTAS].label
OBJECT_WORDS = {PERSON: "角色（教师、骨干教师、师傅等）", EACH_GROUP: EACH_GROUP, EACH_PREP: EACH_PREP,
                THE_SCHOOL: THE_SCHOOL}


@dataclass(frozen=True)
class Rule:
    target: str   # a role, 教研组, 备课组 or 学校
    item: str
    period: str
    minimum: int
    row: int
    kind: str = ""          # 类型: only records of this 类型 (课型, 教研活动 类型)
    level: int = -1         # 最低级别 as a LEVEL_RANK (-1: any)
    due_week: int = 0       # 截止周 (0: none)

    @property
    def obj(self) -> str:
        return object_of(self.target)

    @property
    def key(self) -> tuple:
        """What one quota is (see the contract: the largest 最低次数 among these rows wins)."""
        return self.item, self.period, self.kind, self.level


def object_of(target: str) -> str:
    """The Source object a 指标 对象 is (a role -> PERSON)."""
    return target if target in (EACH_GROUP, EACH_PREP, THE_SCHOOL) else PERSON


def counted_as(item: str, kind: str) -> tuple[str, str]:
    """The (项目, 类型) whose counted records a quota counts: 教研活动 of 类型 集体备课 is the
    备课组 rows, counted as 集体备课; every other quota is itself."""
    return (PREP_LESSON, "") if (item, kind) == (ACTIVITY, PREP_LESSON) else (item, kind)


def item_label(item: str, kind: str = "", level: int = -1) -> str:
    """教研活动（联片教研）, 论文（市级及以上）: a 项目 with its filters, as outputs head it."""
    parts = [kind] if kind else []
    if level >= 0:
        parts.append(level_words(level))
    return f"{item}（{'，'.join(parts)}）" if parts else item


def level_words(level: int) -> str:
    """A 最低级别 rank as staff say it: 2 -> 市级及以上."""
    return next(k for k, v in LEVEL_RANK.items() if v == level) + "及以上"


def percent(v) -> int | None:
    """'10%', '１０％', 10 or a percent-formatted 0.1 -> 10."""
    s = squash(text(v)).replace("％", "%")
    if isinstance(v, float) and 0 < v < 1:
        return round(v * 100)
    n = to_number(s.rstrip("%"))
    return None if n is None or n < 0 else round(n)


def source_of(item: str, in_use: dict[str, set[str]]) -> Source | None:
    """Where a 项目 is counted from: the contract's, or a 类型 written in 活动安排 or 成果登记."""
    family = item if item in SOURCES else FAMILY.get(item)
    if family is None:
        family = next((f for f in ("event", "achievement") if item in in_use.get(f, ())), None)
    return SOURCES.get(family) if family else None


def _level(raw) -> int | None:
    """最低级别: 市级, 市级以上, 市级及以上 -> its rank; blank -> -1; unknown -> None."""
    s = re.sub(r"(及以上|以上)$", "", squash(text(raw)))
    if not s:
        return -1
    return LEVEL_RANK.get(s)


def read_rules(table: Table | None, roster: Roster, in_use: dict[str, set[str]], weeks: int
               ) -> tuple[list[Rule], list[Finding]]:
    """The 指标 rows as rules; ``in_use`` holds the 类型 written in 活动安排 ("event") and
    成果登记 ("achievement"), which are 项目 too."""
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
        target, item, period, kind = (squash(text(rec[c])) for c in ("target", "item", "period", "kind"))
        minimum = percent(rec["minimum"]) if item == SHARE_ITEM else to_int(rec["minimum"])
        level = _level(rec["min_level"])
        due = to_int(rec["due_week"]) if text(rec["due_week"]) else 0
        problem = _problem(rec, row, sheet, target, item, period, kind, minimum, level, due, in_use, weeks)
        if problem:
            findings.append(problem)
            continue
        if target == EACH_PREP and not roster.prep_groups():
            findings.append(finding(WARNING, "quota.no_prep", sheet, row, LABEL("target")))
        elif target not in (EACH_GROUP, EACH_PREP, THE_SCHOOL) and target not in known_roles:
            findings.append(finding(WARNING, "quota.no_holder", sheet, row, LABEL("target"), target=target))
        rules.append(Rule(target, item, period, minimum, row, kind, level, due))
    return rules, findings + _never_apply(rules, roster, sheet)


def _problem(rec, row, sheet, target, item, period, kind, minimum, level, due, in_use, weeks) -> Finding | None:
    """Why a 指标 row cannot be counted, or None (项目 and 周期 were checked against lists)."""
    if not item or not period:
        return finding(ERROR, "quota.blank", sheet, row, LABEL("item") if not item else LABEL("period"))
    if item == SHARE_ITEM and (target != THE_SCHOOL or period != TERM_PERIOD or minimum is None):
        return finding(ERROR, "quota.share_form", sheet, row, LABEL("item"), item=SHARE_ITEM,
                       school=THE_SCHOOL, term=TERM_PERIOD)
    if minimum is None or minimum < 0:
        return finding(ERROR, "quota.minimum", sheet, row, LABEL("minimum"), value=text(rec["minimum"]))
    if not target:
        return finding(ERROR, "quota.no_target", sheet, row, LABEL("target"))
    source = source_of(item, in_use)
    if source is None:
        known = [*contract.QUOTA_ITEMS, *sorted(in_use.get("event", ())), *sorted(in_use.get("achievement", ()))]
        near = closest(item, known)
        return finding(ERROR, "quota.unknown_item", sheet, row, LABEL("item"), value=item,
                       suggest=f"是不是“{near}”？" if near else "", items="、".join(dict.fromkeys(known)))
    if source.later:
        return finding(ERROR, "quota.later", sheet, row, LABEL("item"), item=item, sheet_name=source.sheet)
    if object_of(target) not in source.objects:
        return finding(ERROR, "quota.object", sheet, row, LABEL("target"), item=item, target=target,
                       objects="、".join(OBJECT_WORDS[o] for o in ALL_OBJECTS if o in source.objects))
    if kind and not source.kind_of:
        return finding(ERROR, "quota.kind", sheet, row, LABEL("kind"), item=item, value=kind)
    if level is None:
        return finding(ERROR, "quota.level", sheet, row, LABEL("min_level"), value=text(rec["min_level"]),
                       allowed="、".join(k for k in LEVEL_RANK if k != "县级"))
    if level >= 0 and not source.levels:
        return finding(ERROR, "quota.level_item", sheet, row, LABEL("min_level"), item=item)
    if due is None or not 0 <= due <= weeks:
        return finding(ERROR, "quota.due_week", sheet, row, LABEL("due_week"), value=text(rec["due_week"]),
                       weeks=weeks)
    if due and period != TERM_PERIOD:
        return finding(ERROR, "quota.due_period", sheet, row, LABEL("due_week"), period=period, term=TERM_PERIOD)
    return None


def _never_apply(rules: list[Rule], roster: Roster, sheet: str) -> list[Finding]:
    """A role's quota that a larger quota of another role its holders all have always
    overrides (教研组长 听课 10 when every 教研组长 is also 教师 with 15): a 提示, so staff
    know why their number is not the one used."""
    out = []
    people = [r for r in rules if r.obj == PERSON]
    for r in people:
        holders = [t for t in roster.in_post() if r.target in roster.roles(t)]
        if not holders:
            continue
        over = []
        for t in holders:
            larger = [q for q in people if q is not r and q.key == r.key
                      and q.minimum > r.minimum and q.target in roster.roles(t)]
            if not larger:
                break
            over.append(max(larger, key=lambda q: q.minimum))
        else:
            top = max(over, key=lambda q: q.minimum)
            out.append(finding(HINT, "quota.overridden", sheet, r.row, LABEL("minimum"), target=r.target,
                               item=item_label(r.item, r.kind, r.level), period=r.period, minimum=r.minimum,
                               top=top.target, top_minimum=top.minimum))
    return out


def without_records(rules: list[Rule], unrecorded: set[str], in_use: dict[str, set[str]]
                    ) -> tuple[list[Rule], dict[str, list[Rule]]]:
    """The rules whose records can be counted, and per missing or empty record sheet the
    rules left out because of it (see the contract: not recorded yet is not zero done)."""
    kept, skipped = [], {}
    for r in rules:
        source = source_of(r.item, in_use)
        sheet = source.sheet
        if sheet in unrecorded and (not source.also or source.also in unrecorded):
            skipped.setdefault(sheet, []).append(r)
        else:
            kept.append(r)
    return kept, skipped


def describe_rule(r: Rule) -> str:
    """教研活动（教研组，每周 1 次） — how a 指标 row reads in a message."""
    every = "本学期" if r.period == TERM_PERIOD else EVERY[r.period]
    amount = f"{r.minimum}%的教师参赛" if r.item == SHARE_ITEM else f"{r.minimum} 次"
    return f"{item_label(r.item, r.kind, r.level)}（{r.target}，{every} {amount}）"
