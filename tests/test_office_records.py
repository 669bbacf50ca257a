"""The office's other records — 常规检查 with 复查, 材料要求 / 材料上交, 课题 — on a workbook
written to disk, every column of 检查汇总, 材料明细, 课题进度 and 成果统计, the findings, the
notice lines and 赋分汇总 derived by hand in the comments.

The spring semester starts Monday 2026-03-02 (week 1 of 20); as of Wednesday 2026-04-22 it
is week 8 (4/20–4/26).  复查期限 is the default 2 weeks.  Teachers (conftest): 张三, 李四
(语文组), 王五, 赵六 (数学组), 孙七 (数学组, not in post).  Stroke order of the surnames:
王 (4) < 李 (7) = 张 (7, 李 before 张 by the next stroke) < 赵 (9).
"""
from __future__ import annotations

from datetime import date

from conftest import book, read_output, refresh, settings_rows, write_book
from xl_jiaoyan import cli

AS_OF = date(2026, 4, 22)
CHECK_HEAD = ["日期", "检查项目", "被检查人", "等第", "问题", "复查日期", "复查等第", "检查人"]
CHECKS = [CHECK_HEAD,
          # round 1, week 3: a whole group graded at once; a failing grade re-checked in time
          [date(2026, 3, 16), "教案", "语文组", "良好", "", None, "", "李四"],                     # row 2
          [date(2026, 3, 16), "教案", "王五", "优秀", "", None, "", "李四"],                       # row 3
          [date(2026, 3, 16), "教案", "赵六", "不合格", "缺课后反思", date(2026, 3, 27), "合格", "李四"],  # 4: due 3/30
          # round 2, week 5
          [date(2026, 4, 1), "作业", "张三", "D", "批改不及时", date(2026, 4, 20), "合格", "王五"],     # 5: late (due 4/15)
          [date(2026, 4, 1), "作业", "王五", "不合格", "", date(2026, 4, 10), "不合格", "王五"],      # 6: failed again
          [date(2026, 4, 1), "作业", "赵六", "合格", "", None, "", "王五"],                        # row 7
          [date(2026, 4, 8), "教案", "李四", "不合格", "", None, "", "王五"],                      # 8: due 4/22 = today
          [date(2026, 3, 30), "听课笔记", "赵六", "不合格", "", None, "", "李四"],                  # 9: due 4/13, overdue
          [date(2026, 4, 1), "作业", "张小三", "良好", "", None, "", "王五"],                       # 10: unknown name
          ]
MATERIALS = [["材料", "对象", "截止", "备注"],
             ["教学计划", "教师", "3月13日", ""],             # row 2: the four teachers in post
             ["教学总结", "教研组", "期末", ""],              # row 3: Friday of week 20 = 7/17
             ["培训心得", "教师", "培训后7天", ""]]           # row 4: one per training attended
HANDINS = [["日期", "材料", "提交人", "结果"],
           [date(2026, 3, 12), "教学计划", "张三", "已交"],
           [date(2026, 3, 11), "教学计划", "李四", "退回"],
           [date(2026, 3, 18), "教学计划", "李四", "已交"],     # five days late
           [date(2026, 3, 12), "教学计划", "王五", "合格"],
           [date(2026, 3, 25), "培训心得", "王五", ""],          # 结果 blank: 已交
           [date(2026, 4, 10), "教学总结", "李四", "已交"],     # for 语文组
           [date(2026, 4, 2), "教学计画", "赵六", "已交"]]      # row 8: not a material of 材料要求
TRAININGS = [[date(2026, 3, 20), "新课标培训", "区级", "张三、王五", "否", None],   # 心得 due 3/27
             [date(2026, 4, 16), "作业设计", "区级", "赵六", "否", None]]         # 心得 due 4/23
PROJECT_HEAD = ["课题名称", "级别", "主持人", "成员", "阶段", "计划日期", "完成日期"]
PROJECTS = [PROJECT_HEAD,
            ["小学语文群文阅读研究", "市级", "李四", "张三", "申报", date(2025, 9, 10), date(2025, 9, 10)],   # row 2
            [None, None, None, None, "立项", date(2025, 10, 15), date(2025, 10, 15)],
            [None, None, None, None, "开题", date(2025, 11, 20), date(2025, 11, 20)],
            [None, None, None, None, "中期", date(2026, 3, 20), date(2026, 3, 20)],
            [None, None, None, None, "结题", date(2026, 4, 24), date(2026, 4, 21)],                   # row 6
            ["数学作业分层设计", "区级", "王五", "赵六", "立项", date(2026, 3, 10), date(2026, 3, 10)],     # row 7
            [None, None, None, None, "开题", date(2026, 3, 25), date(2026, 3, 24)],
            [None, None, None, None, "中期", date(2026, 4, 15), None],                                # row 9: overdue
            [None, None, None, None, "结题", date(2026, 6, 30), None]]
ACHIEVEMENTS = [[date(2026, 3, 6), "李四", "论文", "区级", "群文阅读教学策略", "一等奖"],
                [date(2026, 3, 9), "张三", "课题", "校级", "个人小课题：识字教学", "立项"]]
QUOTAS = [["学校", "常规检查", "学期", 4, ""],       # checks held: 3/16 教案, 3/30 听课笔记, 4/1 作业, 4/8 教案
          ["教研组长", "常规检查", "学期", 3, ""],   # 李四 checked 3/16 教案 and 3/30 听课笔记: 2
          ["教师", "课题", "学期", 1, ""],
          ["课题组成员", "论文", "学期", 1, ""]]
SCORING = [["常规检查", "", "优秀", 2], ["常规检查", "", "不合格", -1], ["常规检查", "", "", 0],
           ["课题", "市级", "立项", 5], ["课题", "市级", "结题", 3], ["课题", "区级", "立项", 2],
           ["课题", "校级", "", 1], ["论文", "区级", "", 2]]


def _book(tmp_path, **extra):
    sheets = book(设置=settings_rows(as_of=AS_OF), 常规检查=CHECKS, 材料要求=MATERIALS, 材料上交=HANDINS,
                  课题=PROJECTS, 培训记录=TRAININGS, 成果登记=ACHIEVEMENTS, 指标=QUOTAS, 赋分规则=SCORING)
    sheets.update(extra)
    return write_book(tmp_path / "工作台.xlsx", sheets)


def rows(path, name) -> list[list]:
    return [[plain(v) for v in r] for r in read_output(path, name).itertuples(index=False)]


def plain(v):
    if v is None or v != v or v == "":
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v.isoformat()[:10] if hasattr(v, "isoformat") else v


def findings(path, sheet) -> list[list]:
    d = read_output(path, "冲突检查")
    return [[plain(v) for v in r] for r in d[d["工作表"] == sheet].itertuples(index=False)]


def test_checks_summary_findings_and_quotas(tmp_path):
    path = _book(tmp_path)
    assert refresh(path) == 0
    # 检查项目 in order of first appearance; groups in roster order, then 全校.
    assert rows(path, "检查汇总") == [
        # 教案: 语文组 — 张三 良好, 李四 良好 (3/16), 李四 不合格 (4/8, 复查 due 4/22: not yet late)
        ["教案", "语文组", 2, 3, 0, 2, 0, 1, "李四", "李四"],
        # 数学组 — 王五 优秀, 赵六 不合格 re-checked 3/27 (合格): nothing pending
        ["教案", "数学组", 1, 2, 1, 0, 0, 1, "赵六", None],
        ["教案", "全校", 2, 5, 1, 2, 0, 2, "李四、赵六", "李四"],
        ["作业", "语文组", 1, 1, 0, 0, 0, 1, "张三", None],              # D is 不合格; re-checked (late)
        ["作业", "数学组", 1, 2, 0, 0, 1, 1, "王五", None],              # 王五 failed again: re-checked
        ["作业", "全校", 1, 3, 0, 0, 1, 2, "王五、张三", None],          # 张小三 (row 10) left out
        ["听课笔记", "数学组", 1, 1, 0, 0, 0, 1, "赵六", "赵六（逾期）"],
        ["听课笔记", "全校", 1, 1, 0, 0, 0, 1, "赵六", "赵六（逾期）"],
    ]
    assert read_output(path, "检查汇总").columns.tolist() == [
        "检查项目", "教研组", "检查次数", "受检人次", "优秀", "良好", "合格", "不合格", "合格以下人员", "待复查人员"]
    # every column: 级别, 类别, 工作表, 行号, 列, 人员, 日期, 说明, 建议 (复查期限 2 weeks after 日期)
    assert findings(path, "常规检查") == [
        ["错误", "未知人员", "常规检查", 10, "被检查人", "张小三", "2026-04-01",
         "「被检查人」写的“张小三”不在教师名册中。是否应为“张三”？", "请改正姓名，或先把此人加入「教师名册」。本行暂不计入统计。"],
        ["警告", "复查逾期", "常规检查", 5, "复查日期", "张三", "2026-04-01",
         "作业检查不合格后，2026-04-20 才复查，超过了 2 周的期限（应在 2026-04-15 前）。",
         "请核对复查日期；以后请在期限内复查。本行照常计入。"],
        ["警告", "复查不合格", "常规检查", 6, "复查等第", "王五", "2026-04-10", "作业复查仍为“不合格”。",
         "请跟进整改，再安排一次复查（可另记一行检查）。"],
        ["警告", "复查逾期", "常规检查", 9, "复查日期", "赵六", "2026-03-30",
         "听课笔记检查为“不合格”，应在 2026-04-13 前复查（期限 2 周），至今没有复查等第。",
         "请尽快复查，并填写「复查日期」和「复查等第」。"],
    ]
    detail = read_output(path, "指标明细")
    school = detail[(detail["项目"] == "常规检查") & (detail["姓名"] == "测试小学")].iloc[0]
    # 学校: 4 checks held by week 8; 应完成 floor(4 × 8 / 20) = 1
    assert [plain(v) for v in school.tolist()] == [None, "测试小学", None, "常规检查", "学期", 4, 4, 1, 0, "已达标", None]
    lead = detail[(detail["项目"] == "常规检查") & (detail["姓名"] == "李四")].iloc[0]
    # 教研组长 李四 checked twice (3/16 教案, 3/30 听课笔记); 应完成 floor(3 × 8 / 20) = 1
    assert [plain(v) for v in lead.tolist()] == ["1002", "李四", "语文组", "常规检查", "学期", 3, 2, 1, 0, "正常", "本学期还需 1 次"]


def test_materials_detail_and_overdue(tmp_path):
    path = _book(tmp_path)
    assert refresh(path) == 0
    assert read_output(path, "材料明细").columns.tolist() == [
        "工号", "姓名", "教研组", "材料", "期次", "截止", "状态", "提交日期", "说明"]
    assert rows(path, "材料明细") == [
        ["1001", "张三", "语文组", "教学计划", None, "2026-03-13", "已交", "2026-03-12", None],
        # 退回 on 3/11 fills nothing; handed in again 3/18, five days after 3/13
        ["1002", "李四", "语文组", "教学计划", None, "2026-03-13", "已交", "2026-03-18", "3月18日补交（晚5天）"],
        ["1003", "王五", "数学组", "教学计划", None, "2026-03-13", "已交", "2026-03-12", None],
        ["1004", "赵六", "数学组", "教学计划", None, "2026-03-13", "逾期", None, None],   # 教学计画 is not it
        [None, "语文组", "语文组", "教学总结", None, "2026-07-17", "已交", "2026-04-10", None],
        [None, "数学组", "数学组", "教学总结", None, "2026-07-17", "未到期", None, None],
        ["1001", "张三", "语文组", "培训心得", "3月20日新课标培训", "2026-03-27", "逾期", None, None],
        ["1003", "王五", "数学组", "培训心得", "3月20日新课标培训", "2026-03-27", "已交", "2026-03-25", None],
        ["1004", "赵六", "数学组", "培训心得", "4月16日作业设计", "2026-04-23", "未到期", None, None],
    ]
    chase = "请催交；收到后在「材料上交」中记一行。退回的材料重新收到后也要再记一行。"
    assert findings(path, "材料要求") == [     # one per owner and 材料, dated by its 截止
        ["警告", "材料逾期", "材料要求", 2, "截止", "赵六", "2026-03-13",
         "「教学计划」已过截止时间还没有交（共 1 份）：3月13日。", chase],
        ["警告", "材料逾期", "材料要求", 4, "截止", "张三", "2026-03-27",
         "「培训心得」已过截止时间还没有交（共 1 份）：3月20日新课标培训（3月27日）。", chase],
    ]
    assert findings(path, "材料上交") == [
        ["警告", "材料上交", "材料上交", 8, "材料", "赵六", "2026-04-02",
         "「材料」写的“教学计画”不在「材料要求」中。是不是“教学计划”？",
         "请改成「材料要求」中的材料名称，或在那里加一行。这一行暂不计入。"]]

def test_projects_progress_counts_and_statistics(tmp_path):
    path = _book(tmp_path)
    assert refresh(path) == 0
    header = read_output(path, "课题进度").columns.tolist()
    assert header == ["课题名称", "级别", "主持人", "成员", "申报计划", "申报完成", "立项计划", "立项完成", "开题计划",
                      "开题完成", "中期计划", "中期完成", "结题计划", "结题完成", "当前阶段", "状态", "说明"]
    assert rows(path, "课题进度") == [
        ["小学语文群文阅读研究", "市级", "李四", "张三", "2025-09-10", "2025-09-10", "2025-10-15", "2025-10-15",
         "2025-11-20", "2025-11-20", "2026-03-20", "2026-03-20", "2026-04-24", "2026-04-21", "结题", "已结题", None],
        ["数学作业分层设计", "区级", "王五", "赵六", None, None, "2026-03-10", "2026-03-10", "2026-03-25", "2026-03-24",
         "2026-04-15", None, "2026-06-30", None, "开题", "逾期", "中期逾期（计划4月15日）"],
    ]
    assert findings(path, "课题") == [
        ["警告", "课题逾期", "课题", 9, "计划日期", "王五、赵六", "2026-04-15",
         "课题「数学作业分层设计」的中期计划在 2026-04-15 完成，至今没有完成日期。",
         "请督促课题组完成；完成后填写「完成日期」。计划有变请改「计划日期」。"]]
    detail = read_output(path, "指标明细")
    projects = detail[detail["项目"] == "课题"]
    # 张三: 群文阅读 (member) and his own 小课题 (成果登记); the others one each
    assert [[plain(v) for v in r] for r in projects.itertuples(index=False)] == [
        ["1001", "张三", "语文组", "课题", "学期", 1, 2, 0, 0, "已达标", None],
        ["1002", "李四", "语文组", "课题", "学期", 1, 1, 0, 0, "已达标", None],
        ["1003", "王五", "数学组", "课题", "学期", 1, 1, 0, 0, "已达标", None],
        ["1004", "赵六", "数学组", "课题", "学期", 1, 1, 0, 0, "已达标", None],
    ]
    # 课题组成员 (the four of the two 课题) owe 论文: floor(1 × 8 / 20) = 0 due; 李四 wrote one
    papers = detail[detail["项目"] == "论文"]
    assert [(r[1], r[6], r[7], r[9]) for r in papers.itertuples(index=False)] == [
        ("张三", 0, 0, "正常"), ("李四", 1, 0, "已达标"), ("王五", 0, 0, "正常"), ("赵六", 0, 0, "正常")]
    assert rows(path, "成果统计") == [
        ["论文", 0, 1, 0, 0, 0, 0, 1],
        ["课题", 1, 1, 1, 0, 0, 0, 3],       # 小课题 校级, 分层设计 区级, 群文阅读 市级
        ["合计", 1, 2, 1, 0, 0, 0, 4],
        [None] * 8,
        ["教研组", "论文", "课题", "合计", None, None, None, None],
        ["语文组", 1, 2, 3, None, None, None, None],
        ["数学组", 0, 1, 1, None, None, None, None],
    ]
    assert read_output(path, "成果统计").columns.tolist() == ["类型", "校级", "区级", "市级", "省级", "国家级",
                                                            "未填级别", "合计"]


def test_scores_once_per_project_and_result_and_by_grade(tmp_path):
    path = _book(tmp_path)
    assert refresh(path) == 0
    # 常规检查: 优秀 2, 不合格 −1, else 0.  张三 良好 + 不合格 = −1; 李四 良好 + 不合格 = −1;
    # 王五 优秀 + 不合格 = 1; 赵六 不合格 + 合格 + 不合格 = −2.
    # 课题: 李四 立项 5 + 结题 3 (群文阅读, 市级); 王五 立项 2 (区级); 张三 1 (校级 小课题).
    # 论文: 李四 2.  Totals 0, 9, 3, −2: ranks 3, 1, 2, 4.
    assert rows(path, "赋分汇总") == [
        ["1001", "张三", "语文组", -1, 1, 0, 0, 3],
        ["1002", "李四", "语文组", -1, 8, 2, 9, 1],
        ["1003", "王五", "数学组", 1, 2, 0, 3, 2],
        ["1004", "赵六", "数学组", -2, 0, 0, -2, 4],
    ]
    items = read_output(path, "赋分明细")
    project = items[(items["工作表"] == "课题")]
    assert [(r[1], r[5], r[6], r[10]) for r in project.itertuples(index=False)] == [
        ("李四", "立项", "小学语文群文阅读研究", 5), ("李四", "结题", "小学语文群文阅读研究", 3),
        ("王五", "立项", "数学作业分层设计", 2)]


def test_notice_lists_rechecks_materials_and_milestones(tmp_path, capsys):
    path = _book(tmp_path)
    assert refresh(path) == 0
    text = [r[0] for r in read_output(path, "本周通知").itertuples(index=False)]
    start = text.index("二、常规检查、材料与课题")
    assert text[start + 1:start + 6] == [
        "1. 本周复查：教案（4月22日前）李四。",
        "2. 听课笔记复查已逾期（应在4月13日前）：赵六，请尽快复查。",
        "3. 本周截止：培训心得（4月23日前交），还未交的有 赵六。",
        "4. 教学计划已过截止时间还未交：赵六。",
        "5. 培训心得已过截止时间还未交：张三。",
    ]
    assert text[start + 6:start + 8] == [
        "6. 本周课题节点：「小学语文群文阅读研究」结题（4月24日，已于4月21日完成）。",
        "7. 课题「数学作业分层设计」中期已逾期（计划4月15日），请课题组抓紧完成。",
    ]
    # week 7 as it stood on Monday 4/13: 中期 planned this week, 结题 next week (done 4/21 is later)
    assert cli.main(["notice", str(path), "--week", "7"]) == 0
    out = capsys.readouterr().out
    assert "本周课题节点：「数学作业分层设计」中期（4月15日）。" in out
    assert "下周课题节点：「小学语文群文阅读研究」结题（4月24日），请课题组做好准备。" in out
    assert "教学计划已过截止时间还未交：赵六。" in out and "培训心得已过截止时间还未交：张三。" in out
    assert "本周截止" not in out


def test_a_workbook_without_the_office_sheets_refreshes_as_before(tmp_path):
    """No new tab, no new finding: the office's sheets are quiet when absent."""
    path = write_book(tmp_path / "旧.xlsx", book(设置=settings_rows(as_of=AS_OF), 培训记录=TRAININGS,
                                                 成果登记=ACHIEVEMENTS, 听课记录=[[date(2026, 3, 3), 1, "张三", "李四",
                                                                              "", "", "", ""]]))
    assert refresh(path) == 0
    import python_calamine as pc
    names = pc.CalamineWorkbook.from_path(str(path)).sheet_names
    assert names == ["设置", "教师名册", "培训记录", "成果登记", "听课记录",
                     "指标总览", "指标明细", "教研组统计", "冲突检查", "本周通知"]
    said = read_output(path, "冲突检查")
    assert not said["工作表"].isin(["常规检查", "材料要求", "材料上交", "课题"]).any()
    assert not said["说明"].str.contains("常规检查|材料|课题进度").any()


def test_deadlines_by_week_month_school_and_outside_training(tmp_path):
    """截止 第3周 (Friday 3/20), 每月 (March, April: as of 4/22 March is past), 学校 as owner,
    外出培训后3天 (only the 市级 training of 4/1: 区级 is not outside), blank (期末, a 提示),
    unreadable (an 错误, the row left out); 通知点名 否 counts instead of names."""
    materials = [["材料", "对象", "截止", "备注"],
                 ["教学进度表", "数学组", "第3周", ""],          # row 2: 王五, 赵六 (孙七 not in post)
                 ["月报", "学校", "每月", ""],                  # row 3: 3月, 4月, 5月, 6月, 7月
                 ["外出心得", "张三、李四", "外出培训后3天", ""],   # row 4
                 ["总结", "李四", "", ""],                       # row 5: 期末
                 ["自查表", "教师", "月中", ""]]                 # row 6: unreadable
    handins = [["日期", "材料", "提交人", "结果"],
               [date(2026, 3, 19), "教学进度表", "王五", "已交"],
               [date(2026, 4, 2), "月报", "李四", "已交"],         # after March's end: fills March, late
               [date(2026, 4, 3), "外出心得", "李四", "已交"]]
    trainings = [[date(2026, 4, 1), "市级研修", "市级", "张三、李四", "是", date(2026, 4, 10)],
                 [date(2026, 4, 8), "区级研修", "区级", "张三", "是", None]]
    path = _book(tmp_path, 材料要求=materials, 材料上交=handins,
                 培训记录=[["日期", "培训名称", "类型", "参加人员", "心得上交", "汇报课日期"], *trainings],
                 设置=settings_rows(as_of=AS_OF, 通知点名="否"))
    assert refresh(path) == 0
    got = [(r[1], r[3], r[4], r[5], r[6], r[7], r[8]) for r in rows(path, "材料明细")]
    assert got == [
        ("王五", "教学进度表", None, "2026-03-20", "已交", "2026-03-19", None),
        ("赵六", "教学进度表", None, "2026-03-20", "逾期", None, None),
        ("测试小学", "月报", "3月", "2026-03-31", "已交", "2026-04-02", "4月2日补交（晚2天）"),
        ("测试小学", "月报", "4月", "2026-04-30", "未到期", None, None),
        ("测试小学", "月报", "5月", "2026-05-31", "未到期", None, None),
        ("测试小学", "月报", "6月", "2026-06-30", "未到期", None, None),
        ("测试小学", "月报", "7月", "2026-07-19", "未到期", None, None),       # the term ends Sunday 7/19
        ("张三", "外出心得", "4月1日市级研修", "2026-04-04", "逾期", None, None),
        ("李四", "外出心得", "4月1日市级研修", "2026-04-04", "已交", "2026-04-03", None),
        ("李四", "总结", None, "2026-07-17", "未到期", None, None),
    ]
    said = findings(path, "材料要求")
    assert [(f[0], f[3], f[4], f[5]) for f in said] == [
        ("错误", 6, "截止", None), ("警告", 2, "截止", "赵六"), ("警告", 4, "截止", "张三"), ("提示", 5, "截止", None)]
    assert said[0][7] == "「自查表」的「截止」写的“月中”读不出截止时间。"
    assert said[3][7] == "「总结」的「截止」没有填写，按期末（最后一周星期五）截止。"
    text = [r[0] for r in read_output(path, "本周通知").itertuples(index=False)]
    assert any(line.endswith("教学进度表已过截止时间还未交：共1人。") for line in text)
    assert any(line.endswith("外出心得已过截止时间还未交：共1人。") for line in text)


def test_stages_out_of_order_custom_grades_and_groups_checked(tmp_path):
    """设置 检查等第 甲、乙、丙 (丙 fails, no 合格: below 合格 is the failing grade); 全体教师 and
    a 备课组-less roster; a 结题 completed before its 中期; a first row without a title."""
    checks = [CHECK_HEAD,
              [date(2026, 4, 13), "学习笔记", "全体教师", "乙", "", None, "", "李四"],     # four in post
              [date(2026, 4, 13), "学习笔记", "赵六", "丙", "", None, "", "李四"],
              [date(2026, 4, 14), "学习笔记", "张三", "良好", "", None, "", "李四"]]      # not a grade now
    projects = [PROJECT_HEAD,
                [None, None, None, None, "立项", None, None],                          # row 2: no title
                ["校本课程开发", "校级", "张三", "", "立项", date(2026, 3, 10), date(2026, 3, 10)],
                [None, None, None, None, "中期", date(2026, 4, 10), date(2026, 4, 20)],
                [None, None, None, None, "结题", date(2026, 4, 15), date(2026, 4, 15)]]   # row 5: before 中期
    path = _book(tmp_path, 常规检查=checks, 课题=projects,
                 设置=settings_rows(as_of=AS_OF, 检查等第="甲、乙、丙"))
    assert refresh(path) == 0
    assert rows(path, "检查汇总") == [
        ["学习笔记", "语文组", 1, 2, 0, 2, 0, None, None],
        ["学习笔记", "数学组", 1, 3, 0, 2, 1, "赵六", "赵六"],
        ["学习笔记", "全校", 1, 5, 0, 4, 1, "赵六", "赵六"],
    ]
    said = findings(path, "常规检查")
    assert [(f[0], f[3], f[4], f[5]) for f in said] == [("错误", 4, "等第", "张三")]
    assert said[0][7] == "「等第」写的“良好”不在「设置」中的“检查等第”里（甲、乙、丙）。"
    said = findings(path, "课题")
    assert [(f[0], f[3], f[4], f[7]) for f in said] == [
        ("错误", 2, "课题名称", "「课题名称」没有填写，上面也没有课题可以沿用。"),
        ("警告", 5, "完成日期", "课题「校本课程开发」的结题已完成，但在它之前的中期还没有完成或完成得更晚。")]
    assert rows(path, "课题进度")[0][14:] == ["结题", "已结题", None]


def test_the_district_sees_pending_rechecks_overdue_materials_and_projects(tmp_path):
    folder = tmp_path / "各校"
    folder.mkdir()
    _book(folder)                                            # 工作台.xlsx: the school above
    write_book(folder / "二小.xlsx", book(设置=settings_rows(as_of=AS_OF)))
    out = tmp_path / "全区.xlsx"
    assert cli.main(["rollup", str(folder), "-o", str(out), "--as-of", AS_OF.isoformat()]) == 0
    schools = read_output(out, "学校汇总")
    mine = schools[schools["文件"] == "工作台.xlsx"].iloc[0]
    # pending: 李四 教案 (due today) and 赵六 听课笔记 (overdue); overdue: 赵六 教学计划, 张三 培训心得;
    # 课题 with an overdue stage: 数学作业分层设计
    assert (mine["常规检查待复查"], mine["材料逾期"], mine["课题逾期"]) == (2, 2, 1)
    other = schools[schools["文件"] == "二小.xlsx"].iloc[0]
    assert [plain(other[c]) for c in ("常规检查待复查", "材料逾期", "课题逾期")] == [None, None, None]
