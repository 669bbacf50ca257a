"""What the commands report, as text and records: the CLI and the ribbon only print it.

The refresh summary, ``check``'s findings as records (JSON/CSV) and as grouped text, and
the rollup's summary.  Findings are worded once, by ``domain.messages.render``.
"""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from xl_jiaoyan.contract import FINDING_COLUMNS
from xl_jiaoyan.domain.findings import ERROR, HINT, WARNING
from xl_jiaoyan.domain.textsafe import csv_cell, printable

if TYPE_CHECKING:
    from xl_jiaoyan.compute.pipeline import Result
    from xl_jiaoyan.service.commands import Rollup

LEVELS = (ERROR, WARNING, HINT)


def level_counts(result: Result) -> str:
    """'错误 1 条，警告 3 条，提示 2 条'."""
    return "，".join(f"{lv} {result.findings.count(lv)} 条" for lv in LEVELS)


def summary(result: Result, path: Path, written: list[str]) -> str:
    """What refresh (and demo, and the refresh window) says when it is done."""
    from xl_jiaoyan.compute.quotas import BEHIND, MET, MISSED, ON_PACE, TEACHER
    d = result.detail
    people = d[d["kind"] == TEACHER]
    counts = people["status"].value_counts()
    lines = [f"统计截至 {result.as_of.isoformat()}（第 {result.week} 周，共 {result.cal.weeks} 周）。",
             f"教师指标 {len(people)} 项：" + "，".join(f"{s} {int(counts.get(s, 0))}"
                                                  for s in (MET, ON_PACE, BEHIND, MISSED)) + "。"]
    behind = d[d["status"].isin([BEHIND, MISSED])].sort_values("gap", ascending=False, kind="stable")
    if len(behind):
        lines.append("差额最大的几项：")
        for r in behind.head(5).to_dict("records"):
            who = f"{r['name']}（{r['team']}）" if r["kind"] == TEACHER and r["team"] else f"{r['name']} "
            lines.append(f"  {who}{r['item']}：应完成 {r['due']}，实际 {r['actual']}，差 {r['gap']}")
    lines.append(f"冲突检查：错误 {result.findings.count(ERROR)} 条，警告 {result.findings.count(WARNING)} 条，"
                 f"提示 {result.findings.count(HINT)} 条（错误的记录未计入统计）。")
    lines.append(f"结果已写入：{path}（工作表" + "".join(f"「{s}」" for s in written) + "）")
    return "\n".join(lines)


def finding_rows(result: Result) -> list[dict]:
    """The 冲突检查 rows as records keyed by the sheet's own column names (dates as ISO text)."""
    from xl_jiaoyan.domain.messages import RENDERED, render
    cols = render(result.findings, result.roster.label)
    return [{k: v.isoformat() if isinstance(v, date) else v for k, v in zip(FINDING_COLUMNS, values)}
            for values in zip(*(cols[c] for c in RENDERED))]


def write_csv(rows: list[dict], out: TextIO, terminal: bool = False) -> None:
    """The records as CSV; fields a spreadsheet would evaluate are neutralised, and on a
    terminal (``terminal``) control characters are shown escaped as everywhere else."""
    w = csv.DictWriter(out, FINDING_COLUMNS, lineterminator="\r\n")
    w.writeheader()
    if terminal:
        w.writerows({k: printable(str(csv_cell(v))) for k, v in r.items()} for r in rows)
    else:
        w.writerows({k: csv_cell(v) for k, v in r.items()} for r in rows)


def _one_line(v) -> str:
    """A cell value inside one line of ``check``'s text: a line break in it shown as \\n,
    so that no cell can make a line that looks like a finding of its own."""
    return str(v).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def check_text(result: Result, name: str) -> list[str]:
    """``check``'s findings grouped by category, one line each."""
    rows = finding_rows(result)
    lines = [f"检查 {name}（统计截至 {result.as_of.isoformat()}）：{level_counts(result)}。"]
    groups: dict[str, list[dict]] = {}
    level, category, sheet, row, column, person, day, message, advice = FINDING_COLUMNS
    for r in rows:
        groups.setdefault(r[category], []).append(r)
    for cat, items in groups.items():
        lines.append(f"\n【{cat}】{len(items)} 条")
        for r in items:
            r = {k: _one_line(v) if isinstance(v, str) else v for k, v in r.items()}
            place = f"「{r[sheet]}」" + (f"第 {r[row]} 行" if r[row] else "") + (f"「{r[column]}」列" if r[column] else "")
            who = f" {r[person]}" if r[person] else ""
            when = f" {r[day]}" if r[day] else ""
            lines.append(f"  {r[level]} {place}{who}{when}：{r[message]} {r[advice]}")
    return lines


def calls(schools: list) -> list:
    """The schools that need a call from the district, the most pressing first (the order
    学校汇总 lists them in, and the rollup's summary names)."""
    dated = [s for s in schools if not s.problem and s.week is not None]
    return sorted((s for s in dated if s.concerns()), key=lambda s: s.call_order())


def rollup_summary(done: Rollup) -> str:
    used = [s for s in done.schools if not s.problem]
    dated = [s for s in used if s.week is not None]
    lines = [f"共 {len(done.schools)} 个工作簿，汇总了 {len(used)} 所学校"
             + (f"，{len(done.schools) - len(used)} 个没能汇总（原因见「未汇总的文件」）" if len(used) < len(done.schools)
                else "") + "。"]
    if len(dated) < len(used):
        lines.append("统计日期不在学期内、没有统计的学校：" + "、".join(s.name or s.file for s in used if s.week is None) + "。")
    pressing = calls(done.schools)
    if pressing:
        lines.append(f"需要关注的学校 {len(pressing)} 所" + ("，前 5 所：" if len(pressing) > 5 else "："))
        lines += [f"  {s.name}{'（' + s.district + '）' if s.district else ''}：{'；'.join(s.concerns())}"
                  for s in pressing[:5]]
    elif dated:
        lines.append("各校都在进度内，没有需要特别关注的学校。")
    lines.append(f"结果已写入：{done.path}（工作表" + "".join(f"「{n}」" for n in done.sheets) + "）")
    return "\n".join(lines)
