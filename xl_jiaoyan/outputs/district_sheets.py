"""The district workbook's sheets: 学校汇总, 教师明细, 未汇总的文件."""
from __future__ import annotations

from xl_jiaoyan.contract import (ACTIVITY_WEEKS, CONCERNS, MODIFIED, OBSERVED, ON_TRACK, OUT_SCHOOLS, TERM, OUT_TEACHERS, OUT_UNUSED, OVERVIEW_DONE, OVERVIEW_ROLES, OVERVIEW_STATUS,
                        SCHOOL_COLUMNS, SCHOOL_ITEM_COLUMNS, SCHOOL_TAIL_COLUMNS, TEACHER_LEAD_COLUMNS,
                        UNUSED_COLUMNS, WHO_COLUMNS)
from xl_jiaoyan.compute.quotas import BEHIND, MET, MISSED, ON_PACE
from xl_jiaoyan.compute.district import STATUSES, School
from xl_jiaoyan.outputs.quota_sheets import quota_tag
from xl_jiaoyan.outputs.spec import STATUS_LEGEND, Chart, OutputSheet

UNDATED = "（不在学期内）"


def _share_style(share: float | None, good_high: bool = True) -> str | None:
    """The status colour of a share: on track high is good (behind high is bad)."""
    if share is None:
        return None
    on = share if good_high else 1 - share
    return MET if on >= 0.9 else ON_PACE if on >= 0.7 else BEHIND if on >= 0.5 else MISSED


def quota_keys(schools: list[School]) -> list[tuple[str, str]]:
    """Every (项目, 周期) any school's teachers owe, in the order first met (a teacher's
    cells come from the same 指标明细 rows as the school's counts)."""
    return list(dict.fromkeys(k for s in schools for k in s.counts))


def schools_sheet(schools: list[School], keys: list[tuple[str, str]], title: str) -> OutputSheet:
    header = list(SCHOOL_COLUMNS)
    for key in keys:
        header += [f"{quota_tag(*key)} {c}" for c in SCHOOL_ITEM_COLUMNS]
    header += list(SCHOOL_TAIL_COLUMNS)
    percent = {SCHOOL_COLUMNS.index(ON_TRACK)}
    first_item = len(SCHOOL_COLUMNS)
    percent |= {first_item + k * len(SCHOOL_ITEM_COLUMNS) + len(SCHOOL_ITEM_COLUMNS) - 1 for k in range(len(keys))}
    tail = first_item + len(keys) * len(SCHOOL_ITEM_COLUMNS)
    percent |= {tail + SCHOOL_TAIL_COLUMNS.index(c) for c in (OBSERVED, ACTIVITY_WEEKS)}
    formats = {j: "0%" for j in percent}
    formats[tail + SCHOOL_TAIL_COLUMNS.index(MODIFIED)] = "yyyy-mm-dd hh:mm"
    widths = [16, 10, 14, 6, 6, 7, 26] + [5, 5, 5, 5, 6] * len(keys) + [7, 6, 8, 7, 7, 7, 7, 7, 6, 6, 6, 6, 11, 15, 20, 32]
    sheet = OutputSheet(OUT_SCHOOLS, title, header, widths=widths, formats=formats, paper=8,
                        wrap={SCHOOL_COLUMNS.index(TERM), SCHOOL_COLUMNS.index(CONCERNS), len(header) - 1},
                        legend=STATUS_LEGEND,
                        charts=[Chart("各校指标按进度（已达标或正常）的占比", 0, [SCHOOL_COLUMNS.index(ON_TRACK)],
                                      y_format="0%", y_max=1)])
    sheet.HEADER_HEIGHT = 60.0            # narrow figure columns under long names: four lines
    for i, s in enumerate(sorted(schools, key=School.call_order)):
        row = [s.name, s.district, s.term, s.week, s.in_post if s.week is not None else None, s.on_track,
               "；".join(s.concerns())]
        sheet.styles[(i, 5)] = _share_style(s.on_track)
        if row[-1]:
            sheet.styles[(i, 6)] = BEHIND
        for k, key in enumerate(keys):
            c = s.counts.get(key)
            col = first_item + k * len(SCHOOL_ITEM_COLUMNS)
            if c is None:
                row += [None] * len(SCHOOL_ITEM_COLUMNS)
                continue
            total = sum(c.values())
            late = (c[BEHIND] + c[MISSED]) / total if total else None
            row += [c[st] for st in STATUSES] + [late]
            for j, st in enumerate(STATUSES):
                if c[st] and st in (BEHIND, MISSED):
                    sheet.styles[(i, col + j)] = st
            sheet.styles[(i, col + 4)] = _share_style(late, good_high=False)
        figures = [s.observed, s.groups or None, s.activity_weeks, s.training_months, s.reports_overdue,
                   s.entrants, s.entrants_quota, s.rechecks_pending, s.materials_overdue, s.projects_overdue,
                   s.errors, s.warnings, s.last_observation]
        if s.week is None:            # the date is outside this school's semester: nothing guessed
            row[len(SCHOOL_COLUMNS) - 1] = UNDATED
            figures = [None] * len(figures)
        row += figures + [s.modified, s.file, s.note]
        sheet.styles[(i, tail)] = _share_style(s.observed)
        sheet.styles[(i, tail + 2)] = _share_style(s.activity_weeks)
        sheet.rows.append(row)
    return sheet


def teachers_sheet(schools: list[School], keys: list[tuple[str, str]], title: str) -> OutputSheet:
    header = [*TEACHER_LEAD_COLUMNS, *WHO_COLUMNS, OVERVIEW_ROLES]
    for key in keys:
        tag = quota_tag(*key)
        header += [f"{tag} {OVERVIEW_DONE}", f"{tag} {OVERVIEW_STATUS}"]
    lead = len(header) - 2 * len(keys)
    sheet = OutputSheet(OUT_TEACHERS, title, header, widths=[16, 10, 8, 10, 10, 22] + [12, 8] * len(keys),
                        legend=STATUS_LEGEND)
    i = 0
    for s in sorted(schools, key=lambda s: (s.district, s.name, s.file)):
        for who, cells in s.teachers:
            row = [s.name, s.district, *who]
            for k, key in enumerate(keys):
                cell = cells.get(key)
                row += list(cell) if cell else [None, None]
                if cell:
                    sheet.styles[(i, lead + 2 * k)] = cell[1]
                    sheet.styles[(i, lead + 2 * k + 1)] = cell[1]
            sheet.rows.append(row)
            i += 1
    return sheet


def unused_sheet(schools: list[School], title: str) -> OutputSheet:
    sheet = OutputSheet(OUT_UNUSED, title, list(UNUSED_COLUMNS), widths=[30, 12, 80, 16],
                        formats={3: "yyyy-mm-dd hh:mm"}, wrap={2})
    for s in schools:
        sheet.rows.append([s.file, s.district, s.problem, s.modified])
    return sheet


def district_sheets(schools: list[School], title: str) -> list:
    """The three sheets, from every school's figures (those with a problem in the last)."""
    used = [s for s in schools if not s.problem]
    keys = quota_keys(used)
    return [schools_sheet(used, keys, title), teachers_sheet(used, keys, title),
            unused_sheet([s for s in schools if s.problem], title)]
