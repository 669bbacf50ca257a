"""File-mode write-back: output sheets spliced in, everything else kept byte for byte."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from conftest import HEAD, book, read_output, refresh, refresh_column_wise, settings_rows
from package_check import package_problems
from xl_jiaoyan.io.xlsx.package import Package

BOOKKEEPING = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
               "docProps/app.xml", "xl/styles.xml"}
OUTPUTS = ["指标总览", "指标明细", "教研组统计", "冲突检查", "本周通知"]


def sample_sheets():
    return book(设置=settings_rows(as_of=date(2026, 4, 1)),
                指标=[HEAD["指标"], ["教师", "听课", "学期", 15, ""]],
                听课记录=[[date(2026, 3, 3), 1, "张三", "李四", "语文", "", "", ""],
                       [date(2026, 3, 3), 1, "张三", "王小二", "语文", "", "", ""]])


def add_macros(src: Path, dst: Path) -> None:
    """Turn an .xlsx into an .xlsm holding a VBA project and a customUI ribbon part."""
    xlwings = pytest.importorskip("xlwings")
    vba = zipfile.ZipFile(Path(xlwings.__file__).parent / "quickstart.xlsm").read("xl/vbaProject.bin")
    zin = zipfile.ZipFile(src)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for n in zin.namelist():
            data = zin.read(n)
            if n == "[Content_Types].xml":
                data = data.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml").replace(
                    b"<Default ", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default ', 1)
            elif n == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdVBA" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
            elif n == "_rels/.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdUI" Type="http://schemas.microsoft.com/office/2007/relationships/ui/extensibility" Target="customUI/customUI14.xml"/></Relationships>')
            z.writestr(zin.getinfo(n), data)
        z.writestr("xl/vbaProject.bin", vba)
        z.writestr("customUI/customUI14.xml",
                   '<customUI xmlns="http://schemas.microsoft.com/office/2009/07/customui"><ribbon>'
                   '<tabs><tab id="t" label="教研室"/></tabs></ribbon></customUI>')


def entries(path):
    with Package(path) as p:
        return {n: p.raw(n) for n in p.names()}


def test_two_refreshes_keep_every_other_part_byte_identical(tmp_book, tmp_path):
    xlsx = tmp_book(sample_sheets())
    path = tmp_path / "工作台.xlsm"
    add_macros(xlsx, path)
    before = entries(path)
    assert refresh(path) == 0
    first = entries(path)
    assert refresh(path, "--as-of", "2026-04-08") == 0
    second = entries(path)
    for name, raw in before.items():
        if name not in BOOKKEEPING:
            assert first[name] == raw and second[name] == raw, name   # compressed bytes copied
    new = set(second) - set(before)
    sheets = [n for n in new if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
    assert len(sheets) == len(OUTPUTS)
    assert sorted(re.sub(r"\d+", "N", n) for n in set(new) - set(sheets)) == [   # 教研组统计's chart
        "xl/charts/chartN.xml", "xl/drawings/_rels/drawingN.xml.rels", "xl/drawings/drawingN.xml",
        "xl/worksheets/_rels/sheetN.xml.rels"]
    assert set(first) == set(second)
    assert first["xl/styles.xml"] == second["xl/styles.xml"]           # no growth on refresh
    assert package_problems(path) == []
    wb = openpyxl.load_workbook(path, keep_vba=True)
    assert wb.sheetnames[-len(OUTPUTS):] == OUTPUTS and wb.sheetnames.count("指标明细") == 1
    assert "2026-04-08" in wb["指标明细"]["A1"].value
    ct = zipfile.ZipFile(path).read("[Content_Types].xml").decode()
    assert "macroEnabled" in ct and "vbaProject" in ct


def test_output_sheets_read_back_and_link(tmp_book):
    path = tmp_book(sample_sheets())
    assert refresh(path) == 0
    found = read_output(path, "冲突检查")
    row = found[found["类别"] == "未知人员"].iloc[0]
    assert row["工作表"] == "听课记录" and row["行号"] == 3 and row["人员"] == "王小二"
    ws = openpyxl.load_workbook(path)["冲突检查"]
    cell = next(c for c in ws["D"] if c.value == 3)
    assert cell.hyperlink.location == "'听课记录'!A3"
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref.startswith("A2")


def test_refuses_to_overwrite_a_sheet_it_did_not_write(tmp_book, capsys):
    sheets = sample_sheets()
    sheets["指标明细"] = [["我自己的表"], ["重要数据"]]
    path = tmp_book(sheets)
    before = path.read_bytes()
    assert refresh(path) == 2
    assert "「指标明细」" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_workbook_with_input_sheets_untouched_by_value(tmp_book):
    path = tmp_book(sample_sheets())
    wb = openpyxl.load_workbook(path)
    before = {ws.title: [[c for c in r] for r in ws.iter_rows(values_only=True)] for ws in wb}
    assert refresh(path) == 0
    wb = openpyxl.load_workbook(path)
    after = {ws.title: [[c for c in r] for r in ws.iter_rows(values_only=True)] for ws in wb
             if ws.title not in OUTPUTS}
    assert after == before


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_refreshed_workbook(tmp_book, tmp_path):
    path = tmp_book(sample_sheets())
    assert refresh(path) == 0
    assert refresh(path) == 0
    out = tmp_path / "pdf"
    r = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(path)],
                       capture_output=True, timeout=180)
    pdf = out / (path.stem + ".pdf")
    assert r.returncode == 0 and pdf.exists() and pdf.stat().st_size > 1000


def tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\xff\x80\x00" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def rich_workbook(path: Path) -> None:
    """A staff workbook with everything openpyxl would damage: chart, image, comments,
    validation, conditional formats, a table, defined names, VBA and a ribbon part."""
    import io

    import xlsxwriter
    xlwings = pytest.importorskip("xlwings")
    vba = zipfile.ZipFile(Path(xlwings.__file__).parent / "quickstart.xlsm").read("xl/vbaProject.bin")
    tmp = path.with_suffix(".tmp.xlsm")
    bin_path = path.parent / "vbaProject.bin"
    bin_path.write_bytes(vba)
    wb = xlsxwriter.Workbook(str(tmp))
    wb.add_vba_project(str(bin_path))
    for name, rows in sample_sheets().items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if isinstance(v, date):
                    ws.write_datetime(r, c, datetime_of(v), wb.add_format({"num_format": "yyyy-mm-dd"}))
                elif v is not None:
                    ws.write(r, c, v)
    ws = wb.add_worksheet("我的图表")
    ws.write_row(0, 0, ["组别", "听课"])
    for i, (g, n) in enumerate([("语文组", 30), ("数学组", 24), ("英语组", 18)], start=1):
        ws.write_row(i, 0, [g, n])
    ws.add_table("A1:B4", {"name": "听课统计", "columns": [{"header": "组别"}, {"header": "听课"}]})
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"categories": "='我的图表'!$A$2:$A$4", "values": "='我的图表'!$B$2:$B$4"})
    ws.insert_chart("D2", chart)
    ws.insert_image("D20", "logo.png", {"image_data": io.BytesIO(tiny_png())})
    ws.write_comment("B2", "教研室备注：含外出听课")
    ws.data_validation("C2:C4", {"validate": "list", "source": ["是", "否"]})
    ws.conditional_format("B2:B4", {"type": "data_bar"})
    ws.conditional_format("B2:B4", {"type": "cell", "criteria": ">", "value": 20,
                                    "format": wb.add_format({"bg_color": "#FFC7CE"})})
    wb.define_name("听课合计", "='我的图表'!$B$2:$B$4")
    wb.close()
    zin = zipfile.ZipFile(tmp)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n in zin.namelist():
            data = zin.read(n)
            if n == "_rels/.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdUI" Type="http://schemas.microsoft.com/office/2007/relationships/ui/extensibility" Target="customUI/customUI14.xml"/></Relationships>')
            z.writestr(zin.getinfo(n), data)
        z.writestr("customUI/customUI14.xml",
                   '<customUI xmlns="http://schemas.microsoft.com/office/2009/07/customui"><ribbon>'
                   '<tabs><tab id="t" label="教研室"/></tabs></ribbon></customUI>')
    tmp.unlink()


def datetime_of(d):
    from datetime import datetime
    return datetime(d.year, d.month, d.day)


def test_rich_workbook_survives_two_refreshes(tmp_path):
    path = tmp_path / "工作台.xlsm"
    rich_workbook(path)
    before = entries(path)
    with Package(path) as p:
        texts = {n: p.text(n) for n in before if n.startswith("xl/worksheets/sheet")}
    kinds = " ".join(before)
    for part in ("xl/charts/", "xl/media/", "xl/comments", "xl/tables/", "xl/drawings/",
                 "xl/vbaProject.bin", "customUI/customUI14.xml", "vmlDrawing"):
        assert part in kinds, part
    assert refresh(path) == 0
    assert refresh(path, "--as-of", "2026-04-15") == 0
    after = entries(path)
    changed = {n for n in before if before[n] != after.get(n)}
    # the tab selected before is deselected (the book opens on 指标总览): that attribute alone
    selected = {n for n in changed if n.startswith("xl/worksheets/")}
    assert len(selected) == 1 and changed - selected <= BOOKKEEPING, changed - BOOKKEEPING
    part = selected.pop()
    with Package(path) as p:
        assert p.text(part) == texts[part].replace(' tabSelected="1"', "", 1) != texts[part]
    assert package_problems(path) == []
    wb = openpyxl.load_workbook(path, keep_vba=True)
    assert wb.active.title == "指标总览" and [ws.title for ws in wb if ws.sheet_view.tabSelected] == ["指标总览"]
    assert wb.defined_names["听课合计"].attr_text == "'我的图表'!$B$2:$B$4"
    assert "听课统计" in wb["我的图表"].tables
    if shutil.which("soffice"):
        out = tmp_path / "csv"
        r = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(path)],
                           capture_output=True, timeout=180)
        assert r.returncode == 0 and (out / "工作台.pdf").stat().st_size > 1000


def output_values(path):
    import python_calamine as pc
    book = pc.CalamineWorkbook.from_path(str(path))
    return {n: book.get_sheet_by_name(n).to_python()[1:] for n in OUTPUTS}


def test_large_sheets_read_column_wise_give_the_same_results(tmp_path, monkeypatch):
    """Sheets past LARGE_SHEET_ROWS are read as text columns; every result must match the
    row-wise reading, mess included (text dates, serials, titles, merged plan cells)."""
    from xl_jiaoyan.service import commands
    rows_mode, cols_mode = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    shutil.copyfile(commands.bundled_sample(), rows_mode)
    shutil.copyfile(commands.bundled_sample(), cols_mode)
    assert refresh(rows_mode) == 0
    columnar = refresh_column_wise(cols_mode, monkeypatch)
    assert {"听课记录", "工作进度", "教师名册", "设置"} <= set(columnar)
    assert output_values(cols_mode) == output_values(rows_mode)


def test_large_sheets_without_the_large_extra_are_read_all_the_same(tmp_path, monkeypatch, capsys):
    """Without fastexcel/pyarrow (an install that lost them) a large sheet is read row-wise,
    gives the same figures, and the findings say once per sheet how to make it faster."""
    from xl_jiaoyan.service import commands
    from xl_jiaoyan.io.xlsx import file as file_mode
    plain, without = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    shutil.copyfile(commands.bundled_sample(), plain)
    shutil.copyfile(commands.bundled_sample(), without)
    assert refresh(plain) == 0
    monkeypatch.setattr(file_mode, "LARGE_SHEET_ROWS", 100)
    monkeypatch.setattr(file_mode, "columnar_reader", lambda: False)
    assert refresh(without) == 0
    assert output_values(without)["指标总览"] == output_values(plain)["指标总览"]
    hints = read_output(without, "冲突检查")
    hints = hints[hints["类别"] == "读取速度"]
    assert sorted(hints["工作表"]) == ["听课记录", "课表"]           # the sample's two sheets past 100 rows
    assert all("pip install fastexcel pyarrow" in a for a in hints["建议"])


def test_printed_output_sheets_carry_page_numbers(tmp_book):
    path = tmp_book(sample_sheets())
    assert refresh(path) == 0
    with zipfile.ZipFile(path) as z:
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        for name in OUTPUTS:
            rid = re.search(r'<sheet name="' + name + r'"[^>]*r:id="([^"]+)"', wb)[1]
            target = re.search(r'Id="' + rid + r'"[^>]*Target="([^"]+)"', rels)[1]
            xml = z.read("xl/" + target.lstrip("/").removeprefix("xl/")).decode()
            assert "<oddFooter>&amp;C第 &amp;P 页 共 &amp;N 页</oddFooter>" in xml, name
            assert '<tabColor rgb="FF4472C4"/>' in xml, name
