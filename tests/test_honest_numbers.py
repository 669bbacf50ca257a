"""Numbers and notices staff can trust: every figure, reminder and message says what was
and was not counted, and the weekly notice is fit to post (one test per point of the issue,
each on a workbook written to disk, expected figures worked out in the test)."""
from __future__ import annotations

from datetime import date, timedelta

import openpyxl

from conftest import HEAD, STARTED_LOG, book, quota, read_output, refresh, settings_rows
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
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1)), 指标=quotas, 听课记录=STARTED_LOG))
    assert refresh(path) == 0
    found = read_output(path, "冲突检查")
    hints = found[(found["类别"] == "指标设置") & (found["级别"] == "提示")]
    assert list(hints["行号"]) == [3] and "“教师” 15 次" in hints.iloc[0]["说明"]
    d = read_output(path, "指标明细")
    quota = dict(zip(d["姓名"], d["指标"]))
    assert quota["李四"] == 15 and quota["王五"] == 25                # 王五 is 中层: his 25 applies


def test_quotas_of_record_sheets_not_started_are_not_computed(tmp_book, capsys):
    # 教研活动记录 and 培训记录 hold only their headers: nothing recorded yet is not zero done
    quotas = [HEAD["指标"], ["教师", "听课", "学期", 20, ""], ["教研组", "教研活动", "周", 1, ""],
              ["学校", "校本培训", "月", 1, ""]]
    path = tmp_book(full_book(指标=quotas, 教研活动记录=[], 培训记录=[]))
    assert refresh(path) == 0
    d = read_output(path, "指标明细")
    assert set(d["项目"]) == {"听课"} and len(d) == 4                  # 听课 still counted, for the 4 in post
    found = read_output(path, "冲突检查")
    skipped = found[found["类别"] == "缺少工作表"].set_index("工作表")["说明"]
    assert "暂不统计" in skipped["教研活动记录"] and "教研活动（教研组，每周 1 次）" in skipped["教研活动记录"]
    assert "校本培训（学校，每月 1 次）" in skipped["培训记录"]
    assert sum("教研活动（" in s for s in skipped) == 1                  # said once
    groups = read_output(path, "教研组统计").set_index("教研组")
    assert groups.loc["语文组", "第10周"] in (None, "")                 # blank, not a row of zeros
    code, lines, _ = notice(capsys, path, "--week", "11")
    text = "\n".join(lines)
    assert code == 0 and "未开展教研活动" not in text and "校本培训" not in text


def test_a_month_of_one_day_joins_its_neighbour(tmp_book):
    # term from Monday 2026-08-31: 8月31日 belongs to September; a 校本培训 that day meets September
    quotas = [HEAD["指标"], ["学校", "校本培训", "月", 1, ""]]
    path = tmp_book(book(设置=settings_rows(week1=date(2026, 8, 31), as_of=date(2026, 10, 5)), 指标=quotas,
                         培训记录=[[date(2026, 8, 31), "开学培训", "校本", "全体教师", "是", None]]))
    assert refresh(path) == 0
    school = quota(path, "测试小学", "校本培训", "月")
    # one month elapsed (September, 8.31-9.30), and it was met
    assert (school["实际"], school["应完成"], school["状态"]) == (1, 1, "正常") and not school["说明"]
    # a term ending Sunday 2026-07-05 (21 weeks from 2026-02-09): 7月1日-5日 join June
    path = tmp_book(book(设置=settings_rows(week1=date(2026, 2, 9), weeks=21, as_of=date(2026, 7, 20)),
                         指标=quotas, 培训记录=[[date(2026, m, 10), f"培训{m}", "校本", "全体教师", "是", None]
                                            for m in (2, 3, 4, 5, 6)]), name="春.xlsx")
    assert refresh(path) == 0
    school = quota(path, "测试小学", "校本培训", "月")
    assert (school["实际"], school["应完成"], school["状态"]) == (5, 5, "已达标")   # Feb..June, no July


def test_group_progress_does_not_let_one_keen_observer_hide_another(tmp_book):
    # 听课 20 a term, as of 2026-04-01 (week 5): 应完成 5 each.  语文组: 张三 12, 李四 0.
    days = [date(2026, 3, 2) + timedelta(days=7 * w + k) for w in range(3) for k in range(4)]    # 12 weekdays
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1)),
                         指标=[HEAD["指标"], ["教师", "听课", "学期", 20, ""]],
                         听课记录=[[d, 1, "张三", "李四", "", "", "", ""] for d in days]))
    assert refresh(path) == 0
    g = read_output(path, "教研组统计").set_index("教研组")
    # capped: (min(12, 5) + min(0, 5)) / (5 + 5) = 50 %, not 12 / 10 = 120 %
    assert g.loc["语文组", "听课进度"] == 0.5
    assert (g.loc["语文组", "听课正常/已达标"], g.loc["语文组", "听课落后/未达标"]) == (1, 1)
    assert (g.loc["数学组", "听课进度"], g.loc["数学组", "听课落后/未达标"]) == (0, 2)     # 王五, 赵六 (孙七 not in post)


def test_the_overview_shows_what_a_reminder_is_computed_from(tmp_book):
    # 张三 observed twice by week 5 of 20 with 20 a term: 应完成 5, 差 3; the cell shows 2/5 and the term's 20
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1)),
                         指标=[HEAD["指标"], ["教师", "听课", "学期", 20, ""]],
                         听课记录=[[date(2026, 3, 3), 1, "张三", "李四", "", "", "", ""],
                               [date(2026, 3, 4), 1, "张三", "李四", "", "", "", ""]]))
    assert refresh(path) == 0
    row = read_output(path, "指标总览").set_index("姓名").loc["张三"]
    assert row["听课 完成"] == "2/5（共20）" and row["听课 状态"] == "落后" and row["需要提醒"] == "听课差3"


def test_a_quota_cell_formatted_as_percent_reads_as_shown(tmp_book):
    # 100 % typed into Excel is the number 1 in a percent-formatted cell: all 4 in post must enter
    quotas = [HEAD["指标"], ["学校", "竞赛参赛率", "学期", 1, ""], ["学校", "竞赛参赛率", "学期", 0.25, ""]]
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1)), 指标=quotas,
                         成果登记=[[date(2026, 3, 10), "张三", "竞赛", "校级", "朗诵", ""]]))
    wb = openpyxl.load_workbook(path)
    wb["指标"]["D2"].number_format = "0%"
    wb["指标"]["D3"].number_format = '0.0"%"'         # a literal % sign in quotes is no percentage
    wb.save(path)
    assert refresh(path) == 0
    school = quota(path, "测试小学", "竞赛参赛率")
    assert (school["指标"], school["实际"]) == (4, 1)     # ceil(100 % × 4); 0.25 alone would be 1


def test_numbered_plan_items_split_whatever_their_first_words(tmp_book, capsys):
    plan = [["第十一周", "5.11-5.17", "1、青年教师汇报课", "教研室", ""],
            [None, None, "2、5月16日（星期六）上班，补5月1日的课", "", ""],
            [None, None, "3. 九年级第一次月考。4、5月15日前完成教案检查", "", ""]]
    code, lines, _ = notice(capsys, tmp_book(full_book(工作进度=plan)), "--week", "11")
    work = lines[lines.index("一、本周工作") + 1:lines.index("二、教研活动安排")]
    assert code == 0 and work == ["1. 青年教师汇报课（负责：教研室）", "2. 5月16日（星期六）上班，补5月1日的课",
                                  "3. 九年级第一次月考。", "4. 5月15日前完成教案检查"]


def test_holidays_are_named_as_they_are(tmp_book, capsys):
    # autumn 2025: 10月1日-8日 is 国庆节 and 中秋节 together; the school's own days carry their 说明
    off = [[date(2025, 10, 20) + timedelta(days=k), "放假", "农忙假"] for k in range(5)]
    off.append([date(2025, 10, 30), "放假", "秋季运动会后补休"])
    path = tmp_book(book(设置=settings_rows(week1=date(2025, 9, 1), as_of=date(2025, 11, 20)), 校历=off,
                         指标=[HEAD["指标"], ["教师", "听课", "学期", 20, ""]],
                         听课记录=[[date(2025, 10, 30), 1, "张三", "李四", "", "", "", ""]]))
    said = {w: notice(capsys, path, "--week", str(w))[1] for w in (5, 6, 8)}
    assert "1. 10月1日（星期三）至10月5日（星期日）国庆节、中秋节放假。" in said[5]
    assert "1. 10月6日（星期一）至10月8日（星期三）国庆节、中秋节放假。" in said[6]
    assert "1. 10月20日（星期一）至10月24日（星期五）农忙假。" in said[8]
    assert refresh(path) == 0
    found = read_output(path, "冲突检查")
    holiday = found[found["类别"] == "节假日"].iloc[0]
    assert holiday["说明"] == "10月30日（星期四）是休息日（秋季运动会后补休），不是调休上课日。"


def test_an_event_on_a_holiday_is_marked_and_the_preview_says_each_thing_once(tmp_book, capsys):
    events = [[date(2026, 5, 1), "2", None, None, "公开课", "春", "张三", "", "语文组", "录播室", "语文组"],
              [date(2026, 5, 20), "2", None, None, "示范课", "古诗教学", "李四", "", "语文组", "录播室", "语文组"],
              [date(2026, 5, 21), None, "15:00", "16:00", "会议", "教研组长例会", "", "", "教研组长", "会议室", ""]]
    plan = [["第十一周", "5.11-5.17", "课题中期检查", "", ""],
            ["第十二周", "5.18-5.24", "1、古诗教学示范课 2、教研组长例会 3、作业检查", "教务处", ""]]
    path = tmp_book(full_book(活动安排=events, 工作进度=plan))
    _, lines, _ = notice(capsys, path, "--week", "9")           # 4月27日-5月3日: 5月1日 is 劳动节
    assert any("张三公开课《春》【这天是休息日（劳动节），请核对日期】" in line for line in lines)
    _, lines, _ = notice(capsys, path, "--week", "11")
    preview = lines[next(i for i, line in enumerate(lines) if "下周预告" in line) + 1:lines.index("特此通知。")]
    assert preview == ["1. 作业检查（负责：教务处）", "2. 5月20日（星期三）李四示范课《古诗教学》。",
                       "3. 5月21日（星期四）教研组长例会。"]


def test_a_past_weeks_notice_tells_the_figures_as_they_stood_then(tmp_book, capsys):
    # as of 2026-05-12 (week 11); the notice for week 3 (3月16日-22日) counts up to its Monday:
    # 张三 had 3 of 应完成 floor(20×3/20) = 3 then (on pace), 11 now (behind); 王五's 汇报课
    # (trained 3月10日, 4 weeks: due 4月7日) was not yet due then, is overdue now.
    log = [[date(2026, 3, d), 1, "张三", "李四", "", "", "", ""] for d in (3, 4, 5)]
    trainings = [[date(2026, 3, 10), "市骨干培训", "市级", "王五", "是", None]]
    path = tmp_book(full_book(听课记录=log, 培训记录=trainings))
    code, lines, err = notice(capsys, path, "--week", "3")
    behind = next(line for line in lines if "听课进度落后的老师" in line)
    assert code == 0 and "（3人）" in behind and "张三" not in behind
    assert any("还未到期的：王五（4月7日前）" in line for line in lines)
    assert lines[-1] == "2026年3月16日" and "2026-03-16" in err
    _, now, _ = notice(capsys, path)                                       # the as-of week: today's figures
    assert any("（4人）" in line for line in now if "听课进度落后的老师" in line)
    assert any("已过期限的：王五（应在4月7日前）" in line for line in now)
