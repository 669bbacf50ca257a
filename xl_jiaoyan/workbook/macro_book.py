"""Build 教研室工作台.xlsm: the contract workbook with xlwings' VBA, our ribbon callback
module and the 教研室 ribbon tab, made on any system from texts in ``macros/``.

The VBA project starts from xlwings' own standalone template in the installed xlwings,
so the xlwings module always matches the installed Python package.  Its sample
``Module1`` is dropped and ``XLJiaoyan`` (one generic ribbon callback) is added; the
project is kept source-only (``_VBA_PROJECT`` of 7 bytes: Excel compiles on open).
The build checks itself and refuses to leave a file that fails a check.
"""
from __future__ import annotations

import os
import re
import tempfile
import zipfile
from pathlib import Path

from xl_jiaoyan.errors import WorkbookError
from xl_jiaoyan.workbook.sample import sample_rows
from xl_jiaoyan.workbook.template import build_workbook, default_rows

MODULE = "XLJiaoyan"
RIBBON_PART = "customUI/customUI14.xml"
RIBBON_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
RIBBON_NS = "http://schemas.microsoft.com/office/2009/07/customui"
# Excel 2007 and editors that know only the first ribbon schema read this part; Excel
# 2010+ prefers customUI14.xml when both are present.  Same controls, older namespace.
RIBBON_PART_2006 = "customUI/customUI.xml"
RIBBON_REL_2006 = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
RIBBON_NS_2006 = "http://schemas.microsoft.com/office/2006/01/customui"
SOURCE_ONLY = bytes.fromhex("cc61ffff000100")   # _VBA_PROJECT: version 0xFFFF, no p-code cache
WORKBOOK_NAME = "教研室工作台.xlsm"


def macros_folder() -> Path:
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "macros", here.parent / "macros"):
        if (candidate / "customUI14.xml").is_file():
            return candidate
    raise WorkbookError("找不到 macros 文件夹（功能区和 VBA 的源文件），安装可能不完整。")


def xlwings_template() -> Path:
    import xlwings
    path = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    if not path.is_file():
        raise WorkbookError(f"已安装的 xlwings {xlwings.__version__} 中没有 quickstart_standalone.xlsm。")
    return path


def module_source() -> str:
    return (macros_folder() / f"{MODULE}.bas").read_text(encoding="ascii")


def ribbon_xml() -> str:
    return (macros_folder() / "customUI14.xml").read_text(encoding="utf-8")


def ribbon_xml_2006() -> str:
    """The same ribbon in the 2006 schema (tabs, groups and buttons are the same there)."""
    xml = ribbon_xml()
    if f'xmlns="{RIBBON_NS}"' not in xml:
        raise WorkbookError("macros/customUI14.xml 的命名空间不是 2009 版功能区的命名空间。")
    return xml.replace(f'xmlns="{RIBBON_NS}"', f'xmlns="{RIBBON_NS_2006}"')


def _vba_project() -> bytes:
    from pyopenvba import ExcelFile
    with ExcelFile(xlwings_template()) as f:
        return f.vba_project_bytes()


def _set_vba_stream(path: Path, stream: str, data: bytes) -> None:
    """Replace one stream of the package's vbaProject.bin (same-size streams only)."""
    import olefile
    with zipfile.ZipFile(path) as z:
        blob = z.read("xl/vbaProject.bin")
    with tempfile.NamedTemporaryFile(suffix=".bin", delete=False) as tmp:
        tmp.write(blob)
    try:
        with olefile.OleFileIO(tmp.name, write_mode=True) as ole:
            ole.write_stream(stream, data)
        _rewrite(path, {"xl/vbaProject.bin": Path(tmp.name).read_bytes()})
    finally:
        os.unlink(tmp.name)


def _rewrite(path: Path, replace: dict[str, bytes]) -> None:
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        names = src.namelist()
        for name in names:
            out.writestr(src.getinfo(name), replace.pop(name, None) or src.read(name))
        for name, data in replace.items():      # new parts: fixed time, so builds compare
            out.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    os.replace(tmp, path)


def _add_ribbon(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        rels = z.read("_rels/.rels").decode("utf-8")
    rel = (f'<Relationship Id="xljyRibbon" Type="{RIBBON_REL}" Target="{RIBBON_PART}"/>'
           f'<Relationship Id="xljyRibbon2006" Type="{RIBBON_REL_2006}" Target="{RIBBON_PART_2006}"/>')
    rels = rels.replace("</Relationships>", rel + "</Relationships>")
    _rewrite(path, {"_rels/.rels": rels.encode("utf-8"), RIBBON_PART: ribbon_xml().encode("utf-8"),
                    RIBBON_PART_2006: ribbon_xml_2006().encode("utf-8")})


def build(path: Path, sample: bool = False) -> list[str]:
    """Write the .xlsm at ``path`` (with the sample semester when ``sample``); returns what
    was checked (raises on a failed check)."""
    from importlib.util import find_spec
    if find_spec("pyopenvba") is None or find_spec("olefile") is None:
        raise WorkbookError('生成 .xlsm 需要维护工具包，请先运行 pip install "xl-jiaoyan[build]"。')
    from pyopenvba import ExcelFile
    path = Path(path)
    if path.suffix.lower() != ".xlsm":
        raise WorkbookError("带功能区的工作簿请用 .xlsm 作扩展名。")
    scratch = path.with_name(path.stem + ".scratch.xlsm")
    try:
        rows, merges = sample_rows() if sample else (default_rows(), None)
        build_workbook(scratch, rows, merges, vba_project=_vba_project())
        with ExcelFile(scratch) as f:
            project = f.vba_project()
            if "Module1" in project.module_names():
                project.delete_module("Module1")
            project.add_module(MODULE, module_source().replace("\r\n", "\n").replace("\n", "\r\n"))
            f.save(path)
    finally:
        if scratch.exists():
            scratch.unlink()
    _set_vba_stream(path, "VBA/_VBA_PROJECT", SOURCE_ONLY)
    _add_ribbon(path)
    problems = verify(path)
    if problems:
        path.unlink()
        raise WorkbookError("生成的工作簿没有通过自检：" + "；".join(problems))
    return CHECKS


CHECKS = ["VBA 源码读回与 macros/XLJiaoyan.bas 一致", "_VBA_PROJECT 为 7 字节的纯源码形式",
          "功能区有 2009 版（customUI14.xml）和 2006 版（customUI.xml，Excel 2007 用）两份，内容一致",
          "功能区每个 onAction 都是工作簿中存在的 VBA 过程", "功能区每个按钮 id 都由 on_ribbon 处理",
          "xlwings 模块与已安装的 xlwings 一致"]


def _code(source: str) -> list[str]:
    return [line.rstrip() for line in source.replace("\r\n", "\n").split("\n")
            if line.strip() and not line.startswith("Attribute ")]


def ribbon_actions(xml: str) -> tuple[set[str], set[str]]:
    """(onAction callbacks, ids of controls that have one) of a customUI document."""
    callbacks, ids = set(), set()
    for tag in re.findall(r"<\w+\b[^>]*\bonAction=\"[^\"]*\"[^>]*>", xml):
        callbacks.add(re.search(r'onAction="([^"]*)"', tag)[1])
        ids.add(re.search(r'\bid="([^"]*)"', tag)[1])
    return callbacks, ids


def verify(path: Path) -> list[str]:
    """What is wrong with a built workbook (empty: nothing)."""
    import olefile
    from pyopenvba import ExcelFile

    from xl_jiaoyan.contract import RIBBON_BUTTONS
    problems = []
    with ExcelFile(path) as f:
        modules = f.vba_modules()
    if _code(modules.get(MODULE, "")) != _code(module_source()):
        problems.append(f"{MODULE} 模块的源码读回不一致")
    with ExcelFile(xlwings_template()) as f:
        if _code(modules.get("xlwings", "")) != _code(f.vba_modules().get("xlwings", "")):
            problems.append("xlwings 模块与已安装的 xlwings 不一致")
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        ole = olefile.OleFileIO(z.read("xl/vbaProject.bin"))
        if ole.openstream("VBA/_VBA_PROJECT").read() != SOURCE_ONLY:
            problems.append("_VBA_PROJECT 不是纯源码形式")
        xml = z.read(RIBBON_PART).decode("utf-8") if RIBBON_PART in names else ""
        xml_2006 = z.read(RIBBON_PART_2006).decode("utf-8") if RIBBON_PART_2006 in names else ""
        rels = z.read("_rels/.rels").decode("utf-8")
    if RIBBON_REL not in rels or not xml:
        problems.append("缺少功能区部件或其关系")
    if RIBBON_REL_2006 not in rels or f'xmlns="{RIBBON_NS_2006}"' not in xml_2006:
        problems.append("缺少 2006 版功能区部件（customUI.xml）或其关系")
    elif ribbon_actions(xml_2006) != ribbon_actions(xml):
        problems.append("两份功能区定义的按钮不一致")
    callbacks, ids = ribbon_actions(xml)
    subs = {m.group(1) for src in modules.values()
            for m in re.finditer(r"^\s*(?:Public\s+)?Sub\s+(\w+)", src, re.M | re.I)}
    for cb in sorted(callbacks - subs):
        problems.append(f"功能区调用的 VBA 过程 {cb} 不存在")
    for i in sorted(ids - set(RIBBON_BUTTONS)):
        problems.append(f"按钮 {i} 没有对应的 Python 入口")
    return problems
