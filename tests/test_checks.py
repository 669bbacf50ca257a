"""Findings with a twin each: the workbook with the problem gets exactly the finding at the
right sheet and row, the twin without it gets none."""
from __future__ import annotations

from datetime import date

import pytest

from conftest import HEAD, TEACHERS, book, read_output, refresh, settings_rows


def findings(tmp_book, name, **sheets):
    path = tmp_book(book(**sheets), name=name)
    assert refresh(path) == 0
    f = read_output(path, "冲突检查")
    return f


def of(found, category):
    return found[found["类别"] == category]


def test_bunched_observations(tmp_book):
    def day_of(n):
        return [[date(2026, 3, 3), p, "张三", "李四", "", f"{p}班", "", ""] for p in range(1, n + 1)]
    cap = settings_rows(as_of=date(2026, 4, 1), **{"单日听课上限": 3})
    bad = of(findings(tmp_book, "a.xlsx", 设置=cap, 听课记录=day_of(4)), "补记录")
    assert list(bad["行号"]) == [2] and list(bad["人员"]) == ["张三"] and set(bad["级别"]) == {"警告"}
    assert "4 节" in bad.iloc[0]["说明"]
    assert of(findings(tmp_book, "b.xlsx", 设置=cap, 听课记录=day_of(3)), "补记录").empty


def test_outside_training_without_report_lesson(tmp_book):
    def training(report):
        return [[date(2026, 3, 4), "市级研修", "市级", "李四", "是", report]]
    late = settings_rows(as_of=date(2026, 4, 10))       # 4 weeks after 3-4 is 4-1
    bad = of(findings(tmp_book, "a.xlsx", 设置=late, 培训记录=training(None)), "汇报课")
    assert list(bad["行号"]) == [2] and list(bad["人员"]) == ["李四"] and "2026-04-01" in bad.iloc[0]["说明"]
    assert of(findings(tmp_book, "b.xlsx", 设置=late, 培训记录=training(date(2026, 3, 25))), "汇报课").empty
    early = settings_rows(as_of=date(2026, 3, 30))
    assert of(findings(tmp_book, "c.xlsx", 设置=early, 培训记录=training(None)), "汇报课").empty


def test_roster_problems(tmp_book):
    twin = [HEAD["教师名册"]] + [list(t) for t in TEACHERS]
    assert of(findings(tmp_book, "ok.xlsx", 教师名册=twin), "名册").empty
    bad = [HEAD["教师名册"]] + [list(t) for t in TEACHERS] + [
        ["1001", "周八", "语文组", "", "", "", "", "是"],        # row 7: 工号 of row 2
        ["", "张三", "数学组", "", "", "", "", "是"],            # row 8: second 张三, no 工号
        ["1010", "钱九", "数学组", "", "", "青年教师", "", "是"]]  # row 9: no 师傅
    f = of(findings(tmp_book, "bad.xlsx", 教师名册=bad), "名册")
    assert sorted(zip(f["行号"], f["级别"])) == [(7, "错误"), (8, "警告"), (9, "警告")]
    assert "第 2 行" in f[f["行号"] == 7].iloc[0]["说明"]


def test_unknown_name_suggests_the_homophone(tmp_book):
    teachers = [HEAD["教师名册"]] + [list(t) for t in TEACHERS] + [
        ["1006", "刘小红", "语文组", "", "", "", "", "是"], ["1007", "刘晓明", "语文组", "", "", "", "", "是"]]
    rows = [[date(2026, 3, 3), 1, "刘晓红", "李四", "", "", "", ""]]
    f = findings(tmp_book, "a.xlsx", 设置=settings_rows(as_of=date(2026, 4, 1)), 教师名册=teachers,
                 听课记录=rows)
    unknown = of(f, "未知人员")
    assert len(unknown) == 1 and "“刘小红”" in unknown.iloc[0]["说明"]   # sounds the same, not 刘晓明
    twin = findings(tmp_book, "b.xlsx", 设置=settings_rows(as_of=date(2026, 4, 1)), 教师名册=teachers,
                    听课记录=[[date(2026, 3, 3), 1, "刘小红", "李四", "", "", "", ""]])
    assert of(twin, "未知人员").empty


def test_the_shipped_pinyin_table_agrees_with_pypinyin():
    """Every character pypinyin knows reads the same from the shipped table; one it does
    not know stands for itself."""
    pypinyin_dict = pytest.importorskip("pypinyin.pinyin_dict")
    from xl_jiaoyan.domain.pinyin import package_reading, readings, sound
    known = [chr(cp) for cp in pypinyin_dict.pinyin_dict]
    assert len(known) > 40_000 and len(readings()) == len(known)
    assert all(readings()[ch] == package_reading(ch) for ch in known)
    assert sound("刘晓红") == sound("刘小红") == "liu xiao hong" and sound("吕A") == "lv A"


def test_unknown_name_suggests_the_name_sharing_most_characters_in_a_large_roster(tmp_book):
    """No homophone: the roster name with the most characters in common, found among
    forty names that share only one character with it (the most similar by LCS:
    张伟民 and 张伟林 both 2 x 2 / (3 + 3) = 0.67; equal, the name whose characters come
    first in code order loses to 林 (U+6797 < 民 U+6C11))."""
    given = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸"
    crowd = [[f"2{i:03d}", "张" + a + b, "数学组", "", "", "", "", "是"]
             for i, (a, b) in enumerate((a, b) for a in given[:4] for b in given[10:20])]
    teachers = [HEAD["教师名册"]] + [list(t) for t in TEACHERS] + crowd + [
        ["3001", "张伟民", "语文组", "", "", "", "", "是"], ["3002", "张伟林", "语文组", "", "", "", "", "是"]]
    rows = [[date(2026, 3, 3), 1, "张伟明", "李四", "", "", "", ""]]
    f = findings(tmp_book, "a.xlsx", 设置=settings_rows(as_of=date(2026, 4, 1)), 教师名册=teachers, 听课记录=rows)
    unknown = of(f, "未知人员")
    assert len(crowd) == 40 and len(unknown) == 1 and "是否应为“张伟林”" in unknown.iloc[0]["说明"]


def test_observation_during_own_class(tmp_book):
    timetable = [["张三", "二", 3, "三(1)班", "语文"], ["张三", "周三", "1-2", "三(2)班", "语文"]]
    def obs(d, period):
        return [[d, period, "张三", "李四", "", "", "", ""]]
    s = settings_rows(as_of=date(2026, 4, 1))
    bad = of(findings(tmp_book, "a.xlsx", 设置=s, 课表=timetable, 听课记录=obs(date(2026, 3, 3), "第3节")),
             "上课冲突")                                           # Tuesday, period 3
    assert list(bad["行号"]) == [2] and "三(1)班" in bad.iloc[0]["说明"] and bad.iloc[0]["级别"] == "警告"
    bad = of(findings(tmp_book, "b.xlsx", 设置=s, 课表=timetable, 听课记录=obs(date(2026, 3, 4), 2)),
             "上课冲突")                                           # Wednesday, inside 1-2
    assert list(bad["行号"]) == [2] and "第 2 节" in bad.iloc[0]["说明"]
    assert of(findings(tmp_book, "c.xlsx", 设置=s, 课表=timetable, 听课记录=obs(date(2026, 3, 3), 4)),
              "上课冲突").empty                                     # twin: period 4 is free


def event(d, period=None, start=None, end=None, kind="公开课", topic="课", teacher="", judges="",
          attendees="", room="", group=""):
    return [d, period, start, end, kind, topic, teacher, judges, attendees, room, group]


def test_person_and_room_booked_twice(tmp_book):
    from datetime import time
    s = settings_rows(as_of=date(2026, 3, 1))
    d = date(2026, 3, 4)
    clash = [event(d, 3, teacher="张三", room="录播教室"),                       # 10:00-10:40
             event(d, None, time(10, 30), time(11, 0), kind="会议", attendees="语文组", room="录播教室")]
    f = findings(tmp_book, "a.xlsx", 设置=s, 活动安排=clash)
    person, room = of(f, "人员冲突"), of(f, "场地冲突")
    assert list(person["行号"]) == [3] and person.iloc[0]["人员"] == "张三"   # 语文组 holds 张三
    assert "第 2 行" in person.iloc[0]["说明"]
    assert list(room["行号"]) == [3] and room.iloc[0]["人员"] == "录播教室"
    twin = [clash[0], event(d, None, time(10, 40), time(11, 0), kind="会议", attendees="语文组",
                            room="录播教室")]                                   # starts as the lesson ends
    f = findings(tmp_book, "b.xlsx", 设置=s, 活动安排=twin)
    assert of(f, "人员冲突").empty and of(f, "场地冲突").empty


def test_judge_of_own_lesson(tmp_book):
    s = settings_rows(as_of=date(2026, 3, 1))
    f = findings(tmp_book, "a.xlsx", 设置=s, 活动安排=[event(date(2026, 3, 4), 3, teacher="王五", judges="李四、王五")])
    bad = of(f, "评委冲突")
    assert list(bad["行号"]) == [2] and bad.iloc[0]["人员"] == "王五"
    f = findings(tmp_book, "b.xlsx", 设置=s, 活动安排=[event(date(2026, 3, 4), 3, teacher="王五", judges="李四")])
    assert of(f, "评委冲突").empty


def test_event_during_a_class_on_the_timetable(tmp_book):
    s = settings_rows(as_of=date(2026, 3, 1))
    timetable = [["李四", "三", 3, "三(2)班", "语文"]]
    busy = [event(date(2026, 3, 4), 3, teacher="张三", judges="李四")]           # Wednesday, period 3
    bad = of(findings(tmp_book, "a.xlsx", 设置=s, 课表=timetable, 活动安排=busy), "上课冲突")
    assert list(bad["行号"]) == [2] and bad.iloc[0]["人员"] == "李四"
    free = [event(date(2026, 3, 4), 4, teacher="张三", judges="李四")]
    assert of(findings(tmp_book, "b.xlsx", 设置=s, 课表=timetable, 活动安排=free), "上课冲突").empty


def plan_rows(mistakes: bool):
    """A 20-week spring plan (week 1 = 2026-03-02) as staff type it."""
    from datetime import timedelta
    rows = []
    for w in range(1, 21):
        mon = date(2026, 3, 2) + timedelta(weeks=w - 1)
        if mistakes and w == 8:
            mon -= timedelta(weeks=1)                 # week 8 typed with week 7's dates
        if mistakes and w >= 12:
            mon += timedelta(weeks=1)                 # from week 12 on, every week one late
        fri = mon + timedelta(days=4)
        dates = f"{mon.month}月{mon.day}日至{fri.month}月{fri.day}日"
        if mistakes and w == 5:
            dates = "3月30日至4月xx日"
        rows.append([f"第{w}周", dates, f"1、第{w}周工作 2、教研活动", "教研室", ""])
    return rows


def test_plan_with_the_mistakes_real_plans_have(tmp_book):
    s = settings_rows(as_of=date(2026, 3, 20))
    f = of(findings(tmp_book, "a.xlsx", 设置=s, 工作进度=plan_rows(True)), "周历")
    by_row = {r: list(g["说明"]) for r, g in f.groupby("行号")}
    assert "日期不完整" in by_row[6][0]                               # week 5, 4月xx日
    assert any("属于第七周" in m for m in by_row[9])                  # week 8 = week 7's dates
    assert any("与第七周" in m and "重叠" in m for m in by_row[9])
    shifted = by_row[13]                                             # week 12: the run starts
    assert len(shifted) == 1 and "连续 9 周" in shifted[0] and "晚 1 周" in shifted[0]
    assert sorted(by_row) == [6, 9, 13]                               # one finding for the run
    assert of(findings(tmp_book, "b.xlsx", 设置=s, 工作进度=plan_rows(False)), "周历").empty


def test_plan_item_on_a_holiday(tmp_book):
    s = settings_rows(as_of=date(2026, 3, 20))
    f = findings(tmp_book, "a.xlsx", 设置=s, 工作进度=[["第6周", "4月6日", "教研组长会", "", ""]])
    bad = f[(f["类别"] == "节假日") & (f["工作表"] == "工作进度")]
    assert list(bad["行号"]) == [2]                                   # 清明 (Monday 2026-04-06)
    f = findings(tmp_book, "b.xlsx", 设置=s, 工作进度=[["第6周", "4月7日", "教研组长会", "", ""]])
    assert f[(f["类别"] == "节假日") & (f["工作表"] == "工作进度")].empty


def test_findings_sheet_counts_each_category_at_the_top(tmp_book):
    import openpyxl
    rows = [[date(2026, 3, 3), 1, "张叁", "李四", "", "", "", ""], [date(2026, 3, 4), 1, "张叁", "李四", "", "", "", ""],
            ["3月xx日", 1, "张三", "李四", "", "", "", ""]]
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1)), 听课记录=rows))
    assert refresh(path) == 0
    a1 = openpyxl.load_workbook(path)["冲突检查"]["A1"].value
    assert "未知人员 2" in a1 and "日期无效 1" in a1 and "错误 3 条" in a1 and "xl-jiaoyan" in a1


def ob(d, observer="张三", teacher="李四", period=1, klass=""):
    return [d, period, observer, teacher, "语文", klass, "", ""]


TUE = date(2026, 3, 3)
RECORD_CASES = {
    # category: (rows with the problem, twin rows without it, Excel row of the finding, level)
    "日期无效": ([ob(TUE), ob("3月32日", period=2)], [ob(TUE), ob("3月4日", period=2)], 3, "错误"),
    "日期超出学期": ([ob(TUE), ob(date(2026, 8, 3))], [ob(TUE), ob(date(2026, 7, 3))], 3, "错误"),
    "未知人员": ([ob(TUE), ob(TUE, "张叁", period=2)], [ob(TUE), ob(TUE, "张三老师", period=2)], 3, "错误"),
    "重复记录": ([ob(TUE), ob(TUE)], [ob(TUE), ob(TUE, period=2)], 3, "错误"),
    "自听自课": ([ob(TUE), ob(TUE, "李四", "李四")], [ob(TUE), ob(TUE, "王五", "李四")], 3, "错误"),
    "节假日": ([ob(TUE), ob(date(2026, 3, 7))], [ob(TUE), ob(date(2026, 3, 6))], 3, "警告"),
    "未来日期": ([ob(TUE), ob(date(2026, 4, 2))], [ob(TUE), ob(date(2026, 3, 31))], 3, "提示"),
}


def test_record_findings_and_their_twins(tmp_book):
    s = settings_rows(as_of=date(2026, 4, 1))
    for category, (bad, good, row, level) in RECORD_CASES.items():
        f = of(findings(tmp_book, f"{category}-1.xlsx", 设置=s, 听课记录=bad), category)
        assert list(zip(f["工作表"], f["行号"], f["级别"])) == [("听课记录", row, level)], category
        assert of(findings(tmp_book, f"{category}-2.xlsx", 设置=s, 听课记录=good), category).empty, category


def test_shared_name_and_its_twin(tmp_book):
    teachers = [HEAD["教师名册"]] + [list(t) for t in TEACHERS] + [
        ["2001", "刘一", "英语组", "", "", "", "", "是"], ["2002", "刘一", "数学组", "", "", "", "", "是"]]
    s = settings_rows(as_of=date(2026, 4, 1))
    f = of(findings(tmp_book, "a.xlsx", 设置=s, 教师名册=teachers, 听课记录=[ob(TUE, "刘一")]), "姓名重名")
    assert list(f["行号"]) == [2]
    f = of(findings(tmp_book, "b.xlsx", 设置=s, 教师名册=teachers, 听课记录=[ob(TUE, "刘一(2001)")]), "姓名重名")
    assert f.empty


def test_event_on_a_holiday_or_weekend(tmp_book):
    s = settings_rows(as_of=date(2026, 3, 1))
    for d, expected in ((date(2026, 4, 6), [2]), (date(2026, 3, 8), [2]), (date(2026, 5, 9), []),
                        (date(2026, 4, 7), [])):          # 清明, a Sunday, a make-up Saturday, a Tuesday
        f = findings(tmp_book, f"{d}.xlsx", 设置=s, 活动安排=[event(d, 3, teacher="张三")])
        assert list(f[(f["类别"] == "节假日") & (f["工作表"] == "活动安排")]["行号"]) == expected, d


def test_three_overlapping_events_give_every_pair(tmp_book):
    from datetime import time
    d = date(2026, 3, 4)
    evs = [event(d, None, time(8, 0), time(12, 0), kind="会议", topic="半天会", attendees="张三"),
           event(d, None, time(9, 0), time(9, 40), topic="课一", teacher="张三"),
           event(d, None, time(9, 20), time(10, 0), topic="课二", judges="张三")]
    f = of(findings(tmp_book, "a.xlsx", 设置=settings_rows(as_of=date(2026, 3, 1)), 活动安排=evs), "人员冲突")
    assert sorted(f["行号"]) == [3, 4, 4]          # 1-2, 1-3 and 2-3 each reported at the later row
