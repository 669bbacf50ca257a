"""量化赋分: rule specificity, each item once, ties in rank, totals without a cap."""
from __future__ import annotations

from datetime import date, timedelta

import openpyxl

from conftest import book, read_output, refresh, settings_rows

RULES = [["论文", None, None, 1], ["论文", "市级", None, 3], ["论文", "市级", "一等奖", 5],
         ["竞赛", None, "一等奖", 2], ["示范课", None, None, 2]]


def ach(teacher, kind, level, name, result="", d=date(2026, 3, 10)):
    return [d, teacher, kind, level, name, result]


def scored(tmp_book, achievements, events=(), rules=RULES, name="工作台.xlsx"):
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 6, 1)), 赋分规则=rules,
                         成果登记=list(achievements), 活动安排=list(events)), name=name)
    assert refresh(path) == 0
    return path, read_output(path, "赋分汇总").set_index("姓名"), read_output(path, "赋分明细")


def test_the_most_specific_rule_wins(tmp_book):
    _, totals, items = scored(tmp_book, [
        ach("张三", "论文", "区级", "论文甲"),                   # only the 类型 rule: 1
        ach("李四", "论文", "市级", "论文乙"),                   # level rule: 3
        ach("王五", "论文", "市级", "论文丙", "一等奖"),          # level + result: 5
        ach("赵六", "竞赛", "县级", "比赛", "一等奖")])           # result rule, any level: 2
    assert totals.loc["张三", "论文"] == 1 and totals.loc["李四", "论文"] == 3
    assert totals.loc["王五", "论文"] == 5 and totals.loc["赵六", "竞赛"] == 2
    assert list(items[items["姓名"] == "王五"]["规则行号"]) == [4]


def test_each_achievement_counts_once_and_totals_have_no_cap(tmp_book):
    many = [ach("张三", "论文", "市级", f"论文{i}", "一等奖") for i in range(30)]
    again = ach("张三", "论文", "市级", " 论文0 ", "一等奖", d=date(2026, 4, 20))   # entered again later
    path, totals, items = scored(tmp_book, many + [again])
    assert totals.loc["张三", "总分"] == 150                        # 30 × 5, no cap
    assert len(items[items["姓名"] == "张三"]) == 30                # the repeat scores nothing
    found = read_output(path, "冲突检查")
    assert list(found[found["类别"] == "赋分"]["行号"]) == [32]
    assert totals.loc["李四", "总分"] == 0                          # everyone starts from zero


def test_equal_totals_share_a_rank(tmp_book):
    _, totals, _ = scored(tmp_book, [
        ach("张三", "论文", "市级", "甲"), ach("李四", "论文", "市级", "乙"), ach("王五", "论文", "区级", "丙")],
        events=[[date(2026, 3, 11), 3, None, None, "示范课", "示范课", "赵六", "", "", "", ""]])
    assert totals.loc["张三", "排名"] == 1 and totals.loc["李四", "排名"] == 1
    assert totals.loc["赵六", "总分"] == 2 and totals.loc["赵六", "排名"] == 3
    assert totals.loc["王五", "排名"] == 4 and totals.loc["王五", "总分"] == 1


def test_unmatched_items_are_reported_and_no_rules_no_sheets(tmp_book):
    path, _, _ = scored(tmp_book, [ach("张三", "竞赛", "区级", "比赛", "三等奖")])
    found = read_output(path, "冲突检查")
    assert list(found[found["类别"] == "赋分"]["行号"]) == [2]       # 竞赛 scored only for 一等奖
    bare = tmp_book(book(设置=settings_rows(as_of=date(2026, 6, 1))), name="无规则.xlsx")
    assert refresh(bare) == 0
    assert "赋分汇总" not in openpyxl.load_workbook(bare).sheetnames


def test_competition_share_at_its_boundary(tmp_book):
    from conftest import HEAD, quota
    roster = [HEAD["教师名册"]] + [[str(3000 + i), f"教师{i:02d}", "语文组", "", "", "", "", "是"]
                                   for i in range(20)] + [["3999", "离岗者", "语文组", "", "", "", "", "否"]]
    rule = [HEAD["指标"], ["学校", "竞赛参赛率", "学期", "10%", ""]]
    entries = [ach("教师00", "竞赛", "区级", "赛课"), ach("教师00", "竞赛", "市级", "论文赛"),
               ach("离岗者", "竞赛", "区级", "赛课")]           # the same teacher twice, one not in post
    def share(rows, name):
        path = tmp_book(book(设置=settings_rows(as_of=date(2026, 8, 1)), 教师名册=roster, 指标=rule,
                             成果登记=rows), name=name)
        assert refresh(path) == 0
        return quota(path, "测试小学", "竞赛参赛率")
    below = share(entries, "a.xlsx")                       # 20 in post x 10% = 2 needed, 1 entered
    assert (below["指标"], below["实际"], below["状态"]) == (2, 1, "未达标") and "还需 1 人" in below["说明"]
    met = share(entries + [ach("教师01", "竞赛", "区级", "赛课")], "b.xlsx")
    assert (met["指标"], met["实际"], met["状态"]) == (2, 2, "已达标")


def test_group_statistics_mark_short_weeks_and_grey_holiday_weeks(tmp_book):
    import openpyxl
    from conftest import HEAD
    off = [[date(2026, 3, 16) + timedelta(days=k), "放假", "研学"] for k in range(5)]
    acts = [[date(2026, 3, 4), "语文组", "", "", "", "全组"], [date(2026, 3, 25), "语文组", "", "", "", "全组"]]
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1)), 校历=off, 教研活动记录=acts,
                         指标=[HEAD["指标"], ["教研组", "教研活动", "周", 1, ""], ["教师", "听课", "学期", 20, ""]],
                         听课记录=[[date(2026, 3, 3), 1, "张三", "李四", "", "", "", ""]]))
    assert refresh(path) == 0
    ws = openpyxl.load_workbook(path)["教研组统计"]
    header = [c.value for c in ws[2]]
    row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "语文组")
    cell = {h: c for h, c in zip(header, row)}
    assert cell["第1周"].value == 1 and cell["第2周"].value == 0 and cell["第3周"].value == "放假"
    assert cell["第2周"].fill.fgColor.rgb.endswith("FFC7CE")          # below quota: red
    assert cell["第3周"].fill.fgColor.rgb.endswith("EDEDED")          # holiday week: grey
    assert not cell["第4周"].fill.fgColor.rgb.endswith("FFC7CE")      # held one
    assert cell["第6周"].value is None                                # not started yet
    # 听课 20 a term, week 5: 应完成 5 each; 张三 1, 李四 0: (1 + 0) / 10, both behind
    assert (cell["听课进度"].value, cell["听课正常/已达标"].value, cell["听课落后/未达标"].value) == (0.1, 0, 2)


def test_hosted_activities_and_school_trainings_with_reflections_score(tmp_book):
    rules = RULES + [["教研活动", None, "主持", 0.5], ["校本培训", None, "心得上交", 0.2]]
    path = tmp_book(book(
        设置=settings_rows(as_of=date(2026, 6, 1)), 赋分规则=rules,
        教研活动记录=[[date(2026, 3, 10), "语文组", "集体备课", "单元整体教学", "李四", "全组"],
                    [date(2026, 3, 17), "语文组", "说课", "作文教学", "李四", "全组"],
                    [date(2026, 3, 24), "数学组", "评课", "", "", "全组"],               # nobody hosted
                    [date(2026, 6, 20), "数学组", "评课", "期末复习", "王五", "全组"]],   # after the as-of date
        培训记录=[[date(2026, 4, 8), "新课标解读", "校本", "张三、赵六", "是", None],
                [date(2026, 4, 15), "信息技术", "校本", "张三", "否", None],            # no reflection
                [date(2026, 4, 22), "骨干研修", "市级", "王五", "是", None]]),           # not 校本
        name="活动.xlsx")
    assert refresh(path) == 0
    totals = read_output(path, "赋分汇总").set_index("姓名")
    assert totals.loc["李四", "教研活动"] == 1.0                       # two sessions hosted
    assert totals.loc["王五", "总分"] == 0
    assert totals.loc["张三", "校本培训"] == 0.2 and totals.loc["赵六", "校本培训"] == 0.2
    items = read_output(path, "赋分明细")
    hosted = items[items["类型"] == "教研活动"]
    assert list(hosted["工作表"]) == ["教研活动记录"] * 2 and list(hosted["行号"]) == [2, 3]
    assert set(items[items["类型"] == "校本培训"]["行号"]) == {2}


def test_group_progress_chart_and_status_legend_survive_repeated_refreshes(tmp_book):
    import re
    import zipfile

    from package_check import package_problems
    from conftest import HEAD
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1)), 指标=[HEAD["指标"], ["教师", "听课", "学期", 20, ""]],
                         听课记录=[[date(2026, 3, 3), 1, "张三", "李四", "", "", "", ""]]), name="图表.xlsx")
    for _ in range(3):
        assert refresh(path) == 0
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/")]
        assert len(charts) == 1 and package_problems(path) == []       # old charts do not pile up
        xml = z.read(charts[0]).decode()
    assert xml.count('<c:showCatName val="0"/>') == 2          # labels show values only, in every reader
    refs = re.findall(r"<c:f>([^<]*)</c:f>", xml)
    assert refs[:3] == ["教研组统计!$D$2", "教研组统计!$A$3:$A$4", "教研组统计!$D$3:$D$4"]  # on track
    assert refs[3:] == ["教研组统计!$E$2", "教研组统计!$A$3:$A$4", "教研组统计!$E$3:$E$4"]  # behind
    ws = openpyxl.load_workbook(path)["指标总览"]
    legend = [c for c in ws[1] if c.value in ("已达标", "正常", "落后", "未达标")]
    assert [c.value for c in legend] == ["已达标", "正常", "落后", "未达标"]
    assert legend[3].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws["A1"].value.startswith("统计截至 ") and "自动生成" in ws["A1"].value
