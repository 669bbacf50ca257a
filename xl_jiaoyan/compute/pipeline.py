"""Compute: the contract's tables and the as-of date in, quota status and findings out.

Pure: no file, no workbook, no clock but the ``today`` handed in.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from xl_jiaoyan.domain.frames import pd

from xl_jiaoyan.compute import records
from xl_jiaoyan.compute.checks import checks, checks_held
from xl_jiaoyan.compute.materials import Due, hand_ins, overdue_findings, requirements
from xl_jiaoyan.compute.projects import Project, project_people, projects
from xl_jiaoyan.compute.standing import standing
from xl_jiaoyan.compute.conflicts import bell_schedule, event_clashes
from xl_jiaoyan.compute.plan import plan_items
from xl_jiaoyan.compute.counting import OBJECT_KIND, TEACHER
from xl_jiaoyan.compute.quota_rules import counted_as
from xl_jiaoyan.compute.quotas import Rule, counted_events, describe_rule, owed, quota_status, read_rules, without_records
from xl_jiaoyan.compute.scoring import read_score_rules, score, scorable_items, totals
from xl_jiaoyan.contract import (ACHIEVEMENTS, ACTIVITIES, BELLS, CALENDAR, CHECKS, EVENTS, HANDINS, MATERIALS,
                                 OBSERVATIONS, PLAN, PROJECT_ROLE, PROJECTS, QUOTAS, RECORD_DATE, ROSTER, SCORING,
                                 SETTINGS_SHEET, SHEET, SHEETS, STANDING, TIMETABLE, TRAININGS)
from xl_jiaoyan.domain.calendar import SemesterCalendar
from xl_jiaoyan.domain.cells import to_date
from xl_jiaoyan.domain.findings import HINT, Finding, Findings, finding
from xl_jiaoyan.errors import WorkbookError
from xl_jiaoyan.domain.roster import Roster, build_roster
from xl_jiaoyan.read.calendar_sheet import build_calendar
from xl_jiaoyan.read.normalise import subject_people
from xl_jiaoyan.read.schema import check_table, map_unique
from xl_jiaoyan.read.settings import Settings, read_settings
from xl_jiaoyan.read.table import Table

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


@dataclass
class Result:
    settings: Settings
    cal: SemesterCalendar
    as_of: date
    roster: Roster
    observations: pd.DataFrame
    events: pd.DataFrame
    activities: pd.DataFrame
    trainings: pd.DataFrame
    achievements: pd.DataFrame
    plan: pd.DataFrame
    detail: pd.DataFrame
    findings: Findings = field(default_factory=Findings)
    score_kinds: list[str] = field(default_factory=list)     # 类型 the 赋分规则 name, in order
    scored: pd.DataFrame | None = None                       # one row per scored item
    score_totals: pd.DataFrame | None = None                 # one row per teacher in post
    bells: dict[int, tuple[int, int]] = field(default_factory=dict)   # 节次 -> (start, end) minutes
    held: dict[tuple[str, int], int] = field(default_factory=dict)    # (教研组, week) -> 教研活动 held
    unrecorded: frozenset[str] = frozenset()      # optional sheets missing or still empty
    tables: dict[str, Table | None] | None = field(default=None, repr=False)   # what it was computed from
    checks: pd.DataFrame | None = None        # 常规检查: one graded record per (row, teacher checked)
    dues: list[Due] = field(default_factory=list)          # 材料要求: each (owner, 材料, 期次), as handed in
    projects: list[Project] = field(default_factory=list)  # 课题, with their stages
    standing: pd.DataFrame | None = None      # 固定活动 occurrences, shaped like 活动安排 rows (+ sheet)

    @property
    def week(self) -> int:
        return self.cal.current_week(self.as_of)

    @property
    def sheet_names(self) -> dict[str, str]:
        """Contract sheet name -> the workbook's name for it (a near name: 听课记录表)."""
        return {k: t.name for k, t in (self.tables or {}).items() if t is not None}


def compute(tables: dict[str, Table | None], as_of: date | str | None = None,
            today: date | None = None, progress: Progress = _quiet) -> Result:
    """Quota status and findings from the tables; as-of: argument, then 设置, then today.
    An as-of given as text without a year (11.20) takes the semester's year."""
    findings = Findings(getattr(tables, "found", []))
    settings = read_settings(tables[SETTINGS_SHEET], as_of if isinstance(as_of, date) else today)
    if tables[ROSTER] is None or tables[ROSTER].empty:
        raise WorkbookError("工作表「教师名册」是空的。请先填写教师名单（至少“姓名”一列）。")
    typed = as_of if isinstance(as_of, str) else None
    as_of = None if typed else as_of
    as_of = as_of or settings.as_of or today or date.today()
    original = tables
    unrecorded = {s.name for s in SHEETS
                  if not s.required and s.name != QUOTAS and (tables[s.name] is None or tables[s.name].empty)}
    tables = dict(tables)
    tables[ROSTER], checked = check_table(tables[ROSTER], [])
    findings += checked
    roster, roster_findings = build_roster(tables[ROSTER].frame, tables[ROSTER].name)
    findings += roster_findings
    tables[CALENDAR], checked = check_table(tables[CALENDAR], roster.groups())
    findings += checked
    cal, found = build_calendar(settings, tables[CALENDAR])
    findings += found
    around = row_context(roster, cal)
    for name, table in tables.items():          # the contract's lists, on every other sheet
        if name not in (SETTINGS_SHEET, ROSTER, CALENDAR):
            tables[name], checked = check_table(table, roster.groups(), around, roster.prep_groups())
            findings += checked
    if typed:
        as_of = to_date(typed, cal.year_for, fits=cal.contains) or as_of
    progress("整理记录")
    lessons, found = records.timetable(tables[TIMETABLE], roster)
    findings += found
    ctx = records.Context(roster, cal, as_of, settings.daily_cap, settings.report_weeks, lessons, settings.school)

    def read(step, *args):
        value, found = step(*args)
        findings.extend(found)
        return value
    proj = read(projects, tables[PROJECTS], ctx)      # first: its people hold 课题组成员 everywhere
    roster.add_role({t for p in proj for t in p.people}, PROJECT_ROLE)
    obs = read(records.observations, tables[OBSERVATIONS], ctx)
    ev = read(records.events, tables[EVENTS], ctx)
    act = read(records.activities, tables[ACTIVITIES], ctx, settings.prep_days, settings.activity_required)
    tr = read(records.trainings, tables[TRAININGS], ctx, settings.report_trainings, records.report_lessons(ev))
    ach = read(records.achievements, tables[ACHIEVEMENTS], ctx)
    plan = read(plan_items, tables[PLAN], cal)
    graded = read(checks, tables[CHECKS], ctx, settings.check_grades, settings.recheck_weeks)
    names = {k: t.name for k, t in tables.items() if t is not None}
    dues = read(requirements, tables[MATERIALS], ctx, tr, settings.report_trainings)
    findings += hand_ins(dues, tables[HANDINS], ctx, names.get(MATERIALS, MATERIALS))
    findings += overdue_findings(dues, as_of, names.get(MATERIALS, MATERIALS), SHEET[MATERIALS].label("due"))
    bells = bell_schedule(tables[BELLS])
    fixed = read(standing, tables[STANDING], ctx)
    booked = pd.concat([ev, fixed], ignore_index=True) if len(fixed) else ev
    findings += event_clashes(booked, ctx.lessons, bells, names.get(EVENTS, EVENTS), cal.is_working)
    progress("计算指标")
    in_use = {"event": set(ev["kind"]) if len(ev) else set(), "achievement": set(ach["kind"]) if len(ach) else set()}
    rules = read(read_rules, tables[QUOTAS], roster, in_use, cal.weeks)
    rules, skipped = without_records(rules, unrecorded, in_use)
    findings += unrecorded_sheets(unrecorded, skipped)
    need = owed(roster, rules, settings.school)
    counted_for = [(OBJECT_KIND.get(r.target, TEACHER), *counted_as(r.item, r.kind)) for r in rules]
    wanted = {(kind, item) for kind, item, _ in counted_for}
    typed = {item for _, item, filtered in counted_for if filtered}
    counted = counted_events(roster, obs, ev, act, tr, ach, wanted, typed, settings.prep_counts,
                             checks_held(graded), project_people(proj, cal.start))
    detail = quota_status(need, counted, cal, as_of, roster)
    result = Result(settings, cal, as_of, roster, obs, ev, act, tr, ach, plan, detail, findings, bells=bells,
                    held=records.held_per_week(act, cal), unrecorded=frozenset(unrecorded), tables=original,
                    checks=graded, dues=dues, projects=proj, standing=fixed)
    score_rules = read(read_score_rules, tables[SCORING])
    if score_rules:
        progress("量化赋分")
        result.score_kinds = list(dict.fromkeys(r.kind for r in score_rules))
        result.scored = read(score, scorable_items(ach, ev, act, tr, graded, proj), score_rules, names)
        result.score_totals = totals(result.scored, roster, result.score_kinds)
    return result


def unrecorded_sheets(unrecorded: set[str], skipped: dict[str, list[Rule]]) -> list[Finding]:
    """One 提示 per missing or empty optional sheet, naming the quotas not computed for it
    (a quiet sheet — 常规检查, 材料要求 … — only when some 指标 row needed it)."""
    return [finding(HINT, "sheet.missing", s.name, name=s.name, missing=s.missing, help=s.help,
                    rules="、".join(describe_rule(r) for r in skipped.get(s.name, ())))
            for s in SHEETS if s.name in unrecorded and (not s.quiet or skipped.get(s.name))]


def row_context(roster: Roster, cal: SemesterCalendar):
    """For the findings of a sheet's cells: each row's people (as ``read.normalise`` names
    them) and its date as read (None when it cannot be read)."""
    def around(table: Table):
        people = subject_people(table, roster)
        days = None
        if any(c.key == RECORD_DATE.key for c in table.sheet.columns):
            days = map_unique(table.frame[RECORD_DATE.key], lambda v: to_date(v, cal.year_for, fits=cal.contains))
        return people, days
    return around


