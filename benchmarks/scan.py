"""What the safety pre-scan of a received workbook costs, next to calamine reading it.

    python benchmarks/scan.py [--sizes small,medium,large] [--keep DIR]

Before calamine reads a workbook, file mode streams every part it will read through
``adapters/sheet_scan.py`` (declared sizes, CRC, the area each sheet would be laid out
as).  This script times, in fresh processes (median of 3; imports excluded):
  scan      opening the workbook as a FileSource and scanning every sheet
  floor     python-calamine reading every sheet (to_python)
and prints a Markdown table with the scan as a share of the floor.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

from run import SIZES, checkout_env, keep_option, work_folder, workbook

SCAN = """
import sys, time
from pathlib import Path
from xl_jiaoyan.io.xlsx.file import FileSource
start = time.perf_counter()
s = FileSource(Path(sys.argv[1]))
for n in s.sheet_names():
    s._scan(n)
print(time.perf_counter() - start)
"""
FLOOR = """
import sys, time, python_calamine as pc
start = time.perf_counter()
wb = pc.CalamineWorkbook.from_path(sys.argv[1])
for n in wb.sheet_names:
    wb.get_sheet_by_name(n).to_python()
print(time.perf_counter() - start)
"""


def timed(script: str, path) -> float:
    """Seconds the script itself reports (imports excluded), median of three processes."""
    runs = [float(subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                                 text=True, check=True, env=checkout_env()).stdout) for _ in range(3)]
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="small,medium,large")
    args = keep_option(ap).parse_args()
    work = work_folder(args.keep)
    print("| size | teachers | observations | scan s | floor s | scan / floor |")
    print("|---|---|---|---|---|---|")
    for size in args.sizes.split(","):
        teachers, obs = SIZES[size]
        path = workbook(work, teachers, obs)
        scan, floor = timed(SCAN, path), timed(FLOOR, path)
        print(f"| {size} | {teachers:,} | {obs:,} | {scan:.2f} | {floor:.2f} | {scan / floor:.2f} |", flush=True)


if __name__ == "__main__":
    main()
