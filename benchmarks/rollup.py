"""District rollup benchmark: time per school and peak memory against the number of schools.

    python benchmarks/rollup.py [--schools 50,200] [--keep DIR] [--python VENV/bin/python]

Makes one school workbook of 100 teachers and 5,000 observations (benchmarks/generate.py),
copies it into a folder of N schools spread over 学区 subfolders of 20, and runs
`xl-jiaoyan rollup` end to end in a fresh process for each N.  Peak memory is the largest
resident set of any process of the run (the main one or a worker), so a flat figure
across N shows memory does not grow with the number of schools.  Prints a Markdown table.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from run import checkout_env, keep_option, python_option, use_target, work_folder, workbook


MEASURE = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def run_rollup(cli: list[str], folder: Path, out: Path) -> tuple[float, float]:
    """(seconds, peak MB over the rollup process and its workers).  A fresh measuring
    process per run: the peak of the largest process it (and they) waited for."""
    start = time.perf_counter()
    said = subprocess.run([sys.executable, "-c", MEASURE, *cli, "rollup",
                           str(folder), "-o", str(out)], capture_output=True, text=True, check=True,
                          env=checkout_env()).stdout
    elapsed = time.perf_counter() - start
    code, peak_kb = (int(x) for x in said.split())
    if code != 0:
        raise SystemExit(f"rollup failed with exit code {code}")
    return elapsed, peak_kb / 1024


def main() -> None:
    ap = python_option(keep_option())
    ap.add_argument("--schools", default="50,200", help="comma-separated numbers of schools")
    args = ap.parse_args()
    cli = use_target(args.python)
    work = work_folder(args.keep)
    src = workbook(work, 100, 5_000)
    rows = []
    for n in (int(x) for x in args.schools.split(",")):
        folder = work / f"schools-{n}"
        if folder.exists():
            shutil.rmtree(folder)
        for k in range(n):
            sub = folder / f"第{k // 20 + 1}学区"
            sub.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, sub / f"学校{k + 1:03d}.xlsx")
        seconds, peak = run_rollup(cli, folder, work / f"全区汇总-{n}.xlsx")
        rows.append((n, seconds, peak))
        print(f"{n} schools: {seconds:.1f} s", file=sys.stderr)
    print(f"cores: {os.cpu_count()}")
    print("| schools | rollup (end to end) | per school | peak memory (largest process) |")
    print("| ---: | ---: | ---: | ---: |")
    for n, seconds, peak in rows:
        print(f"| {n} | {seconds:.1f} s | {seconds / n:.3f} s | {peak:.0f} MB |")


if __name__ == "__main__":
    main()
