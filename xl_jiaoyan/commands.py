"""The library functions behind the commands: refresh, init, demo.

The CLI and the live Excel entry points are thin wrappers over these.
"""
from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

from .adapters import safety
from .adapters.file import FileSource, check_path, write_outputs
from .findings import WorkbookError
from .pipeline import Notice, Progress, Result, _quiet, evaluate, make_notice, read_template, run
from .workbook.sample import build_sample
from .workbook.template import build_workbook, default_rows

SAMPLE_NAME = "示例-教研室工作台.xlsx"


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
            result, sheets = run(source, as_of, progress, now)
        finally:
            source.close()
        progress("备份原文件")
        safety.make_backup(path)
        progress("写回工作簿")
        write_outputs(path, sheets)
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
    if sample:
        build_sample(path)
    else:
        build_workbook(path, default_rows())
    return path


def bundled(name: str) -> Path:
    """A workbook shipped with the package (or, in a checkout, in workbooks/)."""
    here = Path(__file__).resolve().parent
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

