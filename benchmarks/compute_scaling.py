"""How the pure computations grow: time of pipeline.compute (and describe) alone, per size.

    python benchmarks/compute_scaling.py [--keep DIR]

Reading is excluded: the workbooks are loaded first, then the core is timed in-process.
Uses the same generated workbooks as run.py.
"""
from __future__ import annotations

import time

from run import keep_option, SIZES, work_folder, workbook

from xl_jiaoyan.io.xlsx.file import FileSource
from xl_jiaoyan.compute.pipeline import compute
from xl_jiaoyan.outputs.describe import describe
from xl_jiaoyan.read.load import load_tables


def main() -> None:
    args = keep_option().parse_args()
    work = work_folder(args.keep)
    print("| teachers | observations | compute | describe | µs per observation |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for teachers, observations in SIZES.values():
        src = workbook(work, teachers, observations)
        source = FileSource(src)
        tables = load_tables(source)
        start = time.perf_counter()
        result = compute(tables)
        mid = time.perf_counter()
        describe(result, src.name, set(source.sheet_names()))
        end = time.perf_counter()
        print(f"| {teachers:,} | {observations:,} | {mid - start:.2f} s | {end - mid:.2f} s | "
              f"{(mid - start) / observations * 1e6:.1f} |")


if __name__ == "__main__":
    main()
