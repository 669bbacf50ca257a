"""指标明细 and 指标总览."""
from __future__ import annotations

from xl_jiaoyan.domain.frames import pd

from xl_jiaoyan.contract import (DETAIL_COLUMNS, DETAIL_KEYS, EVERY_TEACHER, OUT_DETAIL, OUT_OVERVIEW, OVERVIEW_DONE,
                        OVERVIEW_REMIND, OVERVIEW_ROLES, OVERVIEW_STATUS, WHO_COLUMNS)
from xl_jiaoyan.compute.quotas import BEHIND, MET, MISSED, ON_PACE, TEACHER
from xl_jiaoyan.domain.roster import Roster
from xl_jiaoyan.outputs.spec import STATUS_LEGEND, OutputSheet

WIDTHS = dict(zip(DETAIL_KEYS, (8, 12, 12, 10, 6, 6, 6, 7, 6, 8, 40)))
RANK = {MISSED: 0, BEHIND: 1, ON_PACE: 2, MET: 3}


def detail_sheet(detail: pd.DataFrame, title: str) -> OutputSheet:
    sheet = OutputSheet(OUT_DETAIL, title, list(DETAIL_COLUMNS),
                        widths=[WIDTHS[k] for k in DETAIL_KEYS], wrap={len(DETAIL_KEYS) - 1},
                        legend=STATUS_LEGEND)
    status_col = DETAIL_KEYS.index("status")
    for i, rec in enumerate(detail[list(DETAIL_KEYS)].itertuples(index=False)):
        sheet.rows.append(list(rec))
        sheet.styles[(i, status_col)] = rec[status_col]
    return sheet


def quota_tag(item: str, period: str) -> str:
    """听课, 师徒互听（周）, 论文（市级及以上）: how a (项目 with its filters, 周期) heads a column."""
    return item if period == "学期" else f"{item}（{period}）"


def done_text(r: dict) -> str:
    """实际/应完成 — the figures any 差N beside them comes from; a term quota adds its total."""
    shown = f"{r['actual']}/{r['due']}"
    if r["period"] == "学期" and r["due"] != r["quota"]:
        shown += f"（共{r['quota']}）"
    return shown


def teacher_quotas(detail: pd.DataFrame) -> tuple[list[tuple[str, str]], dict[int, dict]]:
    """The (项目, 周期) teachers owe, in order, and per teacher id their 指标明细 rows by it."""
    people = detail[detail["kind"] == TEACHER]
    lookups: dict[int, dict] = {}
    for r in people.to_dict("records"):
        lookups.setdefault(r["tid"], {})[(r["label"], r["period"])] = r
    return list(dict.fromkeys(zip(people["label"], people["period"]))), lookups


def overview_sheet(detail: pd.DataFrame, roster: Roster, title: str) -> OutputSheet:
    """One row per teacher in post; per quota a 完成 column (实际/应完成, for a term quota
    with the term's total) and a 状态 column, coloured."""
    quotas, lookups = teacher_quotas(detail)
    header = [*WHO_COLUMNS, OVERVIEW_ROLES]
    for item, period in quotas:
        tag = quota_tag(item, period)
        header += [f"{tag} {OVERVIEW_DONE}", f"{tag} {OVERVIEW_STATUS}"]
    header += [OVERVIEW_REMIND]
    title += f"「{OVERVIEW_DONE}」一栏是 实际/到统计日应完成（共 全学期指标），「{OVERVIEW_REMIND}」的差数由这两个数算出。"
    sheet = OutputSheet(OUT_OVERVIEW, title, header,
                        widths=[8, 10, 10, 26] + [12, 8] * len(quotas) + [30], wrap={len(header) - 1},
                        legend=STATUS_LEGEND)
    for i, tid in enumerate(roster.in_post()):
        row = [roster.ids[tid], roster.names[tid], roster.group[tid], roles_text(roster, tid)]
        lookup = lookups.get(tid, {})
        remind = []
        for k, key in enumerate(quotas):
            r = lookup.get(key)
            col = 4 + 2 * k
            if r is None:
                row += [None, None]
                continue
            row += [done_text(r), r["status"]]
            sheet.styles[(i, col)] = r["status"]
            sheet.styles[(i, col + 1)] = r["status"]
            if r["status"] in (BEHIND, MISSED):
                remind.append(f"{quota_tag(*key)}差{r['gap']}")
        row.append("、".join(remind))
        sheet.rows.append(row)
    return sheet


def roles_text(roster: Roster, tid: int) -> str:
    return "、".join(sorted(roster.roles(tid) - {EVERY_TEACHER}))
