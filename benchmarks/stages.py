"""Where a refresh spends its time, stage by stage.

    python benchmarks/stages.py WORKBOOK.xlsx

Runs `commands.refresh` — what `xl-jiaoyan refresh` runs — on a copy of WORKBOOK and
times the stretches between its progress messages (reading each sheet, checking the
records, quotas, the notice, the backup, writing back).  Prints a Markdown table.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import run     # puts this checkout's package first on the path (run.CHECKOUT)


def main() -> None:
    src = Path(sys.argv[1])
    work = Path(tempfile.mkdtemp(prefix="xljy-stages-"))
    path = work / src.name
    shutil.copyfile(src, path)
    os.sync()          # the copy on disk first: the refresh fsyncs its output, which would flush it too
    print(f"measuring the package in {run.CHECKOUT}", file=sys.stderr)
    start = time.perf_counter()
    from xl_jiaoyan.service import commands
    marks = [("imports", time.perf_counter())]
    names = {"整理记录": "read sheets", "计算指标": "normalise records, checks",
             "生成本周通知": "quotas, scores", "备份原文件": "weekly notice, describe output sheets",
             "写回工作簿": "backup"}

    def progress(message: str) -> None:
        if message in names:
            marks.append((names[message], time.perf_counter()))
    result, _ = commands.refresh(path, progress=progress)
    marks.append((f"write back ({len(result.findings):,} findings)", time.perf_counter()))
    print("| stage | seconds | share |")
    print("| --- | ---: | ---: |")
    total = marks[-1][1] - start
    before = start
    for name, at in marks:
        print(f"| {name} | {at - before:.2f} | {(at - before) / total:.0%} |")
        before = at
    print(f"| total | {total:.2f} | |")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
