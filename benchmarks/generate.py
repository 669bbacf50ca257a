"""Generate contract workbooks of a given size for the benchmarks.

    python benchmarks/generate.py TEACHERS OBSERVATIONS OUT.xlsx [EVENTS] [--messy]

Observations are spread evenly over the working days of the first 12 weeks of a 2026 spring
semester; about one in a thousand carries a mistake staff make (an unknown name, a text
date), so the findings sheet has work to do without dominating.
"""
from __future__ import annotations

import random
import sys
from datetime import date, datetime, timedelta

import xlsxwriter

WEEK1 = date(2026, 3, 2)
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"


def names(n: int) -> list[str]:
    out, seen = [], set()
    i = 0
    while len(out) < n:
        s = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)] \
            + GIVEN[(i // (len(SURNAMES) * len(GIVEN))) % len(GIVEN)]
        i += 1
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def generate(teachers: int, observations: int, path: str, events: int | None = None, messy: bool = False) -> None:
    """``events`` 活动安排 rows (default: a 示范课 for every third teacher), each with a
    period, a room, a judge and a group attending.  ``messy``: the log as districts send
    it — dates at random over 100 days from week 1 (about 30 % on weekends and holidays),
    random periods (many during the observer's own lessons on the 课表), so a large share
    of rows become findings."""
    rng = random.Random(teachers * 1_000_003 + observations)
    people = names(teachers)
    groups = [f"第{k + 1}教研组" for k in range(max(1, teachers // 8))]
    wb = xlsxwriter.Workbook(path, {"constant_memory": True})
    dfmt = wb.add_format({"num_format": "yyyy-mm-dd"})

    def sheet(name, header, rows):
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, header)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row):
                if isinstance(v, date):
                    ws.write_datetime(r, c, datetime(v.year, v.month, v.day), dfmt)
                elif v is not None:
                    ws.write(r, c, v)

    sheet("设置", ["项目", "值"], [["学校名称", "基准测试学校"], ["第一周周一", WEEK1], ["学期周数", 20],
                                 ["当前日期", date(2026, 5, 22)]])
    roles = ["", "", "", "骨干教师", "中层", "青年教师", "备课组长"]
    roster = []
    for i, n in enumerate(people):
        role = "教研组长" if i % 8 == 0 else rng.choice(roles)
        mentor = people[i - 1] if role == "青年教师" and i else ""
        roster.append([str(100000 + i), n, groups[min(i // 8, len(groups) - 1)], "", "语文", role, mentor, "是"])
    sheet("教师名册", ["工号", "姓名", "教研组", "备课组", "任教学科", "角色", "师傅", "在岗"], roster)
    sheet("指标", ["对象", "项目", "周期", "最低次数"],
          [["教师", "听课", "学期", 15], ["中层", "听课", "学期", 20], ["教研组长", "听课", "学期", 30],
           ["骨干教师", "示范课", "学期", 1], ["教研组", "教研活动", "周", 1], ["学校", "校本培训", "月", 1],
           ["青年教师", "师徒互听", "周", 1], ["师傅", "师徒互听", "周", 1]])
    off = {date(2026, 4, 6), date(2026, 5, 1), date(2026, 5, 4), date(2026, 5, 5)}   # 清明, 劳动节
    days = [d for d in (WEEK1 + timedelta(days=7 * w + k) for w in range(12) for k in range(5)) if d not in off]

    busy = {(k % 5, k % 8 + 1) for k in range(10)}   # every teacher's 课表 slots (sheet 课表 below)

    span = [WEEK1 + timedelta(days=k) for k in range(100)]

    def messy_rows():
        for k in range(observations):
            a, b = rng.randrange(teachers), rng.randrange(teachers)
            if a == b:
                b = (b + 1) % teachers
            observer = people[a] + ("某" if k % 1000 == 999 else "")
            d = rng.choice(span)
            yield [d if k % 1000 != 500 else f"{d.month}月{d.day}日", rng.randint(1, 8), observer, people[b],
                   "语文", f"{rng.randint(1, 6)}({rng.randint(1, 9)})班", "课题", "新授课"]

    def obs_rows():
        if messy:
            yield from messy_rows()
            return
        for k in range(observations):
            # each observer's lessons spread over the days, as a real log is (at most
            # ceil(observations / teachers / days) a day: no 补记录 bunching)
            a, b = k % teachers, rng.randrange(teachers)
            if a == b:
                b = (b + 1) % teachers
            d = days[(k // teachers + a) % len(days)]
            period = rng.randint(1, 8)
            while (d.weekday(), period) in busy:      # observers watch lessons in their free periods
                period = period % 8 + 1
            observer = people[a]
            if k % 1000 == 999:
                observer = observer + "某"          # an unknown name
            yield [d if k % 1000 != 500 else f"{d.month}月{d.day}日", period, observer, people[b],
                   "语文", f"{rng.randint(1, 6)}({rng.randint(1, 9)})班", "课题", "新授课"]
    sheet("听课记录", ["日期", "节次", "听课人", "授课人", "学科", "班级", "课题", "课型"], obs_rows())
    sheet("教研活动记录", ["日期", "教研组", "类型", "主题", "主持人", "参加人员"],
          ([WEEK1 + timedelta(days=7 * w + 3), g, "集体备课", "主题", "", "全组"]
           for w in range(12) for g in groups))
    sheet("培训记录", ["日期", "培训名称", "类型", "参加人员", "心得上交", "汇报课日期"],
          [[date(2026, m, 12), f"{m}月校本培训", "校本", "全体教师", "是", None] for m in (3, 4, 5)])
    sheet("活动安排", ["日期", "节次", "开始", "结束", "类型", "主题", "执教", "评委", "参加对象", "地点", "教研组"],
          ([rng.choice(days), rng.randint(1, 8), None, None, "示范课", "示范课", people[i % teachers],
            people[(i * 7 + 1) % teachers] if events else "", groups[i % len(groups)] if events else "",
            f"教室{i % 50}", ""]
           for i in (range(events) if events else range(0, teachers, 3))))
    sheet("课表", ["教师", "星期", "节次", "班级", "学科"],
          ([people[i], "一二三四五"[w], p, "一(1)班", "语文"] for i in range(teachers) for w, p in sorted(busy)))
    wb.close()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--messy"]
    generate(int(args[0]), int(args[1]), args[2], int(args[3]) if len(args) > 3 else None, "--messy" in sys.argv)
