"""A school as the district sees it: plain figures boiled down from its own result (picklable, small)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from xl_jiaoyan.compute.quotas import BEHIND, MET, MISSED, ON_PACE

STATUSES = (MET, ON_PACE, BEHIND, MISSED)
STALE_DAYS = 14          # a school whose latest 听课记录 is older than this needs a call
BEHIND_SHARE = 0.3       # ... or whose share of teacher quotas behind is at least this
ACTIVITY_SHARE = 0.8     # ... or whose groups met their weekly 教研活动 in fewer weeks than this


@dataclass
class School:
    """One workbook's figures (or why there are none)."""
    file: str                     # path relative to the folder
    district: str                 # 学区: the subfolder ("" at the top)
    modified: datetime
    problem: str = ""             # set: the file could not be used (未汇总的文件)
    name: str = ""
    term: str = ""
    week: int | None = None
    as_of: date | None = None
    in_post: int = 0
    note: str = ""                # said beside the figures (semester does not contain the date …)
    counts: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)   # (项目, 周期) -> status -> n
    observed: float | None = None       # 听课 progress, capped per teacher
    groups: int = 0
    activity_weeks: float | None = None  # share of elapsed weeks the groups met 教研活动
    training_months: str = ""            # 校本培训 months met / elapsed, e.g. 2/3
    reports_overdue: int = 0
    entrants: str = ""                   # 竞赛参赛率: teachers who entered / teachers in post
    entrants_quota: str = ""
    rechecks_pending: int | None = None   # 常规检查 failing grades not yet re-checked (None: no 常规检查)
    materials_overdue: int | None = None  # (owner, 材料, 期次) past 截止 and not handed in (None: no 材料要求)
    projects_overdue: int | None = None   # 课题 with a stage past its 计划日期 (None: no 课题)
    errors: int = 0
    warnings: int = 0
    last_observation: date | None = None
    teachers: list[tuple[list, dict]] = field(default_factory=list)   # ([工号, 姓名, 教研组, 角色], key -> (完成, 状态))

    @property
    def on_track(self) -> float | None:
        """Share of teacher quotas 已达标 or 正常."""
        total = sum(sum(c.values()) for c in self.counts.values())
        good = sum(c[MET] + c[ON_PACE] for c in self.counts.values())
        return good / total if total else None

    @property
    def behind_share(self) -> float | None:
        return None if self.on_track is None else 1 - self.on_track

    def call_order(self) -> tuple:
        """Schools needing a call first: more concerns, then more behind; unstated last
        (the order of 学校汇总 and of the rollup's summary)."""
        return (self.week is None, -len(self.concerns()), -(self.behind_share or 0), self.name, self.file)

    def concerns(self) -> list[str]:
        """Why the district should call this school, most telling first."""
        if self.problem or self.week is None:
            return []
        out = []
        if self.behind_share is not None and self.behind_share >= BEHIND_SHARE:
            out.append(f"落后的指标占 {self.behind_share:.0%}")
        if self.last_observation is None:
            out.append("没有听课记录")
        elif (self.as_of - self.last_observation).days > STALE_DAYS:
            out.append(f"听课记录停在 {self.last_observation.month}月{self.last_observation.day}日")
        if self.activity_weeks is not None and self.activity_weeks < ACTIVITY_SHARE:
            out.append(f"教研活动达标周只占 {self.activity_weeks:.0%}")
        if self.reports_overdue:
            out.append(f"汇报课逾期 {self.reports_overdue} 人")
        if self.errors:
            out.append(f"记录有错误 {self.errors} 条")
        return out


