"""教研室工作台.xlsm: built from macros/ on any system, checked by the build and here again
with an independent VBA reader (oletools)."""
from __future__ import annotations

import zipfile

import olefile
import pytest

from conftest import read_output, refresh
from package_check import package_problems
from xl_jiaoyan import cli
from xl_jiaoyan.shell import doctor
from xl_jiaoyan.excel import RIBBON_ACTIONS
from xl_jiaoyan.workbook import macro_book

pytest.importorskip("pyopenvba")
olevba = pytest.importorskip("oletools.olevba")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsm") / "教研室工作台.xlsm"
    assert cli.main(["build-workbook", str(path)]) == 0
    return path


def modules_by_olevba(path) -> dict[str, str]:
    parser = olevba.VBA_Parser(str(path))
    try:
        return {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def test_the_vba_round_trips_and_the_project_is_source_only(built):
    code = modules_by_olevba(built)
    assert macro_book._code(code["XLJiaoyan"]) == macro_book._code(macro_book.module_source())
    assert "Module1" not in code and "xlwings" in code                  # xlwings' sample module dropped
    with zipfile.ZipFile(built) as z:
        ole = olefile.OleFileIO(z.read("xl/vbaProject.bin"))
        assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("cc61ffff000100")
        assert z.read("customUI/customUI14.xml").decode() == macro_book.ribbon_xml()
        old = z.read("customUI/customUI.xml").decode()                 # Excel 2007's schema
        rels = z.read("_rels/.rels").decode()
    assert '<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui">' in old
    assert macro_book.ribbon_actions(old) == macro_book.ribbon_actions(macro_book.ribbon_xml())
    assert ('Type="http://schemas.microsoft.com/office/2006/relationships/ui/extensibility" '
            'Target="customUI/customUI.xml"') in rels
    assert macro_book.verify(built) == []


def test_every_ribbon_button_reaches_a_sub_and_a_python_entry_point(built):
    callbacks, ids = macro_book.ribbon_actions(macro_book.ribbon_xml())
    assert ids == {"xljy_refresh", "xljy_check", "xljy_notice", "xljy_help"} == set(RIBBON_ACTIONS)
    assert RIBBON_ACTIONS["xljy_refresh"].__name__ == "refresh" and RIBBON_ACTIONS["xljy_help"].__name__ == "show_help"
    subs = "\n".join(modules_by_olevba(built).values())
    assert all(f"Sub {cb}(control As IRibbonControl)" in subs for cb in callbacks)


def test_verify_catches_a_broken_ribbon(built, tmp_path):
    broken = tmp_path / "坏.xlsm"
    broken.write_bytes(built.read_bytes())
    xml = macro_book.ribbon_xml().replace('id="xljy_help"', 'id="xljy_print"').replace(
        'onAction="XLJY_OnRibbon"/>\n        </group>\n      </tab>', 'onAction="XLJY_Missing"/>\n        </group>\n      </tab>')
    macro_book._rewrite(broken, {"customUI/customUI14.xml": xml.encode()})
    problems = macro_book.verify(broken)
    assert "按钮 xljy_print 没有对应的 Python 入口" in problems
    assert "功能区调用的 VBA 过程 XLJY_Missing 不存在" in problems
    assert "两份功能区定义的按钮不一致" in problems


def test_the_built_workbook_refreshes_in_file_mode_keeping_macros_and_ribbon(tmp_path):
    path = tmp_path / "示例.xlsm"
    macro_book.build(path, sample=True)
    with zipfile.ZipFile(path) as z:
        before = {n: z.read(n) for n in ("xl/vbaProject.bin", "customUI/customUI14.xml")}
    assert refresh(path) == 0 and refresh(path) == 0
    with zipfile.ZipFile(path) as z:
        assert {n: z.read(n) for n in before} == before
    assert package_problems(path) == [] and macro_book.verify(path) == []
    assert len(read_output(path, "指标总览")) == 39                         # the sample's teachers in post


def test_doctor_finds_a_version_mismatch(built, capsys, monkeypatch):
    assert cli.main(["doctor", str(built)]) == 0
    monkeypatch.setattr(doctor, "_xlwings_version", lambda: "0.1.0")
    capsys.readouterr()
    assert cli.main(["doctor", str(built)]) == 1
    out = capsys.readouterr().out
    assert "✗ 工作簿中的 xlwings VBA 版本" in out and "pip install xlwings==" in out


def test_the_shipped_xlsm_is_what_the_build_makes(tmp_path):
    from xl_jiaoyan.service.commands import bundled_sample
    shipped = bundled_sample().parent / macro_book.WORKBOOK_NAME
    fresh = tmp_path / macro_book.WORKBOOK_NAME
    macro_book.build(fresh)
    assert fresh.read_bytes() == shipped.read_bytes(), \
        "workbooks/教研室工作台.xlsm is stale: run xl-jiaoyan build-workbook --replace"
