"""End-of-term scoring (量化赋分): points per item by the most specific matching rule,
each item counted once, starting from zero, no cap.  Pure functions of tables."""
from __future__ import annotations

from dataclasses import dataclass

from xl_jiaoyan.domain.frames import pd

from xl_jiaoyan.domain.cells import squash, text, to_number
from xl_jiaoyan.contract import (ACHIEVEMENT_TYPES, ACHIEVEMENTS, ACTIVITIES, CHECK_ITEM, CHECKS, EVENTS, PROJECTS, RANK,
                                 SCORING, SHEET as SHEETS, TOTAL, TRAININGS, WHO_COLUMNS)
from xl_jiaoyan.contract.offices import SCORED_STAGES
from xl_jiaoyan.domain.findings import ERROR, HINT, WARNING, Finding, finding
from xl_jiaoyan.read.table import Table
from xl_jiaoyan.domain.roster import Roster

SHEET = SCORING
LEVEL_SYNONYMS = {"县级": "区级"}
ITEM_COLUMNS = ["tid", "kind", "level", "result", "title", "date", "sheet", "row"]


@dataclass(frozen=True)
class ScoreRule:
    kind: str
    level: str      # '' matches any
    result: str     # '' matches any
    points: float
    row: int

    @property
    def specificity(self) -> int:
        return bool(self.level) + bool(self.result)

    def matches(self, kind: str, level: str, result: str) -> bool:
        return (self.kind == kind and self.level in ("", level)
                and (not self.result or self.result == result))


def _level(v) -> str:
    s = squash(text(v))
    return LEVEL_SYNONYMS.get(s, s)


def read_score_rules(table: Table | None) -> tuple[list[ScoreRule], list[Finding]]:
    findings: list[Finding] = []
    rules = []
    label = SHEETS[SHEET].label
    for rec in [] if table is None else table.frame.to_dict("records"):
        points = to_number(rec["points"])
        kind = squash(text(rec["kind"]))
        if not kind:
            findings.append(finding(ERROR, "score.rule_kind", table.name, rec["row"], label("kind")))
            continue
        if points is None:
            findings.append(finding(ERROR, "score.rule_points", table.name, rec["row"], label("points"),
                                    value=text(rec["points"])))
            continue
        rules.append(ScoreRule(kind, _level(rec["level"]), squash(text(rec["result"])), points, int(rec["row"])))
    return rules, findings


HOSTED = ("教研活动", "主持")          # 类型 and 结果 of a 教研活动 someone hosted
REFLECTION = ("校本培训", "心得上交")   # 类型 and 结果 of a 校本培训 attended with a reflection


def _held(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[~frame["future"].astype(bool)]


def scorable_items(achievements: pd.DataFrame, events: pd.DataFrame,
                   activities: pd.DataFrame, trainings: pd.DataFrame,
                   checks: pd.DataFrame | None = None, projects: list | None = None) -> pd.DataFrame:
    """Everything a rule may score, held by the as-of date: 成果登记 rows; lessons given
    in 活动安排 (by 执教); 教研活动 hosted (by 主持人, 结果 主持); 校本培训 attended with
    心得上交 是 (by each attendee, 结果 心得上交); each 常规检查 graded (类型 常规检查, 结果
    the 等第); a 课题's 立项 and 结题 completed (by its 主持人, 结果 the stage).  Logged
    activities are named by topic and date, so two sessions are two items while the same
    row entered twice is one."""
    ach = _held(achievements)
    rows = [(t, k, _level(lv), r, n, d, ACHIEVEMENTS, row) for t, k, lv, r, n, d, row in
            zip(ach["teacher"], ach["kind"], ach["level"], ach["result"], ach["title"], ach["date"], ach["row"])]
    ev = _held(events)
    for kind, topic, d, teachers, row in zip(ev["kind"], ev["topic"], ev["date"], ev["teachers"], ev["row"]):
        rows += [(t, kind, "", "", f"{topic or kind}（{d.isoformat()}）", d, EVENTS, row) for t in teachers]
    act = _held(activities)
    for host, topic, group, d, row in zip(act["host"], act["topic"], act["group"], act["date"], act["row"]):
        if host is not None and host == host:   # NaN when the column held no host at all
            rows.append((int(host), HOSTED[0], "", HOSTED[1], f"{topic or group + '教研活动'}（{d.isoformat()}）",
                         d, ACTIVITIES, row))
    tr = _held(trainings)
    tr = tr[tr["at_school"].astype(bool) & tr["reflection"].astype(bool)]
    for name, people, d, row in zip(tr["title"], tr["attendees"], tr["date"], tr["row"]):
        rows += [(t, REFLECTION[0], "", REFLECTION[1], f"{name or '校本培训'}（{d.isoformat()}）", d, TRAININGS, row)
                 for t in people]
    if checks is not None:
        for tid, item, grade, d, row in zip(checks["tid"], checks["item"], checks["grade"], checks["date"],
                                            checks["row"]):
            rows.append((tid, CHECK_ITEM, "", grade, f"{item}（{d.isoformat()}）", d, CHECKS, row))
    for p in projects or ():
        for stage in SCORED_STAGES:
            s = p.stages.get(stage)
            if p.host is not None and s is not None and s.done is not None:
                rows.append((p.host, ACHIEVEMENT_TYPES[1], _level(p.level), stage, p.title, s.done, PROJECTS, s.row))
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


def score(items: pd.DataFrame, rules: list[ScoreRule],
          names: dict[str, str] | None = None) -> tuple[pd.DataFrame, list[Finding]]:
    """One row per scored item: the item, the rule row that matched and its points.

    The same 教师 + 类型 + 名称 + 结果 scores once (the first row: a 课题's 立项 and its 结题
    are two); items no rule matches are
    reported when some rule names their 类型 — a 类型 nobody scores is simply not scored."""
    findings: list[Finding] = []
    kinds = {r.kind for r in rules}
    by_kind: dict[str, list[ScoreRule]] = {}
    for r in rules:
        by_kind.setdefault(r.kind, []).append(r)
    seen: dict[tuple, tuple[int, str]] = {}
    out = []
    names = names or {}
    for item in items.to_dict("records"):
        item["shown_sheet"] = names.get(item["sheet"], item["sheet"])
        if item["kind"] not in kinds:
            if item["sheet"] == ACHIEVEMENTS:      # an achievement nobody scores: say so
                findings.append(finding(HINT, "score.no_rule_kind", item["shown_sheet"], item["row"], "", item["tid"],
                                        item["date"], kind=item["kind"]))
            continue
        key = (item["tid"], item["kind"], squash(item["title"]), squash(text(item["result"])))
        if key in seen:          # the same 课题 result in 成果登记 and in 课题: one item, said nowhere
            if seen[key][1] == item["sheet"]:
                findings.append(finding(WARNING, "score.again", item["shown_sheet"], item["row"], "", item["tid"],
                                        item["date"], title=item["title"], first=seen[key][0]))
            continue
        seen[key] = (item["row"], item["sheet"])
        matching = [r for r in by_kind[item["kind"]] if r.matches(item["kind"], item["level"], item["result"])]
        if not matching:
            findings.append(finding(WARNING, "score.no_match", item["shown_sheet"], item["row"], "", item["tid"],
                                    item["date"], kind=item["kind"], grade=item["level"], result=item["result"]))
            continue
        rule = max(matching, key=lambda r: (r.specificity, -r.row))
        out.append({**item, "points": rule.points, "rule_row": rule.row,
                    "rule": "、".join(x for x in (rule.kind, rule.level or "不限级别", rule.result or "不限结果"))})
    return pd.DataFrame(out, columns=ITEM_COLUMNS + ["points", "rule_row", "rule"]), findings


def points(x: float) -> float:
    """Points as a person writes them: 0.1 + 0.2 + 0.3 is 0.6, not 0.6000000000000001."""
    return round(float(x), 2) + 0.0


def totals(scored: pd.DataFrame, roster: Roster, kinds: list[str]) -> pd.DataFrame:
    """One row per teacher in post: points per 类型, 总分 (from zero, no cap), 排名 (ties share)."""
    sums = scored.groupby(["tid", "kind"])["points"].sum() if len(scored) else pd.Series(dtype=float)
    rows = []
    for tid in roster.in_post():
        per = [points(sums.get((tid, k), 0.0)) for k in kinds]
        rows.append([roster.ids[tid], roster.names[tid], roster.group[tid], *per, points(sum(per))])
    frame = pd.DataFrame(rows, columns=[*WHO_COLUMNS, *kinds, TOTAL])
    frame[RANK] = frame[TOTAL].rank(method="min", ascending=False).astype(int) if len(frame) else []
    return frame
