"""Reading and normalising: the plan, the calendar, attendance, out-of-semester dates."""
from __future__ import annotations

from datetime import date

import openpyxl

from conftest import HEAD, book, quota, read_output, refresh, settings_rows
from xl_jiaoyan.io.xlsx.file import FileSource
from xl_jiaoyan.compute.pipeline import compute
from xl_jiaoyan.read.load import load_tables


def compute_file(path, as_of=None):
    source = FileSource(path)
    try:
        return compute(load_tables(source), as_of)
    finally:
        source.close()


def test_plan_with_merged_weeks_blank_same_as_above_and_numbered_items(tmp_book):
    plan = [["第一周", "3月2日至3月6日", "1、开学检查 2、制定计划", "教研室", ""],
            ["第2周", "3.9-3.13", "集体备课", "各组", ""],
            [None, None, "青蓝工程结对", "教研室", ""],
            ["三", None, "（1）新课标培训；（2）教研组长例会", "", ""],
            [None, "2026/3/30~2026/4/3", "数学组示范课", "", ""]]
    path = tmp_book(book(工作进度=plan), merges={"工作进度": ["A3:A4", "B3:B4"]})
    r = compute_file(path, date(2026, 4, 1))
    p = r.plan
    assert list(p["item"]) == ["开学检查", "制定计划", "集体备课", "青蓝工程结对", "新课标培训",
                               "教研组长例会", "数学组示范课"]
    assert list(p["week"]) == [1, 1, 2, 2, 3, 3, 3]
    assert list(p["row"]) == [2, 2, 3, 4, 5, 5, 6]
    assert p.iloc[3]["first"] == date(2026, 3, 9) and p.iloc[3]["last"] == date(2026, 3, 13)
    assert p.iloc[4]["first"] == date(2026, 3, 16)          # no dates: taken from the week
    assert p.iloc[6]["first"] == date(2026, 3, 30)          # a later date in the same week row


def test_holidays_make_up_days_and_school_calendar(tmp_book):
    def ob(d, p=1):
        return [d, p, "张三", "李四", "语文", "", "", ""]
    path = tmp_book(book(
        设置=settings_rows(as_of=date(2026, 6, 1)),
        校历=[[date(2026, 3, 14), "上课", "补课"], [date(2026, 3, 18), "放假", "运动会"]],
        听课记录=[ob(date(2026, 3, 7)),     # Saturday: warning
                 ob(date(2026, 3, 14)),    # Saturday made a school day by 校历: fine
                 ob(date(2026, 3, 18)),    # Wednesday made a day off by 校历: warning
                 ob(date(2026, 4, 6)),     # 清明 (national data): warning
                 ob(date(2026, 5, 9)),     # national make-up Saturday: fine
                 ob(date(2026, 5, 12))]))  # an ordinary Tuesday
    assert refresh(path) == 0
    f = read_output(path, "冲突检查")
    warned = f[f["类别"] == "节假日"]
    assert sorted(warned["行号"]) == [2, 4, 5] and set(warned["级别"]) == {"警告"}
    assert "运动会" in warned[warned["行号"] == 4].iloc[0]["说明"]
    assert "节假日数据" not in set(f["类别"])               # 2026 is covered


def test_year_without_holiday_data_is_said_once(tmp_book):
    path = tmp_book(book(设置=settings_rows(week1=date(2026, 8, 31), as_of=date(2026, 11, 20))))
    assert refresh(path) == 0
    f = read_output(path, "冲突检查")
    hint = f[f["类别"] == "节假日数据"]
    assert len(hint) == 1 and "2027" in hint.iloc[0]["说明"] and hint.iloc[0]["级别"] == "提示"


def test_dates_outside_the_semester_are_errors(tmp_book):
    path = tmp_book(book(
        设置=settings_rows(as_of=date(2026, 4, 1)),
        指标=[HEAD["指标"], ["教师", "听课", "学期", 15, ""]],
        听课记录=[[date(2025, 12, 1), 1, "张三", "李四", "", "", "", ""],
               [date(2026, 3, 3), 1, "张三", "李四", "", "", "", ""]]))
    assert refresh(path) == 0
    assert quota(path, "张三", "听课")["实际"] == 1
    f = read_output(path, "冲突检查")
    bad = f[f["类别"] == "日期超出学期"]
    assert list(bad["行号"]) == [2] and bad.iloc[0]["级别"] == "错误"


def test_attendance_quotas_expand_groups_and_everyone(tmp_book):
    """对象 a role for 校本培训 / 教研活动 counts sessions attended; 全体教师 and 全组 expand."""
    path = tmp_book(book(
        设置=settings_rows(as_of=date(2026, 4, 1)),
        指标=[HEAD["指标"], ["教师", "校本培训", "学期", 2, ""], ["教师", "教研活动", "学期", 1, ""]],
        培训记录=[[date(2026, 3, 4), "培训一", "校本", "全体教师", "是", None],
               [date(2026, 3, 11), "培训二", "校本", "数学组、张三", "是", None],
               [date(2026, 3, 12), "区外研修", "区外", "李四", "是", None]],
        教研活动记录=[[date(2026, 3, 5), "语文组", "", "", "李四", "全组"],
                  [date(2026, 3, 6), "数学组", "", "", "王五", "赵六"]]))
    assert refresh(path) == 0
    assert quota(path, "张三", "校本培训")["实际"] == 2
    assert quota(path, "李四", "校本培训")["实际"] == 1         # 区外 is not 校本
    assert quota(path, "赵六", "校本培训")["实际"] == 2
    assert quota(path, "张三", "教研活动")["实际"] == 1
    assert quota(path, "王五", "教研活动")["实际"] == 0          # hosted, not listed as attending
    assert quota(path, "赵六", "教研活动")["实际"] == 1


def test_overview_is_coloured_by_status(tmp_book):
    path = tmp_book(book(
        设置=settings_rows(as_of=date(2026, 4, 1)),
        指标=[HEAD["指标"], ["教师", "听课", "学期", 1, ""]],
        听课记录=[[date(2026, 3, 3), 1, "张三", "李四", "", "", "", ""]]))
    assert refresh(path) == 0
    ws = openpyxl.load_workbook(path)["指标总览"]
    header = [c.value for c in ws[2]]
    col = header.index("听课 状态") + 1
    cells = {ws.cell(r, 2).value: ws.cell(r, col) for r in range(3, ws.max_row + 1)}
    assert cells["张三"].value == "已达标" and cells["张三"].fill.fgColor.rgb.endswith("C6EFCE")
    assert cells["李四"].value == "正常" and cells["李四"].fill.fgColor.rgb.endswith("DDEBF7")


def test_tables_read_column_wise_hold_the_same_python_values(tmp_book, monkeypatch):
    """A large sheet is read column-wise (each column dictionary-encoded once); its typed
    table must hold what the row-wise read gives: str and None, not pandas' NaN or Arrow
    text, and the same rows left out."""
    from xl_jiaoyan.io.xlsx import file as file_mode
    if not file_mode.columnar_reader():
        import pytest
        pytest.skip("the large extra (fastexcel, pyarrow) is not installed")
    log = [[date(2026, 3, 9), 1, "张三", "李四", "数学", "初一(1)班", "方程", "新授"],
           [date(2026, 3, 9), "2", "张三", "王五", None, "  ", "函数", None],        # blank and spaces
           [None, None, None, None, None, None, None, None],                          # an empty row
           [date(2026, 3, 10), "3-4", " 李四 ", "张三", "语文", "初一(2)班", "", "复习"],
           [date(2026, 3, 9), "2", "张三", "王五", None, "  ", "函数", None]]         # a duplicate
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1)), 听课记录=log))
    row_wise = compute_file(path)
    monkeypatch.setattr(file_mode, "LARGE_SHEET_ROWS", 0)
    column_wise = compute_file(path)
    a, b = row_wise.observations, column_wise.observations
    assert list(b["row"]) == [2, 3, 5]                  # the empty row 4 skipped, the duplicate row 6 out
    assert a.to_dict("records") == b.to_dict("records")
    assert b["klass"].tolist() == ["初一(1)班", "", "初一(2)班"]
    for f in (a, b):        # text as Python objects, not pandas 3's Arrow strings (NaN for None)
        assert [c for c in f if f[c].dtype == object] == ["date", "p_first", "p_last", "klass", "lesson_type"]
        assert f["p_first"].tolist() == [1, 2, 3] and f["p_last"].tolist() == [1, 2, 4]
