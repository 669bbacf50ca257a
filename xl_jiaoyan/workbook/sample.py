"""The sample semester: a primary school's 2026-2027 first term, typed as staff type.

Deterministic (seeded), so the shipped ``workbooks/示例-教研室工作台.xlsx`` is exactly what
``build_sample`` writes.  It holds the mess real workbooks hold: titles after names,
stray spaces, text dates in several forms, full-width digits, a misspelt name, a bare
shared name, a duplicate row, and a plan with merged 周次 cells and 1、2、 items.
"""
from __future__ import annotations

import random
from datetime import date, time, timedelta
from pathlib import Path

from xl_jiaoyan.contract import (ACHIEVEMENTS, ACTIVITIES, CALENDAR, EVENTS, OBSERVATIONS, PLAN, QUOTAS, ROSTER,
                                 TIMETABLE, TRAININGS)
from xl_jiaoyan.workbook.sample_offices import QUOTAS as OFFICE_QUOTAS, office_rows
from xl_jiaoyan.workbook.template import build_workbook, default_rows

SCHOOL = "青山区实验小学"
TERM = "2026-2027学年第一学期"
WEEK1 = date(2026, 8, 31)
AS_OF = date(2026, 11, 20)
WEEKS = 20

# (name, group, subject, roles, mentor)
TEACHERS = [
    ("周建国", "语文组", "语文", "教务教研主任、中层", ""),
    ("陈静", "语文组", "语文", "教研组长、骨干教师", ""),
    ("王芳", "语文组", "语文", "骨干教师", ""),
    ("李晓燕", "语文组", "语文", "备课组长", ""),
    ("张伟", "语文组", "语文", "", ""),
    ("刘小红", "语文组", "语文", "青年教师", "陈静"),
    ("赵雪", "语文组", "语文", "青年教师", "王芳(1003)"),
    ("孙丽", "语文组", "语文", "青年教师", "陈静"),
    ("黄海燕", "语文组", "语文", "", ""),
    ("吴敏", "数学组", "数学", "中层", ""),
    ("郑志强", "数学组", "数学", "教研组长、骨干教师", ""),
    ("王芳", "数学组", "数学", "", ""),
    ("冯晓东", "数学组", "数学", "骨干教师", ""),
    ("何丽娟", "数学组", "数学", "备课组长", ""),
    ("马超", "数学组", "数学", "青年教师", "郑志强"),
    ("朱婷", "数学组", "数学", "青年教师", "冯晓东"),
    ("胡军", "数学组", "数学", "", ""),
    ("林佳", "数学组", "数学", "", ""),
    ("高洁", "英语组", "英语", "教研组长", ""),
    ("罗娜", "英语组", "英语", "骨干教师", ""),
    ("梁爽", "英语组", "英语", "青年教师", "罗娜"),
    ("宋佳怡", "英语组", "英语", "", ""),
    ("谢菲", "英语组", "英语", "", ""),
    ("唐明", "英语组", "英语", "", ""),
    ("韩冰", "科学组", "科学", "教研组长、中层", ""),
    ("曹磊", "科学组", "科学", "", ""),
    ("许文博", "科学组", "信息技术", "青年教师", "韩冰"),
    ("邓丽", "科学组", "科学", "", ""),
    ("彭辉", "科学组", "道德与法治", "", ""),
    ("曾涛", "艺体组", "体育", "教研组长", ""),
    ("萧雅", "艺体组", "音乐", "骨干教师", ""),
    ("田野", "艺体组", "美术", "", ""),
    ("董强", "艺体组", "体育", "青年教师", "曾涛"),
    ("潘悦", "艺体组", "音乐", "", ""),
    ("袁芳", "艺体组", "美术", "", ""),
    ("蒋立新", "数学组", "数学", "", ""),
    ("蔡琳", "语文组", "语文", "", ""),
    ("余洋", "英语组", "英语", "", ""),
    ("杜娟", "科学组", "科学", "", ""),
    ("叶青", "语文组", "语文", "", ""),
]
NOT_IN_POST = {"叶青"}   # on maternity leave
GROUPS = ["语文组", "数学组", "英语组", "科学组", "艺体组"]
ROOMS = ["录播教室", "多功能厅", "会议室", "三(2)班教室", "五(1)班教室"]
CLASSES = [f"{g}({c})班" for g in "一二三四五六" for c in range(1, 4)]


def _label(i: int) -> str:
    """How the sample's records write teacher i: 王芳 is shared, so with 工号."""
    name = TEACHERS[i][0]
    return f"{name}({1001 + i})" if name == "王芳" else name


def _day(week: int, weekday: int) -> date:
    return WEEK1 + timedelta(days=7 * (week - 1) + weekday)


def _typed(d: date, rng: random.Random):
    """A date as staff type it: mostly real dates, sometimes text in another form."""
    r = rng.random()
    if r < 0.80:
        return d
    if r < 0.88:
        return f"{d.month}月{d.day}日"
    if r < 0.94:
        return f"{d.year}.{d.month}.{d.day}"
    return f"{d.month}/{d.day}"


def _working(d: date) -> bool:
    holidays = {date(2026, 9, 25)} | {date(2026, 10, i) for i in range(1, 8)} | {date(2026, 10, 23),
                                                                               date(2027, 1, 1)}
    return d.weekday() < 5 and d not in holidays or d in (date(2026, 9, 20), date(2026, 10, 10))


TOPICS = {
    "语文": ["秋天的雨", "古诗二首", "富饶的西沙群岛", "司马光"], "数学": ["认识分数", "长方形的面积", "找规律", "两位数乘两位数"],
    "英语": ["Colours", "My family", "At the zoo"], "科学": ["植物的生长", "水的三态变化", "认识天气"],
    "道德与法治": ["我们的班规", "家乡的变化"], "音乐": ["唱歌《小雨沙沙》", "欣赏《森林狂想曲》"],
    "美术": ["色彩的冷暖", "剪纸中的对称"], "体育": ["立定跳远", "篮球运球"], "信息技术": ["认识鼠标", "画图工具"],
}


def _topic(subject: str, k: int) -> str:
    """A lesson title for an event (a 示范课 is on a lesson, not named after itself)."""
    titles = TOPICS.get(subject, TOPICS["语文"])
    return titles[k % len(titles)]


def _clear_timetable(timetable: list[list], events: list[list], active: list[int]) -> None:
    """Drop the lessons that would clash with these events for their judges and attendees
    (a school schedules its events when the people are free)."""
    from xl_jiaoyan.compute.conflicts import bell_schedule, interval
    periods = bell_schedule(None)
    taken = set()
    for d, p, start, end, _kind, _topic, _teacher, judges, attendees, _room, _group in events:
        span = interval({"start": start, "end": end, "p_first": p, "p_last": p}, periods)
        people = set()
        for token in f"{judges}、{attendees}".split("、"):
            members = [i for i in active if TEACHERS[i][1] == token or
                       (token == "教研组长" and "教研组长" in TEACHERS[i][3])]
            people |= {_label(i) for i in members} or ({token} if token else set())
        for n, (a, b) in periods.items():
            if a < span[1] and span[0] < b:
                taken |= {(who, "一二三四五六日"[d.weekday()], n) for who in people}
    timetable[:] = [r for r in timetable if (r[0], r[1], r[2]) not in taken]


def sample_rows() -> tuple[dict[str, list], dict[str, list]]:
    rng = random.Random(20260831)
    rows = default_rows(SCHOOL, WEEK1, TERM, AS_OF)
    rows[CALENDAR] = [
        [date(2026, 10, 23), "放假", "秋季运动会后补休"],
        [date(2027, 1, 1), "放假", "元旦"],
        [date(2027, 1, 4), "上课", "期末复习照常上课"],
    ]
    rows[ROSTER] = [
        [str(1001 + i), n, g, g.replace("组", "") + "备课组", s, r, m,
         "否" if n in NOT_IN_POST else "是"]
        for i, (n, g, s, r, m) in enumerate(TEACHERS)]
    rows[ROSTER][4][1] = " 张 伟 "          # stray spaces
    rows[ROSTER][20][7] = None              # blank 在岗 means 是
    active = [i for i, t in enumerate(TEACHERS) if t[0] not in NOT_IN_POST]
    pace = {i: rng.uniform(0.55, 1.3) for i in active}
    target = {i: 30 if ("组长" in TEACHERS[i][3] or "主任" in TEACHERS[i][3]) else
              20 if "中层" in TEACHERS[i][3] else 15 for i in active}
    as_of_week = (AS_OF - WEEK1).days // 7 + 1

    # 课表: each teacher's own lessons (its own random stream, drawn first: observations
    # are then put in periods the observer is free)
    tt_rng = random.Random(20260901)
    timetable, busy = [], set()
    for i in active:
        for k in tt_rng.sample(range(35), 10):
            timetable.append([_label(i), "一二三四五"[k // 7], k % 7 + 1, tt_rng.choice(CLASSES), TEACHERS[i][2]])
            busy.add((i, k // 7, k % 7 + 1))

    def free(i: int, d: date, period: int) -> int:
        for _ in range(7):
            if (i, d.weekday(), period) not in busy:
                return period
            period = period % 7 + 1
        return period

    # 听课记录
    obs = []
    for i in active:
        n = round(target[i] * pace[i] * as_of_week / WEEKS)
        for _ in range(n):
            while True:
                d = _day(rng.randint(1, as_of_week), rng.randint(0, 4))
                if _working(d) and d <= AS_OF:
                    break
            peers = [j for j in active if j != i and TEACHERS[j][1] == TEACHERS[i][1]] or active
            j = rng.choice(peers if rng.random() < 0.8 else [k for k in active if k != i])
            obs.append([d, free(i, d, rng.randint(1, 7)), _label(i), _label(j), TEACHERS[j][2],
                        rng.choice(CLASSES), "", rng.choice(["新授课", "练习课", "复习课"])])
    mentees = [(i, TEACHERS.index(next(t for t in TEACHERS if t[0] == TEACHERS[i][4].split("(")[0]
                                       and (t[0] != "王芳" or TEACHERS.index(t) == 2))))
               for i in active if TEACHERS[i][4]]
    for young, mentor in mentees:
        for w in range(1, as_of_week + 1):
            for a, b in ((young, mentor), (mentor, young)):
                if rng.random() < 0.88:
                    days = [_day(w, k) for k in range(5) if _working(_day(w, k)) and _day(w, k) <= AS_OF]
                    if days:
                        d = rng.choice(days)
                        obs.append([d, free(a, d, rng.randint(1, 7)), _label(a), _label(b),
                                    TEACHERS[b][2], rng.choice(CLASSES), "", "师徒互听"])
    rng.shuffle(obs)
    obs.sort(key=lambda r: r[0])
    for r in obs:                   # a lesson title of the lesson's own subject
        r[6] = rng.choice(TOPICS.get(r[4], TOPICS["语文"]))
        r[0] = _typed(r[0], rng)
    # the mess staff type
    obs[5][2] = obs[5][2] + "老师"
    obs[9][3] = " " + obs[9][3].replace("", " ").strip() + " "   # spaces inside a name
    obs[14][1] = "第３节"
    obs[20][2] = "刘晓红"          # misspelt 刘小红
    obs[27][3] = "王芳"            # shared name without 工号
    obs[33][0] = "9月31日"         # no such day
    obs.insert(40, list(obs[39]))   # a duplicate row
    obs[47][3] = obs[47][2]         # a lesson "observed" by its own teacher
    k, lesson = next((k, t) for k in range(60, len(obs)) if isinstance(obs[k][0], date)
                     for t in timetable if t[0] == obs[k][2] and t[1] == "一二三四五"[obs[k][0].weekday()])
    obs[k][1] = lesson[2]           # observing while the observer's own class is on the 课表
    # lessons observed at the partner school (盟校): 授课人 is theirs, not on our roster
    obs += [[date(2026, 10, 27), 2, "张伟", "林海", "语文", "三(1)班", "富饶的西沙群岛", "研讨课", "城关区实验小学"],
            [date(2026, 10, 27), 3, "孙丽", "林海", "语文", "三(1)班", "富饶的西沙群岛", "研讨课", "城关区实验小学"]]
    rows[OBSERVATIONS] = obs

    # 教研活动记录: weekly per group, a few weeks missed
    acts = []
    themes = ["集体备课", "课例研讨", "作业设计交流", "单元整体教学研讨", "命题研究", "读书分享"]
    for w in range(1, as_of_week + 1):
        for g in GROUPS:
            if rng.random() < 0.12:
                continue
            days = [_day(w, k) for k in range(5) if _working(_day(w, k))]
            if not days:
                continue
            host = next(t[0] for t in TEACHERS if t[1] == g and "教研组长" in t[3])
            acts.append([_typed(days[min(2, len(days) - 1)], rng), g, rng.choice(["课例研讨", "专题研讨"]),
                         rng.choice(themes), host, "全组"])
    acts[7][3] = None                   # no 主题: 设置 教研活动必填 asks for one (a 提示)
    # 联片教研 with the partner schools, once a month (the school's 指标 counts them)
    acts += [[date(2026, 9, 17), "语文组", "联片教研", "城乡学校联片教研：阅读教学", "陈静", "全组"],
             [date(2026, 10, 22), "数学组", "联片教研", "城乡学校联片教研：作业设计", "郑志强", "全组"]]
    # each 备课组's 集体备课, fortnightly, a week before the lesson (one only three days before)
    for k, w in enumerate(range(1, as_of_week + 1, 2)):
        for g in GROUPS:
            prep = g.replace("组", "") + "备课组"
            members = [i for i in active if TEACHERS[i][1] == g]
            days = [_day(w, j) for j in range(5) if _working(_day(w, j))] or [_day(w + 1, 1)]
            if rng.random() < 0.1:
                continue
            d = days[-1]
            lead = members[(k + GROUPS.index(g)) % len(members)]
            acts.append([d, None, "集体备课", _topic(TEACHERS[lead][2], k), _label(lead), prep, prep, _label(lead),
                         d + timedelta(days=3 if (k, g) == (2, "数学组") else 7)])
    rows[ACTIVITIES] = acts

    # 培训记录
    rows[TRAININGS] = [
        [date(2026, 8, 31), "新学期教学常规培训", "校本", "全体教师", "是", None],
        [date(2026, 9, 16), "新课标解读专题培训", "校本", "全体教师", "是", None],
        [date(2026, 10, 14), "信息技术与课堂融合", "校本", "全体教师", "是", None],
        [date(2026, 11, 11), "作业设计与减负提质", "校本", "全体教师", "否", None],
        [date(2026, 9, 24), "市小学语文骨干教师研修", "区外", "陈静、王芳(1003)", "是", date(2026, 10, 20)],
        [date(2026, 10, 15), "省数学课堂教学观摩", "省级", "郑志强", "是", None],
        [date(2026, 11, 4), "市英语青年教师培训", "区外", "梁爽", "否", None],
        [date(2026, 10, 21), "区数学骨干教师培训", "区级", "冯晓东", "是", None],    # in the district: no 汇报课
        [date(2026, 9, 30), "市小学体育教学研讨会", "市级", "曾涛", "是", None],
        [date(2026, 12, 9), "校本研修：课题研究方法", "校本", "全体教师", None, None],
    ]

    # 成果登记
    ach = []
    for i in active:
        roles = TEACHERS[i][3]
        if "青年" in roles and rng.random() < 0.6:
            ach.append([_day(rng.randint(3, 11), rng.randint(0, 4)), _label(i), "论文",
                        rng.choice(["校级", "区级", "市级"]), f"浅谈{TEACHERS[i][2]}课堂提问策略", "发表"])
        if rng.random() < 0.25:
            ach.append([_day(rng.randint(2, 11), rng.randint(0, 4)), _label(i), "竞赛",
                        rng.choice(["区级", "市级"]), f"{TEACHERS[i][2]}优质课评比",
                        rng.choice(["一等奖", "二等奖", "三等奖"])])
        if rng.random() < 0.3:
            ach.append([_day(rng.randint(2, 11), rng.randint(0, 4)), _label(i),
                        rng.choice(["读书心得", "教学反思"]), "校级", "《给教师的建议》读后", ""])
    ach.append([date(2026, 9, 18), "郑志强", "课题", "市级", "小学数学单元作业设计研究", "立项"])
    ach.append([date(2026, 10, 12), "王芳(1003)", "论文", "市级", "整本书阅读的课堂实践", "发表"])
    ach.append([date(2026, 10, 19), "罗娜", "论文", "校级", "小学英语绘本教学初探", "交流"])
    rows[ACHIEVEMENTS] = ach

    # 活动安排
    events = []
    leaders = [i for i in active if "骨干" in TEACHERS[i][3]]
    for k, i in enumerate(leaders):
        w = 4 + 2 * k
        d = _day(w, 2 + k % 2)
        g = TEACHERS[i][1]
        judges = [_label(j) for j in active
                  if TEACHERS[j][1] == g and "教研组长" in TEACHERS[j][3] and j != i]
        events.append([d, 3 + k % 2, None, None, "示范课", _topic(TEACHERS[i][2], k), _label(i),
                       "、".join(judges + ["周建国"]) if _label(i) != "周建国" else "", g,
                       rng.choice(ROOMS), g])
    young = [j for j, _ in mentees]
    for i, w in zip(young, rng.sample(range(9, 17), len(young))):
        events.append([_day(w, 1), 2, None, None, "汇报课", _topic(TEACHERS[i][2], i), _label(i), "", TEACHERS[i][1],
                       "录播教室", TEACHERS[i][1]])
    for w in (3, 8, 13, 18):
        events.append([_day(w, 4), None, time(15, 40), time(17, 0), "会议", "教研组长例会", "",
                       "", "教研组长", "会议室", ""])
    events += [
        [_day(7, 3), None, time(14, 0), time(16, 30), "教学常规检查", "期中教学常规检查", "", "", "教研组长",
         "会议室", ""],
        # judged by its own teacher, during some 数学组 lessons, and clashing with a meeting
        # in the same hall that 吴敏 is also in: one finding of each kind for the demo
        [_day(10, 2), 5, None, None, "公开课", "区级公开课：圆的认识", "冯晓东", "郑志强、吴敏、冯晓东", "数学组",
         "多功能厅", "数学组"],
        [_day(10, 2), None, time(14, 20), time(15, 0), "会议", "备课组长会", "", "", "吴敏、何丽娟、李晓燕",
         "多功能厅", ""],
        [_day(15, 2), 2, None, None, "研究课", "大单元教学研究课", "高洁", "", "英语组", "录播教室", "英语组"],
        [_day(5, 3), 6, None, None, "研究课", "科学探究课研究", "韩冰", "", "科学组", "录播教室", "科学组"],
        # the 汇报课 郑志强 owes after his 省级 training, given as a 讲座: it clears the training
        [_day(11, 2), None, time(15, 40), time(16, 40), "讲座", "省数学课堂教学观摩汇报", "郑志强", "", "数学组",
         "多功能厅", "数学组"],
    ]
    # the school's 公开课, one each half-month (none in the first half of October)
    for d, i in ((date(2026, 9, 9), 5), (date(2026, 9, 23), 21), (date(2026, 10, 28), 26),
                 (date(2026, 11, 25), 31), (date(2026, 12, 9), 7), (date(2026, 12, 23), 23),
                 (date(2027, 1, 6), 15)):
        g = TEACHERS[i][1]
        events.append([d, 4, None, None, "公开课", _topic(TEACHERS[i][2], i), _label(i), "", g, "录播教室", g])
    _clear_timetable(timetable, events[:-3] + events[-1:], active)
    events.sort(key=lambda r: (r[0], r[1] or 0))
    rows[EVENTS] = events

    # 工作进度: merged 周次/日期 cells, numbered items in one cell or one per row
    plan, merges = [], []
    items = [
        ["开学工作检查", "制定教研组工作计划", "新学期教学常规培训"],
        ["各教研组上交工作计划", "青蓝工程师徒结对"],
        ["语文组示范课", "新课标解读专题培训"],
        ["数学组示范课", "教研组长例会"],
        ["国庆放假", "节前安全教育"],
        ["国庆放假", "10月10日（星期六）调休上课"],
        ["期中教学常规检查", "英语组课例研讨"],
        ["秋季运动会", "教研组长例会"],
        ["青年教师汇报课（一）", "作业设计交流"],
        ["区级公开课：圆的认识", "期中质量分析"],
        ["青年教师汇报课（二）", "作业设计与减负提质培训"],
        ["骨干教师示范课", "读书分享"],
        ["教研组长例会", "课题中期检查"],
        ["青年教师论文评选", "课例研讨"],
        ["英语组研究课", "单元整体教学研讨"],
        ["校本研修：课题研究方法", "期末复习研讨"],
        ["期末复习研讨", "教学常规检查"],
        ["教研组长例会", "学期工作总结"],
        ["期末考试", "成绩分析"],
        ["教研组工作总结上交", "资料归档"],
    ]
    from xl_jiaoyan.domain.cells import chinese_week
    for w, its in enumerate(items, start=1):
        mon, fri = _day(w, 0), _day(w, 4)
        if w == 17:            # typed with week 16's dates: the mistake real plans have
            mon, fri = _day(16, 0), _day(16, 4)
        span = f"{mon.month}月{mon.day}日至{fri.month}月{fri.day}日" if w % 3 else f"{mon.month}.{mon.day}-{fri.month}.{fri.day}"
        label = chinese_week(w) if w % 4 else f"第{w}周"
        if w % 2:
            plan.append([label, span, "\n".join(f"{k}、{t}" for k, t in enumerate(its, 1)), "教研室", ""])
        else:
            first = len(plan)
            for t in its:
                plan.append([label if len(plan) == first else None, span if len(plan) == first else None,
                             t, "教研室" if "组" not in t else "各教研组", ""])
            merges += [(first, 0, len(plan) - 1, 0), (first, 1, len(plan) - 1, 1)]
    plan.append(["十一月份", "11月底前", "上交教研组期中工作小结", "各教研组", ""])   # a deadline by month
    rows[PLAN] = plan

    rows[TIMETABLE] = timetable
    # the plan's quotas beyond the defaults: one of each kind the 指标 sheet can say
    rows[QUOTAS] += [
        ["骨干教师", "论文", "学期", 1, "骨干教师每学期在市级以上发表或交流论文一篇", None, "市级"],
        ["教研组", "公开课", "学期", 2, "各教研组每学期至少提供两节公开课"],
        ["学校", "公开课", "半月", 1, "全校每半月一节公开课"],
        ["学校", "研究课", "两月", 1, "每两月一次教学研究课"],
        ["学校", "教研活动", "月", 1, "每月一次联片教研", "联片教研"],
        ["备课组", "集体备课", "双周", 1, "各备课组隔周一次集体备课"],
        ["备课组", "集体备课", "学期", 8, "集体备课每学期不少于8次"],
    ]
    rows[QUOTAS][4][5:8] = [None, None, 14]     # 骨干教师 示范课: due by week 14
    rows[QUOTAS] += OFFICE_QUOTAS
    rows.update(office_rows([(_label(i), TEACHERS[i][1], TEACHERS[i][3]) for i in active], _day))
    return rows, {PLAN: merges}


def build_sample(path: Path) -> None:
    rows, merges = sample_rows()
    build_workbook(path, rows, merges)
