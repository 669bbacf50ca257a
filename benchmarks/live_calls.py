"""Calls into Excel per live refresh, counted on xlwings' remote engine made desktop-like.

    python benchmarks/live_calls.py [--keep DIR]

In real Excel every call costs COM (Windows) or AppleScript (macOS) round trips, so the
number of calls, not Python's time, decides how long a ribbon click takes.  Each write the
live adapter makes is one action in the remote engine's log; this script counts them for
a refresh (刷新汇总) of workbooks with 100, 1,000 and 5,000 teachers, and for 检查冲突
on a messy log whose 冲突检查 sheet has 50,000 rows.  The engine refuses what desktop
Excel lacks (tests/desktop_engine.py), so the counts are those of the desktop code path.
Needs the test extra (pytest, for its monkeypatch).
"""
from __future__ import annotations

import collections
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from _pytest.monkeypatch import MonkeyPatch  # noqa: E402

from desktop_engine import Recorder, remote_book  # noqa: E402
from generate import generate, names  # noqa: E402
from run import keep_option, work_folder  # noqa: E402

from xl_jiaoyan import excel  # noqa: E402

NOW = datetime(2026, 5, 22, 9, 0)
SIZES = [(100, 2_000), (1_000, 20_000), (5_000, 100_000)]   # teachers, observations
FINDINGS = 50_000


def messy_log(path: Path) -> None:
    """200 teachers; 听课记录 of 50,000 rows, each wrong in one of the ways staff get it
    wrong (an unknown name, a date typed as text, a weekend date), so that 冲突检查 gets
    about one row per record, errors and warnings mixed."""
    import xlsxwriter
    people = names(200)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    dfmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws = wb.add_worksheet("设置")
    ws.write_row(0, 0, ["项目", "值"])
    ws.write_row(1, 0, ["学校名称", "基准测试学校"])
    ws.write_string(2, 0, "第一周周一")
    ws.write_datetime(2, 1, datetime(2026, 3, 2), dfmt)
    ws.write_row(3, 0, ["学期周数", 20])
    ws = wb.add_worksheet("教师名册")
    ws.write_row(0, 0, ["工号", "姓名", "教研组", "备课组", "任教学科", "角色", "师傅", "在岗"])
    for i, n in enumerate(people):
        ws.write_row(i + 1, 0, [str(100000 + i), n, f"第{i // 20 + 1}组", "", "语文", "", "", "是"])
    ws = wb.add_worksheet("听课记录")
    ws.write_row(0, 0, ["日期", "节次", "听课人", "授课人", "学科", "班级", "课题", "课型"])
    for k in range(FINDINGS):
        day = date(2026, 3, 2) + timedelta(days=k % 70)
        observer = people[k % 200] + ("某" if k % 3 == 0 else "")
        ws.write_row(k + 1, 1, [1 + k % 8, observer, people[(k * 7 + 1) % 200], "语文", "一(1)班", "课题", "新授课"])
        if k % 3 == 1:
            ws.write_string(k + 1, 0, f"{day.month}月{day.day}号上午")
        else:
            ws.write_datetime(k + 1, 0, datetime(day.year, day.month, day.day) + timedelta(days=5 - day.weekday())
                              if k % 3 == 2 else datetime(day.year, day.month, day.day), dfmt)
    wb.close()


def count(path: Path, action) -> tuple[int, collections.Counter, int, float]:
    """(calls, calls per kind, rows written, seconds) of one ribbon action."""
    mp = MonkeyPatch()
    try:
        Recorder(mp, desktop=True)
        book = remote_book(path)
        start = time.perf_counter()
        action(book, now=NOW)
        took = time.perf_counter() - start
        actions = book.json()["actions"]
    finally:
        mp.undo()
    alerts = [a["args"][0] for a in actions if a["func"] == "alert" and a["args"][3] == "critical"]
    if alerts:
        raise SystemExit(f"{path.name}: {alerts[0]}")
    rows = sum(len(a["values"]) for a in actions if a["func"] == "setValues")
    return len(actions), collections.Counter(a["func"] for a in actions), rows, took


def main() -> None:
    args = keep_option().parse_args()
    work = work_folder(args.keep)
    print("calls into Excel per ribbon action (desktop code path, remote engine's action log)")
    for teachers, observations in SIZES:
        path = work / f"live-{teachers}.xlsx"
        if not path.exists():
            print(f"  generating {path.name} …", flush=True)
            generate(teachers, observations, str(path))
        calls, kinds, rows, took = count(path, excel.refresh)
        print(f"刷新汇总 {teachers:>5,} teachers, {observations:>7,} observations: {calls:4d} calls "
              f"for {rows:,} rows written ({took:.1f} s in Python)")
        print("    " + ", ".join(f"{k} {n}" for k, n in kinds.most_common(8)))
    path = work / "live-messy-log.xlsx"
    if not path.exists():
        print(f"  generating {path.name} …", flush=True)
        messy_log(path)
    calls, kinds, rows, took = count(path, excel.check)
    print(f"检查冲突 messy log, {FINDINGS:,} records: {calls:4d} calls for {rows:,} rows of 冲突检查 "
          f"({took:.1f} s in Python)")
    print("    " + ", ".join(f"{k} {n}" for k, n in kinds.most_common(8)))


if __name__ == "__main__":
    main()
