"""The library functions behind the commands: refresh, init, demo.

The CLI and the live Excel entry points are thin wrappers over these.
"""
from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

from .adapters.file import FileSource, write_outputs
from .findings import WorkbookError
from .pipeline import Notice, Progress, Result, _quiet, compute, load_tables, make_notice, read_template, run
from .workbook.sample import build_sample
from .workbook.template import build_workbook, default_rows

SAMPLE_NAME = "示例-教研室工作台.xlsx"


def refresh(path: Path, as_of: date | None = None, progress: Progress = _quiet,
            now: datetime | None = None) -> tuple[Result, list[str]]:
    """Read the workbook, compute, and write the output sheets back into the same file;
    returns the result and the names of the sheets written."""
    path = Path(path)
    source = FileSource(path)
    try:
        result, sheets = run(source, as_of, progress, now)
    finally:
        source.close()
    progress("写回工作簿")
    write_outputs(path, sheets)
    return result, [s.name for s in sheets]


def notice(path: Path, week: int | None = None, as_of: date | None = None,
           progress: Progress = _quiet) -> tuple[Notice, Result]:
    """The notice for ``week`` (default: the as-of week); writes nothing."""
    source = FileSource(Path(path))
    try:
        result = compute(load_tables(source, progress), as_of, progress=progress)
        return make_notice(result, read_template(source), week), result
    finally:
        source.close()


def check(path: Path, as_of: date | None = None, progress: Progress = _quiet) -> Result:
    """Read and compute only: the findings, with the workbook left untouched."""
    source = FileSource(Path(path))
    try:
        return compute(load_tables(source, progress), as_of, progress=progress)
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


def bundled_sample() -> Path:
    """The sample workbook shipped with the package (or, in a checkout, in workbooks/)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "workbooks" / SAMPLE_NAME, here.parent / "workbooks" / SAMPLE_NAME):
        if candidate.is_file():
            return candidate
    raise WorkbookError("找不到随软件附带的示例工作簿，安装可能不完整。请重新安装 xl-jiaoyan。")


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

