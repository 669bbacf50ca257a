"""Source in, output sheets out: what refresh, check and notice share (both modes)."""
from __future__ import annotations

from datetime import date, datetime

from xl_jiaoyan.compute.pipeline import Progress, Result, _quiet, compute
from xl_jiaoyan.notice.make import read_template, weekly_notice
from xl_jiaoyan.outputs.describe import describe
from xl_jiaoyan.outputs.spec import OutputSheet, Sink
from xl_jiaoyan.read.grid import Source
from xl_jiaoyan.read.load import load_tables


def evaluate(source: Source, as_of: date | str | None = None, progress: Progress = _quiet,
             now: datetime | None = None) -> Result:
    """Read every sheet and compute: what check, notice and refresh share."""
    result = compute(load_tables(source, progress), as_of, (now or datetime.now()).date(), progress)
    result.findings += source.hints
    return result


def run(source: Source, as_of: date | str | None = None, progress: Progress = _quiet,
        now: datetime | None = None) -> tuple[Result, list[OutputSheet]]:
    result = evaluate(source, as_of, progress, now)
    progress("生成本周通知")
    text = weekly_notice(result, read_template(source))
    return result, describe(result, source.path_label, set(source.sheet_names()), now, text)


def refresh_into(source: Source, sink: Sink, as_of: date | str | None = None, progress: Progress = _quiet,
                 now: datetime | None = None) -> tuple[Result, list[str]]:
    """Read ``source``, compute, and hand every output sheet to ``sink``; the names written."""
    result, sheets = run(source, as_of, progress, now)
    progress("写回工作簿")
    sink.write(sheets)
    return result, [s.name for s in sheets]
