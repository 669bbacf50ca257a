"""What the week's notice says, as plain data for the template (pure: no I/O).

Keys are Chinese because staff write templates with them: ``{{ 学校名称 }}``,
``{% for x in 工作安排 %}``.  Every value is ready to print; lists of people are in
surname-stroke order (see ``strokes``).
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from xl_jiaoyan.domain.frames import pd

from xl_jiaoyan.domain.calendar import off_phrase
from xl_jiaoyan.domain.cells import chinese_number, md, weekday_name as weekday
from xl_jiaoyan.errors import WorkbookError
from xl_jiaoyan.compute.quotas import (BEHIND, GROUP, MISSED, PREP, SCHOOL, TEACHER, fell_short,
                                      weekly_activity_quota)
from xl_jiaoyan.compute.plan_dates import week_month
from xl_jiaoyan.contract import ACTIVITY, EVERY, TERM_PERIOD
from xl_jiaoyan.domain.strokes import by_strokes
from xl_jiaoyan.notice import office

PREVIEW_ITEMS = 5


def ymd(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def check_week(result, week: int | None) -> int:
    """The week asked for, or the as-of week; a clear message when it is not a teaching week."""
    cal, n = result.cal, result.cal.weeks
    if week is None:
        if not cal.contains(result.as_of):
            where = "第一周之前" if result.as_of < cal.start else "学期最后一周之后"
            raise WorkbookError(f"当前日期 {result.as_of.isoformat()} 在{where}，不在本学期的教学周内。"
                                f"请用 --week 指定周次（1–{n}），或在「设置」中修改「当前日期」。")
        return cal.week_of(result.as_of)
    if not 1 <= week <= n:
        raise WorkbookError(f"第 {week} 周不在本学期内：本学期共 {n} 周。请指定 1 到 {n} 之间的周次。")
    return week


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def event_time(ev: dict, bells: dict[int, tuple[int, int]]) -> str:
    """第3节（10:00—10:40）, or 14:00—15:30 from 开始/结束."""
    if ev["start"] is not None and ev["end"] is not None:
        return f"{ev['start']:%H:%M}—{ev['end']:%H:%M}"
    a, b = ev["p_first"], ev["p_last"]
    if a is None or a != a:
        return ev["period_text"] or ""
    a, b = int(a), int(b)
    label = f"第{a}节" if a == b else f"第{a}—{b}节"
    if a in bells and b in bells:
        label += f"（{_clock(bells[a][0])}—{_clock(bells[b][1])}）"
    return label


def _names(tids, roster) -> list[str]:
    return by_strokes(roster.name(t) for t in tids)


def _events(result, first: date, last: date) -> list[dict]:
    """活动安排 rows and 固定活动 occurrences between ``first`` and ``last``, in time order."""
    ev = result.events
    if result.standing is not None and len(result.standing):
        ev = pd.concat([ev, result.standing], ignore_index=True)
    if not len(ev):
        return []
    ev = ev[(ev["date"] >= first) & (ev["date"] <= last)]
    recs = sorted(ev.to_dict("records"),
                  key=lambda e: (e["date"], e["start"] is None, str(e["start"]),
                                 e["p_first"] if e["p_first"] == e["p_first"] and e["p_first"] is not None else 99))
    out = []
    for e in recs:
        out.append({"日期": md(e["date"]), "星期": weekday(e["date"]), "时间": event_time(e, result.bells),
                    "地点": e["room"], "类型": e["kind"], "主题": e["topic"], "教研组": e["group"],
                    "执教": "、".join(result.roster.name(t) for t in e["teachers"]),
                    "评委": "、".join(_names(e["judges"], result.roster)),
                    "参加对象": e["attendees_text"]})
    for e, rec in zip(out, recs):
        e["简述"] = (f"{e['执教']}{e['类型']}" + (_book_title(e["主题"]) if e["主题"] else "") if e["执教"]
                   else e["主题"] or e["类型"])
        e["休息日"] = not result.cal.is_working(rec["date"])
        if e["休息日"]:        # never listed as if nothing were wrong
            name = result.cal.day_name(rec["date"])
            e["简述"] += f"【这天是休息日{f'（{name}）' if name else ''}，请核对日期】"
        parts = [f"{e['日期']}（{e['星期']}）{e['时间']}", e["地点"], e["简述"],
                 f"评委：{e['评委']}" if e["评委"] else "", f"参加：{e['参加对象']}" if e["参加对象"] else ""]
        e["文字"] = "，".join(p for p in parts if p)
    return out


def _plan(result, week: int) -> list[dict]:
    plan = result.plan
    if not len(plan):
        return []
    rows = plan[plan["week"] == week]
    return [{"内容": r["item"], "负责人": r["owner"], "备注": r["note"],
             "文字": r["item"] + (f"（负责：{r['owner']}）" if r["owner"] else "")}
            for r in rows.to_dict("records")]


def _month_work(result, week: int) -> list[dict]:
    """本月工作: the plan's items of the month whose Monday this week's is, then the deadline
    items due this week or later whose plan week has come (each reminded until its week)."""
    plan, cal = result.plan, result.cal
    if not len(plan):
        return []
    month = week_month(cal, week)
    out = []
    for r in plan.to_dict("records"):
        owner = f"（负责：{r['owner']}）" if r["owner"] else ""
        due = r["due"] if r["due"] == r["due"] else None
        if due is not None:
            last = cal.week_of(due) if cal.contains(due) else 0 if due < cal.start else cal.weeks
            if r["from_week"] <= week <= last:
                out.append({"内容": r["item"], "负责人": r["owner"], "备注": r["note"], "截止": md(due),
                            "文字": f"{r['item']}（{md(due)}前完成" + (f"，负责：{r['owner']}）" if r["owner"] else "）")})
        elif r["month"] == month and not (r["week"] == r["week"] and r["week"]):
            out.append({"内容": r["item"], "负责人": r["owner"], "备注": r["note"], "截止": "",
                        "文字": r["item"] + owner})
    return out


def _key(s: str) -> str:
    return re.sub(r"[\W_]+", "", s)


def _not_events(items: list[dict], events: list[dict]) -> list[dict]:
    """Plan items that are not one of the events listed beside them (an item naming an
    event's 主题, or named by it: 教研组长例会 in both 工作进度 and 活动安排 is said once)."""
    topics = [_key(e["主题"]) for e in events if len(_key(e["主题"])) >= 2]
    return [x for x in items if not any(t in _key(x["内容"]) or _key(x["内容"]) in t for t in topics)]


def _runs(days: list[date]) -> list[list[date]]:
    runs: list[list[date]] = []
    for d in days:
        if runs and (d - runs[-1][-1]).days == 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    return runs


def _holidays(result, days: list[date]) -> tuple[list[str], list[str]]:
    cal = result.cal
    off = [d for d in days if d in cal.off]
    lines = []
    for run in _runs(off):
        name = cal.run_name(run)
        span = (f"{md(run[0])}（{weekday(run[0])}）" if len(run) == 1 else
                f"{md(run[0])}（{weekday(run[0])}）至{md(run[-1])}（{weekday(run[-1])}）")
        lines.append(f"{span}{off_phrase(name)}" if name else f"{span}放假")
    work = [f"{md(d)}（{weekday(d)}）" + (f"{cal.day_name(d)}" if cal.day_name(d) else "") + "调休上班"
            for d in days if d in cal.extra and d.weekday() >= 5]
    return lines, work


def _behind(result, name_people: bool) -> list[str]:
    """Every 落后 (or 未达标) row of 指标明细, and every 学期 quota whose 截止周 is two weeks
    away or less and not met: one line per quota and kind of 对象 — the teachers by
    笔画, the groups and 备课组 with what they lack, the school with its 说明.  The weekly
    教研活动 of a 教研组 is said by the line on last week (``_missed_groups``)."""
    d = result.detail
    if not len(d):
        return []
    late = d["status"].isin([BEHIND, MISSED]).to_numpy()
    rows = d[late | d["soon"].astype(bool).to_numpy()]
    weekly = ((rows["kind"] == GROUP) & (rows["label"] == ACTIVITY) & (rows["period"] == "周")).to_numpy()
    rows = rows[~weekly]
    out = []
    for (label, period), quota in rows.groupby(["label", "period"], sort=False):
        tag = label if period == TERM_PERIOD else f"{label}（{EVERY[period]}）"
        behind = quota["status"].isin([BEHIND, MISSED])
        teachers = quota[(quota["kind"] == TEACHER) & behind]
        if len(teachers):
            names = by_strokes(result.roster.label(t) for t in teachers["tid"])     # two 张伟 are two
            out.append(f"{tag}进度落后的老师（{len(names)}人）：{'、'.join(names)}" if name_people else
                       f"{tag}进度落后的老师共{len(names)}人，请各位老师对照「指标总览」查看。")
        due = quota[(quota["kind"] == TEACHER) & ~behind]
        if len(due):
            week = int(due["due_week"].iloc[0])
            names = by_strokes(result.roster.label(t) for t in due["tid"])
            out.append(f"{tag}须在第{week}周完成，还未完成的老师（{len(names)}人）：{'、'.join(names)}"
                       if name_people else f"{tag}须在第{week}周完成，还有{len(names)}位老师未完成。")
        for kind, word in ((GROUP, "教研组"), (PREP, "备课组")):
            groups = quota[quota["kind"] == kind]
            if len(groups):
                out.append(f"{tag}进度落后的{word}：" + "、".join(_lacks(r) for r in groups.to_dict("records")))
        school = quota[quota["kind"] == SCHOOL]
        for r in school.to_dict("records"):
            out.append(f"全校{tag}进度落后：{_lacks(r, named=False)}。")
    return out


def _lacks(r: dict, named: bool = True) -> str:
    """语文组（还差2次） / 语文组（9月下半月未达标） — a group's or the school's shortfall, short."""
    if r["period"] == TERM_PERIOD:
        lack = f"还差{r['gap']}次" if r["gap"] else f"须在第{r['due_week']}周完成，还差{r['quota'] - r['actual']}次"
    else:
        short = r["short"]
        lack = (f"{short[-1]}未达标" if len(short) == 1 else f"{len(short)}期未达标，最近一期是{short[-1]}")
    return f"{r['name']}（{lack}）" if named else lack


def _missed_groups(result, week: int) -> str:
    """Groups below their weekly 教研活动 quota in the week before ``week``."""
    if week <= 1:
        return ""
    cal = result.cal
    prev = cal.periods("周")[week - 2]
    if not prev.working or prev.last >= result.as_of:
        return ""
    quota = weekly_activity_quota(result.detail)
    missed = [g for g in result.roster.groups() if fell_short(result.held, quota, g, prev.index)]
    return (f"上周（{cal.week_label(week - 1)}）未开展教研活动的教研组：{'、'.join(missed)}，请本周补上。"
            if missed else "")


def _book_title(topic: str) -> str:
    """A lesson title in book-title marks, unless it was typed with them (《背影》)."""
    return topic if "《" in topic else f"《{topic}》"


def _reports_owed(result, name_people: bool) -> str:
    tr = result.trainings
    if not len(tr):
        return ""
    owed = tr[tr["owes_report"].astype(bool)]
    people: dict[str, date] = {}            # teacher -> the earliest 汇报课 due date
    overdue: set[str] = set()               # teachers with a training past its 汇报课期限 (records.trainings)
    for due, tids, late in zip(owed["report_due"], owed["owing"], owed["overdue"]):
        for t in tids:
            name = result.roster.label(t)
            people[name] = min(due, people.get(name, due))
            if late:
                overdue.add(name)
    if not people:
        return ""
    late = [n for n in by_strokes(people) if n in overdue]
    coming = [n for n in by_strokes(people) if n not in overdue]
    if not name_people:
        parts = [f"已逾期{len(late)}人" if late else "", f"未到期{len(coming)}人" if coming else ""]
        return f"外出培训后还未上汇报课的老师：{'，'.join(p for p in parts if p)}，请尽快安排。"
    parts = []
    if late:
        parts.append("已过期限的：" + "、".join(f"{n}（应在{md(people[n])}前）" for n in late))
    if coming:
        parts.append("还未到期的：" + "、".join(f"{n}（{md(people[n])}前）" for n in coming))
    return f"外出培训后还未上汇报课的老师，{'；'.join(parts)}，请尽快与{result.settings.department}商定时间。"


def _model_lessons(result, week: int) -> str:
    """示范课 in the two weeks after this one."""
    days = result.cal.week_days(week)
    first, last = days[-1] + timedelta(days=1), days[-1] + timedelta(days=14)
    coming = [e for e in _events(result, first, last) if e["类型"] == "示范课"]
    if not coming:
        return ""
    return "近期示范课：" + "；".join(f"{e['日期']}（{e['星期']}）{e['简述']}" for e in coming) + "，欢迎老师们前去听课。"


def notice_data(result, week: int) -> dict:
    """Everything the template may use for teaching week ``week`` (already checked)."""
    s, cal = result.settings, result.cal
    days = cal.week_days(week)
    holidays, workdays = _holidays(result, days)
    name_people = s.name_people
    reminders = _behind(result, name_people)
    reminders += [r for r in (_missed_groups(result, week), _reports_owed(result, name_people),
                              _model_lessons(result, week)) if r]
    due, late = office.materials(result, days[0], days[-1], name_people)
    nxt = {"周次": week + 1, "周次中文": chinese_number(week + 1)} if week < cal.weeks else None
    if nxt is not None:
        nd = cal.week_days(week + 1)
        nxt["活动"] = _events(result, nd[0], nd[-1])
        nxt["工作安排"] = _not_events(_plan(result, week + 1), nxt["活动"])[:PREVIEW_ITEMS]
        nxt["日期范围"] = f"{md(nd[0])}至{md(nd[-1])}"
        nxt["放假"], nxt["调休上班"] = _holidays(result, nd)
    return {
        "学校名称": s.school, "部门名称": s.department, "学期名称": s.term,
        "周次": week, "周次中文": chinese_number(week),
        "标题": f"{s.school}{s.department}{cal.week_label(week)}工作安排",
        "日期范围": f"{ymd(days[0])}（{weekday(days[0])}）至{md(days[-1])}（{weekday(days[-1])}）",
        "每天": [{"日期": md(d), "星期": weekday(d), "上课": cal.is_working(d)} for d in days],
        "称呼": "各教研组、全体教师：",
        "工作安排": _plan(result, week),
        "本月工作": _month_work(result, week),
        "活动": _events(result, days[0], days[-1]),
        "放假": holidays, "调休上班": workdays,
        "提醒": reminders, "点名": name_people,
        "本周复查": office.rechecks(result, days[0], days[-1], name_people),
        "本周截止": due, "已逾期": late,
        "课题节点": office.milestones(result, week),
        "下周": nxt,
        "落款": f"{s.school}{s.department}", "落款日期": ymd(result.as_of),
        "统计截至": ymd(result.as_of),
    }



# The names a template may use, with what they hold: shown in the 使用说明 sheet (a test
# checks that every key notice_data gives is listed here and nothing else).
VARIABLES = (
    ("标题", "学校名称 + 部门名称 + 第N周工作安排"),
    ("学校名称 / 部门名称 / 学期名称", "「设置」中的值"),
    ("周次 / 周次中文", "12 / 十二"),
    ("日期范围", "2026年11月16日（星期一）至11月22日（星期日）"),
    ("每天", "本周七天，每项有 日期、星期、上课（是否上课日）"),
    ("称呼", "各教研组、全体教师："),
    ("工作安排", "「工作进度」中本周的事项，每项有 内容、负责人、备注、文字（内容加负责人）"),
    ("本月工作", "「工作进度」中按月份写的本月事项，以及还没到截止日期的限期事项（文字后注明几月几日前完成），每项有 内容、负责人、备注、截止、文字"),
    ("活动", "「活动安排」中本周的活动，每项有 日期、星期、时间、地点、类型、主题、执教、评委、参加对象、简述、文字、"
           "休息日（这天不上课时为真，简述和文字后已注明）"),
    ("放假 / 调休上班", "本周放假和调休上班的说明，每项一句"),
    ("提醒", "落后的指标（教师、教研组、备课组、全校）、快到截止周的指标、上周未开展教研活动的教研组、欠汇报课、近期示范课，每项一句"),
    ("点名", "「设置」中的通知点名（是/否）"),
    ("本周复查", "「常规检查」中本周要复查的和复查已逾期的，每项一句"),
    ("本周截止 / 已逾期", "「材料要求」中本周截止还未交的材料、已过截止时间还未交的材料，每项一句"),
    ("课题节点", "「课题」中本周、下周计划完成的阶段和已逾期的阶段，每项一句"),
    ("下周", "下周的 周次、周次中文、日期范围、工作安排（已在活动中的事项不重复）、活动、放假、调休上班（最后一周时为空）"),
    ("落款 / 落款日期", "学校名称 + 部门名称 / 统计截止日期"),
    ("统计截至", "统计截止日期，如 2026年11月20日（提醒中的数字按这一天计算）"),
    ("中文数字(n)", "把数字写成中文：中文数字(3) 是 三"),
)
