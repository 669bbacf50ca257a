"""指标明细 and 指标总览."""
from __future__ import annotations

import pandas as pd

from ..contract import OUT_DETAIL, OUT_OVERVIEW
from ..quotas import BEHIND, DETAIL_COLUMNS, MET, MISSED, ON_PACE, TEACHER
from ..roster import Roster
from .spec import STATUS_LEGEND, OutputSheet

WIDTHS = {"工号": 8, "姓名": 12, "教研组": 12, "项目": 10, "周期": 6, "指标": 6, "实际": 6,
          "应完成": 7, "差额": 6, "状态": 8, "说明": 40}
RANK = {MISSED: 0, BEHIND: 1, ON_PACE: 2, MET: 3}


def detail_sheet(detail: pd.DataFrame, title: str) -> OutputSheet:
    sheet = OutputSheet(OUT_DETAIL, title, list(DETAIL_COLUMNS),
                        widths=[WIDTHS[c] for c in DETAIL_COLUMNS], wrap={len(DETAIL_COLUMNS) - 1},
                        legend=STATUS_LEGEND)
    status_col = DETAIL_COLUMNS.index("状态")
    for i, rec in enumerate(detail[DETAIL_COLUMNS].itertuples(index=False)):
        sheet.rows.append(list(rec))
        sheet.styles[(i, status_col)] = rec[status_col]
    return sheet


def overview_sheet(detail: pd.DataFrame, roster: Roster, title: str) -> OutputSheet:
    """One row per teacher in post; per quota an 实际 column and a 状态 column, coloured."""
    people = detail[detail["kind"] == TEACHER]
    quotas = list(dict.fromkeys(zip(people["项目"], people["周期"])))
    header = ["工号", "姓名", "教研组", "角色"]
    for item, period in quotas:
        tag = item if period == "学期" else f"{item}({period})"
        header += [f"{tag} 完成", f"{tag} 状态"]
    header += ["需要提醒"]
    sheet = OutputSheet(OUT_OVERVIEW, title, header,
                        widths=[8, 10, 10, 26] + [9, 8] * len(quotas) + [30], wrap={len(header) - 1},
                        legend=STATUS_LEGEND)
    lookups: dict[str, dict] = {}
    for r in people.to_dict("records"):
        lookups.setdefault(r["tid"], {})[(r["项目"], r["周期"])] = r
    for i, tid in enumerate(roster.in_post()):
        roles = "、".join(sorted(roster.roles(tid) - {"教师"}))
        row = [roster.ids[tid], roster.names[tid], roster.group[tid], roles]
        lookup = lookups.get(tid, {})
        remind = []
        for k, key in enumerate(quotas):
            r = lookup.get(key)
            col = 4 + 2 * k
            if r is None:
                row += [None, None]
                continue
            shown = f"{r['实际']}/{r['指标']}" if key[1] == "学期" else f"{r['实际']}/{r['应完成']}"
            row += [shown, r["状态"]]
            sheet.styles[(i, col)] = r["状态"]
            sheet.styles[(i, col + 1)] = r["状态"]
            if r["状态"] in (BEHIND, MISSED):
                remind.append(f"{key[0]}{'' if key[1] == '学期' else '(' + key[1] + ')'}"
                              f"差{r['差额']}")
        row.append("、".join(remind))
        sheet.rows.append(row)
    return sheet
