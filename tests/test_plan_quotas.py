"""The quotas the seed plans set, each written as staff would write it, counted right.

One workbook per plan, from its wording: seed 004 (各教研组每半月提供一次教研公开课; 每两月一次
教学研究课; 备课组集体备课不少于8次, 隔周一次; 提前一周), seed 001 (联片教研 每月一活动; 半年一展示;
论坛), seed 000 (骨干教师示范课; 区外培训后的汇报课或讲座; 盟校间听课; 师徒每周互听), seed 002/003
(市级以上论文; 教研组推选一名教师上汇报课; 评优课).  Every figure is derived by hand in the
comments.  The spring semester starts Monday 2026-03-02 (week 1); as of Wednesday
2026-05-20 it is week 12 of 20.  半月 periods elapsed by then: 3月上半月 (3/2–3/15), 3月下半月,
4月上半月, 4月下半月, 5月上半月 — five; 双周 periods elapsed: 第1-2周 … 第9-10周 — five.
"""
from __future__ import annotations

from datetime import date, timedelta

from conftest import HEAD, book, read_output, refresh, settings_rows, write_book
from xl_jiaoyan import cli

AS_OF = date(2026, 5, 20)
ROSTER = ["工号", "姓名", "教研组", "备课组", "任教学科", "角色", "师傅", "在岗"]
QUOTA_HEAD = HEAD["指标"] + ["类型", "最低级别", "截止周"]
ACTS = HEAD["教研活动记录"] + ["备课组", "主备人", "授课日期"]
OBS = HEAD["听课记录"] + ["授课单位"]


def detail(path, name, item, period="学期") -> list:
    """The 指标明细 row of (姓名, 项目, 周期), every column, as a list."""
    d = read_output(path, "指标明细")
    hit = d[(d["姓名"] == name) & (d["项目"] == item) & (d["周期"] == period)]
    assert len(hit) == 1, f"{name} {item} {period}: {len(hit)} rows"
    return [plain(v) for v in hit.iloc[0].tolist()]


def plain(v):
    """A cell as written: blank -> None, 4.0 -> 4, a date -> its ISO text."""
    if v is None or v != v or v == "":
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v.isoformat() if isinstance(v, date) else v


def findings(path, category=None) -> list[dict]:
    d = read_output(path, "冲突检查")
    rows = (d if category is None else d[d["类别"] == category]).to_dict("records")
    return [{k: plain(v) for k, v in r.items()} for r in rows]


def notice(path) -> list[str]:
    return [r[0] for r in read_output(path, "本周通知").itertuples(index=False)]


def _book(tmp_path, name="工作台.xlsx", as_of=AS_OF, **sheets):
    """``book`` adds the contract's header; sheets that start with their own (the optional
    columns: 类型, 授课单位, 备课组 …) are written as given."""
    sheets.setdefault("设置", settings_rows(as_of=as_of))
    own = {k: v for k, v in sheets.items() if v and v[0] in (QUOTA_HEAD, ACTS, OBS, ROSTER)}
    out = book(**{k: v for k, v in sheets.items() if k not in own})
    out.update(own)
    return write_book(tmp_path / name, out)


# --- seed 004: group lessons by the half-month and two months; 备课组 集体备课 ------------------
ROSTER_004 = [ROSTER,
              ["2001", "林一", "语文组", "七语备课组", "语文", "教研组长", "", "是"],
              ["2002", "林二", "语文组", "七语备课组", "语文", "备课组长", "", "是"],
              ["2003", "林三", "语文组", "八语备课组", "语文", "", "", "是"],
              ["2004", "周四", "数学组", "七数备课组", "数学", "", "", "是"]]


def _seed_004(tmp_path, **extra):
    prep = [[d, None, "集体备课", f"第{k}单元", "林二", "七语备课组", "七语备课组", "林二", d + timedelta(days=7)]
            for k, d in enumerate([date(2026, 3, 3), date(2026, 3, 17), date(2026, 3, 31), date(2026, 4, 14),
                                   date(2026, 4, 28), date(2026, 5, 12)], 1)]
    prep.append([date(2026, 4, 21), None, "集体备课", "古诗单元", "林二", "七语备课组", "七语备课组", "林二",
                 date(2026, 4, 23)])                                  # two days before the lesson: 警告
    prep += [[d, "", "集体备课", "说明文", "林三", "林三", "八语备课组", "林三", d + timedelta(days=8)]
             for d in (date(2026, 3, 3), date(2026, 4, 14))]
    group = [[date(2026, 3, 5), "语文组", "专题研讨", "新课标", "林一", "全组"],
             [date(2026, 4, 2), "语文组", "专题研讨", "作业设计", "林一", "全组"],
             [date(2026, 3, 5), "数学组", "专题研讨", "新课标", "周四", "全组"]]
    lesson = ["录播教室"]
    return _book(tmp_path, 教师名册=ROSTER_004, **{
        "指标": [QUOTA_HEAD,
                 ["教研组", "公开课", "半月", 1, "各教研组每半月提供一次教研公开课"],
                 ["教研组", "研究课", "两月", 1, "每两月一次教学研究课"],
                 ["备课组", "集体备课", "双周", 1, "隔周一次集体备课"],
                 ["备课组", "集体备课", "学期", 8, "不少于8次"],
                 ["教研组", "教研活动", "学期", 8, "不少于8次"]],
        "活动安排": [[date(2026, 3, 11), 3, None, None, "公开课", "背影", "林一", "", "", *lesson, "语文组"],
                 [date(2026, 3, 25), 3, None, None, "公开课", "春", "林二", "", "", *lesson, "语文组"],
                 [date(2026, 4, 8), 3, None, None, "公开课", "桃花源记", "林三", "", "", *lesson, ""],  # 执教's group
                 [date(2026, 5, 13), 3, None, None, "公开课", "紫藤萝", "林一", "", "", *lesson, "语文组"],
                 [date(2026, 4, 22), 3, None, None, "公开课", "勾股定理", "周四", "", "", *lesson, "数学组"],
                 [date(2026, 4, 15), 5, None, None, "研究课", "大单元", "林二", "", "", *lesson, "语文组"],
                 [date(2026, 5, 27), 3, None, None, "公开课", "未来的课", "周四", "", "", *lesson, "数学组"]],
        "教研活动记录": [ACTS] + group + prep, **extra})


def test_seed_004_group_lessons_by_half_month_and_two_months(tmp_path):
    path = _seed_004(tmp_path)
    assert refresh(path) == 0
    # 语文组: 3/11, 3/25, 4/8 (教研组 blank: 林三's group), 5/13 — 4月下半月 has none
    assert detail(path, "语文组", "公开课", "半月") == [
        None, "语文组", "语文组", "公开课", "半月", 1, 4, 5, 1, "落后", "未达标：4月下半月"]
    # 数学组: only 4/22 (the 5/27 one is not yet held)
    assert detail(path, "数学组", "公开课", "半月") == [
        None, "数学组", "数学组", "公开课", "半月", 1, 1, 5, 4, "落后",
        "未达标：3月上半月、3月下半月、4月上半月、5月上半月"]
    # 两月: only 3—4月 has ended; 语文组 held a 研究课 on 4/15, 数学组 none
    assert detail(path, "语文组", "研究课", "两月") == [
        None, "语文组", "语文组", "研究课", "两月", 1, 1, 1, 0, "正常", None]
    assert detail(path, "数学组", "研究课", "两月") == [
        None, "数学组", "数学组", "研究课", "两月", 1, 0, 1, 1, "落后", "未达标：3—4月"]
    reminders = notice(path)
    assert any("公开课（每半月）进度落后的教研组：语文组（4月下半月未达标）、数学组（4期未达标，最近一期是5月上半月）"
               in line for line in reminders)
    assert any("研究课（每两月）进度落后的教研组：数学组（3—4月未达标）" in line for line in reminders)


def test_seed_004_prep_groups_fortnightly_and_eight_in_the_term(tmp_path):
    path = _seed_004(tmp_path)
    assert refresh(path) == 0
    # 七语: 3/3 (1-2), 3/17 (3-4), 3/31 (5-6), 4/14 + 4/21 (7-8), 4/28 (9-10), 5/12 (11-12, not ended)
    assert detail(path, "七语备课组", "集体备课", "双周") == [
        None, "七语备课组", "语文组", "集体备课", "双周", 1, 5, 5, 0, "正常", None]
    # 7 held; 应完成 ⌊8 × 12 ÷ 20⌋ = 4
    assert detail(path, "七语备课组", "集体备课") == [
        None, "七语备课组", "语文组", "集体备课", "学期", 8, 7, 4, 0, "正常", "本学期还需 1 次"]
    assert detail(path, "八语备课组", "集体备课", "双周") == [
        None, "八语备课组", "语文组", "集体备课", "双周", 1, 2, 5, 3, "落后", "未达标：第3-4周、第5-6周、第9-10周"]
    assert detail(path, "八语备课组", "集体备课") == [
        None, "八语备课组", "语文组", "集体备课", "学期", 8, 2, 4, 2, "落后", "本学期还需 6 次"]
    assert detail(path, "七数备课组", "集体备课") == [
        None, "七数备课组", "数学组", "集体备课", "学期", 8, 0, 4, 4, "落后", "本学期还需 8 次"]
    # 集体备课计入教研活动 (default 是): 语文组 2 of its own + 7 + 2 集体备课 = 11
    assert detail(path, "语文组", "教研活动") == [None, "语文组", "语文组", "教研活动", "学期", 8, 11, 4, 0, "已达标", None]
    assert detail(path, "数学组", "教研活动") == [
        None, "数学组", "数学组", "教研活动", "学期", 8, 1, 4, 3, "落后", "本学期还需 7 次"]
    late = findings(path, "集体备课")
    assert [(f["级别"], f["工作表"], f["行号"], f["列"], f["人员"], f["日期"]) for f in late] == [
        ("警告", "教研活动记录", 11, "授课日期", "七语备课组", "2026-04-21")]
    assert "2026-04-23 前 2 天" in late[0]["说明"] and "至少提前 7 天" in late[0]["说明"]
    assert any("集体备课（每两周）进度落后的备课组：八语备课组（3期未达标，最近一期是第9-10周）、七数备课组"
               in line for line in notice(path))


def test_seed_004_prep_lessons_kept_apart_when_the_settings_say_so(tmp_path):
    path = _seed_004(tmp_path, 设置=settings_rows(as_of=AS_OF, **{"集体备课计入教研活动": "否", "集体备课提前(天)": 1}))
    assert refresh(path) == 0
    assert detail(path, "语文组", "教研活动") == [
        None, "语文组", "语文组", "教研活动", "学期", 8, 2, 4, 2, "落后", "本学期还需 6 次"]
    assert detail(path, "七语备课组", "集体备课")[6] == 7         # still counted for the 备课组
    assert findings(path, "集体备课") == []                          # 2 days ahead is ≥ 1


# --- seed 001: 联片教研 每月一活动, 半年一展示, 论坛; and what cannot be counted ----------------------
def _seed_001(tmp_path, as_of=AS_OF, quotas=()):
    return _book(tmp_path, as_of=as_of, **{
        "指标": [QUOTA_HEAD,
                 ["学校", "教研活动", "月", 1, "联片教研 每月一活动", "联片教研"],
                 ["学校", "公开课", "学期", 1, "半年一展示"],
                 ["学校", "论坛", "学期", 2, "两次论坛"], *quotas],
        "教研活动记录": [[date(2026, 3, 12), "语文组", "联片教研", "阅读", "李四", "全组"],
                   [date(2026, 3, 26), "语文组", "集中学习", "课标", "李四", "全组"],
                   [date(2026, 4, 9), "数学组", "联片教研", "作业", "王五", "全组"],
                   [date(2026, 4, 23), "数学组", "联片教研", "命题", "王五", "全组"]],
        "活动安排": [[date(2026, 3, 18), 3, None, None, "公开课", "展示课", "张三", "", "", "", ""],
                 [date(2026, 4, 1), None, None, None, "论坛", "落实教学管理常规", "", "", "全体教师", "", ""]]})


def test_seed_001_school_quotas_by_month_with_a_kind(tmp_path):
    path = _seed_001(tmp_path)
    assert refresh(path) == 0
    # 3月 and 4月 each had a 联片教研 (the 集中学习 does not count); 5月 not over
    assert detail(path, "测试小学", "教研活动", "月") == [
        None, "测试小学", None, "教研活动", "月", 1, 2, 2, 0, "正常", "只计类型“联片教研”。"]
    assert detail(path, "测试小学", "公开课") == [None, "测试小学", None, "公开课", "学期", 1, 1, 0, 0, "已达标", None]
    # 论坛 (a 类型 of 活动安排): 1 held; 应完成 ⌊2 × 12 ÷ 20⌋ = 1
    assert detail(path, "测试小学", "论坛") == [
        None, "测试小学", None, "论坛", "学期", 2, 1, 1, 0, "正常", "本学期还需 1 次"]
    later = _seed_001(tmp_path / "..", as_of=date(2026, 6, 3))        # week 14: May has ended without one
    assert refresh(later) == 0
    assert detail(later, "测试小学", "教研活动", "月") == [
        None, "测试小学", None, "教研活动", "月", 1, 2, 3, 1, "落后", "只计类型“联片教研”。未达标：5月"]
    assert any("全校教研活动（联片教研）（每月）进度落后：5月未达标。" in line for line in notice(later))


def test_every_quota_that_cannot_be_counted_is_an_error_on_its_row(tmp_path):
    impossible = [["教研组", "师徒互听", "周", 1, ""],          # row 5: pairs are people
                  ["教师", "会议纪要", "学期", 1, ""],          # row 6: no sheet knows it
                  ["教师", "听课", "学期", 10, "", "", "市级"],  # row 7: 听课 has no 级别
                  ["教师", "论文", "周", 1, "", "", "", 5],      # row 8: 截止周 on a weekly quota
                  ["教师", "公开课", "学期", 1, "", "推门课"],   # row 9: 公开课 is a 类型 already
                  ["教研组", "常规检查", "学期", 4, ""],        # row 10: checks are held or made by people
                  ["教师", "论文", "学期", 1, "", "", "部级"]]   # row 11: no such 级别
    path = _seed_001(tmp_path, quotas=impossible)
    assert refresh(path) == 0
    errors = [f for f in findings(path) if f["工作表"] == "指标" and f["级别"] == "错误"]
    assert [(f["类别"], f["行号"], f["列"]) for f in errors] == [
        ("指标设置", 5, "对象"), ("指标设置", 6, "项目"), ("指标设置", 7, "最低级别"), ("指标设置", 8, "截止周"),
        ("指标设置", 9, "类型"), ("指标设置", 10, "对象"), ("指标设置", 11, "最低级别")]
    said = [f["说明"] for f in errors]
    assert "“师徒互听”不能按对象“教研组”统计" in said[0] and "角色" in errors[0]["建议"]
    assert "“会议纪要”无法统计" in said[1] and "论坛" in errors[1]["建议"]
    assert "“听课”没有级别" in said[2]
    assert "周期为“周”的指标不能设「截止周」" in said[3]
    assert "“公开课”不能再按类型“推门课”筛选" in said[4]
    assert "“常规检查”不能按对象“教研组”统计" in said[5]
    assert "“部级”不是级别" in said[6]
    d = read_output(path, "指标明细")
    assert not len(d[d["项目"].isin(["师徒互听", "会议纪要", "常规检查"])])     # never a row of zeros
    assert set(d[d["项目"] == "听课"]["姓名"]) == set()


# --- seed 000: 示范课 due by a week, the 汇报课 after outside training, 盟校, mentors -----------------
ROSTER_000 = [ROSTER,
              ["3001", "张敏", "语文组", "", "语文", "", "", "是"],
              ["3002", "李娜", "语文组", "", "语文", "骨干教师", "", "是"],
              ["3003", "刘洋", "数学组", "", "数学", "骨干教师", "", "是"],
              ["3004", "陈静", "数学组", "", "数学", "", "", "是"],
              ["3005", "王师", "数学组", "", "数学", "", "", "是"],
              ["3006", "小赵", "数学组", "", "数学", "青年教师", "王师", "是"],
              ["3007", "小钱", "数学组", "", "数学", "青年教师", "王师", "是"]]
THURSDAYS = [date(2026, 3, 5) + timedelta(weeks=k) for k in range(11)]     # weeks 1–11


def _seed_000(tmp_path, as_of=AS_OF, name="工作台.xlsx"):
    pairs = [[d, 2, "王师", "小赵", "", "", "", ""] for d in THURSDAYS]
    pairs += [[d, 4, "王师", "小钱", "", "", "", ""] for d in THURSDAYS[:9]]
    pairs += [[d, 3, "小赵", "王师", "", "", "", ""] for d in THURSDAYS]
    obs = [[date(2026, 3, 10), 1, "张敏", "林海", "语文", "", "", "", "城关区实验小学"],
           [date(2026, 3, 17), 1, "张敏", "林海", "语文", "", "", "", "城关区实验小学"],
           [date(2026, 3, 24), 1, "张敏", "李娜", "语文", "", "", "", ""],
           [date(2026, 3, 31), 1, "张敏", "林海", "语文", "", "", "", "测试小学"],   # our own school: unknown name
           [date(2026, 4, 15), 3, "张敏", "李娜", "语文", "", "", "", ""],           # a day off (校历): no 上课冲突
           [date(2026, 4, 22), 3, "张敏", "李娜", "语文", "", "", "", ""]]           # her class: 上课冲突
    return _book(tmp_path, name=name, as_of=as_of, 教师名册=ROSTER_000, **{
        "指标": [QUOTA_HEAD,
                 ["骨干教师", "示范课", "学期", 1, "每学期每位骨干教师主讲一节示范课", "", "", 10],
                 ["教师", "听课", "学期", 15, "教师听课每学期不少于15节"],
                 ["师傅", "师徒互听", "周", 1, "每周互听一节"],
                 ["青年教师", "师徒互听", "周", 1, "每周互听一节"]],
        "校历": [HEAD["校历"], [date(2026, 4, 15), "放假", "运动会"]],
        "课表": [HEAD["课表"], ["张敏", "三", 3, "三(1)班", "语文"]],
        "听课记录": [OBS] + obs + [r + [""] for r in pairs],
        "活动安排": [[date(2026, 3, 25), 2, None, None, "示范课", "背影", "李娜", "", "", "", ""],
                 [date(2026, 4, 7), 2, None, None, "汇报课", "新理念", "李娜", "", "", "", ""],
                 [date(2026, 3, 5), None, None, None, "讲座", "旧闻", "陈静", "", "", "", ""],
                 [date(2026, 4, 16), None, None, None, "讲座", "分享", "王师", "", "", "", ""],
                 [date(2026, 4, 15), 3, None, None, "会议", "运动会筹备", "", "", "张敏", "", ""]],
        "培训记录": [[date(2026, 3, 10), "区外跟岗学习", "区外", "李娜", "是", None],      # cleared by 4/7 汇报课
                 [date(2026, 3, 10), "区骨干培训", "区级", "张敏", "是", None],         # in the district: owes none
                 [date(2026, 3, 10), "市级研修", "市级", "刘洋", "是", None],           # owes, overdue (due 4/7)
                 [date(2026, 3, 10), "省级研修", "省级", "陈静", "是", None],           # her 讲座 was before it
                 [date(2026, 3, 12), "市级同课异构", "市级", "王师、小钱", "是", None]]})   # 王师's 4/16 讲座 clears him


def test_seed_000_model_lesson_due_by_week_ten(tmp_path):
    path = _seed_000(tmp_path)
    assert refresh(path) == 0
    assert detail(path, "李娜", "示范课") == ["3002", "李娜", "语文组", "示范课", "学期", 1, 1, 1, 0, "已达标", None]
    # week 12 ≥ 截止周 10: the whole 1 is due
    assert detail(path, "刘洋", "示范课") == [
        "3003", "刘洋", "数学组", "示范课", "学期", 1, 0, 1, 1, "落后", "须在第10周完成，本学期还需 1 次"]
    week8 = _seed_000(tmp_path, as_of=date(2026, 4, 22), name="第8周.xlsx")
    assert refresh(week8) == 0
    assert detail(week8, "刘洋", "示范课") == [
        "3003", "刘洋", "数学组", "示范课", "学期", 1, 0, 0, 0, "正常", "须在第10周完成，本学期还需 1 次"]
    assert any("示范课须在第10周完成，还未完成的老师（1人）：刘洋" in line for line in notice(week8))
    week7 = _seed_000(tmp_path, as_of=date(2026, 4, 15), name="第7周.xlsx")
    assert refresh(week7) == 0
    assert not any("示范课须在" in line for line in notice(week7))   # reminders start two weeks before


def test_seed_000_report_lessons_after_outside_training(tmp_path):
    path = _seed_000(tmp_path)
    assert refresh(path) == 0
    owed = findings(path, "汇报课")
    assert [(f["级别"], f["工作表"], f["行号"], f["列"], f["人员"], f["日期"]) for f in owed] == [
        ("警告", "培训记录", 4, "汇报课日期", "刘洋", "2026-03-10"),
        ("警告", "培训记录", 5, "汇报课日期", "陈静", "2026-03-10"),
        ("警告", "培训记录", 6, "汇报课日期", "小钱", "2026-03-12")]
    text = "\n".join(notice(path))
    assert "已过期限的：小钱（应在4月9日前）、刘洋（应在4月7日前）、陈静（应在4月7日前）" in text     # by 笔画
    line = next(x for x in notice(path) if "外出培训后" in x)
    assert "李娜" not in line and "张敏" not in line and "王师" not in line


def test_seed_000_lessons_at_the_partner_school_count(tmp_path):
    path = _seed_000(tmp_path)
    assert refresh(path) == 0
    # 3/10 and 3/17 at 城关区实验小学, 3/24, 4/15, 4/22 here; the 3/31 row names our own school
    assert detail(path, "张敏", "听课") == ["3001", "张敏", "语文组", "听课", "学期", 15, 5, 9, 4, "落后",
                                          "本学期还需 10 次"]
    unknown = findings(path, "未知人员")
    assert [(f["级别"], f["行号"], f["列"]) for f in unknown] == [("错误", 5, "授课人")]
    assert "“林海”不在教师名册中" in unknown[0]["说明"]
    clashes = findings(path, "上课冲突")
    assert [(f["行号"], f["日期"]) for f in clashes] == [(7, "2026-04-22")]    # none on the 4/15 day off


def test_seed_000_a_mentor_owes_each_mentee(tmp_path):
    path = _seed_000(tmp_path)
    assert refresh(path) == 0
    # weeks 1–11 have ended; 王师 observed 小赵 every week, 小钱 in weeks 1–9 only
    assert detail(path, "王师", "师徒互听", "周") == [
        "3005", "王师", "数学组", "师徒互听", "周", 1, 9, 11, 2, "落后", "与小钱未达标：第10周、第11周"]
    assert detail(path, "小赵", "师徒互听", "周") == [
        "3006", "小赵", "数学组", "师徒互听", "周", 1, 11, 11, 0, "正常", None]
    short = detail(path, "小钱", "师徒互听", "周")
    assert short[5:10] == [1, 0, 11, 11, "落后"]


# --- seeds 002/003: 市级以上论文, a group's 汇报课, 评优课 and other open 类型 -------------------------
def test_seed_002_levels_group_report_lesson_and_open_kinds(tmp_path):
    path = _book(tmp_path, **{
        "指标": [QUOTA_HEAD,
                 ["教师", "论文", "学期", 1, "每年至少有一篇论文在省、市级报刊杂志上发表", "", "市级以上"],
                 ["教研组", "汇报课", "学期", 1, "推选出一名教师上汇报课"],
                 ["教师", "评优课", "学期", 1, "每个教师至少上一节评优课"],
                 ["教师", "案例分析", "学期", 1, "撰写案例分析"],
                 ["学校", "听课", "学期", 2, "推门听课", "推门课"]],
        "成果登记": [[date(2026, 3, 20), "张三", "论文", "校级", "甲", "交流"],
                 [date(2026, 3, 21), "李四", "论文", "市级", "乙", "发表"],
                 [date(2026, 3, 22), "王五", "论文", "省级", "丙", "发表"],
                 [date(2026, 3, 23), "张三", "案例分析", "校级", "丁", ""]],
        "活动安排": [[date(2026, 4, 8), 3, None, None, "汇报课", "汇报", "李四", "", "", "", ""],
                 [date(2026, 4, 9), 3, None, None, "评优课", "评优", "王五", "", "", "", "数学组"]],
        "听课记录": [[date(2026, 3, 3), 1, "张三", "李四", "", "", "", "推门课"],
                 [date(2026, 3, 4), 1, "王五", "李四", "", "", "", "新授课"],
                 [date(2026, 3, 5), 1, "赵六", "王五", "", "", "", "推门课"]]})
    assert refresh(path) == 0
    # 应完成 ⌊1 × 12 ÷ 20⌋ = 0: 张三's 校级 paper does not count but nothing is due yet
    assert detail(path, "张三", "论文") == ["1001", "张三", "语文组", "论文", "学期", 1, 0, 0, 0, "正常",
                                          "只计市级及以上。本学期还需 1 次"]
    assert detail(path, "王五", "论文") == ["1003", "王五", "数学组", "论文", "学期", 1, 1, 0, 0, "已达标",
                                          "只计市级及以上。"]
    # 李四's 汇报课 has no 教研组: it counts for his, 语文组; 数学组 has none
    assert detail(path, "语文组", "汇报课") == [None, "语文组", "语文组", "汇报课", "学期", 1, 1, 0, 0, "已达标", None]
    assert detail(path, "数学组", "汇报课") == [None, "数学组", "数学组", "汇报课", "学期", 1, 0, 0, 0, "正常",
                                           "本学期还需 1 次"]
    assert detail(path, "王五", "评优课")[6:10] == [1, 0, 0, "已达标"]
    assert detail(path, "张三", "案例分析")[6:10] == [1, 0, 0, "已达标"]
    # two 推门课 among three observations; 应完成 ⌊2 × 12 ÷ 20⌋ = 1
    assert detail(path, "测试小学", "听课") == [None, "测试小学", None, "听课", "学期", 2, 2, 1, 0, "已达标",
                                            "只计类型“推门课”。"]
    overview = read_output(path, "指标总览")
    assert "论文（市级及以上） 完成" in overview.columns


def test_check_reports_the_same_figures_from_memory(tmp_path):
    """The in-memory source gives what the file gives (the logic, without a file)."""
    from xl_jiaoyan.compute.pipeline import compute
    from xl_jiaoyan.read.grid import MemorySource
    from xl_jiaoyan.read.load import load_tables
    path = _seed_004(tmp_path)
    import openpyxl
    wb = openpyxl.load_workbook(path)
    source = MemorySource({ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb})
    result = compute(load_tables(source))
    d = result.detail
    row = d[(d["name"] == "语文组") & (d["item"] == "公开课")].iloc[0]
    assert (row["actual"], row["due"], row["status"]) == (4, 5, "落后")
    assert cli.main(["check", str(path)]) == 0


def test_activity_records_say_what_is_missing(tmp_path):
    """Seed 000: 活动定主题，有记录 — a blank 主题 or 主持人 is a 提示 (the row counts); a row
    of no group and an unknown 备课组 are 错误 (left out)."""
    path = _book(tmp_path, 教师名册=ROSTER_004, **{
        "指标": [QUOTA_HEAD, ["教研组", "教研活动", "学期", 1, ""]],
        "教研活动记录": [ACTS,
                   [date(2026, 3, 5), "语文组", "专题研讨", "", "", "全组"],        # row 2: 主题 and 主持人 blank
                   [date(2026, 3, 12), "语文组", "专题研讨", "课标", "", "全组"],    # row 3: 主持人 blank
                   [date(2026, 3, 19), "", "专题研讨", "课标", "林一", "林一"],      # row 4: no group at all
                   [date(2026, 3, 26), "", "集体备课", "课标", "林一", "林一", "九语备课组", "林一"]]})  # row 5
    assert refresh(path) == 0
    blank = findings(path, "记录不完整")
    assert [(f["级别"], f["行号"], f["列"], f["人员"]) for f in blank] == [
        ("提示", 2, "主题", "语文组"), ("提示", 3, "主持人", "语文组")]
    assert "「主题」「主持人」没有填写" in blank[0]["说明"] and "「主持人」没有填写" in blank[1]["说明"]
    assert [(f["级别"], f["行号"], f["列"]) for f in findings(path, "未知教研组")] == [("错误", 4, "教研组")]
    prep = findings(path, "未知备课组")
    assert [(f["级别"], f["行号"], f["列"]) for f in prep] == [("错误", 5, "备课组")]
    assert "是不是“七语备课组”" in prep[0]["说明"] or "八语备课组" in prep[0]["说明"]
    assert detail(path, "语文组", "教研活动")[6] == 2           # rows 2 and 3 count; 4 and 5 do not
