"""课题: one row per milestone (申报, 立项, 开题, 中期, 结题), grouped into projects.

A blank 课题名称 is the one above (merged cells); 级别, 主持人 and 成员 are read from the
first row of the 课题 that fills them.  A 计划日期 before the as-of date with no
完成日期 is a 警告 (逾期); so is a stage completed before an earlier stage.  A stage
completed after the as-of date is not done yet.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from xl_jiaoyan.domain.frames import pd

from xl_jiaoyan.contract.offices import CONCLUDED, LATE, ON_TIME, STAGES
from xl_jiaoyan.domain.cells import md, squash, text
from xl_jiaoyan.domain.findings import ERROR, HINT, WARNING, Findings, finding
from xl_jiaoyan.read.normalise import Context, date_column, resolve_people
from xl_jiaoyan.read.table import Table

ORDER = {s: i for i, s in enumerate(STAGES)}


@dataclass
class Stage:
    row: int
    planned: date | None
    done: date | None


@dataclass
class Project:
    title: str
    row: int                          # its first row
    level: str = ""
    host: int | None = None
    members: list[int] = field(default_factory=list)
    stages: dict[str, Stage] = field(default_factory=dict)

    @property
    def people(self) -> list[int]:
        return list(dict.fromkeys(([self.host] if self.host is not None else []) + self.members))

    def current(self) -> str:
        done = [s for s in STAGES if s in self.stages and self.stages[s].done is not None]
        return done[-1] if done else ""

    def late(self, as_of: date) -> list[str]:
        return [s for s in STAGES if s in self.stages and self.stages[s].done is None
                and self.stages[s].planned is not None and self.stages[s].planned < as_of]

    def status(self, as_of: date) -> str:
        concluded = "结题" in self.stages and self.stages["结题"].done is not None
        return CONCLUDED if concluded else LATE if self.late(as_of) else ON_TIME

    def started(self) -> date | None:
        """The day it first counts as a 课题 of its people: its earliest completed stage."""
        days = [s.done for s in self.stages.values() if s.done is not None]
        return min(days) if days else None

    def note(self, as_of: date) -> str:
        return "；".join(f"{s}逾期（计划{md(self.stages[s].planned)}）" for s in self.late(as_of))


def projects(table: Table | None, ctx: Context) -> tuple[list[Project], Findings]:
    found = Findings()
    if table is None or table.empty:
        return [], found
    sheet, label, f = table.name, table.label, table.frame
    people = pd.Series([()] * len(f), index=f.index, dtype=object)
    days = {}
    for key in ("planned", "done"):
        read = date_column(f, key, label(key), people, sheet, ctx, found)
        days[key] = [None if d != d or d is None else d for d in read.astype(object)]
        for raw, row, d in zip(f[key], f["row"], days[key]):
            if text(raw) and d is None:
                found.append(finding(ERROR, "date.other_unreadable", sheet, row, label(key), value=text(raw)))
    out: dict[str, Project] = {}
    title = ""
    for i, r in enumerate(f.to_dict("records")):
        row = int(r["row"])
        title = squash(text(r["title"])) or title
        if not title:
            found.append(finding(ERROR, "project.no_title", sheet, row, label("title")))
            continue
        p = out.setdefault(title, Project(title, row))
        p.level = p.level or squash(text(r["level"]))
        if p.host is None and text(r["host"]):
            res = ctx.roster.resolve(r["host"])
            if res.tid is None:
                found.append(ctx.roster.problem_finding(res, text(r["host"]), sheet, row, label("host"),
                                                        whole_row=False))
            p.host = res.tid
        if not p.members and text(r["members"]):
            p.members = resolve_people(r["members"], "", sheet, row, label("members"), ctx, found)
        stage = squash(text(r["stage"]))
        if not stage:
            found.append(finding(ERROR, "project.no_stage", sheet, row, label("stage"), title=title))
            continue
        if stage in p.stages:
            found.append(finding(ERROR, "duplicate", sheet, row, label("stage"), p.host if p.host is not None else "",
                                 first=p.stages[stage].row))
            continue
        done = days["done"][i]
        if done is not None and done > ctx.as_of:
            found.append(finding(HINT, "project.done_future", sheet, row, label("done"), p.people, done,
                                 title=title, stage=stage, when=done, as_of=ctx.as_of))
            done = None
        p.stages[stage] = Stage(row, days["planned"][i], done)
    for p in out.values():
        _stage_findings(p, sheet, label, ctx.as_of, found)
    return list(out.values()), found


def _stage_findings(p: Project, sheet: str, label, as_of: date, found: Findings) -> None:
    for stage in p.late(as_of):
        s = p.stages[stage]
        found.append(finding(WARNING, "project.overdue", sheet, s.row, label("planned"), p.people, s.planned,
                             title=p.title, stage=stage, planned=s.planned))
    present = sorted(p.stages, key=ORDER.get)
    for j, later in enumerate(present):
        done = p.stages[later].done
        if done is None:
            continue
        earlier = [e for e in present[:j] if p.stages[e].done is None or p.stages[e].done > done]
        if earlier:
            found.append(finding(WARNING, "project.order", sheet, p.stages[later].row, label("done"), p.people, done,
                                 title=p.title, stage=later, earlier="、".join(earlier)))


def project_people(items: list[Project], start: date) -> pd.DataFrame:
    """One row per (person, 课题) counted for the 项目 课题: teacher, title, date (its first
    completed stage; a 课题 begun before the semester counts from its first day) and level."""
    rows = [(t, p.title, max(p.started(), start), p.level) for p in items if p.started() is not None
            for t in p.people]
    return pd.DataFrame(rows, columns=["teacher", "title", "date", "level"])
