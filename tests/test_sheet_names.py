"""Near-named sheets are read and said (听课记录表 is 听课记录); two candidates are an error;
and no output anywhere names a teacher by an internal number."""
from __future__ import annotations

import json
import re
import shutil
from datetime import date

import pandas as pd
import pytest

from conftest import book, read_output, refresh, settings_rows, write_book
from xl_jiaoyan import cli
from xl_jiaoyan.read.sheets import near

LOG = [[date(2026, 3, d), 1, "张三", "李四", "", "", f"课{d}", ""] for d in (3, 4, 5, 6)] + \
      [[date(2026, 3, d), 2, "王五", "张三", "", "", f"课{d}", ""] for d in (3, 4)]
QUOTAS = [["教师", "听课", "学期", 15, ""], ["教研组长", "听课", "学期", 30, ""]]
AS_OF = date(2026, 4, 10)


def _book(tmp_path, name: str, **sheets):
    log = [["日期", "节次", "听课人", "授课人", "学科", "班级", "课题", "课型"]] + LOG
    sheets = {**book(设置=settings_rows(as_of=AS_OF), 指标=QUOTAS), name: log, **sheets}
    return write_book(tmp_path / f"{name}.xlsx", sheets)


@pytest.mark.parametrize("name", ["听课记录表", "听课登记", "听课记录 ", "　听课记录"])
def test_a_near_named_log_counts_as_the_log(tmp_path, name):
    right, near_named = _book(tmp_path, "听课记录"), _book(tmp_path, name)
    assert refresh(right) == 0 and refresh(near_named) == 0
    pd.testing.assert_frame_equal(read_output(right, "指标明细"), read_output(near_named, "指标明细"))
    detail = read_output(near_named, "指标明细")
    zhang = detail[(detail["姓名"] == "张三") & (detail["项目"] == "听课")].iloc[0]
    assert (zhang["实际"], zhang["应完成"]) == (4, 4)          # ⌊15 × 6 ÷ 20⌋ = 4 (week 6 of 20)
    found = read_output(near_named, "冲突检查")
    said = found[found["类别"] == "工作表名称"]
    if name.strip(" 　") == "听课记录":            # spaces trimmed: the exact name, nothing to say
        assert said.empty
    else:
        assert said[["级别", "工作表", "说明"]].values.tolist() == [
            ["警告", name, f"没有名为「听课记录」的工作表，按「{name}」读取听课记录。"]]


def test_two_candidates_are_an_error_and_neither_is_read(tmp_path):
    log = [["日期", "节次", "听课人", "授课人", "学科", "班级", "课题", "课型"]] + LOG
    path = _book(tmp_path, "听课记录表", 听课登记=log)
    assert refresh(path) == 0
    found = read_output(path, "冲突检查")
    said = found[found["类别"] == "工作表名称"]
    assert said[["级别", "说明"]].values.tolist() == [
        ["错误", "没有名为「听课记录」的工作表，而「听课记录表」和「听课登记」都像是它，不知道该读哪一张，两张都没有按听课记录读取。"]]
    detail = read_output(path, "指标明细")
    assert not (detail["项目"] == "听课").any()       # not read: no quota computed from either


def test_a_near_named_roster_is_read_and_two_are_refused(tmp_path, capsys):
    sheets = book(设置=settings_rows(as_of=AS_OF), 听课记录=LOG)
    sheets["教师名单"] = sheets.pop("教师名册")
    path = write_book(tmp_path / "名单.xlsx", sheets)
    assert refresh(path) == 0
    assert "按「教师名单」读取教师名册" in " ".join(read_output(path, "冲突检查")["说明"])
    sheets["教师名册表"] = sheets["教师名单"]
    path = write_book(tmp_path / "两个.xlsx", sheets)
    before = path.read_bytes()
    assert refresh(path) == 2 and path.read_bytes() == before
    assert "「教师名单」「教师名册表」都像是它" in capsys.readouterr().err


def test_what_is_and_is_not_a_near_name():
    assert near("听课记录", "听课记录表") and near("培训记录", "培训记录表") and near("教师名册", "教师名单")
    assert near("成果登记", "成果记录") and near("听课记录", "听课一览")
    assert not near("听课记录", "听课记录") and not near("课表", "课题") and not near("指标", "指标明细")
    assert not near("听课记录", "教研活动记录") and not near("设置", "设计")


def test_doctor_names_a_near_named_sheet(tmp_path, capsys):
    path = _book(tmp_path, "听课记录表")
    cli.main(["doctor", str(path)])
    out = capsys.readouterr().out
    assert "按「听课记录表」读取听课记录" in out


BARE_ID = re.compile(r"^\d{1,3}$")


def test_no_output_names_a_teacher_by_an_internal_number(tmp_path, capsys):
    """The shipped sample, every way findings leave the tool: the 冲突检查 sheet, JSON,
    CSV and text.  Its duplicate 听课记录 row is 冯晓东's."""
    from xl_jiaoyan.service.commands import bundled_sample
    path = tmp_path / "示例.xlsx"
    shutil.copyfile(bundled_sample(), path)
    assert cli.main(["check", str(path), "--format", "json"]) == 1
    rows = json.loads(capsys.readouterr().out)
    dup = [r for r in rows if r["类别"] == "重复记录"]
    assert [(r["工作表"], r["列"], r["人员"]) for r in dup] == [("听课记录", "听课人", "冯晓东")]
    people = [p for r in rows for p in r["人员"].split("、") if p]
    assert people and not [p for p in people if BARE_ID.match(p)]
    cli.main(["check", str(path), "--format", "csv"])
    csv_text = capsys.readouterr().out
    assert "冯晓东" in csv_text
    cli.main(["check", str(path)])
    text = capsys.readouterr().out
    assert "重复记录" in text and "冯晓东 2026-09-04" in text
    assert refresh(path) == 0
    sheet = read_output(path, "冲突检查")
    assert sheet.loc[sheet["类别"] == "重复记录", "人员"].tolist() == ["冯晓东"]
    assert not [p for v in sheet["人员"].fillna("") for p in str(v).split("、") if BARE_ID.match(p)]
