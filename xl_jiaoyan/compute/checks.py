"""常规检查: one graded record per (check row, teacher checked), and the 复查 each failing
grade owes.

被检查人 may name a 教研组, a 备课组 or 全体教师: each member gets the row's 等第.  A
failing 等第 (the last of 设置 检查等第) owes a 复查 within 复查期限(周): re-checked later
than that, not re-checked by then, or failed again, it is a 警告 naming the row and column.
Rows dated after the as-of date are not counted yet (a 提示, as for every record sheet).
"""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from xl_jiaoyan.domain.frames import pd

from xl_jiaoyan.contract.offices import GRADE_ALIASES, PASS_GRADE
from xl_jiaoyan.domain.cells import squash, text
from xl_jiaoyan.domain.findings import ERROR, WARNING, Findings, finding
from xl_jiaoyan.read.normalise import Context, normalise
from xl_jiaoyan.read.schema import closest
from xl_jiaoyan.read.table import Table

COLUMNS = ["row", "date", "item", "tid", "grade", "failing", "below", "recheck_date", "recheck_grade", "due",
           "pending", "overdue", "checkers"]


def grade_of(raw, grades: tuple[str, ...]) -> str | None:
    """A 等第 as 设置 检查等第 spells it: itself, or A–D / 优良中差 for the four grades."""
    s = squash(text(raw)).upper()
    if s in grades:
        return s
    k = GRADE_ALIASES.get(s)
    return grades[k] if k is not None and len(grades) == 4 else None


def below_pass(grades: tuple[str, ...]) -> set[str]:
    """The grades listed in 检查汇总 as below 合格 (the failing grade when there is no 合格)."""
    return set(grades[grades.index(PASS_GRADE) + 1:]) if PASS_GRADE in grades[:-1] else {grades[-1]}


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in COLUMNS})


def checks(table: Table | None, ctx: Context, grades: tuple[str, ...],
           recheck_weeks: int) -> tuple[pd.DataFrame, Findings]:
    """The graded records held by the as-of date (``COLUMNS``), and the findings."""
    if table is None or table.empty:
        return _empty(), Findings()
    f, found = normalise(table, ctx)
    sheet, label = table.name, table.label
    allowed = "、".join(grades)
    fails, below = grades[-1], below_pass(grades)
    rows = []
    for r in f[~f["future"].astype(bool)].to_dict("records"):
        grade = grade_of(r["grade"], grades)
        if grade is None:
            code = "check.grade_blank" if not text(r["grade"]) else "check.grade"
            found.append(finding(ERROR, code, sheet, r["row"], label("grade"), r["checked"], r["date"],
                                 value=text(r["grade"]), allowed=allowed,
                                 suggest=_suggest(text(r["grade"]), grades)))
            continue
        again = grade_of(r["recheck_grade"], grades) if text(r["recheck_grade"]) else None
        if text(r["recheck_grade"]) and again is None:
            found.append(finding(WARNING, "check.recheck_grade", sheet, r["row"], label("recheck_grade"),
                                 r["checked"], r["date"], value=text(r["recheck_grade"]), allowed=allowed,
                                 suggest=_suggest(text(r["recheck_grade"]), grades)))
        recheck = r["recheck_date"] if r["recheck_date"] is not None and r["recheck_date"] <= ctx.as_of else None
        failing = grade == fails
        due = r["date"] + timedelta(weeks=recheck_weeks)
        done = failing and again is not None
        pending = failing and not done
        if failing:
            _recheck_findings(found, sheet, label, r, due, again, recheck, pending, fails, ctx.as_of, recheck_weeks)
        for tid in r["checked"]:
            rows.append((r["row"], r["date"], r["item"], tid, grade, failing, grade in below, r["recheck_date"],
                         again if failing else None, due if failing else None, pending,
                         pending and ctx.as_of > due, tuple(r["checkers"])))
    frame = pd.DataFrame(rows, columns=COLUMNS) if rows else _empty()
    return frame, found


def _recheck_findings(found, sheet, label, r, due: date, again, recheck, pending, fails, as_of, weeks) -> None:
    people, day = r["checked"], r["date"]
    if pending and as_of > due:
        found.append(finding(WARNING, "check.recheck_overdue", sheet, r["row"], label("recheck_date"), people, day,
                             item=r["item"], grade=fails, weeks=weeks, due=due,
                             planned=r["recheck_date"] or ""))
    if again is not None and r["recheck_date"] is not None and r["recheck_date"] > due:
        found.append(finding(WARNING, "check.recheck_late", sheet, r["row"], label("recheck_date"), people, day,
                             item=r["item"], weeks=weeks, due=due, when=r["recheck_date"]))
    if again == fails:
        found.append(finding(WARNING, "check.failed_again", sheet, r["row"], label("recheck_grade"), people,
                             r["recheck_date"] or day, item=r["item"], grade=fails))


def _suggest(value: str, grades) -> str:
    near = closest(value, grades) if value else None
    return f"是不是“{near}”？" if near else ""


def checks_held(graded: pd.DataFrame) -> pd.DataFrame:
    """One row per check held (distinct 日期 + 检查项目), with everyone who checked it:
    what 指标 项目 常规检查 counts (学校: checks held; a role: checks made, by 检查人)."""
    if not len(graded):
        return pd.DataFrame({"date": [], "item": [], "checkers": []})
    held = {}
    for d, item, who in zip(graded["date"], graded["item"], graded["checkers"]):
        held.setdefault((d, item), set()).update(who)
    return pd.DataFrame([(d, item, tuple(sorted(w))) for (d, item), w in held.items()],
                        columns=["date", "item", "checkers"])


def rechecks_due(graded: pd.DataFrame, first: date, last: date) -> pd.DataFrame:
    """Pending 复查 to be done between ``first`` and ``last``: by the 复查日期 planned, or
    else by the deadline."""
    if not len(graded):
        return graded
    p = graded[graded["pending"].astype(bool)]
    when = [planned if planned is not None else due for planned, due in zip(p["recheck_date"], p["due"])]
    inside = np.array([first <= w <= last for w in when], dtype=bool)
    return p.assign(when=when)[inside]
