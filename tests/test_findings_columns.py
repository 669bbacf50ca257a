"""Every kind of finding, read whole: each column of its 冲突检查 row (级别, 类别, 工作表,
行号, 列, 人员, 日期, 说明, 建议) against what is written here by hand, on the in-memory
source — and beside each, its near miss, which must not produce it."""
from __future__ import annotations

from datetime import date

import pytest

from xl_jiaoyan.read.grid import MemorySource
from xl_jiaoyan.service.pipeline import evaluate
from xl_jiaoyan.service.reports import finding_rows

D = date(2026, 9, 8)          # a Tuesday of week 1
ROSTER = [["工号", "姓名", "教研组", "备课组", "任教学科", "角色", "师傅", "在岗"],
          ["1001", "张三", "语文组", "", "语文", "教师", "", "是"],
          ["1002", "李四", "语文组", "", "语文", "教研组长", "", "是"],
          ["1003", "王芳", "语文组", "", "语文", "", "", "是"],
          ["1004", "王芳", "数学组", "", "数学", "", "", "是"],
          ["1005", "赵雪", "数学组", "", "数学", "", "", "是"]]
HEADERS = {"听课记录": ["日期", "节次", "听课人", "授课人", "学科", "班级", "课题", "课型"],
           "教研活动记录": ["日期", "教研组", "类型", "主题", "主持人", "参加人员"],
           "培训记录": ["日期", "培训名称", "类型", "参加人员", "心得上交", "汇报课日期"],
           "活动安排": ["日期", "节次", "开始", "结束", "类型", "主题", "执教", "评委", "参加对象", "地点", "教研组"],
           "课表": ["教师", "星期", "节次", "班级", "学科"],
           "工作进度": ["周次", "日期", "工作内容", "负责人", "备注"]}
SUGGEST_DATE = "请写成 2026-09-15、9月15日 或 9.15 这样的日期。本行暂不计入统计。"


def found(category: str, roster=ROSTER, **sheets) -> list[tuple]:
    book = {"设置": [["项目", "值"], ["学校名称", "一中"], ["第一周周一", date(2026, 9, 7)], ["学期周数", 20],
                     ["当前日期", date(2026, 11, 20)]],
            "教师名册": roster,
            "指标": [["对象", "项目", "周期", "最低次数"], ["教师", "听课", "学期", 15]]}
    for name, rows in sheets.items():
        book[name] = [HEADERS[name]] + rows
    rows = finding_rows(evaluate(MemorySource(book), now=None))
    return [tuple(r.values()) for r in rows if r["类别"] == category]


def obs(day=D, period=1, observer="张三", teacher="李四", title="课甲"):
    return [day, period, observer, teacher, "语文", "初一(1)班", title, ""]


CASES = [
    ("a duplicate names its person, never an internal number",
     "重复记录", dict(听课记录=[obs(observer="赵雪"), obs(observer="赵雪")]),
     [("错误", "重复记录", "听课记录", 3, "听课人", "赵雪", "2026-09-08", "与第 2 行完全相同。",
       "请删除重复的一行。本行不重复计入。")],
     dict(听课记录=[obs(observer="赵雪"), obs(observer="赵雪", period=2)])),
    ("an unknown observer", "未知人员", dict(听课记录=[obs(observer="张叁")]),
     [("错误", "未知人员", "听课记录", 2, "听课人", "张叁", "2026-09-08", "「听课人」写的“张叁”不在教师名册中。是否应为“张三”？",
       "请改正姓名，或先把此人加入「教师名册」。本行暂不计入统计。")],
     dict(听课记录=[obs(observer="张三老师")])),
    ("a shared name", "姓名重名", dict(听课记录=[obs(teacher="王芳")]),
     [("错误", "姓名重名", "听课记录", 2, "授课人", "王芳", "2026-09-08",
       "「授课人」写的“王芳”在名册中有多人同名：王芳(1003)、王芳(1004)。", "请写成 姓名(工号) 或 姓名(教研组)，例如 王芳(1003)。")],
     dict(听课记录=[obs(teacher="王芳(数学组)")])),
    ("a namesake is named by the roster's label", "自听自课", dict(听课记录=[obs(observer="王芳(1004)", teacher="王芳（1004）")]),
     [("错误", "自听自课", "听课记录", 2, "授课人", "王芳(数学组)", "2026-09-08", "听课人和授课人是同一人。",
       "请核对听课人或授课人。本行不计入听课次数。")],
     dict(听课记录=[obs(observer="王芳(1004)", teacher="王芳(1003)")])),
    ("an unreadable date", "日期无效", dict(听课记录=[obs(day="9月35日")]),
     [("错误", "日期无效", "听课记录", 2, "日期", "张三", None, "「日期」写的“9月35日”读不出日期。", SUGGEST_DATE)],
     dict(听课记录=[obs(day="9月25日")])),
    ("a blank date", "日期无效", dict(听课记录=[obs(day=None)]),
     [("错误", "日期无效", "听课记录", 2, "日期", "张三", None, "「日期」为空（或是 #N/A 这类错误值）。", SUGGEST_DATE)],
     dict(听课记录=[obs()])),
    ("a date outside the semester", "日期超出学期", dict(听课记录=[obs(day=date(2026, 6, 1))]),
     [("错误", "日期超出学期", "听课记录", 2, "日期", "张三", "2026-06-01",
       "日期 2026-06-01 不在本学期（2026-09-07 至 2027-01-24）内。",
       "请核对年份和月份；不属于本学期的记录请移走。本行暂不计入统计。")],
     dict(听课记录=[obs(day=date(2027, 1, 22))])),
    ("a record after the as-of date", "未来日期", dict(听课记录=[obs(day=date(2026, 11, 25))]),
     [("提示", "未来日期", "听课记录", 2, "日期", "张三", "2026-11-25", "日期 2026-11-25 在统计截止日 2026-11-20 之后，暂不计入。",
       "如果是预先登记的安排，可以不用处理。")],
     dict(听课记录=[obs(day=date(2026, 11, 20))])),
    ("an observation on a holiday", "节假日", dict(听课记录=[obs(day=date(2026, 10, 2))]),
     [("警告", "节假日", "听课记录", 2, "日期", "张三", "2026-10-02", "10月2日（星期五）是休息日（国庆节），不是调休上课日。",
       "请核对日期；若当天确实上课，请在「校历」中加一行“上课”。")],
     dict(听课记录=[obs(day=date(2026, 10, 10))])),          # a Saturday, the make-up working day
    ("the number 9.1 reads two ways", "日期两可", dict(听课记录=[obs(day=9.1)]),
     [("警告", "日期两可", "听课记录", 2, "日期", "张三", "2026-09-10",
       "「日期」是数字 9.1，可以是 9月1日，也可以是 9月10日（Excel 把 9.10 存成 9.1）。按学期和前后几行的日期，取 9月10日，已照此计入。",
       "如果应是 9月1日，请改写成 2026-09-01；以后可先把这一列设为“日期”格式再输入。")],
     dict(听课记录=[obs(day=9.11)])),
    ("five observations on one day", "补记录", dict(听课记录=[obs(period=p, title=f"课{p}") for p in range(1, 6)]),
     [("警告", "补记录", "听课记录", 2, "日期", "张三", "2026-09-08",
       "张三 在 2026-09-08 一天记了 5 节听课（第 2–6 行之间），超过单日上限 4 节，可能是集中补记。", "请核对这些记录的日期。")],
     dict(听课记录=[obs(period=p, title=f"课{p}") for p in range(1, 5)])),
    ("an observation during the observer's own class", "上课冲突",
     dict(听课记录=[obs(period=3)], 课表=[["张三", "二", 3, "初一(2)班", "语文"]]),
     [("警告", "上课冲突", "听课记录", 2, "节次", "张三", "2026-09-08",
       "张三 在 2026-09-08（星期二）第 3 节听课，但课表上这一节要给 初一(2)班 上课。", "请核对听课的日期和节次，或课表是否已调整。")],
     dict(听课记录=[obs(period=4)], 课表=[["张三", "二", 3, "初一(2)班", "语文"]])),
    ("an unknown name among the attendees: a warning, the row counts", "未知人员",
     dict(教研活动记录=[[D, "语文组", "", "集体备课", "李四", "张三、钱七"]]),
     [("警告", "未知人员", "教研活动记录", 2, "参加人员", "钱七", "2026-09-08", "「参加人员」写的“钱七”不在教师名册中。",
       "请改正姓名，或先把此人加入「教师名册」。这个名字不计入，本行其余照常计入。")],
     dict(教研活动记录=[[D, "语文组", "", "集体备课", "李四", "张三、全组"]])),
    ("a value off a strict list names the row's people and date", "取值不在列表中",
     dict(培训记录=[[date(2026, 9, 15), "新课标", "校内", "张三、李四", "是", None]]),
     [("错误", "取值不在列表中", "培训记录", 2, "类型", "张三、李四", "2026-09-15",
       "「类型」写的“校内”不是可选的值（校本、区级、县级、区外、市级、省级、国家级）。是不是“校本”？",
       "请从下拉列表中选一个。本行暂不计入任何统计。")],
     dict(培训记录=[[date(2026, 9, 15), "新课标", "校本", "张三、李四", "是", None]])),
    ("a group the roster does not have", "未知教研组", dict(教研活动记录=[[D, "数学", "", "说课", "赵雪", "全组"]]),
     [("错误", "未知教研组", "教研活动记录", 2, "教研组", "数学", "2026-09-08",
       "「教研组」写的“数学”不是名册中的教研组（语文组、数学组）。是不是“数学组”？", "请改成名册中的教研组名称。本行暂不计入统计。")],
     dict(教研活动记录=[[D, "数学组", "", "说课", "赵雪", "全组"]])),
    ("a judge of their own lesson", "评委冲突",
     dict(活动安排=[[D, 3, None, None, "公开课", "古诗", "张三", "张三、李四", "", "阶梯教室", ""]]),
     [("警告", "评委冲突", "活动安排", 2, "评委", "张三", "2026-09-08", "张三 既是这节「古诗」的执教，又是评委。",
       "请另请评委，执教者不评自己的课。")],
     dict(活动安排=[[D, 3, None, None, "公开课", "古诗", "张三", "李四", "", "阶梯教室", ""]])),
    ("a room booked twice", "场地冲突",
     dict(活动安排=[[D, 3, None, None, "公开课", "古诗", "张三", "", "", "阶梯教室", ""],
                  [D, "3-4", None, None, "会议", "教研会", "赵雪", "", "", "阶梯教室", ""]]),
     [("警告", "场地冲突", "活动安排", 3, "地点", "阶梯教室", "2026-09-08",
       "第 3 行「教研会」（10:00–11:30）与第 2 行「古诗」（10:00–10:40）时间重叠，「阶梯教室」被重复预约。",
       "请调整其中一项的时间、地点或人员。")],
     dict(活动安排=[[D, 3, None, None, "公开课", "古诗", "张三", "", "", "阶梯教室", ""],
                  [D, 4, None, None, "会议", "教研会", "赵雪", "", "", "阶梯教室", ""]])),
    ("a person booked twice", "人员冲突",
     dict(活动安排=[[D, 3, None, None, "公开课", "古诗", "张三", "", "", "101", ""],
                  [D, 3, None, None, "会议", "教研会", "", "", "张三、赵雪", "102", ""]]),
     [("警告", "人员冲突", "活动安排", 3, "执教", "张三", "2026-09-08",
       "第 3 行「教研会」（10:00–10:40）与第 2 行「古诗」（10:00–10:40）时间重叠，张三 同时被安排。",
       "请调整其中一项的时间、地点或人员。")],
     dict(活动安排=[[D, 3, None, None, "公开课", "古诗", "张三", "", "", "101", ""],
                  [D, 3, None, None, "会议", "教研会", "", "", "赵雪", "102", ""]])),
    ("an outside training with no 汇报课", "汇报课",
     dict(培训记录=[[date(2026, 9, 15), "省骨干研修", "省级", "李四", "是", None]]),
     [("警告", "汇报课", "培训记录", 2, "汇报课日期", "李四", "2026-09-15",
       "2026-09-15 的外出培训「省骨干研修」已过 4 周（应在 2026-10-13 前），还没有登记汇报课日期。",
       "请安排回校汇报课或专题讲座：在「活动安排」中记一行类型“汇报课”或“讲座”（执教写本人），或在「汇报课日期」列填写日期。")],
     dict(培训记录=[[date(2026, 9, 15), "省骨干研修", "省级", "李四", "是", date(2026, 10, 9)]])),
    ("a week number that cannot be read", "周历", dict(工作进度=[["第X周", None, "开学检查", "", ""]]),
     [("警告", "周历", "工作进度", 2, "周次", "", None, "「周次」写的“第X周”读不出是第几周。", "请写成 第十一周、第11周 或 11。")],
     dict(工作进度=[["第一周", None, "开学检查", "", ""]])),
]


@pytest.mark.parametrize("title, category, sheets, expected, near_miss", CASES, ids=[c[0] for c in CASES])
def test_a_finding_and_its_near_miss(title, category, sheets, expected, near_miss):
    assert found(category, **sheets) == expected
    assert found(category, **near_miss) == []


def test_a_roster_problem_names_the_teacher_and_the_column():
    roster = ROSTER + [["1001", "孙悟", "数学组", "", "数学", "", "", "是"]]
    assert found("名册", roster=roster) == [
        ("错误", "名册", "教师名册", 7, "工号", "孙悟", None, "工号 1001 与第 2 行重复。", "工号用来区分教师，请给每人一个不同的工号。")]
    assert found("名册", roster=ROSTER + [["1006", "孙悟", "数学组", "", "数学", "", "", "是"]]) == []


def test_both_seams_in_memory_a_refresh_describes_every_sheet():
    from xl_jiaoyan.outputs.spec import MemorySink
    from xl_jiaoyan.service.pipeline import refresh_into
    book = {"设置": [["项目", "值"], ["学校名称", "一中"], ["第一周周一", date(2026, 9, 7)], ["当前日期", date(2026, 9, 11)]],
            "教师名册": ROSTER, "指标": [["对象", "项目", "周期", "最低次数"], ["教师", "听课", "学期", 15]],
            "听课记录表": [HEADERS["听课记录"], obs(observer="赵雪"), obs(observer="赵雪")]}
    sink = MemorySink()
    result, written = refresh_into(MemorySource(book), sink, now=None)
    assert written == list(sink.sheets) and {"指标明细", "冲突检查", "本周通知"} <= set(written)
    found = sink.sheets["冲突检查"]
    rows = [r[:6] for r in zip(*found.rows.columns) if r[0] != "提示"]     # 提示: the sheets it lacks, 2027 holidays
    assert rows == [("错误", "重复记录", "听课记录表", 3, "听课人", "赵雪"),
                    ("警告", "工作表名称", "听课记录表", None, "", "")]
    zhao = [r for r in sink.sheets["指标明细"].rows if r[1] == "赵雪" and r[3] == "听课"][0]
    assert zhao[6] == 1          # 实际: the duplicate counted once (week 1: 应完成 ⌊15 × 1 ÷ 20⌋ = 0)
