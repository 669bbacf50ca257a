"""The sample semester's 常规检查, 材料要求 / 材料上交 and 课题 (see ``sample``): three check
rounds with 复查 in time, late, failed again and overdue; materials due by a week, a date,
每月, 期末 and after each training, with 退回 and missing hand-ins; three 课题, one of
them also in 成果登记 and one with an overdue 中期; and two standing times (固定活动), one
crossing 国庆."""
from __future__ import annotations

import random
from datetime import date, timedelta

from xl_jiaoyan.contract import CHECKS, HANDINS, MATERIALS, PROJECTS, STANDING

# (name, group, roles) of the sample's teachers in post come from ``sample``
FAILED = {  # (round, teacher) -> (复查日期, 复查等第): None = not re-checked yet
    (0, "马超"): (date(2026, 9, 30), "合格"),         # in time
    (0, "许文博"): (date(2026, 10, 15), "合格"),      # three weeks later: late
    (1, "梁爽"): (date(2026, 11, 3), "不合格"),       # failed again
    (1, "董强"): None,                               # due 11/5: overdue
}


def office_rows(teachers: list[tuple[str, str, str]], day) -> dict[str, list]:
    """Rows of the four sheets; ``teachers`` as (label, group, roles) of those in post,
    ``day(week, weekday)`` the sample's calendar."""
    rng = random.Random(20261120)
    checks = []
    for k, (when, item) in enumerate(((date(2026, 9, 24), "教案"), (date(2026, 10, 22), "作业"))):
        for name, group, _ in teachers:
            if (k, name) in FAILED:
                again = FAILED[(k, name)]
                checks.append([when, item, name, "不合格", "书写潦草、环节不全" if k == 0 else "批改不及时",
                               again[0] if again else None, again[1] if again else None, "周建国"])
            else:
                grade = rng.choices(["优秀", "良好", "合格", "A", "B"], [3, 4, 2, 1, 1])[0]
                checks.append([when, item, name, grade, "", None, None, "周建国、" + _lead(teachers, group)])
    checks.append([date(2026, 11, 6), "作业", "朱婷", "不合格", "作业量偏大", None, None, "郑志强"])   # due 11/20
    for group, grade in (("语文组", "良好"), ("数学组", "良好"), ("英语组", "优秀"), ("科学组", "合格"),
                         ("艺体组", "良好")):     # a whole group graded at once
        checks.append([date(2026, 11, 18), "听课笔记", group, grade, "", None, None, "吴敏"])
    checks.append([date(2026, 11, 18), "听课笔记", "田野老师", "不合格", "听课记录不足10节", None, None, "吴敏"])

    materials = [["教学计划", "教师", "第2周", "个人学期教学计划"],
                 ["教研组工作计划", "教研组", "9月11日", "由教研组长上交"],
                 ["月度教学反思", "青年教师", "每月", "每月一篇"],
                 ["外出培训心得", "陈静、王芳(1003)、郑志强、梁爽、曾涛", "外出培训后7天", "外出培训回校一周内上交"],
                 ["期中试卷分析", "教研组", "第11周", ""],
                 ["教学工作总结", "教师", "期末", ""]]
    handins = []
    for name, group, roles in teachers:
        late = rng.random() < 0.1
        if name in ("蒋立新", "余洋"):          # never handed in
            continue
        if name == "田野":                      # returned, handed in again
            handins.append([date(2026, 9, 9), "教学计划", name, "退回"])
            handins.append([date(2026, 9, 16), "教学计划", name, "已交"])
            continue
        handins.append([day(2, rng.randint(0, 4)) + timedelta(days=7 if late else 0), "教学计划", name, "已交"])
    for group, when in (("陈静", date(2026, 9, 10)), ("郑志强", date(2026, 9, 9)), ("高洁", date(2026, 9, 11)),
                        ("韩冰", date(2026, 9, 11)), ("曾涛", date(2026, 9, 15))):
        handins.append([when, "教研组工作计划", group, "已交"])
    young = [n for n, _, roles in teachers if "青年教师" in roles]
    for month, end in ((9, date(2026, 9, 28)), (10, date(2026, 10, 29))):
        for k, name in enumerate(young):
            if (month, k) not in ((10, 1), (10, 4)):
                handins.append([end - timedelta(days=k % 3), "月度教学反思", name, "已交"])
    for name, when in (("陈静", date(2026, 9, 29)), ("王芳(1003)", date(2026, 9, 30)), ("郑志强", date(2026, 10, 20))):
        handins.append([when, "外出培训心得", name, "已交"])
    for name, when in (("陈静", date(2026, 11, 12)), ("郑志强", date(2026, 11, 13)), ("高洁", date(2026, 11, 16))):
        handins.append([when, "期中试卷分析", name, "合格"])
    handins.append([date(2026, 10, 9), "教学计画", "蔡琳", "已交"])    # a misspelt material

    projects = [
        ["小学语文整本书阅读教学策略研究", "市级", "陈静", "王芳(1003)、李晓燕、刘小红", "申报", date(2026, 3, 15),
         date(2026, 3, 15)],
        [None, None, None, None, "立项", date(2026, 5, 20), date(2026, 5, 20)],
        [None, None, None, None, "开题", date(2026, 9, 25), date(2026, 9, 25)],
        [None, None, None, None, "中期", date(2026, 12, 18), None],
        [None, None, None, None, "结题", date(2027, 6, 30), None],
        ["小学数学单元作业设计研究", "市级", "郑志强", "冯晓东、马超、朱婷", "立项", date(2026, 9, 18), date(2026, 9, 18)],
        [None, None, None, None, "开题", date(2026, 10, 20), date(2026, 10, 22)],
        [None, None, None, None, "中期", date(2026, 11, 13), None],          # overdue by 11/20
        [None, None, None, None, "结题", date(2027, 1, 8), None],
        ["小学英语绘本阅读实践研究", "校级", "高洁", "罗娜、梁爽", "申报", date(2026, 11, 18), date(2026, 11, 18)],
        [None, None, None, None, "立项", date(2026, 11, 27), None],            # next week
    ]
    standing = [  # 语文组 every Wednesday afternoon: 10月7日 is 国庆, so that week's moves to 10月14日
        ["语文组教研活动", "语文组", "三", "7-8", None, None, "会议室", "每周", 2, 18, "顺延"],
        ["教研组长例会", "教研组长", "一", None, "16:30", "17:10", "教研室", "每月第1周", None, None, "取消"],
    ]
    return {CHECKS: checks, MATERIALS: materials, HANDINS: handins, PROJECTS: projects, STANDING: standing}


def _lead(teachers, group: str) -> str:
    return next((n for n, g, roles in teachers if g == group and "教研组长" in roles), "")


QUOTAS = [
    ["学校", "常规检查", "学期", 4, "每学期至少四次教学常规检查"],
    ["骨干教师", "课题", "学期", 1, "骨干教师每人主持或参与一项课题研究"],
]
