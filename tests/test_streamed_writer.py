"""The streamed writer (data rows written as sheet XML straight into the package) gives
the same sheets as writing every cell through XlsxWriter: values, styles, links, heights,
merged title, panes, filter, print setup and chart."""
from __future__ import annotations

import re
import shutil
import zipfile
from datetime import datetime

import openpyxl

from package_check import package_problems
from xl_jiaoyan.io.xlsx.file import FileSource, write_outputs
from xl_jiaoyan.service.commands import bundled_sample
from xl_jiaoyan.service.pipeline import run

NOW = datetime(2026, 11, 20, 9, 0)


def cell_look(c) -> tuple:
    """What a person sees of a cell: value, number format, font, fill, border, alignment, link."""
    f, b, a = c.font, c.border, c.alignment
    return (c.value, c.number_format, f.b, f.u, f.sz, f.color.rgb if f.color else None,
            c.fill.fgColor.rgb if c.fill.fill_type else None,
            tuple(getattr(b, side).style for side in ("left", "right", "top", "bottom")),
            a.wrap_text, a.horizontal, a.vertical, c.hyperlink.location if c.hyperlink else None)


def sheet_look(ws) -> dict:
    return {"cells": {(c.row, c.column): cell_look(c) for row in ws.iter_rows() for c in row},
            "heights": {r: d.height for r, d in ws.row_dimensions.items() if d.height},
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
            "merged": sorted(str(m) for m in ws.merged_cells.ranges), "panes": ws.freeze_panes,
            "filter": ws.auto_filter.ref, "print": (ws.print_area, ws.print_title_rows, ws.page_setup.paperSize,
                                                    ws.page_setup.orientation, ws.oddFooter.center.text)}


def charts(path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return sorted(z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/"))


def test_streamed_rows_look_exactly_as_cell_by_cell_ones(tmp_path):
    cellwise, streamed = tmp_path / "cellwise.xlsx", tmp_path / "streamed.xlsx"
    shutil.copyfile(bundled_sample(), cellwise)
    shutil.copyfile(bundled_sample(), streamed)
    source = FileSource(cellwise)
    result, sheets = run(source, now=NOW)
    source.close()
    assert any(s.links for s in sheets) and any(s.wrap for s in sheets) and any(s.charts for s in sheets)
    write_outputs(cellwise, sheets, streamed=False)
    write_outputs(streamed, sheets)
    assert package_problems(streamed) == []
    a, b = openpyxl.load_workbook(cellwise), openpyxl.load_workbook(streamed)
    assert a.sheetnames == b.sheetnames
    for s in sheets:
        left, right = sheet_look(a[s.name]), sheet_look(b[s.name])
        assert len(left["cells"]) > len(s.header) * max(len(s.rows), 1) // 2, s.name     # the rows are there
        for key in left:
            assert left[key] == right[key], (s.name, key)
    assert charts(cellwise) == charts(streamed) and charts(streamed)


def test_text_cells_escape_as_xlsxwriter_does(tmp_path):
    from xl_jiaoyan.io.xlsx.sheet_stream import text_xml
    assert text_xml(" a & <b> ") == '<t xml:space="preserve"> a &amp; &lt;b&gt; </t>'
    assert text_xml("x\x01y _x0041_") == "<t>x_x0001_y _x005F_x0041_</t>"
    assert re.fullmatch(r"<t>[^<]*</t>", text_xml("教研组长例会"))


def _both_ways(tmp_path, sheets):
    cellwise, streamed = tmp_path / "cellwise.xlsx", tmp_path / "streamed.xlsx"
    shutil.copyfile(bundled_sample(), cellwise)
    shutil.copyfile(bundled_sample(), streamed)
    write_outputs(cellwise, sheets, streamed=False)
    write_outputs(streamed, sheets)
    assert package_problems(streamed) == []
    return openpyxl.load_workbook(cellwise), openpyxl.load_workbook(streamed)


def test_awkward_values_and_columnar_sheets_stream_as_cell_by_cell(tmp_path, monkeypatch):
    """Values that take the slow road (escaping, spaces, True beside 1, empty texts, long
    and multi-line texts) and a sheet held as columns with per-row styles and links on
    part of a column, over several chunks."""
    from datetime import date
    from xl_jiaoyan.io.xlsx import sheet_stream
    from xl_jiaoyan.contract import OUT_FINDINGS
    from xl_jiaoyan.outputs.spec import ColumnRows, ColumnStyles, OutputSheet
    monkeypatch.setattr(sheet_stream, "ROWS_PER_CHUNK", 3)
    monkeypatch.setattr(sheet_stream, "MEMO_LIMIT", 4)
    texts = ["甲", " 前有空格", "a & <b>", "x\x01y", "_x0041_", "", "第一行\n第二行", "长" * 40000, "乙", "丙"]
    mixed = [True, 1, 1.0, 2.5, None, date(2026, 9, 15), datetime(2026, 9, 15, 8, 30), 10**15, "3", False]
    plain = OutputSheet(OUT_FINDINGS, "标题", ["文字", "混合", "折行"], widths=[10, 10, 12], wrap={2},
                        rows=[[t, m, t] for t, m in zip(texts, mixed)])
    plain.styles[(1, 0)] = "错误"
    plain.links[(4, 1)] = ("教师名册", 3)
    levels = ["错误", "警告", "警告", "提示", None, "提示", "错误", None, "提示", "警告"]
    columnar = OutputSheet("列表", "标题", ["级别", "行号", "说明"], widths=[6, 6, 20], wrap={2})
    notes = ["说明" * (k + 1) for k in range(10)]
    notes[4] = "说明\x00" * 6                 # a NUL inside a text: heights still per text
    columnar.rows = ColumnRows([levels, list(range(2, 12)), notes])
    columnar.styles = ColumnStyles({0: levels})
    for i in (3, 4, 5, 6):                 # links in the second and third chunks only
        columnar.links[(i, 1)] = ("听课记录", i + 2)
    a, b = _both_ways(tmp_path, [plain, columnar])
    for s in (plain, columnar):
        left, right = sheet_look(a[s.name]), sheet_look(b[s.name])
        assert len(left["cells"]) >= 10 * 3
        for key in left:
            assert left[key] == right[key], (s.name, key)
    ws = b[OUT_FINDINGS]
    assert [ws.cell(3 + i, 2).value for i in range(4)] == ["是", 1, 1, 2.5]        # True is no 1
    assert ws.cell(3, 3).value == "甲" and ws.cell(4, 1).value == " 前有空格"
    assert b["列表"].cell(6, 2).hyperlink.location == "'听课记录'!A5"
    assert b["列表"].row_dimensions[12].height == 45     # 说明×10 = 40 wide, 18 usable of 20: three lines


def test_parts_are_the_same_deflated_by_isal_or_by_zlib(tmp_path, monkeypatch):
    """Where the large extra's ISA-L deflate is installed the tool writes with it; the
    package then holds byte for byte what zlib would have written, each part with a
    correct CRC."""
    import zlib

    import pytest
    isal_zlib = pytest.importorskip("isal.isal_zlib")
    from xl_jiaoyan.io.xlsx import package
    assert package.deflater() is isal_zlib
    source = FileSource(bundled_sample())
    _, sheets = run(source, now=NOW)
    source.close()
    books = {}
    for name in ("isal", "zlib"):
        books[name] = tmp_path / f"{name}.xlsx"
        shutil.copyfile(bundled_sample(), books[name])
        if name == "zlib":
            monkeypatch.setattr(package, "deflater", lambda: zlib)
        write_outputs(books[name], sheets)
        assert package_problems(books[name]) == []
    with zipfile.ZipFile(books["isal"]) as a, zipfile.ZipFile(books["zlib"]) as b:
        assert a.testzip() is None and b.testzip() is None          # every CRC checked
        assert a.namelist() == b.namelist()
        assert all(a.read(n) == b.read(n) for n in a.namelist())
        written = [n for n in a.namelist() if n.startswith("xl/worksheets/")]
        assert any(a.getinfo(n).compress_size != b.getinfo(n).compress_size for n in written)
