"""Bad input the tool must survive: each kind of cell and damage named in docs/bad-input.md."""
from __future__ import annotations

import shutil
from datetime import date

import openpyxl
import pytest
import xlsxwriter
from openpyxl.styles import PatternFill

from conftest import HEAD, TEACHERS, book, quota, read_output, refresh, settings_rows, write_book

LONG = "长" * 40000


def xlsxwriter_book(path, obs_rows):
    """A workbook whose 听课记录 cells hold formulas with cached values, error values,
    booleans, huge numbers, long text, emoji and control characters (XlsxWriter can
    write all of them; openpyxl refuses control characters)."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    for name, rows in book(设置=settings_rows(as_of=date(2026, 4, 1)),
                           指标=[HEAD["指标"], ["教师", "听课", "学期", 20, ""]]).items():
        ws = wb.add_worksheet(name)
        for i, r in enumerate(rows):
            ws.write_row(i, 0, r)
    ws = wb.add_worksheet("听课记录")
    ws.write_row(0, 0, HEAD["听课记录"])
    for i, cells in enumerate(obs_rows, start=1):
        for j, cell in enumerate(cells):
            if isinstance(cell, tuple):                      # (formula, cached value)
                ws.write_formula(i, j, cell[0], None, cell[1])
            elif isinstance(cell, date):
                ws.write_datetime(i, j, cell, wb.add_format({"num_format": "yyyy-mm-dd"}))
            elif cell is not None:
                ws.write(i, j, cell)
    wb.close()
    return path


def test_every_cell_type_gives_a_count_or_a_finding(tmp_path):
    path = xlsxwriter_book(tmp_path / "cells.xlsx", [
        [("=DATE(2026,3,3)", 46084), 1, ("=\"张三\"", "张三"), "李四"],          # formula with cached values: counts
        [("=NA()", "#N/A"), 1, "张三", "李四"],                                  # error value as a date
        [("=1/0", "#DIV/0!"), 1, "张三", "李四"],
        [True, 1, "张三", "李四"],                                              # boolean date
        [1e300, 1, "张三", "李四"],                                             # huge number
        [date(2026, 3, 4), 1, LONG, "李四"],                                    # very long name
        [date(2026, 3, 5), 1, "😀👩‍🏫", "李四"],                                 # emoji
        [date(2026, 3, 6), 1, "张\x01三\x07", "李四"],             # control characters: ignored like spaces
    ])
    assert refresh(path) == 0
    assert quota(path, "张三", "听课")["实际"] == 2
    found = read_output(path, "冲突检查")
    bad = found[found["工作表"] == "听课记录"]
    assert list(bad["行号"]) == [3, 4, 5, 6, 7, 8]                            # every other row, once each
    dates = bad[bad["类别"] == "日期无效"].set_index("行号")["说明"]
    assert list(dates.index) == [3, 4, 5, 6] and "#N/A" in dates[3] and "1e+300" in dates[6]
    assert set(bad[bad["行号"].isin([7, 8])]["类别"]) == {"未知人员"}
    assert bad[bad["行号"] == 7]["说明"].str.len().max() < 700                # the long cell is cut for reading


def test_merged_cells_hidden_rows_repeated_headers_and_extra_columns(tmp_path):
    sheets = book(设置=settings_rows(as_of=date(2026, 4, 1)), 指标=[HEAD["指标"], ["教师", "听课", "学期", 20, ""]])
    head = HEAD["听课记录"] + ["我的备注"]
    sheets["听课记录"] = [["2026年春季听课记录"], head,
                      [date(2026, 3, 3), 1, "张三", "李四", "", "", "", "", "x"],
                      [None, 2, "张三", "王五", "", "", "", "", "y"],       # 日期 merged from above
                      head,                                               # a block pasted with its header
                      [date(2026, 3, 4), 1, "张三", "赵六", "", "", "", "", ""],
                      [date(2026, 3, 5), 1, "=B1", "赵六", "", "", "", "", ""]]   # a formula never calculated
    path = write_book(tmp_path / "m.xlsx", sheets, {"听课记录": ["A3:A4"]})
    wb = openpyxl.load_workbook(path)
    wb["听课记录"].row_dimensions[6].hidden = True                       # hidden rows still count
    wb.save(path)
    assert refresh(path) == 0
    assert quota(path, "张三", "听课")["实际"] == 3
    found = read_output(path, "冲突检查")
    rows = found[found["工作表"] == "听课记录"]                              # the repeated header is no record
    assert list(rows["行号"]) == [7] and "「听课人」为空" in rows.iloc[0]["说明"]


def test_a_hundred_thousand_blank_formatted_rows(tmp_path):
    sheets = book(设置=settings_rows(as_of=date(2026, 4, 1)), 指标=[HEAD["指标"], ["教师", "听课", "学期", 20, ""]],
                  听课记录=[[date(2026, 3, 3), 1, "张三", "李四", "", "", "", ""]])
    path = write_book(tmp_path / "f.xlsx", sheets)
    wb = openpyxl.load_workbook(path)
    ws, fill = wb["听课记录"], PatternFill("solid", fgColor="FFF2CC")
    for r in range(3, 100_003):
        ws.cell(r, 1).fill = fill
        ws.cell(r, 3).number_format = "@"
    wb.save(path)
    assert refresh(path) == 0
    assert quota(path, "张三", "听课")["实际"] == 1
    assert not (read_output(path, "冲突检查")["工作表"] == "听课记录").any()


def test_only_the_required_sheets_and_empty_optional_ones(tmp_path):
    sheets = {"设置": settings_rows(as_of=date(2026, 4, 1)), "教师名册": [HEAD["教师名册"]] + TEACHERS,
              "听课记录": [], "活动安排": [HEAD["活动安排"]]}
    path = write_book(tmp_path / "min.xlsx", sheets)
    assert refresh(path) == 0
    hints = read_output(path, "冲突检查")
    missing = set(hints[hints["类别"] == "缺少工作表"]["工作表"])
    assert {"听课记录", "活动安排", "培训记录"} <= missing


@pytest.mark.parametrize("content, words", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000, "密码"),        # an encrypted (OLE) workbook
    (None, "损坏"),                                                         # a truncated zip
])
def test_password_protected_or_corrupt_files_get_a_message(tmp_path, capsys, content, words):
    path = tmp_path / "坏.xlsx"
    if content is None:
        good = write_book(tmp_path / "good.xlsx", book())
        content = good.read_bytes()[: len(good.read_bytes()) // 2]
    path.write_bytes(content)
    assert refresh(path) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and "内部错误" not in err
    assert path.read_bytes() == content


def test_an_xlsm_copy_of_the_sample_refreshes(tmp_path):
    from xl_jiaoyan.service.commands import bundled_sample
    path = tmp_path / "工作台.xlsm"
    shutil.copyfile(bundled_sample(), path)
    assert refresh(path) == 0
    assert len(read_output(path, "指标总览")) > 10
