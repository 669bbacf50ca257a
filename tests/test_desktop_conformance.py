"""Live mode uses only what the desktop engines (Windows COM, macOS AppleScript) implement.

The members are read from xlwings' own engine sources (``desktop_engine.py``); every
ribbon action then runs on the remote engine made to refuse what desktop lacks.
"""
from __future__ import annotations

import sys
from datetime import date

import pytest

from conftest import book, settings_rows
from test_live import NOW, remote_book, rich_book, written
from xl_jiaoyan import excel
from xl_jiaoyan.io.live import book as live

xw = pytest.importorskip("xlwings")

# members desktop lacks that the live code may reach, each with the fallback that runs
GUARDED = {
    ("Sheet", "freeze_panes", "get"): "live.freeze: panes frozen on the window (COM / AppleScript)",
}


def test_engine_sources_are_read_as_they_are():
    from desktop_engine import desktop_members, engine_members, ENGINES
    desk = desktop_members()
    assert "freeze_panes" not in desk["Sheet"].get            # the member that broke every button
    assert "freeze_panes" in engine_members(ENGINES / "pro" / "_xlremote.py")["Sheet"].get
    assert {"number_format", "column_width", "row_height", "wrap_text"} <= desk["Range"].set
    assert {"conditional_formats", "autofit", "merge", "merge_cells", "merge_area"} <= desk["Range"].get
    assert "status_bar" in desk["App"].set and "calculation" in desk["App"].set
    assert "json" not in desk["Book"].get                      # body: raise NotImplementedError()


def test_every_ribbon_action_uses_only_what_desktop_excel_has(tmp_book, desktop):
    path = rich_book(tmp_book)
    b = remote_book(path)
    for control in ("xljy_refresh", "xljy_refresh", "xljy_check", "xljy_notice", "xljy_help"):
        excel.on_ribbon(control, b)                  # the second refresh re-renders its own sheets
    actions = b.json()["actions"]
    alerts = [a["args"][0] for a in actions if a["func"] == "alert"]
    assert [a[:4] for a in alerts] == ["检查完成", "已生成第", "这个工作"], alerts   # no error alert
    assert len(written(b)) == 7
    assert desktop.refused <= set(GUARDED), desktop.refused - set(GUARDED)
    reached = {(cls, name) for cls, name, _ in desktop.used}
    assert {("Range", "conditional_formats"), ("Chart", "delete"), ("Range", "autofit")} <= reached


def test_bad_setup_alerts_also_use_only_desktop_members(tmp_book, desktop):
    broken = tmp_book(book(设置=[["项目", "值"], ["学校名称", "测试小学"]]), name="缺设置.xlsx")
    b = remote_book(broken)
    excel.on_ribbon("xljy_refresh", b)
    excel.on_ribbon("no_such_button", b)
    assert [a["func"] for a in b.json()["actions"]].count("alert") == 2
    assert desktop.refused == set()


class Window:
    """A window object: records properties as COM (attributes) or appscript (.set)."""

    def __init__(self, log, mac=False):
        object.__setattr__(self, "log", log)
        object.__setattr__(self, "mac", mac)

    def __setattr__(self, name, value):
        self.log.append((name, value))

    def __getattr__(self, name):
        log = self.log

        class Prop:
            def set(self, value):
                log.append((name, value))
        return Prop()


class FakeSheet:
    def __init__(self, log, mac):
        self.log = log
        app = type("App", (), {})()
        app.api = type("Api", (), {})()
        app.api.ActiveWindow = Window(log)
        app.api.active_window = Window(log, mac=True)
        self.book = type("Book", (), {"app": app})()

    @property
    def freeze_panes(self):
        raise NotImplementedError

    def activate(self):
        self.log.append(("activate", True))

    def range(self, *a):
        return a


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_panes_are_frozen_through_the_window_on_desktop(monkeypatch, platform):
    log = []
    monkeypatch.setattr(sys, "platform", platform)
    live.freeze(FakeSheet(log, platform == "darwin"), 3)
    if platform == "win32":
        assert log == [("activate", True), ("FreezePanes", False), ("ScrollRow", 1), ("ScrollColumn", 1),
                       ("SplitColumn", 0), ("SplitRow", 2), ("FreezePanes", True)]
    else:
        assert log == [("activate", True), ("freeze_panes", False), ("scroll_row", 1), ("split_column", 0),
                       ("split_row", 2), ("freeze_panes", True)]


def test_calculation_and_screen_updating_are_restored(tmp_book, desktop):
    path = rich_book(tmp_book)
    b = remote_book(path)
    b.impl.api["book"]["calculation"] = "Automatic"          # a client that reports the mode
    excel.refresh(b, now=NOW)
    acts = [(a["func"], a["args"]) for a in b.json()["actions"]
            if a["func"] in ("setCalculation", "setScreenUpdating", "setValues")]
    assert acts[0] == ("setScreenUpdating", [False]) and acts[1] == ("setCalculation", ["Manual"])
    assert acts[-2:] == [("setCalculation", ["Automatic"]), ("setScreenUpdating", [True])]
    assert sum(f == "setValues" for f, _ in acts) == 7                  # all written in between


def test_a_manual_calculation_mode_is_left_as_the_user_set_it(tmp_book, desktop):
    b = remote_book(tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1)))))
    b.impl.api["book"]["calculation"] = "Manual"
    excel.refresh(b, now=NOW)
    assert not any(a["func"] == "setCalculation" for a in b.json()["actions"])
