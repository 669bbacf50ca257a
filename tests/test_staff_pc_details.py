"""The small things a staff member meets: a date typed as 3.02, a blank 学校名称, a Word
notice that must not replace one edited by hand, --week past the term, a workbook open
in any of the four programs' ways, and the refresh window's button."""
from __future__ import annotations

import sys
from datetime import date

import openpyxl
import pytest

from conftest import book, read_output, refresh, settings_rows, write_book
from test_rollup import AS_OF, school
from xl_jiaoyan import cli


def overview(path):
    return read_output(path, "指标明细").to_dict("records")


@pytest.mark.parametrize("date_format", ["yyyy-mm-dd", "General"])
def test_a_first_monday_typed_as_3_02_is_march_2nd(tmp_path, date_format):
    """Typed into a date cell, 3.02 is stored as the number 3.02 and shown as 1900-01-03;
    into a General cell, as the number: both are 3月2日 of the year nearest the run's date."""
    plain = write_book(tmp_path / "日期.xlsx", book(设置=settings_rows(as_of=date(2026, 4, 1))))
    typed = tmp_path / "数字.xlsx"
    wb = openpyxl.load_workbook(plain)
    cell = next(r[1] for r in wb["设置"].iter_rows() if r[0].value == "第一周周一")
    cell.value, cell.number_format = 3.02, date_format
    wb.save(typed)
    assert refresh(plain) == 0 and refresh(typed) == 0
    assert overview(typed) == overview(plain)
    assert read_output(typed, "本周通知").iloc[:, 0].tolist() == read_output(plain, "本周通知").iloc[:, 0].tolist()


def test_a_school_name_left_blank_says_to_fill_in_the_value(tmp_book, capsys):
    rows = [r if r[0] != "学校名称" else ["学校名称", None] for r in settings_rows()]
    assert refresh(tmp_book(book(设置=rows))) == 2
    err = capsys.readouterr().err
    assert "工作表「设置」第 2 行「值」列的「学校名称」还没有填写" in err and "列写上" not in err
    rows = [r for r in settings_rows() if r[0] != "学校名称"]                 # the item itself missing
    assert refresh(tmp_book(book(设置=rows), name="无项.xlsx")) == 2
    assert "请在「项目」列写上“学校名称”" in capsys.readouterr().err


def test_the_word_notice_is_named_by_school_and_term_and_never_replaces_a_file(tmp_book, tmp_path, monkeypatch,
                                                                                capsys):
    monkeypatch.chdir(tmp_path)
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1), 学期名称="2025-2026学年第二学期")))
    assert cli.main(["notice", str(path), "--format", "docx"]) == 0
    first = tmp_path / "测试小学2025-2026学年第二学期第五周工作安排.docx"
    assert first.read_bytes()[:2] == b"PK"
    first.write_bytes(b"edited by hand")
    capsys.readouterr()
    assert cli.main(["notice", str(path), "--format", "docx"]) == 0
    assert first.read_bytes() == b"edited by hand"
    second = tmp_path / "测试小学2025-2026学年第二学期第五周工作安排（2）.docx"
    assert second.read_bytes()[:2] == b"PK"
    said = capsys.readouterr().out
    assert f"通知：{second.name}" in said and f"{first.name} 已经存在，没有覆盖它" in said
    text = tmp_path / "通知.txt"
    text.write_text("mine", encoding="utf-8")
    assert cli.main(["notice", str(path), "-o", str(text)]) == 0
    assert text.read_text(encoding="utf-8") == "mine"
    assert (tmp_path / "通知（2）.txt").read_text(encoding="utf-8").startswith("测试小学")


def test_a_week_past_any_term_says_how_many_weeks_this_term_has(tmp_book, capsys):
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1))))
    for week in ("99", "第99周"):
        assert cli.main(["notice", str(path), "--week", week]) == 2
        err = capsys.readouterr().err
        assert "第 99 周不在本学期内：本学期共 20 周" in err, err
    assert cli.main(["notice", str(path), "--week", "第零周"]) == 2
    assert "读不出来" in capsys.readouterr().err


@pytest.mark.parametrize("lock", ["~$城关第一小学.xlsx", "~$第一小学.xlsx", ".~lock.城关第一小学.xlsx#",
                                  ".~城关第一小学.xlsx"])
def test_the_rollup_notes_a_school_open_in_excel_wps_or_libreoffice(tmp_path, lock):
    root = tmp_path / "各校"
    root.mkdir()
    write_book(root / "城关第一小学.xlsx", school("城关一小", observed=3))
    (root / lock).write_bytes(b"\x00lock")
    out = tmp_path / "全区汇总.xlsx"
    assert cli.main(["rollup", str(root), "-o", str(out), "--as-of", AS_OF]) == 0
    row = read_output(out, "学校汇总").set_index("学校名称").loc["城关一小"]
    assert any("正在 Excel 或 WPS 中打开" in str(v) for v in row.to_list()), row.to_dict()


class FakeTk:
    """tkinter as far as the refresh window uses it: each widget records its options."""

    def __init__(self):
        self.made = []
        tk = self

        class Widget:
            def __init__(self, *a, **kw):
                tk.made.append((type(self).__name__, kw))

            def __getattr__(self, name):
                return lambda *a, **kw: None
        self.Tk = type("Tk", (Widget,), {})
        self.Frame = type("Frame", (Widget,), {})
        self.Label = type("Label", (Widget,), {})
        self.Text = type("Text", (Widget,), {})
        self.Scrollbar = type("Scrollbar", (Widget,), {})
        self.Button = type("Button", (Widget,), {})


def test_the_refresh_window_says_its_result_with_a_chinese_button(monkeypatch):
    from xl_jiaoyan.shell import desktop
    fake = FakeTk()
    monkeypatch.delenv("XLJY_NO_WINDOW", raising=False)
    monkeypatch.setitem(sys.modules, "tkinter", fake)
    desktop.show("教研室：刷新完成", "\n".join(f"第 {i} 行" for i in range(40)), error=False)
    buttons = [kw for kind, kw in fake.made if kind == "Button"]
    assert [b["text"] for b in buttons] == ["确定"]
    assert [kind for kind, _ in fake.made].count("Scrollbar") == 1          # 40 lines: it scrolls
    texts = [kw for kind, kw in fake.made if kind == "Text"]
    assert texts[0]["height"] == 24
