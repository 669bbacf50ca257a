"""What staff really type, read by the contract: dates as Excel stores them (the number
4.12), 号 and 三月九日 forms, the two readings of 4.1, and values off a list (校内, 区级,
a misspelt 级别 or 周期, 数学 for 数学组) — each with its finding and the count it gives.

The semester starts Monday 2026-03-02 (week 1); statistics are as of 2026-05-01.
Workbooks are written with openpyxl, which stores a Python float as the number Excel
stores when 4.12 is typed into a General cell.
"""
from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest

from conftest import STARTED_LOG, HEAD, book, quota, read_output, refresh, refresh_column_wise, settings_rows, write_book
from xl_jiaoyan import cli

AS_OF = date(2026, 5, 1)
# every way the same day, 2026-04-14 (a Tuesday), reaches a cell
FORMS = [4.14, "4.14", "4月14号", "4月14日", "四月十四日", "二〇二六年四月十四号", "2026年4月14日", "4/14",
         "2026-04-14", date(2026, 4, 14)]
QUOTAS = [HEAD["指标"], ["教师", "听课", "学期", 10, ""], ["骨干教师", "示范课", "学期", 1, ""],
          ["教研组", "教研活动", "学期", 1, ""], ["学校", "校本培训", "学期", 1, ""], ["教师", "论文", "学期", 1, ""]]


def _book(tmp_path, **sheets):
    sheets.setdefault("设置", settings_rows(as_of=AS_OF))
    sheets.setdefault("指标", QUOTAS)
    return write_book(tmp_path / "工作台.xlsx", book(**sheets))


def findings(path, category: str) -> list[dict]:
    d = read_output(path, "冲突检查")
    return d[d["类别"] == category].to_dict("records")


@pytest.mark.parametrize("form", FORMS, ids=[repr(f) for f in FORMS])
def test_every_date_form_counts_in_every_date_column(tmp_path, form):
    path = _book(tmp_path,
                 听课记录=[[form, 1, "张三", "李四", "", "", "", ""]],
                 活动安排=[[form, 3, None, None, "示范课", "圆", "王五", "", "", "", ""]],
                 教研活动记录=[[form, "语文组", "", "说课", "李四", "全组"]],
                 培训记录=[[form, "新课标", "校本", "全体教师", "是", None],
                        [date(2026, 3, 10), "市骨干培训", "市级", "王五", "是", form]],
                 成果登记=[[form, "赵六", "论文", "市级", "论文甲", ""]],
                 校历=[["校历"][0:0] + ["日期", "类型", "说明"], [form, "放假", "运动会"]])
    assert refresh(path) == 0
    assert quota(path, "张三", "听课")["实际"] == 1
    assert quota(path, "王五", "示范课")["实际"] == 1
    assert quota(path, "语文组", "教研活动")["实际"] == 1
    assert quota(path, "测试小学", "校本培训")["实际"] == 1
    assert quota(path, "赵六", "论文")["实际"] == 1
    assert findings(path, "日期无效") == [] and findings(path, "日期两可") == []
    assert findings(path, "汇报课") == []                      # 王五's 汇报课日期 was read
    holidays = findings(path, "节假日")                         # 校历 made 4月14日 a day off
    assert {h["工作表"] for h in holidays} == {"听课记录", "活动安排", "教研活动记录", "培训记录"}


def _obs(day):
    return [day, 1, "张三", "李四", "", "", "", ""]


def test_a_number_with_two_readings_follows_its_neighbours(tmp_path):
    # 4.1 typed among early-April rows: 4月1日; among mid-April rows: 4月10日 (Excel stored 4.10)
    early = _book(tmp_path, 听课记录=[_obs(3.31), _obs(4.1), _obs(4.02)])
    assert refresh(early) == 0
    warned = findings(early, "日期两可")
    assert len(warned) == 1 and warned[0]["行号"] == 3
    assert "4月1日" in warned[0]["说明"] and "4月10日" in warned[0]["说明"] and "取 4月1日" in warned[0]["说明"]
    assert str(warned[0]["日期"])[:10] == "2026-04-01"
    mid = write_book(tmp_path / "中旬.xlsx", book(设置=settings_rows(as_of=AS_OF), 指标=QUOTAS,
                                                 听课记录=[_obs(4.09), _obs(4.1), _obs(4.13)]))
    assert refresh(mid) == 0
    warned = findings(mid, "日期两可")
    assert len(warned) == 1 and "取 4月10日" in warned[0]["说明"] and str(warned[0]["日期"])[:10] == "2026-04-10"
    assert quota(mid, "张三", "听课")["实际"] == 3                 # counted, on the day chosen


def test_a_reading_outside_the_semester_is_not_taken(tmp_path):
    # 3.1 is 3月1日 (a Sunday before week 1) or 3月10日: only 3月10日 is in the semester
    path = _book(tmp_path, 听课记录=[_obs(3.1)])
    assert refresh(path) == 0
    warned = findings(path, "日期两可")
    assert len(warned) == 1 and "取 3月10日" in warned[0]["说明"]
    assert quota(path, "张三", "听课")["实际"] == 1 and findings(path, "日期超出学期") == []


def test_as_of_on_the_command_line_reads_the_same_forms(tmp_path, capsys):
    path = _book(tmp_path, 听课记录=[_obs(date(2026, 4, 14))])
    for form in ("4.20", "4月20号", "四月二十日"):
        assert cli.main(["check", str(path), "--as-of", form]) == 0
        assert "统计截至 2026-04-20" in capsys.readouterr().out


def test_training_type_off_the_list_is_never_taken_for_one(tmp_path):
    path = _book(tmp_path, 设置=settings_rows(as_of=date(2026, 5, 20)), 培训记录=[
        [date(2026, 3, 11), "校内研修", "校内", "全体教师", "是", None],        # not 校本, not outside
        [date(2026, 3, 12), "市级骨干培训", "市级", "王五", "是", None],        # outside: owes a 汇报课
        [date(2026, 3, 13), "县级教研会", "县级", "赵六", "是", "2026-04-01"],   # 县级 = 区级, reported
        [date(2026, 3, 18), "校本研修", "校本", "全体教师", "是", None]])
    assert refresh(path) == 0
    off = findings(path, "取值不在列表中")
    assert len(off) == 1 and off[0]["行号"] == 2 and off[0]["级别"] == "错误"
    assert "“校内”" in off[0]["说明"] and "是不是“校本”" in off[0]["说明"] and "区级" in off[0]["说明"]
    assert quota(path, "测试小学", "校本培训")["实际"] == 1      # only the 校本 row
    owed = findings(path, "汇报课")
    assert [(r["行号"], r["人员"]) for r in owed] == [(3, "王五")]   # 市级 owes; 校内 and 县级 (in the district) do not


def test_misspelt_level_and_period_name_the_closest_value(tmp_path):
    quotas = QUOTAS + [["教师", "听课", "学其", 3, ""]]
    path = _book(tmp_path, 指标=quotas, 听课记录=STARTED_LOG, 成果登记=[
        [date(2026, 3, 12), "赵六", "论文", "市极", "论文甲", ""],
        [date(2026, 3, 13), "赵六", "论文", "县级", "论文乙", ""]])
    assert refresh(path) == 0
    off = {r["工作表"]: r for r in findings(path, "取值不在列表中")}
    assert "是不是“市级”" in off["成果登记"]["说明"] and off["成果登记"]["行号"] == 2
    assert "是不是“学期”" in off["指标"]["说明"] and off["指标"]["行号"] == len(quotas)
    assert quota(path, "赵六", "论文")["实际"] == 1                 # the 市极 row is left out
    d = read_output(path, "指标明细")
    assert len(d[(d["姓名"] == "张三") & (d["项目"] == "听课")]) == 1   # the 学其 row made no quota
    assert quota(path, "张三", "听课")["指标"] == 10


def test_a_group_name_off_the_roster_is_named_with_the_closest(tmp_path):
    path = _book(tmp_path,
                 教研活动记录=[[date(2026, 3, 10), "数学", "", "说课", "王五", "全组"],
                          [date(2026, 3, 17), "数学组", "", "评课", "王五", "全组"]],
                 活动安排=[[date(2026, 3, 31), 3, None, None, "示范课", "圆", "王五", "", "全组", "", "数学"]])
    assert refresh(path) == 0
    unknown = findings(path, "未知教研组")
    by_sheet = {r["工作表"]: r for r in unknown}
    assert by_sheet["教研活动记录"]["级别"] == "错误" and "是不是“数学组”" in by_sheet["教研活动记录"]["说明"]
    assert by_sheet["活动安排"]["级别"] == "警告" and "是不是“数学组”" in by_sheet["活动安排"]["说明"]
    assert quota(path, "数学组", "教研活动")["实际"] == 1           # “数学” made no group of its own
    assert "数学" not in set(read_output(path, "教研组统计")["教研组"])
    assert quota(path, "王五", "示范课")["实际"] == 1               # the event still counts


def test_settings_errors_carry_their_place(tmp_path):
    from xl_jiaoyan.service import commands
    from xl_jiaoyan.errors import PlaceError
    rows = settings_rows()
    rows[2][1] = "下周一"                              # 第一周周一, Excel row 3
    path = write_book(tmp_path / "坏设置.xlsx", book(设置=rows))
    with pytest.raises(PlaceError) as e:
        commands.check(path)
    assert (e.value.sheet, e.value.row, e.value.column) == ("设置", 3, "值")
    assert str(e.value).startswith("工作表「设置」第 3 行「值」列的「第一周周一」读不出日期")



def _column_wise_log(tmp_path, monkeypatch, rows):
    """Refresh a workbook whose 听课记录 is read column-wise (as a large log is)."""
    path = _book(tmp_path, 听课记录=rows)
    assert "听课记录" in refresh_column_wise(path, monkeypatch)
    return path


def test_typed_dates_read_column_wise_count_as_read_row_wise(tmp_path, monkeypatch):
    """A large log is read by fastexcel as text: the number 4.14, a date serial, 号 and
    Chinese forms of 4月14日 all count, as the row-wise reader counts them."""
    rows = [[form, 1, "张三", "李四", "", "", f"课{k}", ""] for k, form in enumerate(FORMS)]
    path = _column_wise_log(tmp_path, monkeypatch, rows)
    assert quota(path, "张三", "听课")["实际"] == len(FORMS)
    assert findings(path, "日期无效") == [] and findings(path, "日期两可") == []


def test_the_number_4_1_read_column_wise_reads_two_ways(tmp_path, monkeypatch):
    rows = [[date(2026, 4, 14), 1, "张三", "李四", "", "", "课题甲", ""],
            [4.1, 2, "张三", "李四", "", "", "课题乙", ""],           # 4月1日 or 4月10日 (typed 4.10)
            [date(2026, 4, 14), 3, "张三", "李四", "", "", "课题丙", ""]]
    path = _column_wise_log(tmp_path, monkeypatch, rows)
    twofold = findings(path, "日期两可")
    assert len(twofold) == 1 and "取 4月10日" in twofold[0]["说明"]      # 4月10日 is nearer 4月14日


def test_a_60000_row_log_reads_the_number_4_1_two_ways_and_the_text_4_1_one_way(tmp_path):
    """A log long enough to be read column-wise (no threshold lowered): the number 4.1 gets
    the same 日期两可 warning as in a small log; the text '4.1' (a cell formatted as text)
    is 4月1日 and gets none (its near miss)."""
    import xlsxwriter
    from xl_jiaoyan.io.xlsx.file import LARGE_SHEET_ROWS, columnar_reader
    if not columnar_reader():
        pytest.skip("the column-wise reader (extra large) is not installed")
    path = _book(tmp_path, 听课记录=[])
    wb = openpyxl.load_workbook(path)
    big = tmp_path / "大.xlsx"
    out = xlsxwriter.Workbook(str(big), {"constant_memory": True})
    for ws in wb.worksheets:
        sheet = out.add_worksheet(ws.title)
        for r, row in enumerate(ws.iter_rows(values_only=True)):
            for c, v in enumerate(row):
                if v is not None:
                    sheet.write(r, c, v.date() if hasattr(v, "date") else v,
                                out.add_format({"num_format": "yyyy-mm-dd"}) if hasattr(v, "date") else None)
            if ws.title == "听课记录" and r == 0:
                n = LARGE_SHEET_ROWS + 10_000
                day = out.add_format({"num_format": "yyyy-mm-dd"})
                for i in range(1, n + 1):
                    if i == 30_000:
                        sheet.write_number(i, 0, 4.1)                   # typed 4.10 in a General cell
                    elif i == 30_002:
                        sheet.write_string(i, 0, "4.1")                 # typed into a text cell
                    else:
                        sheet.write_datetime(i, 0, datetime(2026, 4, 14), day)
                    sheet.write_row(i, 1, [1, "张三", "李四", "", "", f"课{i}", ""])
    out.close()
    assert refresh(big) == 0
    twofold = findings(big, "日期两可")
    assert [(f["行号"], f["列"], f["人员"], f["日期"]) for f in twofold] == [(30_001, "日期", "张三", date(2026, 4, 10))]
    assert twofold[0]["说明"] == ("「日期」是数字 4.1，可以是 4月1日，也可以是 4月10日（Excel 把 4.10 存成 4.1）。"
                                "按学期和前后几行的日期，取 4月10日，已照此计入。")
