"""xl-jiaoyan doctor: what can be checked of a staff member's setup, and what to fix.

Each check is (passed, what was found, what to do); the CLI prints them in Chinese.
Nothing here changes a file.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from xl_jiaoyan.contract import SHEETS


@dataclass(frozen=True)
class Check:
    ok: bool
    found: str
    fix: str = ""


def _xlwings_version() -> str | None:
    from xl_jiaoyan.io.live.version import xlwings_version
    return xlwings_version()


def environment() -> list[Check]:
    out = []
    v = sys.version_info
    out.append(Check(v >= (3, 10), f"Python {v.major}.{v.minor}.{v.micro}（{sys.executable}）",
                     "请安装 Python 3.10 或更新的版本。"))
    xlv = _xlwings_version()
    out.append(Check(xlv is not None, f"xlwings {xlv}" if xlv else "没有安装 xlwings",
                     "请运行 pip install xlwings。"))
    from xl_jiaoyan.shell.setup import Machine, check
    out += [Check(f.ok, f.found, f.fix) for f in check(Machine.this())]
    return out


def workbook(path: Path) -> list[Check]:
    """The workbook read as refresh reads it (the same guarded reader: a hostile file is
    refused here too), its sheets found as refresh finds them (near names said)."""
    from xl_jiaoyan.domain.findings import ERROR, Findings
    from xl_jiaoyan.domain.messages import render
    from xl_jiaoyan.errors import WorkbookError
    from xl_jiaoyan.io.xlsx.file import FileSource
    from xl_jiaoyan.read.sheets import locate
    path = Path(path)
    if not path.is_file():
        return [Check(False, f"找不到 {path}", "请检查路径。")]
    try:
        source = FileSource(path)
    except WorkbookError as e:
        return [Check(False, str(e), "请用 Excel 或 WPS 打开确认，另存为 .xlsx 或 .xlsm 后再试。")]
    try:
        names, parts = source.sheet_names(), set(source.part_names())
    finally:
        source.close()
    located = locate(names)
    out = []
    missing = [s.name for s in SHEETS if s.required and s.name not in located.names]
    optional = [s.name for s in SHEETS if not s.required and s.name not in located.names]
    out.append(Check(not missing, "必需的工作表都在" if not missing else f"缺少必需的工作表：{'、'.join(missing)}",
                     "请添加这些工作表（可参照 xl-jiaoyan init 生成的模板）。"))
    said = render(Findings(located.findings), str)
    for level, message, advice in zip(said["level"], said["message"], said["advice"]):
        out.append(Check(level != ERROR, message, advice))
    if optional:
        out.append(Check(True, f"没有这些可选工作表（相应功能会跳过）：{'、'.join(optional)}"))
    has_vba = "xl/vbaProject.bin" in parts
    ribbon = any(n.startswith("customUI/") for n in parts)
    if path.suffix.lower() != ".xlsm" or not has_vba:
        out.append(Check(True, f"{path.name} 不带宏：请用命令行（xl-jiaoyan refresh）或 WPS 的文件模式使用。"
                               "要用功能区按钮，请用 xl-jiaoyan build-workbook 生成的 教研室工作台.xlsm。"))
        return out
    out.append(Check(ribbon, "有「教研室」功能区" if ribbon else "工作簿中没有功能区定义",
                     "请用 xl-jiaoyan build-workbook 重新生成工作簿，再把数据复制过去。"))
    try:
        from pyopenvba import ExcelFile
    except ImportError:
        out.append(Check(True, "没有检查工作簿中的 VBA：需要维护工具包，可用 pip install \"xl-jiaoyan[build]\" 安装。"))
        return out
    try:
        with ExcelFile(path) as f:
            modules = f.vba_modules()
    except Exception as e:
        out.append(Check(False, f"读不出工作簿中的 VBA（{type(e).__name__}）", "请用 xl-jiaoyan build-workbook 重新生成。"))
        return out
    m = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', modules.get("xlwings", ""))
    in_book, installed = (m[1] if m else None), _xlwings_version()
    out.append(Check(in_book is not None and in_book == installed,
                     f"工作簿中的 xlwings VBA 版本 {in_book or '（没有）'}，已安装的 xlwings {installed or '（没有）'}",
                     f"两者必须一致：请运行 pip install xlwings=={in_book}，"
                     "或用 xl-jiaoyan build-workbook 按已安装的版本重新生成工作簿。"))
    out.append(Check("XLJiaoyan" in modules, "有功能区回调模块 XLJiaoyan" if "XLJiaoyan" in modules
                     else "缺少功能区回调模块 XLJiaoyan", "请用 xl-jiaoyan build-workbook 重新生成工作簿。"))
    return out
