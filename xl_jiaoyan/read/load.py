"""The read seam's far side: a Source's sheets as the contract's tables."""
from __future__ import annotations

from typing import Callable

from xl_jiaoyan.contract import SHEETS
from xl_jiaoyan.errors import WorkbookError
from xl_jiaoyan.read.grid import Source
from xl_jiaoyan.read.sheets import locate
from xl_jiaoyan.read.table import read_table

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


class Tables(dict):
    """Contract sheet name -> its table (None when absent or empty), with the findings
    about the sheets themselves (near names) in ``found``."""
    found: list = []


def load_tables(source: Source, progress: Progress = _quiet) -> Tables:
    """Every contract sheet the workbook has, as a table (None when absent or empty); a
    near-named sheet (听课记录表) stands for its contract sheet."""
    located = locate(source.sheet_names())
    for s in SHEETS:
        if s.required and s.name in located.ambiguous:
            both = "」「".join(located.ambiguous[s.name])
            raise WorkbookError(f"工作簿中没有「{s.name}」工作表，而「{both}」都像是它，不知道该读哪一张。"
                                f"请把真正的{s.name}改名为「{s.name}」。")
        if s.required and s.name not in located.names:
            raise WorkbookError(
                f"工作簿中没有「{s.name}」工作表。请添加这个工作表（可参照 xl-jiaoyan init 生成的模板），"
                "或检查工作表名称是否写错。")
    tables = Tables()
    tables.found = located.findings
    for s in SHEETS:
        name = located.names.get(s.name)
        if name is not None:
            progress(f"读取「{name}」")
            tables[s.name] = read_table(source.grid(name, as_sheet=s.name), s)
        else:
            tables[s.name] = None
    return tables
