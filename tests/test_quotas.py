"""Quota status on real workbooks written to disk, refreshed through the CLI."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from conftest import STARTED_LOG, HEAD, TEACHERS, WEEK1, book, quota, read_output, refresh, settings_rows


def day(week: int, weekday: int = 1) -> date:
    return WEEK1 + timedelta(days=7 * (week - 1) + weekday)


def obs(d, observer="张三", teacher="李四", period=1):
    return [d, period, observer, teacher, "语文", "三(1)班", "课题", "新授课"]


def quotas(*rows):
    return [list(r) + [""] for r in rows]


def test_semester_pace_boundary_and_role_max(tmp_book):
    as_of = day(5, 0)  # Monday of week 5: 当前周次 5, 应完成 floor(15*5/20) = 3
    path = tmp_book(book(
        设置=settings_rows(as_of=as_of),
        指标=quotas(("教师", "听课", "学期", 15), ("中层", "听课", "学期", 20),
                  ("教研组长", "听课", "学期", 30)),
        听课记录=[obs(day(1), period=p) for p in (1, 2, 3)]            # 张三: exactly 应完成
        + [obs(day(2), "赵六", "王五", p) for p in (1, 2)]              # 赵六: one short
        + [obs(day(2), "王五", "赵六", p) for p in (1, 2, 3, 4)]),      # 王五: 中层 -> 20
    )
    assert refresh(path) == 0
    z = quota(path, "张三", "听课")
    assert (z["指标"], z["实际"], z["应完成"], z["差额"], z["状态"]) == (15, 3, 3, 0, "正常")
    zl = quota(path, "赵六", "听课")
    assert (zl["实际"], zl["应完成"], zl["差额"], zl["状态"]) == (2, 3, 1, "落后")
    w = quota(path, "王五", "听课")
    assert (w["指标"], w["应完成"], w["状态"]) == (20, 5, "落后")      # floor(20*5/20)
    assert quota(path, "李四", "听课")["指标"] == 30


def test_not_in_post_owes_nothing(tmp_book):
    path = tmp_book(book(指标=quotas(("教师", "听课", "学期", 15)), 听课记录=STARTED_LOG))
    assert refresh(path, "--as-of", "2026-04-01") == 0
    d = read_output(path, "指标明细")
    assert "孙七" not in set(d["姓名"])
    assert set(d["姓名"]) == {"张三", "李四", "王五", "赵六"}
    overview = read_output(path, "指标总览")
    assert list(overview["姓名"]) == ["张三", "李四", "王五", "赵六"]


def test_weekly_biweekly_monthly_periods(tmp_book):
    as_of = day(5, 2)          # Wednesday 2026-04-01: weeks 1-4 and March have ended
    acts = [[day(w, 2), "语文组", "集体备课", "主题", "李四", "全组"] for w in (1, 2, 4)]
    acts += [[day(w, 2), "数学组", "集体备课", "主题", "王五", "全组"] for w in (1, 2, 3, 4)]
    path = tmp_book(book(
        设置=settings_rows(as_of=as_of),
        指标=quotas(("教研组", "教研活动", "周", 1), ("教研组", "教研活动", "双周", 1),
                  ("学校", "校本培训", "月", 1)),
        教研活动记录=acts,
        培训记录=[[date(2026, 3, 10), "新课标培训", "校本", "全体教师", "是", None]]))
    assert refresh(path) == 0
    w = quota(path, "语文组", "教研活动", "周")
    assert (w["实际"], w["应完成"], w["差额"], w["状态"], w["说明"]) == (3, 4, 1, "落后", "未达标：第3周")
    assert quota(path, "数学组", "教研活动", "周")["状态"] == "正常"
    b = quota(path, "语文组", "教研活动", "双周")
    assert (b["实际"], b["应完成"], b["状态"]) == (2, 2, "正常")
    m = quota(path, "测试小学", "校本培训", "月")
    assert (m["实际"], m["应完成"], m["状态"]) == (1, 1, "正常")     # March ended, April not yet
    assert refresh(path, "--as-of", "2026-05-06") == 0
    m = quota(path, "测试小学", "校本培训", "月")
    assert (m["实际"], m["应完成"], m["状态"], m["说明"]) == (1, 2, "落后", "未达标：4月")


def test_holiday_only_week_is_not_counted(tmp_book):
    off = [[day(3, k), "放假", "春季研学"] for k in range(5)]
    acts = [[day(w, 2), "语文组", "集体备课", "主题", "李四", "全组"] for w in (1, 2, 4)]
    path = tmp_book(book(
        设置=settings_rows(as_of=day(5, 0)), 指标=quotas(("教研组", "教研活动", "周", 1)),
        校历=off, 教研活动记录=acts))
    assert refresh(path) == 0
    w = quota(path, "语文组", "教研活动", "周")
    assert (w["实际"], w["应完成"], w["状态"]) == (3, 3, "正常")


def test_as_of_before_week_one_and_after_the_last_week(tmp_book):
    path = tmp_book(book(
        指标=quotas(("教师", "听课", "学期", 2), ("教研组", "教研活动", "周", 1)),
        听课记录=[obs(day(1), period=p) for p in (1, 2)],
        教研活动记录=[[day(w, 2), "语文组", "", "", "", "全组"] for w in range(1, 21)]))
    assert refresh(path, "--as-of", "2026-02-20") == 0
    z = quota(path, "张三", "听课")
    assert (z["实际"], z["应完成"], z["状态"]) == (0, 0, "正常")      # nothing counted yet
    g = quota(path, "语文组", "教研活动", "周")
    assert (g["实际"], g["应完成"], g["状态"]) == (0, 0, "正常")
    assert refresh(path, "--as-of", "2026-08-01") == 0
    assert quota(path, "张三", "听课")["状态"] == "已达标"
    li = quota(path, "李四", "听课")
    assert (li["应完成"], li["差额"], li["状态"]) == (2, 2, "未达标")
    assert quota(path, "语文组", "教研活动", "周")["状态"] == "已达标"
    assert quota(path, "数学组", "教研活动", "周")["状态"] == "未达标"
    # a week holding only holidays (none here) would be left out: all 20 weeks count
    assert quota(path, "语文组", "教研活动", "周")["应完成"] == 20


def test_every_date_form_counts(tmp_book):
    forms = [datetime(2026, 3, 10), "2026-03-10", "2026/3/10", "2026.3.10", "2026年3月10日",
             "3月10日", "3.10", "3/10", "３月１０日", 46091]   # 46091 = 2026-03-10 as a serial
    rows = [obs(f, period=p) for p, f in enumerate(forms, start=1)]
    rows.append(obs("4月xx日", period=20))
    path = tmp_book(book(设置=settings_rows(as_of=day(8)), 指标=quotas(("教师", "听课", "学期", 15)),
                         听课记录=rows))
    assert refresh(path) == 0
    assert quota(path, "张三", "听课")["实际"] == len(forms)
    f = read_output(path, "冲突检查")
    bad = f[f["类别"] == "日期无效"]
    assert list(bad["行号"]) == [len(forms) + 2] and list(bad["级别"]) == ["错误"]


def test_name_forms_ambiguous_and_unknown(tmp_book):
    teachers = [HEAD["教师名册"]] + [list(t) for t in TEACHERS] + [
        ["2001", "刘一", "英语组", "", "英语", "", "", "是"],
        ["2002", "刘一", "数学组", "", "数学", "", "", "是"]]
    forms = ["张三老师", " 张 三 ", "张\u3000三", "张三(1001)", "张三（语文组）", "1001"]
    rows = [obs(day(2), f, "李四", p) for p, f in enumerate(forms, start=1)]
    rows += [obs(day(3), "刘一(2001)", "李四", 1), obs(day(3), "刘一（数学组）", "李四", 2),
             obs(day(3), "刘一", "李四", 3), obs(day(3), "张叁", "李四", 4)]
    path = tmp_book(book(设置=settings_rows(as_of=day(8)), 教师名册=teachers,
                         指标=quotas(("教师", "听课", "学期", 15)), 听课记录=rows))
    assert refresh(path) == 0
    assert quota(path, "张三", "听课")["实际"] == len(forms)
    d = read_output(path, "指标明细")
    liu = d[(d["姓名"] == "刘一")].set_index("工号")["实际"].to_dict()
    assert liu == {"2001": 1, "2002": 1}          # the bare 刘一 counts for neither
    f = read_output(path, "冲突检查")
    amb = f[f["类别"] == "姓名重名"]
    assert list(amb["行号"]) == [len(forms) + 4] and "刘一(2001)" in amb.iloc[0]["说明"]
    unknown = f[f["类别"] == "未知人员"]
    assert list(unknown["行号"]) == [len(forms) + 5]
    assert "张三" in unknown.iloc[0]["说明"] and unknown.iloc[0]["级别"] == "错误"


def test_records_after_as_of_are_hints_not_counted(tmp_book):
    path = tmp_book(book(设置=settings_rows(as_of=day(3)), 指标=quotas(("教师", "听课", "学期", 15)),
                         听课记录=[obs(day(2)), obs(day(4))]))
    assert refresh(path) == 0
    assert quota(path, "张三", "听课")["实际"] == 1
    f = read_output(path, "冲突检查")
    assert list(f[f["类别"] == "未来日期"]["级别"]) == ["提示"]


def test_mentor_pairs_events_and_achievements(tmp_book):
    """师徒互听 both ways, 示范课 from 活动安排 by 执教, 论文 from 成果登记."""
    path = tmp_book(book(
        设置=settings_rows(as_of=day(3, 0)),
        指标=quotas(("青年教师", "师徒互听", "周", 1), ("师傅", "师徒互听", "周", 1),
                  ("骨干教师", "示范课", "学期", 1), ("青年教师", "论文", "学期", 1)),
        听课记录=[obs(day(1), "赵六", "王五"), obs(day(2), "赵六", "王五"),
               obs(day(1), "王五", "赵六"), obs(day(2), "王五", "张三")],
        活动安排=[[day(2), 3, None, None, "示范课", "示范课", "王五", "李四", "数学组", "录播教室", "数学组"],
              [day(6), 3, None, None, "示范课", "示范课", "王五", "", "", "录播教室", ""]],
        成果登记=[[day(1), "赵六", "论文", "区级", "论文一", "发表"]]))
    assert refresh(path) == 0
    young = quota(path, "赵六", "师徒互听", "周")
    assert (young["实际"], young["应完成"], young["状态"]) == (2, 2, "正常")
    mentor = quota(path, "王五", "师徒互听", "周")
    assert (mentor["实际"], mentor["应完成"], mentor["说明"]) == (1, 2, "未达标：第2周")
    assert quota(path, "王五", "示范课")["实际"] == 1        # the later one is not yet held
    assert quota(path, "赵六", "论文")["状态"] == "已达标"
