"""A new district workbook, for ``rollup`` to write its sheets into."""
from __future__ import annotations

from pathlib import Path


def new_district_book(path: Path) -> None:
    """A new district workbook: a 说明 sheet of the district's own (kept by every rollup)."""
    import xlsxwriter
    from xl_jiaoyan.contract import DISTRICT_NOTE_SHEET, DISTRICT_SHEETS
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(DISTRICT_NOTE_SHEET)
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    ws.set_column(0, 0, 90)
    ws.fit_to_pages(1, 0)
    bold = wb.add_format({"bold": True, "font_size": 14})
    lines = ["本工作簿由 xl-jiaoyan rollup 生成：把各校的教研室工作台汇总到一起。",
             "「" + "」「".join(DISTRICT_SHEETS) + "」三张表每次汇总都会整张重写；"
             "本表和区里自己添加的其他工作表不会被改动，可以在这里写备注。",
             "「学校汇总」中需要关注的学校排在前面；「教师明细」可以按学校、学区、角色和各项状态筛选；"
             "「未汇总的文件」列出没能汇总的工作簿和原因。"]
    ws.write(0, 0, "区（县）教研室汇总", bold)
    for i, line in enumerate(lines, start=2):
        ws.write(i, 0, line, wrap)
    wb.close()
