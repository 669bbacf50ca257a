"""Plans as the offices write them: by month, with deadlines and an undated row, standing
weekly times crossing 国庆, and weeks dated off their numbers — the notice of every week of
the term, derived by hand here, against what `xl-jiaoyan notice --week N` prints.

The autumn term starts Monday 2026-08-31 (week 1) and has 20 weeks.  Weeks by Monday: 1 8/31,
2 9/7, 3 9/14, 4 9/21, 5 9/28, 6 10/5, 7 10/12, 8 10/19, 9 10/26, 10 11/2 … 14 11/30, 15 12/7,
16 12/14, 17 12/21, 18 12/28, 19 1/4, 20 1/11.  Months of the plan (as 指标 cuts them: 8/31
belongs to September): September weeks 1–5, October 6–9, November 10–14, December 15–18,
January 19–20.  Holidays: 中秋 9/25–9/27, 国庆 10/1–10/7 (9/20 and 10/10 are make-up days).
"""
from __future__ import annotations

from datetime import date

from conftest import book, read_output, refresh, settings_rows, write_book
from xl_jiaoyan import cli

WEEK1 = date(2026, 8, 31)
PLAN = [["周次", "日期", "工作内容", "负责人", "备注"],
        [None, None, "做好资料归档", "", ""],                                   # row 2: in no notice
        ["九月份", None, "1、制定教研组工作计划 2、新教师过关课", "教研室", ""],     # row 3
        [None, None, "教师基本功培训", "", ""],                                 # row 4: still September
        ["第3周", "10月份之前", "复查验收到位", "", ""],                         # row 5: due 9/30, weeks 3–5
        ["十月份", None, "1、青年教师汇报课 3、读书交流", "", ""],                # row 6: 2 skipped: a 提示
        ["11月", None, "期中质量分析", "", ""],
        ["十二月", "12月20日前", "上交课题中期报告", "", ""],                     # row 8: weeks 15–16
        ["元月", None, "学期工作总结", "", ""]]
STANDING = [["名称", "参加对象", "星期", "节次", "开始", "结束", "地点", "频率", "起始周", "结束周", "遇假"],
            # Wednesdays of weeks 4–8: 9/23, 9/30, 10/7 (国庆: to 10/14, held once), 10/14, 10/21
            ["语文组教研", "语文组", "三", "3-4", None, None, "会议室", "每周", 4, 8, "顺延"],
            # Thursdays of weeks 1, 3, 5, 7, 9: 9/3, 9/17, 10/1 (国庆: the day before, 9/30), 10/15, 10/29
            ["数学组教研", "数学组", "四", "3-4", None, None, "录播教室", "隔周", 1, 9, "提前"]]
SEPTEMBER = ["制定教研组工作计划（负责：教研室）", "新教师过关课（负责：教研室）", "教师基本功培训"]
CHECK = "复查验收到位（9月30日前完成）"
MONTH_WORK = {**{w: SEPTEMBER for w in (1, 2)}, **{w: SEPTEMBER + [CHECK] for w in (3, 4, 5)},
              **{w: ["青年教师汇报课", "读书交流"] for w in (6, 7, 8, 9)},
              **{w: ["期中质量分析"] for w in (10, 11, 12, 13, 14)},
              15: ["上交课题中期报告（12月20日前完成）"], 16: ["上交课题中期报告（12月20日前完成）"],
              17: [], 18: [], 19: ["学期工作总结"], 20: ["学期工作总结"]}
CN = "语文组教研，参加：语文组"
MATH = "数学组教研，参加：数学组"
TIME = "第3—4节（10:00—11:30）"
EVENTS = {1: [f"9月3日（星期四）{TIME}，录播教室，{MATH}"], 3: [f"9月17日（星期四）{TIME}，录播教室，{MATH}"],
          4: [f"9月23日（星期三）{TIME}，会议室，{CN}"],
          5: [f"9月30日（星期三）{TIME}，会议室，{CN}", f"9月30日（星期三）{TIME}，录播教室，{MATH}"],
          7: [f"10月14日（星期三）{TIME}，会议室，{CN}", f"10月15日（星期四）{TIME}，录播教室，{MATH}"],
          8: [f"10月21日（星期三）{TIME}，会议室，{CN}"], 9: [f"10月29日（星期四）{TIME}，录播教室，{MATH}"]}


def _book(tmp_path, plan=PLAN, **extra):
    sheets = book(设置=settings_rows(week1=WEEK1, as_of=date(2027, 1, 15)), 工作进度=plan, 固定活动=STANDING,
                  课表=[["张三", "三", 3, "三(1)班", "语文"]], **extra)
    return write_book(tmp_path / "工作台.xlsx", sheets)


def section(lines: list[str], title: str) -> list[str]:
    """The numbered lines under a heading such as 二、本月工作, without their numbers."""
    start = next((i for i, line in enumerate(lines) if line.endswith("、" + title)), None)
    if start is None:
        return []
    out = []
    for line in lines[start + 1:]:
        head, dot, rest = line.partition(". ")
        if not (dot and head.isdigit()):
            break
        out.append(rest)
    return out


def notice(path, week, capsys) -> list[str]:
    assert cli.main(["notice", str(path), "--week", str(week)]) == 0
    return capsys.readouterr().out.splitlines()


def test_every_week_of_a_month_plan_with_standing_times(tmp_path, capsys):
    path = _book(tmp_path)
    for week in range(1, 21):
        lines = notice(path, week, capsys)
        assert section(lines, "本月工作") == MONTH_WORK[week], week
        assert section(lines, "教研活动安排") == EVENTS.get(week, []), week
        # no week-numbered items at all: 本周工作 says so and points to the month's
        assert lines[lines.index(next(x for x in lines if x.endswith("、本周工作"))) + 1] == "本周按本月工作安排进行。" \
            if MONTH_WORK[week] else True


def test_month_plan_findings_and_standing_moves(tmp_path):
    path = _book(tmp_path)
    assert refresh(path) == 0
    d = read_output(path, "冲突检查")
    plan = [[r[0], r[1], r[3], r[4], r[7]] for r in d[d["工作表"] == "工作进度"].itertuples(index=False)]
    assert plan == [
        ["警告", "周历", 2, "周次", "这一行没有周次、月份或日期，上面也没有可以沿用的，这一项不会出现在任何通知中。"],
        ["提示", "周历", 6, "工作内容", "编号跳过了 2，仍按编号拆成 2 项。"]]
    fixed = [[r[0], r[1], r[3], r[4], r[5], r[7]] for r in d[d["工作表"] == "固定活动"].itertuples(index=False)]
    assert fixed == [
        ["警告", "上课冲突", 2, "参加对象", "张三", fixed[0][5]],          # 张三 teaches Wednesday period 3: said once
        ["提示", "固定活动", 2, "遇假", "张三、李四", "「语文组教研」第6周 10月7日 是国庆节，顺延至10月14日（与那天的活动合为一次）。"],
        ["提示", "固定活动", 3, "遇假", "王五、赵六", "「数学组教研」第5周 10月1日 是国庆节，提前至9月30日。"],
    ]
    assert fixed[0][5] == "「语文组教研」（2026-09-23 10:00–11:30）与 张三 课表上的课时间重叠。"   # the first Wednesday


SHIFTED = [["周次", "日期", "工作内容", "负责人", "备注"],
           ["第1周", "8月31日至9月4日", "开学工作", "", ""],
           ["第2周", "9月7日至9月11日", "教师节活动", "", ""],
           ["第3周", "9月21日至9月25日", "1、中秋放假 2、作业检查", "", ""],     # the dates of week 4
           ["第4周", "9月28日至10月2日", "国庆节前安全教育", "", ""],             # of week 5
           ["第5周", "10月5日至10月9日", "国庆后收心教育", "", ""],               # of week 6
           ["第7周", "10月12日至10月16日", "教研组长例会", "", ""]]


def test_a_shifted_run_is_read_by_its_dates_everywhere(tmp_path, capsys):
    """第3–5周 are each dated a week late: their items go to weeks 4–6, with those weeks'
    holiday lines; week 3's notice neither lists 中秋放假 nor announces 中秋 for itself."""
    path = write_book(tmp_path / "工作台.xlsx", book(设置=settings_rows(week1=WEEK1, as_of=date(2026, 9, 16)),
                                                    工作进度=SHIFTED))
    assert refresh(path) == 0
    d = read_output(path, "冲突检查")
    said = d[d["工作表"] == "工作进度"]["说明"].tolist()
    assert said == ["从第三周起连续 3 周（第 4、5、6 行），所写日期都比周次晚 1 周：第三周写的是 9月21日至9月25日，"
                    "那是第四周。通知按所写日期安排这几周的事项（第三周的事项排在第四周）。"]
    week3 = notice(path, 3, capsys)
    assert section(week3, "本周工作") == ["本周无专项安排，请按常规开展教学和教研工作。"] or \
        "中秋放假" not in "".join(section(week3, "本周工作"))
    this_week = week3[:next(i for i, x in enumerate(week3) if "下周预告" in x)]
    assert not any("中秋" in x for x in this_week)
    preview = section(week3, "下周预告（第四周，9月21日至9月27日）")
    assert preview == ["中秋放假", "作业检查", "9月25日（星期五）至9月27日（星期日）中秋节放假。"]
    week4 = notice(path, 4, capsys)
    assert section(week4, "本周工作") == ["中秋放假", "作业检查"]
    assert section(week4, "放假与调休") == ["9月25日（星期五）至9月27日（星期日）中秋节放假。"]
    week6 = notice(path, 6, capsys)
    assert section(week6, "本周工作") == ["国庆后收心教育"]
    assert section(notice(path, 5, capsys), "本周工作") == ["国庆节前安全教育"]


def test_a_month_outside_the_term_is_said(tmp_path):
    plan = [PLAN[0], ["七月份", None, "暑期培训", "", ""]]          # the autumn term has no July
    path = _book(tmp_path, plan=plan)
    assert refresh(path) == 0
    d = read_output(path, "冲突检查")
    said = [[r[0], r[3], r[4], r[7]] for r in d[d["工作表"] == "工作进度"].itertuples(index=False)]
    assert said == [["警告", 2, "周次", "7月不在本学期（2026-08-31 至 2027-01-17）内，这一项不会出现在任何通知中。"]]
