"""The one pipeline: grids -> tables -> computed results -> output-sheet descriptions.

Everything here is pure: adapters hand in a ``Source`` and take the output sheets.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable

import pandas as pd

from typing import TYPE_CHECKING

from xl_jiaoyan import __version__
from xl_jiaoyan.compute import records
from xl_jiaoyan.domain.calendar import SemesterCalendar
from xl_jiaoyan.domain.cells import chinese_week, to_date
from xl_jiaoyan.compute.conflicts import bell_schedule, event_clashes
from xl_jiaoyan.contract import (ACHIEVEMENTS, ACTIVITIES, BELLS, CALENDAR, EVENTS, OBSERVATIONS, PLAN, QUOTAS, ROSTER,
                       SCORING, SETTINGS_SHEET, SHEETS, TIMETABLE, TRAININGS)
from xl_jiaoyan.domain.findings import HINT, Finding, Findings, WorkbookError
from xl_jiaoyan.outputs.findings_sheet import findings_sheet
from xl_jiaoyan.outputs.group_sheet import group_sheet
from xl_jiaoyan.outputs.notice_sheet import notice_sheet
from xl_jiaoyan.outputs.quota_sheets import detail_sheet, overview_sheet
from xl_jiaoyan.outputs.score_sheets import items_sheet, totals_sheet
from xl_jiaoyan.outputs.spec import OutputSheet
from xl_jiaoyan.compute.plan import plan_items
from xl_jiaoyan.compute.quotas import Rule, counted_events, describe_rule, owed, quota_status, read_rules, without_records
from xl_jiaoyan.read.calendar_sheet import build_calendar
from xl_jiaoyan.read.grid import Source
from xl_jiaoyan.read.settings import Settings, read_settings
from xl_jiaoyan.read.schema import check_table
from xl_jiaoyan.read.table import Table, read_table
from xl_jiaoyan.domain.roster import Roster, build_roster
from xl_jiaoyan.compute.scoring import read_score_rules, score, scorable_items, totals

if TYPE_CHECKING:
    from xl_jiaoyan.notice.template import TemplateText

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def load_tables(source: Source, progress: Progress = _quiet) -> dict[str, Table | None]:
    """Every contract sheet the workbook has, as a table (None when absent or empty)."""
    names = set(source.sheet_names())
    for s in SHEETS:
        if s.required and s.name not in names:
            raise WorkbookError(
                f"工作簿中没有「{s.name}」工作表。请添加这个工作表（可参照 xl-jiaoyan init 生成的模板），"
                "或检查工作表名称是否写错。")
    tables: dict[str, Table | None] = {}
    for s in SHEETS:
        if s.name in names:
            progress(f"读取「{s.name}」")
            tables[s.name] = read_table(source.grid(s.name), s)
        else:
            tables[s.name] = None
    return tables


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

    @property
    def week(self) -> int:
        return self.cal.current_week(self.as_of)


def compute(tables: dict[str, Table | None], as_of: date | str | None = None,
            today: date | None = None, progress: Progress = _quiet) -> Result:
    """Quota status and findings from the tables; as-of: argument, then 设置, then today.
    An as-of given as text without a year (11.20) takes the semester's year."""
    findings = Findings()
    settings = read_settings(tables[SETTINGS_SHEET])
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
    roster, roster_findings = build_roster(tables[ROSTER].frame)
    findings += roster_findings
    for name, table in tables.items():          # the contract's lists, on every other sheet
        if name not in (SETTINGS_SHEET, ROSTER):
            tables[name], checked = check_table(table, roster.groups())
            findings += checked
    cal, found = build_calendar(settings, tables[CALENDAR])
    findings += found
    if typed:
        as_of = to_date(typed, cal.year_for, fits=cal.contains) or as_of
    progress("整理记录")
    lessons, found = records.timetable(tables[TIMETABLE], roster)
    findings += found
    ctx = records.Context(roster, cal, as_of, settings.daily_cap, settings.report_weeks, lessons)

    def read(step, *args):
        value, found = step(*args)
        findings.extend(found)
        return value
    obs = read(records.observations, tables[OBSERVATIONS], ctx)
    ev = read(records.events, tables[EVENTS], ctx)
    act = read(records.activities, tables[ACTIVITIES], ctx)
    tr = read(records.trainings, tables[TRAININGS], ctx)
    ach = read(records.achievements, tables[ACHIEVEMENTS], ctx)
    plan = read(plan_items, tables[PLAN], cal)
    bells = bell_schedule(tables[BELLS])
    findings += event_clashes(ev, roster, ctx.lessons, bells)
    progress("计算指标")
    rules = read(read_rules, tables[QUOTAS], roster)
    rules, skipped = without_records(rules, unrecorded)
    findings += unrecorded_sheets(unrecorded, skipped)
    need = owed(roster, rules, settings.school)
    counted = counted_events(roster, obs, ev, act, tr, ach)
    detail = quota_status(need, counted, cal, as_of)
    result = Result(settings, cal, as_of, roster, obs, ev, act, tr, ach, plan, detail, findings, bells=bells,
                    held=records.held_per_week(act, cal), unrecorded=frozenset(unrecorded), tables=original)
    score_rules = read(read_score_rules, tables[SCORING])
    if score_rules:
        progress("量化赋分")
        result.score_kinds = list(dict.fromkeys(r.kind for r in score_rules))
        result.scored = read(score, scorable_items(ach, ev, act, tr), score_rules, roster)
        result.score_totals = totals(result.scored, roster, result.score_kinds)
    return result


def unrecorded_sheets(unrecorded: set[str], skipped: dict[str, list[Rule]]) -> list[Finding]:
    """One 提示 per missing or empty optional sheet, naming the quotas not computed for it."""
    out = []
    for s in SHEETS:
        if s.name not in unrecorded:
            continue
        said, advice = f"没有「{s.name}」工作表或表中没有内容，{s.missing}", s.help
        if skipped.get(s.name):
            said += ("还没有记录不等于一次也没做，所以这些指标暂不统计（不显示落后，也不提醒）："
                     + "、".join(describe_rule(r) for r in skipped[s.name]) + "。")
            advice = f"在「{s.name}」中记下第一条后，下次刷新就会统计这些指标。"
        out.append(Finding(HINT, "缺少工作表", s.name, None, "", None, said, advice))
    return out


@dataclass
class Notice:
    week: int
    paragraphs: list[str]
    origin: str          # which template: 默认模板, 工作表「通知模板」, 文件 …
    as_of: date | None = None   # the date its figures are computed for (a past week: its Monday)


def read_template(source: Source) -> TemplateText:
    """The notice template: a 通知模板 sheet, else a .j2 file beside the workbook, else
    the default."""
    from xl_jiaoyan import notice  # Jinja2: only for commands that make a notice
    if notice.SHEET in source.sheet_names():
        grid = source.grid(notice.SHEET)
        rows = [(grid.first_row + i, r[0] if r else None) for i, r in enumerate(grid.head(len(grid)))]
        t = notice.sheet_template(rows)
        if t is not None:
            return t
    return source.template_file() or notice.default_template()


def make_notice(result: Result, template: TemplateText, week: int | None = None) -> Notice:
    """The notice for ``week`` (default: the as-of week); WorkbookError when the week is
    not a teaching week or the template is broken."""
    from xl_jiaoyan import notice
    week = notice.check_week(result, week)
    then = as_it_stood(result, week)
    return Notice(week, notice.render(template, notice.notice_data(then, week)), template.origin, then.as_of)


def as_it_stood(result: Result, week: int) -> Result:
    """For a week before the as-of week, the figures as they stood on its Monday (the day
    its notice went out): a past week's notice never tells today's numbers."""
    monday = result.cal.week_days(week)[0]
    if week >= result.week or result.tables is None or monday >= result.as_of:
        return result
    return compute(result.tables, monday)


def weekly_notice(result: Result, template: TemplateText) -> list[str]:
    """What refresh puts in 本周通知: the as-of week's notice, or why there is none.  A
    broken template stops the run even then."""
    if not result.cal.contains(result.as_of):
        from xl_jiaoyan.notice.template import compile_template
        compile_template(template)     # make_notice compiles it otherwise
        return [f"统计截至 {result.as_of.isoformat()}，不在本学期的教学周内，所以没有本周通知。"
                "需要某一周的通知时，可运行 xl-jiaoyan notice 工作簿 --week 周次。"]
    return make_notice(result, template).paragraphs


def provenance(result: Result, source_label: str, now: datetime | None = None) -> str:
    now = now or datetime.now()
    week = result.week
    when = ("开学前" if week == 0 else chinese_week(week)) if not result.cal.is_over(result.as_of) else "学期已结束"
    return (f"统计截至 {result.as_of.isoformat()}（{when}）。本表是 {now:%Y-%m-%d %H:%M} 根据「{source_label}」"
            f"中大家填写的各表自动生成的（xl-jiaoyan {__version__}），每次刷新都会整张重写，请不要在本表里修改。")


def describe(result: Result, source_label: str, sheet_names: set[str],
             now: datetime | None = None, notice_text: list[str] | None = None) -> list[OutputSheet]:
    title = provenance(result, source_label, now)
    sheets = [overview_sheet(result.detail, result.roster, title),
              detail_sheet(result.detail, title),
              group_sheet(result.detail, result.held, result.roster, result.cal, result.as_of, title,
                          ACTIVITIES not in result.unrecorded)]
    if result.score_totals is not None:
        sheets += [totals_sheet(result.score_totals, title),
                   items_sheet(result.scored, result.roster, title, sheet_names)]
    sheets.append(findings_sheet(result.findings, title, sheet_names))
    if notice_text is not None:
        sheets.append(notice_sheet(notice_text, title))
    return sheets


def evaluate(source: Source, as_of: date | str | None = None, progress: Progress = _quiet,
             now: datetime | None = None) -> Result:
    """Read every sheet and compute: what check, notice and refresh share."""
    result = compute(load_tables(source, progress), as_of, (now or datetime.now()).date(), progress)
    result.findings += source.hints
    return result


def run(source: Source, as_of: date | str | None = None, progress: Progress = _quiet,
        now: datetime | None = None) -> tuple[Result, list[OutputSheet]]:
    result = evaluate(source, as_of, progress, now)
    progress("生成本周通知")
    text = weekly_notice(result, read_template(source))
    return result, describe(result, source.path_label, set(source.sheet_names()), now, text)
