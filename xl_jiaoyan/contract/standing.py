"""固定活动: standing times (语文组 每周三下午第3、4节), expanded by the tool into dated occurrences."""
from __future__ import annotations

from xl_jiaoyan.contract.model import LISTED, Column, Sheet

STANDING = "固定活动"
WEEKLY, FORTNIGHTLY = "每周", "隔周"                 # 频率 beside 每月第N周
POSTPONE, CANCEL, EARLIER = "顺延", "取消", "提前"      # 遇假
ON_HOLIDAY = (POSTPONE, CANCEL, EARLIER)

STANDING_SHEET = Sheet(STANDING, (
    Column("名称", required=True, width=20, key="name", help="例如 语文组教研活动、教研组长例会"),
    Column("参加对象", "names", width=18, key="attendees", person=LISTED, aliases=("参加人员",),
           help="姓名、教研组、备课组、角色或“全体教师”"),
    Column("星期", "weekday", required=True, choices=("一", "二", "三", "四", "五"), strict=False, width=6,
           key="weekday"),
    Column("节次", "periods", width=8, key="period"),
    Column("开始", "time", width=8, key="start"),
    Column("结束", "time", width=8, key="end"),
    Column("地点", width=14, key="room"),
    Column("频率", choices=(WEEKLY, FORTNIGHTLY, "每月第1周", "每月第2周", "每月第3周", "每月第4周"), strict=False,
           width=10, key="every", help="每周（默认）、隔周（从起始周起每两周一次）或 每月第N周"),
    Column("起始周", "int", width=7, key="first_week", help="默认第1周"),
    Column("结束周", "int", width=7, key="last_week", help="默认最后一周"),
    Column("遇假", "choice", choices=ON_HOLIDAY, strict=False, fallback=POSTPONE, width=7, key="on_holiday",
           help="顺延（默认，下周同一天）、取消，或提前（前一个上课日）"),
), help="每周固定时间的活动（如各教研组每周三下午第3、4节教研）；工具按周展开，遇假顺延、取消或提前，写进每周通知并参加冲突检查。",
    quiet=True, missing="没有固定活动。")
