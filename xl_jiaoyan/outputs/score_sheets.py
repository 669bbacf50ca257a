"""赋分汇总 and 赋分明细."""
from __future__ import annotations

from xl_jiaoyan.domain.frames import pd

from xl_jiaoyan.contract import OUT_SCORE_ITEMS, OUT_SCORES, SCORE_ITEM_COLUMNS, SCORING
from xl_jiaoyan.domain.roster import Roster
from xl_jiaoyan.outputs.spec import DATE_FORMAT, MAX_LINKS, OutputSheet

HIDE_ZERO = 'General;-General;""'   # per-类型 points: blank where nothing scored, 总分 shows 0


def totals_sheet(totals: pd.DataFrame, title: str) -> OutputSheet:
    header = list(totals.columns)
    sheet = OutputSheet(OUT_SCORES, title, header, widths=[8, 10, 12] + [9] * (len(header) - 5) + [8, 6],
                        formats={j: HIDE_ZERO for j in range(3, len(header) - 2)})
    sheet.rows = [list(r) for r in totals.itertuples(index=False)]
    return sheet


def items_sheet(scored: pd.DataFrame, roster: Roster, title: str, sheet_names: set[str],
                names: dict[str, str] | None = None) -> OutputSheet:
    """赋分明细; ``names``: contract sheet -> the workbook's name for it (links and 工作表)."""
    names = names or {}
    header = list(SCORE_ITEM_COLUMNS)
    sheet = OutputSheet(OUT_SCORE_ITEMS, title, header,
                        widths=[8, 10, 12, 10, 8, 8, 36, 11, 10, 6, 6, 24, 8],
                        formats={7: DATE_FORMAT}, wrap={6})
    ordered = scored.sort_values(["tid", "kind", "row"], kind="stable") if len(scored) else scored
    for i, r in enumerate(ordered.to_dict("records")):
        tid = r["tid"]
        shown = names.get(r["sheet"], r["sheet"])
        sheet.rows.append([roster.ids[tid], roster.names[tid], roster.group[tid], r["kind"], r["level"], r["result"],
                           r["title"], r["date"], shown, r["row"], r["points"], r["rule"], r["rule_row"]])
        if len(sheet.links) < MAX_LINKS - 1:
            if shown in sheet_names:
                sheet.links[(i, 9)] = (shown, r["row"])
            sheet.links[(i, 12)] = (names.get(SCORING, SCORING), r["rule_row"])
    return sheet
