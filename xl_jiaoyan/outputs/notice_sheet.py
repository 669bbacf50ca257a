"""本周通知: the week's notice, one paragraph per row in column A, ready to copy."""
from __future__ import annotations

from xl_jiaoyan.contract import OUT_NOTICE
from xl_jiaoyan.outputs.spec import OutputSheet

WIDTH = 64   # fits A4 portrait without scaling (LibreOffice will not shrink a lone wide column)


def notice_sheet(paragraphs: list[str], title: str) -> OutputSheet:
    """Title centred and bold, the last two lines (sign-off, date) right-aligned; the
    cell text itself is exactly the chat text."""
    sheet = OutputSheet(OUT_NOTICE, title, [OUT_NOTICE], widths=[WIDTH], wrap={0},
                        autofilter=False, landscape=False)
    sheet.rows = [[p] for p in paragraphs]
    if paragraphs:
        sheet.styles[(0, 0)] = "notice_title"
    if len(paragraphs) >= 4:
        for i in (len(paragraphs) - 2, len(paragraphs) - 1):
            sheet.styles[(i, 0)] = "notice_sign"
    return sheet
