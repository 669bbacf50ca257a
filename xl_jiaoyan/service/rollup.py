"""District rollup: every school workbook in a folder, computed by the school's own
pipeline, boiled down to plain figures (picklable, small) for the district sheets.

School workbooks are only read.  Each is computed in a worker process; one bad file is a
row of 未汇总的文件, never the end of the run.
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterator

from xl_jiaoyan.io.files import safety
from xl_jiaoyan.io.xlsx.file import SUFFIXES
from xl_jiaoyan.contract import ACTIVITIES, CHECKS, MATERIALS, OBSERVATIONS, PROJECTS, SHARE_ITEM, TRAININGS
from xl_jiaoyan.domain.findings import ERROR, WARNING
from xl_jiaoyan.errors import WorkbookError
from xl_jiaoyan.compute.district import STATUSES, School
from xl_jiaoyan.contract.offices import OVERDUE
from xl_jiaoyan.compute.quotas import GROUP, SCHOOL, TEACHER, capped_progress

LOCK_PREFIXES = ("~$", ".~lock.", ".")       # Excel/WPS and LibreOffice lock files, hidden files
SKIP_FOLDERS = ("xl-jiaoyan备份",)            # the tool's own backups beside a school's workbook
BAR = 24                 # characters of the progress bar


def school_files(folder: Path, skip: Path | None = None) -> list[Path]:
    """Every workbook under ``folder`` (subfolders too), lock and hidden files and the
    tool's backups left out, in a stable order."""
    out = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_FOLDERS and not d.startswith("."))
        for f in sorted(files):
            p = Path(root) / f
            if f.startswith(LOCK_PREFIXES) or p.suffix.lower() not in SUFFIXES:
                continue
            if skip is not None and p.resolve() == skip.resolve():
                continue
            out.append(p)
    return out


def summarise(result, file: str, district: str, modified: datetime, open_now: bool) -> School:
    """The district's figures of one school (pure: from the school's own Result)."""
    from xl_jiaoyan.outputs.quota_sheets import done_text, roles_text, teacher_quotas
    s = School(file, district, modified, name=result.settings.school, term=result.settings.term,
               as_of=result.as_of)
    roster, cal = result.roster, result.cal
    s.in_post = len(roster.in_post())
    notes = ["文件正在 Excel 或 WPS 中打开，汇总的是最后一次保存的内容。"] if open_now else []
    if not cal.contains(result.as_of):
        s.note = "".join([f"统计日期 {result.as_of.isoformat()} 不在本校这个学期内（{cal.start.isoformat()} 至 "
                          f"{cal.end.isoformat()}），没有统计。请核对本校「设置」中的第一周周一和学期周数。"] + notes)
        return s
    s.week = result.week
    d = result.detail
    people = d[d["kind"] == TEACHER]
    for (item, period), rows in people.groupby(["label", "period"], sort=False):
        counts = rows["status"].value_counts()
        s.counts[(item, period)] = {st: int(counts.get(st, 0)) for st in STATUSES}
    s.observed = capped_progress(people[(people["label"] == "听课") & (people["period"] == "学期")])
    s.groups = len(roster.groups())
    acts = d[(d["kind"] == GROUP) & (d["label"] == "教研活动")]
    if len(acts) and acts["due"].sum():
        s.activity_weeks = float(acts["actual"].sum() / acts["due"].sum())
    school = {r["label"]: r for r in d[d["kind"] == SCHOOL].to_dict("records")}
    if "校本培训" in school:
        s.training_months = f"{school['校本培训']['actual']}/{school['校本培训']['due']}"
    if SHARE_ITEM in school:
        r = school[SHARE_ITEM]
        s.entrants = f"{r['actual']}/{s.in_post}"
        s.entrants_quota = f"{r['quota']}人"
    tr = result.trainings
    if len(tr):
        s.reports_overdue = len({t for tids, late in zip(tr["owing"], tr["overdue"]) if late for t in tids})
    office_figures(s, result)
    s.errors = result.findings.count(ERROR)
    s.warnings = result.findings.count(WARNING)
    obs = result.observations
    if len(obs):
        counted = obs[~obs["future"].astype(bool)]
        s.last_observation = max(counted["date"]) if len(counted) else None
    skipped = [n for n in (OBSERVATIONS, ACTIVITIES, TRAININGS) if n in result.unrecorded]
    if skipped:
        notes.append("「" + "」「".join(skipped) + "」还是空的，相关指标没有统计。")
    s.note = "".join(notes)
    quotas, lookups = teacher_quotas(d)
    for tid in roster.in_post():
        lookup = lookups.get(tid, {})
        cells = {k: (done_text(r), r["status"]) for k, r in lookup.items()}
        s.teachers.append(([roster.ids[tid], roster.names[tid], roster.group[tid], roles_text(roster, tid)], cells))
    return s


def office_figures(s: School, result) -> None:
    """常规检查 待复查, 材料 逾期 and 课题 逾期 — left blank for a school without that sheet."""
    if CHECKS not in result.unrecorded:
        s.rechecks_pending = int(result.checks["pending"].astype(bool).sum()) if len(result.checks) else 0
    if MATERIALS not in result.unrecorded:
        s.materials_overdue = sum(d.status(result.as_of) == OVERDUE for d in result.dues)
    if PROJECTS not in result.unrecorded:
        s.projects_overdue = sum(bool(p.late(result.as_of)) for p in result.projects)


def read_school(job: tuple[str, str, str, date | str | None, datetime]) -> School:
    """Worker: one school workbook, read and computed as its own refresh would; any
    failure becomes the reason it was left out."""
    path, file, district, as_of, now = job
    p = Path(path)
    try:
        modified = datetime.fromtimestamp(p.stat().st_mtime).replace(microsecond=0)
    except OSError:
        modified = None
    try:
        from xl_jiaoyan.io.xlsx.file import FileSource
        from xl_jiaoyan.service.pipeline import evaluate
        source = FileSource(p)
        try:
            result = evaluate(source, as_of, now=now)
        finally:
            source.close()
        open_now = bool(safety.lock_files(p))          # the four lock-file forms refresh knows
        return summarise(result, file, district, modified, open_now)
    except WorkbookError as e:
        return School(file, district, modified, problem=str(e))
    except PermissionError:
        return School(file, district, modified, problem="没有权限读取这个文件，或文件正被其他程序独占打开。请关闭后再试。")
    except MemoryError:
        return School(file, district, modified, problem="文件太大，内存不够，没有汇总。")
    except Exception as e:      # a stranger's file: never the end of the whole rollup
        return School(file, district, modified,
                      problem=f"读取时出错（{type(e).__name__}），文件可能已损坏。请在本校用 Excel 或 WPS 打开并重新保存后再交。")


def read_schools(folder: Path, files: list[Path], as_of, now: datetime,
                 progress: Callable[[str], None], workers: int | None = None) -> Iterator[School]:
    """Each school's figures, in the order of ``files``, computed on every core."""
    jobs = []
    for p in files:
        rel = p.relative_to(folder)
        district = "/".join(rel.parts[:-1])
        jobs.append((str(p), rel.as_posix(), district, as_of, now))
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    results = map(read_school, jobs) if workers == 1 else _in_workers(jobs, workers)
    for k, school in enumerate(results, start=1):
        done = round(BAR * k / len(jobs))
        progress(f"汇总各校工作簿 [{'█' * done}{'░' * (BAR - done)}] {k}/{len(jobs)}")
        yield school


SCHOOL_SECONDS = 300        # one school's workbook read and computed: far more than any real one takes
SCHOOL_MEMORY = 4 << 30     # address space of a worker (a million-row school peaks under 1 GB)


def _bound_memory() -> None:
    """In each worker (where the system can: not Windows): a school that would take the
    machine's memory gets MemoryError, or at worst its own worker dies — its own row."""
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = SCHOOL_MEMORY if hard == resource.RLIM_INFINITY else min(SCHOOL_MEMORY, hard)
        if soft == resource.RLIM_INFINITY or soft > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=_bound_memory)


def _in_workers(jobs: list, workers: int) -> Iterator[School]:
    """``read_school`` of each job on ``workers`` processes, in order.  A worker that dies
    (a file that crashes the reader) or a school that takes over SCHOOL_SECONDS breaks the
    pool: the school being waited for is then run alone, so that the one at fault becomes
    its own row of 未汇总的文件, and the rest go on in a new pool."""
    i = 0
    while i < len(jobs):
        pool = _pool(workers)
        futures = [pool.submit(read_school, job) for job in jobs[i:]]
        try:
            for future in futures:
                school = future.result(timeout=SCHOOL_SECONDS)
                i += 1
                yield school
        except Exception:           # noqa: BLE001 (a dead worker, a timeout, an unpicklable answer)
            _stop(pool)
            yield _alone(jobs[i])
            i += 1
        finally:
            _stop(pool)


def _alone(job) -> School:
    _, file, district, _, _ = job
    pool = _pool(1)
    try:
        return pool.submit(read_school, job).result(timeout=SCHOOL_SECONDS)
    except (BrokenProcessPool, MemoryError):
        problem = "读取这个文件时程序异常退出，文件可能已损坏或是被人为构造的。请在本校用 Excel 或 WPS 打开并重新保存后再交。"
    except FutureTimeout:
        took = f"{SCHOOL_SECONDS // 60} 分钟" if SCHOOL_SECONDS >= 60 else f"{SCHOOL_SECONDS} 秒"
        problem = f"读取超过 {took}还没有完成，没有汇总。请在本校检查这个工作簿（是否特别大或已损坏）。"
    except Exception as e:      # noqa: BLE001 (never the end of the whole rollup)
        problem = f"读取时出错（{type(e).__name__}），文件可能已损坏。请在本校用 Excel 或 WPS 打开并重新保存后再交。"
    finally:
        _stop(pool)
    return School(file, district, None, problem=problem)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Shut a pool down at once, its workers killed (a hung one would never return)."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            proc.kill()
        except Exception:        # noqa: BLE001 (already gone)
            pass
    pool.shutdown(wait=False, cancel_futures=True)
