"""Refresh benchmark: wall time and peak memory next to the calamine read floor.

    python benchmarks/run.py [--sizes small,medium,large] [--logs tidy,messy] [--skip-openpyxl] [--keep DIR]
                             [--python VENV/bin/python]

For each size it generates a contract workbook (benchmarks/generate.py), then measures in
fresh processes, taking the median of --repeat runs (at least 11 at the school size; the
floor, the floor + pandas and the refresh are run in turn, round after round, so a machine
whose speed drifts slows all three alike):
  floor     reading every sheet of the file with python-calamine alone (to_python)
  floor + pandas   the same after `import pandas` (the school-size yardstick)
  refresh   `xl-jiaoyan refresh` end to end, process start included
  openpyxl  openpyxl load + save of the same file, for comparison
Peak memory is the child process's maximum resident set size.  Prints a Markdown table.

By default the children run this interpreter with this checkout first on their path.  With
--python they run that interpreter (a fresh virtualenv's, after `pip install .`) on the
package as it is installed there: floor, floor + pandas and refresh all in that environment,
the refresh through its `xl-jiaoyan` command, as a user runs it.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(CHECKOUT))       # every benchmark measures this checkout, not an installed copy
# school-size runs last under a second, where one slow process start moves a median of 3 by
# 15 %: they are repeated at least this many times
SCHOOL_ROUNDS = 11


# what the measured children run: this interpreter on this checkout, or (--python) another
# interpreter on the copy installed in its environment
TARGET = {"python": sys.executable, "installed": False}


def checkout_env() -> dict[str, str]:
    """The environment for child processes: this checkout's package first on their path
    (``python -m xl_jiaoyan`` would otherwise run whatever copy is installed); with
    --python, the environment as a user has it (no PYTHONPATH)."""
    env = dict(os.environ)
    if TARGET["installed"]:
        env.pop("PYTHONPATH", None)
        return env
    env["PYTHONPATH"] = os.pathsep.join([str(CHECKOUT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return env


def python_option(ap: argparse.ArgumentParser) -> argparse.ArgumentParser:
    ap.add_argument("--python", help="interpreter of an environment with xl-jiaoyan installed "
                    "(e.g. a fresh virtualenv after `pip install .`): measure that copy, not this checkout")
    return ap


def use_target(python: str | None) -> list[str]:
    """Point the children at --python (if given) and return the command that runs the tool:
    the environment's own `xl-jiaoyan` script, else `python -m xl_jiaoyan`."""
    if python:
        TARGET.update(python=str(Path(python).absolute()), installed=True)
        where = subprocess.run([TARGET["python"], "-c", "import xl_jiaoyan; print(xl_jiaoyan.__file__)"],
                               capture_output=True, text=True, env=checkout_env(), cwd=tempfile.gettempdir())
        if where.returncode:
            raise SystemExit(f"{python}: xl_jiaoyan is not installed there")
        location = Path(where.stdout.strip()).resolve()
        if CHECKOUT in location.parents:
            print(f"note: {python} runs this checkout ({location}): an editable install", file=sys.stderr)
        print(f"measuring the copy at {location.parent}", file=sys.stderr)
        bindir = Path(TARGET["python"]).parent
        script = next((p for p in (bindir / "xl-jiaoyan", bindir / "xl-jiaoyan.exe") if p.exists()), None)
        if script:
            return [str(script)]
    return [TARGET["python"], "-m", "xl_jiaoyan"]

HERE = Path(__file__).resolve().parent
SIZES = {"small": (100, 5_000), "medium": (1_000, 100_000), "large": (5_000, 1_048_575)}

FLOOR = """
import sys, python_calamine as pc
wb = pc.CalamineWorkbook.from_path(sys.argv[1])
for n in wb.sheet_names:
    wb.get_sheet_by_name(n).to_python()
"""
SCHOOL_FLOOR = "import pandas\n" + FLOOR      # the school-workbook target's yardstick
OPENPYXL = """
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
wb.save(sys.argv[2])
"""


def measure(cmd: list[str]) -> tuple[float, float]:
    """(seconds, peak MB) of one child process."""
    start = time.perf_counter()
    # an installed copy runs outside the checkout (``python -c`` would put the current folder first)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=checkout_env(),
                            cwd=tempfile.gettempdir() if TARGET["installed"] else None)
    _, rusage = os.wait4(proc.pid, 0)[1:]
    elapsed = time.perf_counter() - start
    if proc.returncode not in (None, 0):
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return elapsed, rusage.ru_maxrss / 1024


def keep_option(ap: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    """The --keep DIR option every benchmark takes."""
    ap = ap or argparse.ArgumentParser()
    ap.add_argument("--keep", help="folder for the generated workbooks (reused when present)")
    return ap


def work_folder(keep: str | None) -> Path:
    """The folder for generated workbooks: --keep DIR (reused across runs) or a new one."""
    work = Path(keep or tempfile.mkdtemp(prefix="xljy-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    return work


def workbook(work: Path, teachers: int, observations: int, events: int | None = None, messy: bool = False) -> Path:
    """A generated contract workbook of this size (``messy``: the log as districts send
    it, see generate.py), made once per folder."""
    name = f"bench-{teachers}-{observations}" + (f"-{events}" if events else "") + ("-messy" if messy else "") + ".xlsx"
    src = work / name
    if not src.exists():
        print(f"generating {name} …", file=sys.stderr)
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(teachers), str(observations), str(src)]
                       + ([str(events)] if events else []) + (["--messy"] if messy else []), check=True)
    return src


def median_of(runs: int, cmd_for) -> tuple[float, float]:
    return interleaved(runs, cmd_for)[0]


def interleaved(runs: int, *cmd_fors) -> list[tuple[float, float]]:
    """(median seconds, peak MB) of each command, run in rounds of one run each: a machine
    whose speed drifts over minutes then slows them alike, and their ratios hold."""
    results: list[list[tuple[float, float]]] = [[] for _ in cmd_fors]
    for i in range(runs):
        for out, cmd_for in zip(results, cmd_fors):
            out.append(measure(cmd_for(i)))
    return [(statistics.median(r[0] for r in res), max(r[1] for r in res)) for res in results]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="small,medium,large")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-openpyxl", action="store_true")
    ap.add_argument("--logs", default="tidy,messy", help="tidy (even spread, ~1 finding per 1,000 rows) "
                    "and/or messy (random days and periods: a large share of rows are findings)")
    args = python_option(keep_option(ap)).parse_args()
    work = work_folder(args.keep)
    cli = use_target(args.python)
    py = TARGET["python"]
    if not TARGET["installed"]:
        # bytecode up to date, as pip leaves an installed package (a checkout under
        # PYTHONDONTWRITEBYTECODE would otherwise compile every module on every run)
        subprocess.run([py, "-m", "compileall", "-q", str(HERE.parent / "xl_jiaoyan")], check=True,
                       env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    rows = []
    for log in args.logs.split(","):
        for size in args.sizes.split(","):
            teachers, observations = SIZES[size]
            src = workbook(work, teachers, observations, messy=log == "messy")

            def refresh_cmd(i):
                copy = work / f"run-{log}-{size}.xlsx"
                shutil.copyfile(src, copy)
                os.sync()      # the copy on disk before the clock starts (the refresh fsyncs its output)
                return cli + ["refresh", str(copy)]
            rounds = max(args.repeat, SCHOOL_ROUNDS) if size == "small" else args.repeat
            floor, school, refresh = interleaved(rounds, lambda i: [py, "-c", FLOOR, str(src)],
                                                 lambda i: [py, "-c", SCHOOL_FLOOR, str(src)], refresh_cmd)
            if args.skip_openpyxl:
                opx = None
            else:
                opx = median_of(1 if size == "large" else args.repeat,
                                lambda i: [py, "-c", OPENPYXL, str(src), str(work / "openpyxl-out.xlsx")])
            rows.append((log, teachers, observations, src.stat().st_size / 1e6, floor, school, refresh, opx))
            print(f"{log} {size}: floor {floor[0]:.2f}s refresh {refresh[0]:.2f}s", file=sys.stderr)
    print("| log | teachers | observations | file MB | calamine read floor | floor + import pandas | refresh (end to end) "
          "| refresh ÷ floor | refresh ÷ (floor + pandas) | openpyxl load+save |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for log, t, o, mb, floor, school, ref, opx in rows:
        o_txt = f"{opx[0]:.2f} s · {opx[1]:.0f} MB" if opx else "—"
        print(f"| {log} | {t:,} | {o:,} | {mb:.1f} | {floor[0]:.2f} s · {floor[1]:.0f} MB | {school[0]:.2f} s | "
              f"{ref[0]:.2f} s · {ref[1]:.0f} MB | {ref[0] / floor[0]:.2f} | {ref[0] / school[0]:.2f} | {o_txt} |")


if __name__ == "__main__":
    main()
