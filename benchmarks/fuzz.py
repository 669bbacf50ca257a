"""Fuzzing: the sample workbook with its XML parts and zip structure mutated, run through
`xl-jiaoyan check` in worker processes.  Every case must end in a result or a Chinese
message (exit 0, 1, 2 or 4) within --timeout seconds: an internal error, a traceback, a
crashed worker or a timeout is a failure, and its file is kept for study.

    python benchmarks/fuzz.py [--cases 10000] [--seed 1] [--timeout 20] [--keep DIR]
"""
from __future__ import annotations

import argparse
import contextlib
import io
import random
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor, TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import run as bench        # this checkout first on the path  # noqa: F401

SNIPPETS = [b'<c r="XFD1048576"><v>1</v></c>', b'<x:c r="XFD9"><x:v>1</x:v></x:c>', b"<!--", b"-->",
            b"<![CDATA[", b'<row r="1048576">', b"<c>", b"<v>1e308</v>", b"&#0;", b"&bogus;", b"<xf> " * 50,
            b"<definedName>", b'<si><t>x</t></si>' * 50, b"\x00", b"\xff\xfe", b"9" * 40, b"<", b">", b'"']


def mutate(original: dict[str, bytes], rnd: random.Random) -> tuple[dict[str, bytes], str]:
    parts = dict(original)
    name = rnd.choice([n for n in parts if n.endswith((".xml", ".rels"))])
    data = bytearray(parts[name])
    kind = rnd.choice(["flip", "truncate", "duplicate", "insert", "delete"])
    if kind == "flip":
        for _ in range(rnd.randint(1, 8)):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
    elif kind == "truncate":
        del data[rnd.randrange(len(data)):]
    elif kind == "duplicate":
        a = rnd.randrange(len(data))
        b = min(len(data), a + rnd.randint(1, 4096))
        data[a:a] = data[a:b] * rnd.randint(1, 50)
    elif kind == "insert":
        at = rnd.randrange(len(data))
        data[at:at] = rnd.choice(SNIPPETS) * rnd.randint(1, 20)
    else:
        a = rnd.randrange(len(data))
        del data[a:a + rnd.randint(1, 2048)]
    parts[name] = bytes(data)
    return parts, f"{kind} {name}"


def package(parts: dict[str, bytes], rnd: random.Random) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in parts.items():
            z.writestr(n, d)
    raw = bytearray(buf.getvalue())
    if rnd.random() < 0.1:                 # the zip structure itself
        at = rnd.randrange(len(raw))
        raw[at] = rnd.randrange(256)
    return bytes(raw)


def check(raw: bytes) -> tuple[int, str]:
    """In a worker: `xl-jiaoyan check` of the bytes; (exit code, stderr)."""
    from xl_jiaoyan import cli
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "工作台.xlsx"
        path.write_bytes(raw)
        err, out = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            try:
                code = cli.main(["check", str(path)])
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else 2
            except BaseException as e:          # noqa: BLE001 (a traceback is what we look for)
                return 99, f"{type(e).__name__}: {e}"
        return code, err.getvalue()


def main() -> None:
    ap = bench.keep_option(argparse.ArgumentParser())
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=20)
    args = ap.parse_args()
    work = bench.work_folder(args.keep)
    sample = work / "fuzz-sample.xlsx"
    if not sample.exists():
        from xl_jiaoyan.service.commands import bundled_sample
        sample.write_bytes(bundled_sample().read_bytes())
    with zipfile.ZipFile(sample) as z:
        original = {n: z.read(n) for n in z.namelist()}
    rnd = random.Random(args.seed)
    codes: dict[int, int] = {}
    failures: list[tuple[int, str, str]] = []
    start = time.monotonic()
    pool = ProcessPoolExecutor(2)
    batch = []

    def settle():
        nonlocal pool
        i = 0
        while i < len(batch):
            k, how, raw, future = batch[i]
            try:
                code, err = future.result(timeout=args.timeout)
            except (FutureTimeout, BrokenProcessPool) as e:
                code, err = 98, type(e).__name__
                for proc in list((getattr(pool, "_processes", None) or {}).values()):
                    proc.kill()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = ProcessPoolExecutor(2)     # the rest of the batch again, on new workers
                batch[i + 1:] = [(k2, h2, r2, pool.submit(check, r2)) for k2, h2, r2, _ in batch[i + 1:]]
            codes[code] = codes.get(code, 0) + 1
            if code not in (0, 1, 2, 4) or "内部错误" in err or "Traceback" in err:
                failures.append((k, how, err[:300]))
                (work / f"fuzz-fail-{k}.xlsx").write_bytes(raw)
            i += 1
        batch.clear()

    for k in range(args.cases):
        parts, how = mutate(original, rnd)
        raw = package(parts, rnd)
        batch.append((k, how, raw, pool.submit(check, raw)))
        if len(batch) >= 50:
            settle()
            done = k + 1
            print(f"\r{done}/{args.cases} cases, {len(failures)} failures, {time.monotonic() - start:.0f} s",
                  end="", file=sys.stderr)
    settle()
    pool.shutdown()
    print(file=sys.stderr)
    print(f"cases: {args.cases}, seconds: {time.monotonic() - start:.0f}, exit codes: {dict(sorted(codes.items()))}, "
          f"failures: {len(failures)}")
    for k, how, err in failures[:30]:
        print(f"  case {k} ({how}): {err}")


if __name__ == "__main__":
    main()
