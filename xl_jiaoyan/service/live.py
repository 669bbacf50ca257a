"""The library functions behind the ribbon's buttons: the same pipeline as file mode,
read from and written into the open workbook through ``io.live``."""
from __future__ import annotations

from datetime import date, datetime

from xl_jiaoyan.compute.pipeline import Progress, Result, _quiet
from xl_jiaoyan.io.live import book as live
from xl_jiaoyan.io.live.source import LiveSource
from xl_jiaoyan.notice.make import Notice, make_notice, read_template
from xl_jiaoyan.outputs.describe import provenance
from xl_jiaoyan.outputs.findings_sheet import findings_sheet
from xl_jiaoyan.outputs.notice_sheet import notice_sheet
from xl_jiaoyan.service.pipeline import evaluate, refresh_into


def caller():
    """The workbook whose button was clicked (xlwings' ``Book.caller``)."""
    return live.caller()


def refresh(book, as_of: date | None = None, progress: Progress = _quiet, now: datetime | None = None) -> Result:
    """Every output sheet, as ``xl-jiaoyan refresh`` writes them."""
    return refresh_into(LiveSource(book), live.LiveSink(book, progress), as_of, progress, now)[0]


def check(book, as_of: date | None = None, progress: Progress = _quiet, now: datetime | None = None) -> Result:
    """Only the 冲突检查 sheet."""
    source = LiveSource(book)
    result = evaluate(source, as_of, progress, now)
    title = provenance(result, source.path_label, now)
    live.LiveSink(book, progress).write([findings_sheet(result.findings, result.roster.label, title,
                                                         set(source.sheet_names()))])
    return result


def notice(book, week: int | None = None, as_of: date | None = None, progress: Progress = _quiet,
           now: datetime | None = None) -> Notice:
    """Only the 本周通知 sheet, for the as-of week (or ``week``)."""
    source = LiveSource(book)
    result = evaluate(source, as_of, progress, now)
    made = make_notice(result, read_template(source), week)
    live.LiveSink(book, progress).write([notice_sheet(made.paragraphs, provenance(result, source.path_label, now))])
    return made
