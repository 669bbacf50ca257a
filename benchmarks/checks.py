"""Conflict-check benchmark: 200,000 observations and 5,000 events (1,000 teachers).

    python benchmarks/checks.py [--keep DIR]

Times `xl-jiaoyan check` end to end (fresh process, median of 3) and, in-process, the
pure computation alone; prints the number of findings per category.
"""
from __future__ import annotations

import collections
import statistics
import sys
import time

from run import keep_option, measure, work_folder, workbook

from xl_jiaoyan.io.xlsx.file import FileSource
from xl_jiaoyan.compute.pipeline import compute
from xl_jiaoyan.read.load import load_tables

TEACHERS, OBSERVATIONS, EVENTS = 1_000, 200_000, 5_000


def main() -> None:
    args = keep_option().parse_args()
    src = workbook(work_folder(args.keep), TEACHERS, OBSERVATIONS, EVENTS)
    runs = [measure([sys.executable, "-m", "xl_jiaoyan", "check", str(src), "--format", "csv"])
            for _ in range(3)]
    source = FileSource(src)
    tables = load_tables(source)
    start = time.perf_counter()
    result = compute(tables)
    core = time.perf_counter() - start
    print(f"{OBSERVATIONS:,} observations, {EVENTS:,} events, {TEACHERS:,} teachers")
    print(f"check end to end: {statistics.median(r[0] for r in runs):.2f} s, "
          f"peak {max(r[1] for r in runs):.0f} MB; computation alone {core:.2f} s")
    for category, n in collections.Counter(f.category for f in result.findings).most_common():
        print(f"  {category}: {n}")


if __name__ == "__main__":
    main()
