"""The workbook contract, declared once as data.

The reader validates sheets against it, ``init`` draws headers, widths and drop-down
lists from it, error messages name its columns, and the 使用说明 sheet is generated from
it.  Sheet and column names are the users' (Chinese); identifiers are English.
"""
from __future__ import annotations

from dataclasses import dataclass

from xl_jiaoyan.contract.model import ALL_DAYS, LISTED, RECORD_DATE, ROW, Column, Sheet  # noqa: F401
from xl_jiaoyan.contract.offices import (CHECK_GRADES, CHECKS, HANDINS, MATERIALS, OFFICE_SHEETS,  # noqa: F401
                                         PROJECT_ROLE, PROJECTS)
from xl_jiaoyan.contract.standing import STANDING, STANDING_SHEET

ROLES = ("教师", "中层", "教研组长", "教务教研主任", "骨干教师", "青年教师", "备课组长", PROJECT_ROLE)
EVERY_TEACHER, YOUNG_TEACHER = ROLES[0], ROLES[5]   # everyone holds 教师; 青年教师 has a 师傅
MENTOR = "师傅"          # the role of anyone named in another teacher's 师傅 column
PERIODS = ("学期", "两月", "月", "半月", "双周", "周")
TERM_PERIOD = PERIODS[0]
EVERY = {"两月": "每两月", "月": "每月", "半月": "每半月", "双周": "每两周", "周": "每周"}   # how a notice says each
# 活动安排 类型 (an open list: any other 类型 written there is a 项目 too); the lessons first
EVENT_TYPES = ("公开课", "示范课", "汇报课", "研究课", "讲座", "评优课", "说课", "论坛", "会议", "教学常规检查", "考试")
REPORT_EVENTS = ("汇报课", "讲座")      # given after an outside training, either clears its 汇报课
ACHIEVEMENT_TYPES = ("论文", "课题", "竞赛", "读书心得", "教学反思", "随笔", "案例", "辅导学生", "课件")
LEVELS = ("校级", "区级", "县级", "市级", "省级", "国家级")
LEVEL_RANK = {"校级": 0, "区级": 1, "县级": 1, "市级": 2, "省级": 3, "国家级": 4}   # 最低级别 compares these
TRAINING_TYPES = ("校本", "区级", "县级", "区外", "市级", "省级", "国家级")
SCHOOL_TRAINING = "校本"
REPORT_TRAININGS = ("区外", "市级", "省级", "国家级")    # 设置 需汇报课的培训's default: outside the district
PREP_LESSON = "集体备课"        # 项目 and 活动 类型: a 教研活动记录 row with a 备课组
YES_NO = ("是", "否")
CALENDAR_TYPES = ("放假", "上课")

# 项目 of 指标 and where each is counted from (see compute.counting).  The list is open: any
# other 类型 written in 活动安排 or 成果登记 is a 项目 as well.
OBSERVE, PAIRS, ACTIVITY, SCHOOL_TRAINING_ITEM = "听课", "师徒互听", "教研活动", "校本培训"
SHARE_ITEM = "竞赛参赛率"   # 对象 学校; 最低次数 is a percentage of the teachers in post
CHECK_ITEM = CHECKS        # 学校: checks held (distinct 日期 + 检查项目); a role: checks made (检查人)
QUOTA_ITEMS = (OBSERVE, *EVENT_TYPES[:8], *ACHIEVEMENT_TYPES, ACTIVITY, PREP_LESSON, SCHOOL_TRAINING_ITEM,
               PAIRS, SHARE_ITEM, CHECK_ITEM)
EACH_GROUP, EACH_PREP, THE_SCHOOL = "教研组", "备课组", "学校"   # 指标 对象 beside the roles
QUOTA_TARGETS = ROLES + (MENTOR, EACH_GROUP, EACH_PREP, THE_SCHOOL)



# 设置 keys: (项目, default, help).  A default of None means required.
SETTINGS = (
    ("学校名称", None, "学校全称，用于通知标题和落款"),
    ("部门名称", "教研室", "落款中的部门名称"),
    ("学期名称", "", "例如 2026-2027学年第一学期"),
    ("第一周周一", None, "第一教学周星期一的日期"),
    ("学期周数", 20, "本学期教学周数"),
    ("当前日期", "", "统计截止日期；留空表示今天"),
    ("汇报课期限(周)", 4, "区外培训回校后应在几周内上汇报课或作专题讲座"),
    ("单日听课上限", 4, "一人一天听课超过此数即提示“补记录”"),
    ("通知点名", "是", "本周通知的提醒中是否写出教师姓名（是/否）"),
    ("需汇报课的培训", "、".join(REPORT_TRAININGS), "哪些类型的外出培训回校后要上汇报课或作专题讲座"),
    ("集体备课提前(天)", 7, "集体备课应在授课日期前至少几天进行"),
    ("集体备课计入教研活动", "是", "备课组的集体备课是否同时算作所在教研组的一次教研活动（是/否）"),
    ("教研活动必填", "主题、主持人", "「教研活动记录」中每行必须填写的列，漏填会提示"),
    ("检查等第", "、".join(CHECK_GRADES), "常规检查的等第，从好到差；最后一个是不合格，须复查"),
    ("复查期限(周)", 2, "常规检查不合格后，应在几周内复查"),
)
# how the code names each 设置 item (in the order above)
SETTING = dict(zip(("school", "department", "term", "week1", "weeks", "as_of", "report_weeks", "daily_cap",
                    "name_people", "report_trainings", "prep_days", "prep_counts", "activity_required",
                    "check_grades", "recheck_weeks"),
                   (name for name, _, _ in SETTINGS)))

# Input sheet names (the users' own words), as the code refers to them.
SETTINGS_SHEET = "设置"
CALENDAR = "校历"
BELLS = "节次"
ROSTER = "教师名册"
QUOTAS = "指标"
PLAN = "工作进度"
EVENTS = "活动安排"
OBSERVATIONS = "听课记录"
ACTIVITIES = "教研活动记录"
TRAININGS = "培训记录"
ACHIEVEMENTS = "成果登记"
TIMETABLE = "课表"
SCORING = "赋分规则"



@dataclass(frozen=True)
class Source:
    """Where a family of 项目 is counted from, for which 对象, and which filters apply."""
    sheet: str                 # the record sheet (while missing or empty: not computed)
    objects: tuple[str, ...]   # PERSON (a role), EACH_GROUP, EACH_PREP, THE_SCHOOL
    kind_of: str = ""          # what 指标!类型 filters on (the users' column name), "" = no filter
    levels: bool = False       # 指标!最低级别 applies (成果登记 级别)
    later: bool = False        # a sheet this release does not read yet
    also: str = ""             # a second sheet that counts it too (computed while either has rows)


PERSON = "角色"     # a Source object: quotas whose 对象 is a role (教师, 骨干教师, 师傅 …)
ALL_OBJECTS = (PERSON, EACH_GROUP, EACH_PREP, THE_SCHOOL)
# 项目 -> its Source.  A 项目 not listed is a 类型 written in 活动安排 ("event") or 成果登记
# ("achievement"); one in neither is an 错误 on its 指标 row.  While a Source's sheet is
# missing or still empty its quotas are not computed: nothing recorded yet is not nothing done.
SOURCES = {
    OBSERVE: Source(OBSERVATIONS, ALL_OBJECTS, kind_of="课型"),
    PAIRS: Source(OBSERVATIONS, (PERSON,)),
    "event": Source(EVENTS, ALL_OBJECTS),
    "achievement": Source(ACHIEVEMENTS, ALL_OBJECTS, levels=True),
    ACTIVITY: Source(ACTIVITIES, ALL_OBJECTS, kind_of="类型"),
    PREP_LESSON: Source(ACTIVITIES, ALL_OBJECTS),
    SCHOOL_TRAINING_ITEM: Source(TRAININGS, (PERSON, THE_SCHOOL)),
    SHARE_ITEM: Source(ACHIEVEMENTS, (THE_SCHOOL,)),
    CHECK_ITEM: Source(CHECKS, (PERSON, THE_SCHOOL)),
    ACHIEVEMENT_TYPES[1]: Source(ACHIEVEMENTS, ALL_OBJECTS, levels=True, also=PROJECTS),
}
FAMILY = {**{k: "event" for k in EVENT_TYPES}, **{k: "achievement" for k in ACHIEVEMENT_TYPES}}


SHEETS: tuple[Sheet, ...] = (
    Sheet(SETTINGS_SHEET, (
        Column("项目", required=True, width=18, key="item"),
        Column("值", required=True, width=28, key="value"),
        Column("说明", width=44, key="note"),
    ), required=True, help="学校名称、第一周周一等基本设置；每行一项，只改“值”一列。"),
    Sheet(CALENDAR, (
        Column("日期", "date", required=True, width=14, key="date"),
        Column("类型", "choice", required=True, choices=CALENDAR_TYPES, width=10, key="kind"),
        Column("说明", width=24, key="note"),
    ), help="学校自定的放假日（运动会、期中考试放假等）和调休上课日；会覆盖国家节假日数据。",
        missing="只按国家节假日和调休安排计算。"),
    Sheet(BELLS, (
        Column("节次", "int", required=True, width=8, key="period"),
        Column("开始", "time", required=True, width=10, key="start"),
        Column("结束", "time", required=True, width=10, key="end"),
    ), help="每节课的起止时间，例如 08:00、08:40；不填则按常见作息。",
        missing="节次按常见作息时间换算（第1节 08:00–08:40 …）。"),
    Sheet(ROSTER, (
        Column("工号", width=10, help="同名教师必须填写工号以区分", key="staff_id"),
        Column("姓名", "text", required=True, width=10, key="name"),
        Column("教研组", width=12, key="group"),
        Column("备课组", width=12, key="prep_group"),
        Column("任教学科", width=10, key="subject"),
        Column("角色", "roles", choices=ROLES, strict=False, width=20,
               help="可填多个，用顿号、逗号或空格分隔", key="roles"),
        Column("师傅", width=10, help="青年教师的指导教师姓名", key="mentor"),
        Column("在岗", "choice", choices=YES_NO, strict=False, fallback="是", width=8,
               help="默认“是”；“否”不计指标", key="in_post"),
    ), required=True, help="全体教师，一人一行。"),
    Sheet(QUOTAS, (
        Column("对象", "choice", required=True, choices=QUOTA_TARGETS, strict=False, width=14, key="target"),
        Column("项目", required=True, choices=QUOTA_ITEMS, strict=False, width=12, key="item",
               help="下拉中是常用项目；「活动安排」「成果登记」中用到的其他类型也可以作为项目"),
        Column("周期", "choice", required=True, choices=PERIODS, width=8, key="period"),
        Column("最低次数", "int", required=True, width=10, key="minimum", percent=True),
        Column("备注", width=36, key="note"),
        Column("类型", width=12, key="kind", help="只计这一类型：教研活动的类型（联片教研、集体备课）或听课的课型（推门课）"),
        Column("最低级别", choices=("区级", "市级", "省级", "国家级"), strict=False, width=10, key="min_level",
               help="成果只计这一级别及以上（校级<区级<市级<省级<国家级）"),
        Column("截止周", "int", width=8, key="due_week", help="学期指标须在第几周前完成；之前不算落后"),
    ), help="各类工作的最低次数。一人多个角色时取最高要求。"),
    Sheet(PLAN, (
        Column("周次", width=10, key="week",
               help="第N周（或 N、第十一周），也可写月份（九月份、10月）；按月写的事项每周通知都列在「本月工作」下"),
        Column("日期", width=22, key="dates",
               help="日期或日期段（9月21日至9月25日），也可写月份或期限（10月底前、期中前、期末前）；限期事项到期前每周提醒"),
        Column("工作内容", required=True, width=60, key="content",
               help="一行可写多项（1、… 2、…），会拆开逐项列出"),
        Column("负责人", width=12, key="owner"),
        Column("备注", width=16, key="note"),
    ), help="学期工作计划，按周或按月填写；周次、日期可合并单元格或留空（表示同上）；周次、日期都没有的行不会进任何一周的通知（会提示）。"),
    Sheet(EVENTS, (
        RECORD_DATE,
        Column("节次", "periods", width=8, key="period"),
        Column("开始", "time", width=8, key="start"),
        Column("结束", "time", width=8, key="end"),
        Column("类型", "choice", required=True, choices=EVENT_TYPES, strict=False, width=12, key="kind"),
        Column("主题", width=28, key="topic"),
        Column("执教", "names", width=12, key="teachers", person=LISTED, aliases=("执教人", "授课人")),
        Column("评委", "names", width=18, key="judges", person=LISTED),
        Column("参加对象", "names", width=18, key="attendees", person=LISTED, aliases=("参加人员",)),
        Column("地点", width=14, key="room"),
        Column("教研组", "group", strict=False, width=12, key="group"),
    ), help="公开课、示范课、汇报课、会议、检查等具体活动。", who="teachers",
        dedupe=("date", "period", "start", "kind", "topic", "teachers", "room"), future_hint=False),
    Sheet(OBSERVATIONS, (
        RECORD_DATE,
        Column("节次", "periods", width=8, key="period"),
        Column("听课人", "name", required=True, width=10, key="observer", person=ROW, aliases=("听课教师",)),
        Column("授课人", "name", required=True, width=10, key="teacher", person=ROW,
               aliases=("授课教师", "执教教师", "执教人")),
        Column("学科", width=8, key="subject"),
        Column("班级", width=10, key="klass"),
        Column("课题", width=24, key="title"),
        Column("课型", width=10, key="lesson_type"),
        Column("授课单位", width=14, key="unit", help="在外校（盟校、联片、区赛课）听课时填写学校名称；本校留空"),
    ), help="每听一节课记一行。", who="observer", elsewhere=("unit", ("teacher",)),
        dedupe=("date", "period", "observer", "teacher", "klass", "subject", "title")),
    Sheet(ACTIVITIES, (
        RECORD_DATE,
        Column("教研组", "group", required=True, width=12, key="group"),
        Column("类型", width=12, key="kind", help="例如 集中学习、联片教研、集体备课"),
        Column("主题", width=28, key="topic"),
        Column("主持人", "name", width=10, key="host", person=LISTED),
        Column("参加人员", "names", width=30, help="可写姓名、“全组”或组名", key="attendees", person=LISTED),
        Column("备课组", "prep", width=12, key="prep", help="集体备课时填写备课组（此时教研组可留空）"),
        Column("主备人", "name", width=10, key="preparer", person=LISTED),
        Column("授课日期", "date", width=12, key="lesson_date", help="集体备课的课哪天上（应提前一周左右备课）"),
    ), help="各教研组每次活动记一行；备课组的集体备课也记在这里。", who="group",
        dedupe=("date", "group", "prep", "kind", "topic")),
    Sheet(TRAININGS, (
        RECORD_DATE,
        Column("培训名称", width=28, key="title"),
        Column("类型", "choice", required=True, choices=TRAINING_TYPES, width=10, key="kind"),
        Column("参加人员", "names", width=30, key="attendees", person=LISTED, aliases=("参训人员", "参加教师")),
        Column("心得上交", "choice", choices=YES_NO, strict=False, fallback="否", width=10, key="reflection"),
        Column("汇报课日期", "date", width=12, key="report_date"),
    ), help="校本培训和外出培训。", who="attendees",
        dedupe=("date", "title", "kind", "attendees"), workdays=("kind", SCHOOL_TRAINING)),
    Sheet(ACHIEVEMENTS, (
        RECORD_DATE,
        Column("教师", "name", required=True, width=10, key="teacher", person=ROW, aliases=("姓名",)),
        Column("类型", "choice", required=True, choices=ACHIEVEMENT_TYPES, strict=False, width=10, key="kind"),
        Column("级别", "choice", choices=LEVELS, width=8, key="level"),
        Column("名称", width=32, key="title"),
        Column("结果", width=12, key="result"),
    ), help="论文、课题、竞赛获奖、读书心得、教学反思等。", who="teacher",
        dedupe=("date", "teacher", "kind", "level", "title", "result"), workdays=None),
    Sheet(TIMETABLE, (
        Column("教师", "name", required=True, width=10, key="teacher", person=ROW, aliases=("姓名",)),
        Column("星期", "weekday", required=True, choices=("一", "二", "三", "四", "五"), strict=False, width=8,
               key="weekday"),
        Column("节次", "periods", required=True, width=8, key="period"),
        Column("班级", width=10, key="klass"),
        Column("学科", width=8, key="subject"),
    ), help="教师本人的上课时间，用于发现听课、活动与上课冲突。", who="teacher"),
    Sheet(SCORING, (
        Column("类型", required=True, width=10, key="kind"),
        Column("级别", width=8, key="level"),
        Column("结果", width=10, key="result"),
        Column("分值", required=True, width=8, key="points"),
    ), help="期末量化赋分：每类成果按级别、结果计分；级别或结果留空表示不限，最具体的一行优先。"
            "示范课、公开课、汇报课（按「活动安排」的执教计）、主持教研活动（类型 教研活动、结果 主持）、"
            "参加校本培训并上交心得（类型 校本培训、结果 心得上交）也可在此赋分。",
        missing="不计算量化赋分。"),
    *OFFICE_SHEETS,
    STANDING_SHEET,
)

SHEET = {s.name: s for s in SHEETS}
# sheets the tool knows besides these (the notice's template, sheets of the contract this
# release does not read yet): never taken for a near name of another sheet
NOTICE_TEMPLATE = "通知模板"
OTHER_SHEETS = (NOTICE_TEMPLATE, "导入方案", "发送记录")
INPUT_SHEETS = tuple(s.name for s in SHEETS)

from xl_jiaoyan.contract.outputs import *  # noqa: E402,F401,F403  (one namespace: contract.OUT_DETAIL …)
