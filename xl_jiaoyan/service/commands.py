"""The library functions behind the commands: refresh, init, demo.

The CLI and the live Excel entry points are thin wrappers over these.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from xl_jiaoyan import __version__
from xl_jiaoyan.io.files import safety
from xl_jiaoyan.io.xlsx.file import FileSource, check_path, write_outputs
from xl_jiaoyan.errors import WorkbookError
from xl_jiaoyan.compute.pipeline import Progress, Result, _quiet
from xl_jiaoyan.notice.make import Notice, make_notice, read_template
from xl_jiaoyan.service.pipeline import evaluate, run
from xl_jiaoyan.service.preload import preloading

SAMPLE_NAME = "示例-教研室工作台.xlsx"
# what a refresh imports after reading: the notice (Jinja2) and the writer (XlsxWriter)
WRITER_MODULES = ("xl_jiaoyan.notice.template", "xl_jiaoyan.io.xlsx.sheet_stream",
                  "xl_jiaoyan.io.xlsx.render")


def refresh(path: Path, as_of: date | str | None = None, progress: Progress = _quiet,
            now: datetime | None = None, force: bool = False) -> tuple[Result, list[str]]:
    """Read the workbook, compute, and write the output sheets back into the same file;
    returns the result and the names of the sheets written.

    Refuses while the workbook is open in Excel, WPS or LibreOffice (unless ``force``);
    one run per workbook at a time; a backup before writing; the write is atomic."""
    check_path(Path(path))
    path = safety.real_path(path)           # a link stays a link; its target is updated
    safety.refuse_if_read_only(path)
    safety.refuse_if_open(path, force)
    with safety.run_lock(path):
        source = FileSource(path)
        try:
            with preloading(*WRITER_MODULES):        # imported while the sheets are read
                result, sheets = run(source, as_of, progress, now)
        finally:
            source.close()
        progress("备份原文件")
        backup = safety.make_backup(path)
        progress("写回工作簿")
        try:
            write_outputs(path, sheets)
        except BaseException:
            safety.drop_backup(backup, path)     # the workbook is as it was: no backup needed
            raise
    return result, [s.name for s in sheets]


def backups(path: Path) -> list[safety.Backup]:
    return safety.backups(safety.real_path(path))


def restore(path: Path, number: int, force: bool = False) -> tuple[safety.Backup, Path | None]:
    """Put backup ``number`` (1 = newest) back in place; the current file is backed up first."""
    path = safety.real_path(path)
    found = safety.backups(path)
    if not found:
        raise WorkbookError(f"没有找到 {path.name} 的备份（备份在同一文件夹的「{safety.BACKUP_DIR}」中）。")
    if not 1 <= number <= len(found):
        raise WorkbookError(f"只有 {len(found)} 个备份，请写 1 到 {len(found)} 之间的编号"
                            f"（不加编号运行 xl-jiaoyan restore {path.name} 可以列出它们）。")
    safety.refuse_if_open(path, force)
    with safety.run_lock(path):
        chosen = found[number - 1]
        return chosen, safety.restore(path, chosen)


def notice(path: Path, week: int | None = None, as_of: date | str | None = None,
           progress: Progress = _quiet) -> tuple[Notice, Result]:
    """The notice for ``week`` (default: the as-of week); writes nothing."""
    source = FileSource(Path(path))
    try:
        result = evaluate(source, as_of, progress)
        return make_notice(result, read_template(source), week), result
    finally:
        source.close()


def check(path: Path, as_of: date | str | None = None, progress: Progress = _quiet) -> Result:
    """Read and compute only: the findings, with the workbook left untouched."""
    source = FileSource(Path(path))
    try:
        return evaluate(source, as_of, progress)
    finally:
        source.close()


def init(path: Path, sample: bool = False) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise WorkbookError(f"新工作簿请用 .xlsx 作扩展名，例如 {path.stem}.xlsx。")
    if path.exists():
        raise WorkbookError(f"{path} 已经存在。为免覆盖，请换一个文件名，或先移走原文件。")
    if not path.parent.exists():
        raise WorkbookError(f"文件夹 {path.parent} 不存在。")
    from xl_jiaoyan.workbook.sample import build_sample          # the builders: only for init
    from xl_jiaoyan.workbook.template import build_workbook, default_rows
    if sample:
        build_sample(path)
    else:
        build_workbook(path, default_rows())
    return path


def bundled(name: str) -> Path:
    """A workbook shipped with the package (or, in a checkout, in workbooks/)."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "workbooks" / name, here.parent / "workbooks" / name):
        if candidate.is_file():
            return candidate
    raise WorkbookError(f"找不到随软件附带的 {name}，安装可能不完整。请重新安装 xl-jiaoyan。")


def bundled_sample() -> Path:
    return bundled(SAMPLE_NAME)


def demo(folder: Path, progress: Progress = _quiet) -> tuple[Path, Result, list[str]]:
    """Copy the bundled sample into ``folder`` (never over a file) and refresh it."""
    folder = Path(folder)
    target = folder / SAMPLE_NAME
    n = 2
    while target.exists():
        target = folder / f"示例-教研室工作台-{n}.xlsx"
        n += 1
    shutil.copyfile(bundled_sample(), target)
    return (target, *refresh(target, progress=progress))



ROLLUP_NAME = "全区汇总.xlsx"


@dataclass
class Rollup:
    schools: list            # rollup.School, the usable ones and those with a problem
    path: Path               # the district workbook written
    sheets: list[str]


def rollup(folder: Path, output: Path | None = None, as_of: date | str | None = None,
           progress: Progress = _quiet, now: datetime | None = None, workers: int | None = None,
           force: bool = False) -> Rollup:
    """Read every school workbook under ``folder`` (read only, nothing left beside them)
    and write the district workbook: its output sheets replaced, sheets the district
    added kept."""
    from xl_jiaoyan.outputs.district_sheets import district_sheets
    from xl_jiaoyan.service.rollup import read_schools, school_files
    folder = Path(folder)
    if not folder.is_dir():
        raise WorkbookError(f"找不到文件夹：{folder}。请写各校工作簿所在的文件夹。")
    output = Path(output) if output else folder.resolve().parent / ROLLUP_NAME
    if output.suffix.lower() != ".xlsx":
        raise WorkbookError(f"汇总工作簿请用 .xlsx 作扩展名，例如 {output.stem}.xlsx。")
    if not output.parent.is_dir():
        raise WorkbookError(f"文件夹 {output.parent} 不存在，请先建好或换一个保存位置。")
    if folder.resolve() in output.resolve().parents:
        # a school's workbook given as -o would get district sheets spliced into it, and
        # drop out of its own district's figures
        raise WorkbookError(f"汇总工作簿 {output.name} 在要汇总的文件夹「{folder.name}」里面，会被当成一所学校，"
                            "也可能覆盖学校交来的工作簿。请把它保存在这个文件夹之外（不写 -o 时存在文件夹旁边）。")
    files = school_files(folder, skip=output)
    if not files:
        raise WorkbookError(f"文件夹 {folder} 里没有 .xlsx 或 .xlsm 工作簿。")
    if output.exists():
        check_path(output)
        safety.refuse_if_open(output, force)
    now = now or datetime.now()
    schools = list(read_schools(folder, files, as_of, now, progress, workers))
    used = [s for s in schools if not s.problem]
    when = (f"统计截至 {as_of.isoformat() if isinstance(as_of, date) else as_of}" if as_of
            else "统计截至各校「设置」中的当前日期（没填的按今天）")
    title = (f"{when}。本表是 {now:%Y-%m-%d %H:%M} 根据文件夹「{folder.name}」中的 {len(schools)} 个工作簿"
             f"（汇总了 {len(used)} 个）自动生成的（xl-jiaoyan {__version__}），每次汇总都会整张重写，请不要在本表里修改。")
    sheets = district_sheets(schools, title)
    progress("写入汇总工作簿")
    if not output.exists():
        from xl_jiaoyan.workbook.district import new_district_book
        new_district_book(output)
    with safety.run_lock(output):
        write_outputs(output, sheets)
    return Rollup(schools, output, [s.name for s in sheets])
