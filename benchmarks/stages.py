"""Where a refresh spends its time, stage by stage, in one process.

    python benchmarks/stages.py WORKBOOK.xlsx

Times a refresh of a copy of WORKBOOK as the command does it: imports, reading the
sheets, normalising and checking the records, quotas and the rest of compute, the
notice, describing the output sheets, and writing them back (frame, streamed rows,
splice, zip).  Prints a Markdown table.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    src = Path(sys.argv[1])
    work = Path(tempfile.mkdtemp(prefix="xljy-stages-"))
    path = work / src.name
    shutil.copyfile(src, path)
    os.sync()          # the copy on disk first: the refresh fsyncs its output, which would flush it too
    marks = [("start", time.perf_counter())]

    def mark(name):
        marks.append((name, time.perf_counter()))
    from xl_jiaoyan.adapters import safety
    from xl_jiaoyan.adapters.file import FileSource, write_outputs
    from xl_jiaoyan.pipeline import compute, describe, load_tables, read_template, weekly_notice
    mark("imports")
    source = FileSource(path)
    tables = load_tables(source)
    mark("read sheets (calamine or fastexcel -> tables)")
    result = compute(tables)
    mark(f"normalise, checks, quotas, scores ({len(result.findings):,} findings)")
    text = weekly_notice(result, read_template(source))
    mark("weekly notice")
    sheets = describe(result, path.name, set(source.sheet_names()), None, text)
    source.close()
    mark("describe output sheets")
    safety.make_backup(path)
    mark("backup")
    write_outputs(path, sheets)
    mark("write (frame, streamed rows, splice, zip)")
    total = marks[-1][1] - marks[0][1]
    print("| stage | seconds | share |")
    print("| --- | ---: | ---: |")
    for (_, before), (name, at) in zip(marks, marks[1:]):
        print(f"| {name} | {at - before:.2f} | {(at - before) / total:.0%} |")
    print(f"| total | {total:.2f} | |")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
