"""Numbers and notices staff can trust (issue points done so far: unscored achievements told,
points as a person writes them, book-title marks not doubled, the office named as 设置 says)."""
from __future__ import annotations

from datetime import date

from conftest import book, read_output, refresh, settings_rows
from test_notice import full_book, notice
from test_scoring import ach, scored


def test_an_achievement_no_rule_names_gets_a_hint(tmp_book):
    # rules name only 论文 (and others): a 读书心得 and a 教学反思 are not scored, each said once
    path, totals, items = scored(tmp_book, [
        ach("张三", "论文", "区级", "论文甲"),
        ach("张三", "读书心得", "", "读《给教师的建议》"),
        ach("李四", "教学反思", "", "圆的认识反思")])
    found = read_output(path, "冲突检查")
    hints = found[(found["类别"] == "赋分") & (found["级别"] == "提示")]
    assert sorted(hints["人员"]) == ["张三", "李四"] and len(hints) == 2
    assert "「读书心得」类的成果没有赋分规则" in " ".join(hints["说明"])
    assert totals.loc["张三", "总分"] == 1 and list(items["名称"]) == ["论文甲"]


def test_points_add_up_as_a_person_writes_them(tmp_book):
    # 0.1 + 0.2 + 0.3 = 0.6 (in floating point 0.6000000000000001)
    rules = [["读书心得", None, None, 0.1], ["教学反思", None, None, 0.2], ["论文", None, None, 0.3]]
    _, totals, _ = scored(tmp_book, [
        ach("张三", "读书心得", "", "心得一"), ach("张三", "教学反思", "", "反思一"),
        ach("张三", "论文", "区级", "论文一")], rules=rules)
    assert totals.loc["张三", "总分"] == 0.6 and repr(float(totals.loc["张三", "总分"])) == "0.6"
    assert totals.loc["张三", "排名"] == 1


def test_a_title_typed_with_book_marks_is_not_marked_twice(tmp_book, capsys):
    events = [[date(2026, 5, 13), "3", None, None, "公开课", "《背影》", "王五", "", "", "多功能厅", ""]]
    code, lines, _ = notice(capsys, tmp_book(full_book(活动安排=events)), "--week", "11")
    text = "\n".join(lines)
    assert code == 0 and "王五公开课《背影》" in text and "《《" not in text


def test_reminders_name_the_office_as_settings_say(tmp_book, capsys):
    trainings = [[date(2026, 3, 10), "市骨干培训", "市级", "王五", "是", None]]
    sheets = full_book(培训记录=trainings, 设置=settings_rows(as_of=date(2026, 5, 12), 部门名称="教科室"))
    code, lines, _ = notice(capsys, tmp_book(sheets), "--week", "11")
    owed = next(line for line in lines if "汇报课" in line and "王五" in line)
    assert code == 0 and "请尽快与教科室商定时间" in owed and "教研室" not in owed


def test_two_teachers_of_one_name_are_counted_and_named_apart(tmp_book, capsys):
    from conftest import HEAD, TEACHERS
    roster = [HEAD["教师名册"]] + [list(t) for t in TEACHERS] + [
        ["1006", "张伟", "语文组", "", "语文", "", "", "是"], ["1007", "张伟", "数学组", "", "数学", "", "", "是"]]
    code, lines, _ = notice(capsys, tmp_book(full_book(教师名册=roster)), "--week", "11")
    # 听课 20 a term, week 11 of 20: 应完成 11, nobody has observed: all six in post are behind
    behind = next(line for line in lines if line.lstrip("0123456789. ").startswith("听课进度落后的老师"))
    assert code == 0 and "（6人）" in behind
    assert "张伟(语文组)" in behind and "张伟(数学组)" in behind


def test_report_lessons_overdue_and_not_yet_due_are_told_apart(tmp_book, capsys):
    trainings = [[date(2026, 3, 10), "市骨干培训", "市级", "王五", "是", None],     # due 4月7日: overdue
                 [date(2026, 5, 4), "省级研修", "省级", "赵六", "是", None]]        # due 6月1日: not yet
    code, lines, _ = notice(capsys, tmp_book(full_book(培训记录=trainings)), "--week", "11")
    owed = next(line for line in lines if "汇报课的老师" in line)
    assert code == 0
    assert "已过期限的：王五（应在4月7日前）；还未到期的：赵六（6月1日前）" in owed


def test_an_unknown_attendee_is_left_out_and_the_row_still_counts(tmp_book):
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1)),
                         指标=[["对象", "项目", "周期", "最低次数", "备注"], ["教研组", "教研活动", "学期", 2, ""],
                               ["教师", "教研活动", "学期", 2, ""]],
                         教研活动记录=[[date(2026, 3, 10), "语文组", "", "说课", "钱八", "李四、钱八"]]))
    assert refresh(path) == 0
    found = read_output(path, "冲突检查")
    unknown = found[found["类别"] == "未知人员"]
    assert len(unknown) == 2 and set(unknown["级别"]) == {"警告"}          # 主持人 and 参加人员
    assert all("本行其余照常计入" in a and "暂不计入" not in a for a in unknown["建议"])
    d = read_output(path, "指标明细")
    counted = dict(zip(d["姓名"], d["实际"]))
    assert counted["语文组"] == 1 and counted["李四"] == 1 and counted["张三"] == 0   # the row counted


def test_a_role_quota_that_can_never_apply_is_pointed_out(tmp_book):
    # 李四 is the only 教研组长 and also 教师: 教师 15 always beats 教研组长 10; 中层 25 beats 教师 15
    quotas = [["对象", "项目", "周期", "最低次数", "备注"], ["教师", "听课", "学期", 15, ""],
              ["教研组长", "听课", "学期", 10, ""], ["中层", "听课", "学期", 25, ""]]
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1)), 指标=quotas))
    assert refresh(path) == 0
    found = read_output(path, "冲突检查")
    hints = found[(found["类别"] == "指标设置") & (found["级别"] == "提示")]
    assert list(hints["行号"]) == [3] and "“教师” 15 次" in hints.iloc[0]["说明"]
    d = read_output(path, "指标明细")
    quota = dict(zip(d["姓名"], d["指标"]))
    assert quota["李四"] == 15 and quota["王五"] == 25                # 王五 is 中层: his 25 applies
