"""The live path's rough edges, each asserted on the desktop-like engine (desktop_engine.py):
the summary left in the status bar, the chart call's style and file mode's dressing, the
rows autofitted across the table, one run at a time, an inflated used range, and page
setup without a printer round trip per property."""
from __future__ import annotations

import os
import re
import zipfile
import pytest

from conftest import book, refresh
from test_live import NOW, remote_book, rich_book, written
from xl_jiaoyan import excel
from xl_jiaoyan.io.files.run_lock import RunLock
from xl_jiaoyan.io.live import book as live, source

xw = pytest.importorskip("xlwings")


def test_the_refresh_summary_is_the_status_bars_last_word(tmp_book, desktop):
    b = remote_book(rich_book(tmp_book))
    result = excel.refresh(b, now=NOW)
    counts = {level: sum(f.level == level for f in result.findings) for level in ("错误", "警告", "提示")}
    said = desktop.status_bar
    assert said[-2] is False                       # the progress line reset …
    assert said[-1] == (f"教研室：已刷新（统计截至 2026-04-01；冲突检查：错误 {counts['错误']} 条，"
                        f"警告 {counts['警告']} 条，提示 {counts['提示']} 条）")          # … then the summary
    assert any(isinstance(s, str) and s.startswith("教研室：写入「") for s in said[:-2])   # progress shown


def test_a_failed_refresh_leaves_the_status_bar_reset(tmp_book, desktop):
    b = remote_book(tmp_book(book(设置=[["项目", "值"], ["学校名称", "测试小学"]]), name="缺设置.xlsx"))
    excel.refresh(b)
    assert desktop.status_bar[-1] is False


def chart_titles(path) -> list[str]:
    """The titles of the charts file mode wrote, read from the package's chart parts."""
    with zipfile.ZipFile(path) as z:
        parts = sorted(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        texts = [z.read(n).decode("utf-8") for n in parts]
    return sorted("".join(re.findall(r"<a:t>([^<]*)</a:t>", t.split("</c:title>")[0])) for t in texts)


def test_charts_get_a_style_excel_2007_has_and_file_modes_title(tmp_book, desktop):
    path = rich_book(tmp_book)
    b = remote_book(path)
    excel.refresh(b, now=NOW)
    actions = b.json()["actions"]
    added = [a["args"] for a in actions if a["func"] == "addChart"]
    assert added and all(args[-1] == 2 for args in added)              # style 2, never 227
    assert refresh(path, "--as-of", "2026-04-01") == 0                  # the same workbook in file mode
    assert sorted(a["args"][1] for a in actions if a["func"] == "setChartTitle") == chart_titles(path)
    legends = [a["args"][1:] for a in actions if a["func"] == "setChartLegend"]
    # 教研组统计's chart has two series (on pace, behind): a legend, at the bottom
    assert legends == [["visible", True], ["position", "Bottom"]]       # Office.js spelling of "bottom"


def test_rows_are_autofitted_across_every_column_of_the_table(tmp_book, desktop):
    b = remote_book(rich_book(tmp_book))
    excel.refresh(b, now=NOW)
    sheets = written(b)
    positions = {a["sheet_position"]: a for a in b.json()["actions"] if a["func"] == "setAutofit"}
    assert len(positions) == len(sheets) == 7
    names = [s.name for s in b.sheets]
    for position, a in positions.items():
        grid = sheets[names[position]]
        width = len(grid[1])                         # the header row: the table's columns
        assert (a["args"], a["start_column"], a["column_count"]) == (["rows"], 0, width), names[position]


def test_a_second_click_while_a_run_holds_the_workbook_says_wait(tmp_book, desktop, tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    b = remote_book(rich_book(tmp_book))
    held = RunLock(excel._key(b))
    assert held.acquire()
    assert excel.on_ribbon("xljy_refresh", b) is None
    actions = b.json()["actions"]
    assert [a["args"][0][:10] for a in actions if a["func"] == "alert"] == ["正在刷新，请稍候：上"]
    assert not any(a["func"] == "setValues" for a in actions)          # nothing written
    held.release()
    assert excel.on_ribbon("xljy_refresh", b) is not None              # free again: it runs
    assert not held.path.exists()                                       # and gives the lock back


def test_a_lock_left_by_a_run_that_died_is_taken_over(tmp_path):
    dead = RunLock("工作台.xlsm", str(tmp_path))
    dead.path.write_text("999999999", encoding="ascii")               # no such process
    assert dead.acquire() and dead.path.read_text() == str(os.getpid())
    again = RunLock("工作台.xlsm", str(tmp_path))
    assert not again.acquire()                                          # this process is alive
    old = tmp_path / "old"
    old.mkdir()
    stale = RunLock("工作台.xlsm", str(old))
    stale.path.write_text(str(os.getpid()), encoding="ascii")
    past = stale.path.stat().st_mtime - 3600
    os.utime(stale.path, (past, past))                                  # an hour old: stale
    assert stale.acquire()


def test_a_used_range_inflated_to_the_last_row_is_read_only_as_far_as_the_values(tmp_book, desktop):
    path = rich_book(tmp_book)
    b = remote_book(path)
    log = next(s for s in b.impl.api["sheets"] if s["name"] == "听课记录")
    width = len(log["values"][0])
    log["used_range_address"] = f"A1:{chr(64 + width)}1048576"          # formatted to the bottom
    asked = []
    real = xw.Range.value.fget

    def value(rng):
        asked.append(rng.shape[0])
        return real(rng)
    from xlwings import main
    original = main.Range.value
    main.Range.value = property(value, original.fset)
    try:
        excel.refresh(b, now=NOW)
    finally:
        main.Range.value = original
    assert max(asked) <= source.BLOCK_ROWS                          # never a million rows in one call
    findings = written(b)["冲突检查"]
    hint = [r for r in findings if "读取范围" in r]
    last = len(log["values"])
    assert len(hint) == 1 and "听课记录" in hint[0]
    assert any("第 1,048,576 行" in str(c) and f"第 {last} 行以后都是空的" in str(c) for c in hint[0])
    # the log's three observations are all read: 张三 and 李四 are counted as without the guard
    plain = remote_book(path)
    excel.refresh(plain, now=NOW)
    assert written(plain)["指标明细"] == written(b)["指标明细"]


class Recorded:
    """A COM object that records every property set, in order, in a shared log."""

    def __init__(self, log, name, refuse=()):
        object.__setattr__(self, "_log", log)
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_refuse", refuse)

    def __setattr__(self, key, value):
        if key in self._refuse:
            raise AttributeError(key)                 # Excel 2007: no PrintCommunication
        self._log.append((self._name, key, value))


class PageSheet:
    def __init__(self, log, refuse=()):
        self.api = type("SheetApi", (), {"Tab": Recorded(log, "Tab")})()
        self.page_setup = type("PageSetup", (), {"api": Recorded(log, "PageSetup")})()
        app = type("App", (), {"api": Recorded(log, "Application", refuse)})()
        self.book = type("Book", (), {"app": app})()


def test_page_setup_is_sent_in_one_go_where_excel_can(tmp_path):
    from xl_jiaoyan.io.live.layout import plan_sheet
    from xl_jiaoyan.outputs.spec import OutputSheet
    plan = plan_sheet(OutputSheet("指标总览", "标题", ["姓名", "状态"], [["张三", "正常"]], [10, 10]))
    log = []
    live._page_setup(PageSheet(log), plan)
    props = [(who, key) for who, key, _ in log if who != "Tab"]
    assert props[0] == ("Application", "PrintCommunication") and log[1][2] is False
    assert props[-1] == ("Application", "PrintCommunication") and log[-1][2] is True
    assert [k for who, k in props[1:-1]] == ["PaperSize", "Orientation", "Zoom", "FitToPagesWide", "FitToPagesTall",
                                             "PrintTitleRows", "CenterFooter"]
    log = []
    live._page_setup(PageSheet(log, refuse=("PrintCommunication",)), plan)      # Excel 2007
    assert [k for who, k, _ in log if who == "PageSetup"][:1] == ["PaperSize"]
    assert not any(who == "Application" for who, _, _ in log)
