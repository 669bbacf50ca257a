"""The live path's rough edges, each asserted on the desktop-like engine (desktop_engine.py):
the summary left in the status bar, the chart call's style and file mode's dressing, the
rows autofitted across the table, one run at a time, an inflated used range, and page
setup without a printer round trip per property."""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile

import pytest

from conftest import book, refresh
from test_live import NOW, remote_book, rich_book, written
from xl_jiaoyan import excel
from xl_jiaoyan.errors import Busy
from xl_jiaoyan.io.files import safety
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
    with safety.click_lock(excel._key(b)):
        assert excel.on_ribbon("xljy_refresh", b) is None
    actions = b.json()["actions"]
    assert [a["args"][0][:10] for a in actions if a["func"] == "alert"] == ["正在刷新，请稍候：上"]
    assert not any(a["func"] == "setValues" for a in actions)          # nothing written
    assert excel.on_ribbon("xljy_refresh", b) is not None              # free again: it runs
    assert not list(tmp_path.glob("xl-jiaoyan-*.lock"))                 # and gives the lock back


def test_the_click_lock_holds_across_processes_and_not_after_its_holder_died(tmp_path, monkeypatch):
    """The second click's Python is another process; a run killed with Excel leaves its
    file, but the OS lock went with the process."""
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sys, tempfile; tempfile.tempdir = sys.argv[1]\n"
                               "from xl_jiaoyan.io.files import safety\n"
                               "with safety.click_lock('工作台.xlsm'):\n"
                               "    print('held', flush=True); sys.stdin.read()", str(tmp_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(Busy, match="正在刷新"):
        with safety.click_lock("工作台.xlsm"):
            pass
    holder.kill()
    holder.wait(timeout=30)
    assert list(tmp_path.glob("xl-jiaoyan-*.lock"))                     # its file stays behind …
    with safety.click_lock("工作台.xlsm"):                              # … and keeps nobody out
        pass


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
    assert findings[1][:9] == ["级别", "类别", "工作表", "行号", "列", "人员", "日期", "说明", "建议"]
    assert [c if c is not None else "" for c in hint[0][:9]] == [
        "提示", "读取范围", "听课记录", "", "", "", "",
        f"工作表「听课记录」的已用区域一直到第 1,048,576 行，但第 {last} 行以后都是空的，已只读到第 {last} 行。",
        "下面的空行可能带着格式（例如整列设了边框或底色）。选中这些空行删除（不是清除内容）并保存，刷新会更快。"]
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
