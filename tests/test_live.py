"""Live mode through xlwings' remote engine: the live adapter writes what file mode writes."""
from __future__ import annotations

import os
import re
from datetime import date, datetime

import pytest
import python_calamine as pc

from conftest import HEAD, book, settings_rows
from desktop_engine import remote_book
from xl_jiaoyan import excel
from xl_jiaoyan.service import commands

# the remote engine needs a licence key at import; the noncommercial one covers tests
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
xw = pytest.importorskip("xlwings")
NOW = datetime(2026, 4, 1, 9, 30)


def written(book) -> dict[str, list[list]]:
    """Each sheet's values as the recorded setValues actions left them."""
    positions = [s.name for s in book.sheets]
    grids: dict[str, dict] = {}
    for a in book.json()["actions"]:
        if a["func"] == "addSheet":
            positions.insert(a["args"][0], a["args"][1])
        elif a["func"] == "setValues":
            grid = grids.setdefault(positions[a["sheet_position"]], {})
            for i, row in enumerate(a["values"]):
                for j, v in enumerate(row):
                    grid[(a["start_row"] + i, a["start_column"] + j)] = v
    out = {}
    for name, grid in grids.items():
        nrows, ncols = max(r for r, _ in grid) + 1, max(c for _, c in grid) + 1
        out[name] = [[grid.get((r, c)) for c in range(ncols)] for r in range(nrows)]
    return out


OUR_LINK = re.compile(r"""=HYPERLINK\("#'(?:[^']|'')+'!A\d+",(\d+)\)""")


def norm(v):
    if v in ("", None):
        return None
    if isinstance(v, str) and OUR_LINK.fullmatch(v):     # a 行号 link shows its row number
        return float(OUR_LINK.fullmatch(v)[1])
    if isinstance(v, str) and v.startswith("'"):          # Excel's text prefix: not in the value
        v = v[1:]
    if isinstance(v, (datetime, date)):
        return v.isoformat()[:10]
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+Z?", v):
        return v[:10]
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    return v


def file_outputs(path, names):
    wb = pc.CalamineWorkbook.from_path(str(path))
    return {n: wb.get_sheet_by_name(n).to_python() for n in names}


def same_table(a: list[list], b: list[list]) -> bool:
    width = max(len(r) for r in a + b)
    pad = lambda rows: [[norm(v) for v in r] + [None] * (width - len(r)) for r in rows]
    strip = lambda rows: [r for r in rows if any(v is not None for v in r)]
    return strip(pad(a)) == strip(pad(b))


def rich_book(tmp_book):
    return tmp_book(book(
        设置=settings_rows(as_of=date(2026, 4, 1)),
        指标=[HEAD["指标"], ["教师", "听课", "学期", 20, ""], ["教研组", "教研活动", "周", 1, ""]],
        听课记录=[[date(2026, 3, 3), 1, "张三", "李四", "", "", "", ""],
                [date(2026, 3, 4), 2, "李四老师", "张三", "", "", "", ""],
                [date(2026, 3, 4), 2, "钱八", "张三", "", "", "", ""]],           # unknown: a finding
        教研活动记录=[[date(2026, 3, 10), "语文组", "", "说课", "李四", "全组"]],
        活动安排=[[date(2026, 3, 31), 3, None, None, "示范课", "圆", "王五", "李四", "数学组", "多功能厅", "数学组"]],
        工作进度=[["第五周", None, "1、期中准备 2、示范课", "教研室", ""]],
        成果登记=[[date(2026, 3, 12), "张三", "论文", "市级", "论文甲", ""]],
        赋分规则=[["论文", None, None, 2]]))


def text_cells(actions) -> dict[int, set[tuple[int, int]]]:
    """Per sheet position, the cells formatted as Text ("@") before any value arrived."""
    out: dict[int, set[tuple[int, int]]] = {}
    for a in actions:
        if a["func"] == "setNumberFormat" and a["args"] == ["@"]:
            out.setdefault(a["sheet_position"], set()).update(
                (a["start_row"] + i, a["start_column"] + j)
                for i in range(a["row_count"]) for j in range(a["column_count"]))
    return out


def unprotected_text(actions) -> list[str]:
    """Strings written into cells desktop Excel would parse (not Text-formatted first),
    other than the tool's own HYPERLINK formulas, which must stay formulas."""
    bad, protected = [], {}
    for a in actions:
        if a["func"] == "setNumberFormat" and a["args"] == ["@"]:
            protected.setdefault(a["sheet_position"], set()).update(
                (a["start_row"] + i, a["start_column"] + j)
                for i in range(a["row_count"]) for j in range(a["column_count"]))
        if a["func"] != "setValues":
            continue
        cells = protected.get(a["sheet_position"], set())
        for i, row in enumerate(a["values"]):
            for j, v in enumerate(row):
                at = (a["start_row"] + i, a["start_column"] + j)
                if isinstance(v, str) and OUR_LINK.fullmatch(v):
                    if at in cells:
                        bad.append(f"link formatted as text: {v}")
                elif isinstance(v, str) and v and not re.fullmatch(r"\d{4}-\d\d-\d\d(T[\d:.]+Z?)?", v):  # dates
                    if at in cells and len(v) > 255:
                        bad.append(f"shows as #### in a Text cell: {v[:20]}")
                    elif at not in cells and not v.startswith("'"):         # or the apostrophe prefix
                        bad.append(v)
    return bad


def test_live_refresh_on_a_desktop_like_engine_writes_what_file_mode_writes(tmp_book, desktop):
    path = rich_book(tmp_book)
    live_book = remote_book(path)
    result = excel.refresh(live_book, now=NOW)
    actions = live_book.json()["actions"]
    assert not any(a["func"] == "alert" for a in actions), [a["args"] for a in actions if a["func"] == "alert"]
    assert result is not None
    live = written(live_book)
    _, names = commands.refresh(path, now=NOW)
    assert sorted(live) == sorted(names)
    on_file = file_outputs(path, names)
    for name in names:
        assert same_table(live[name], on_file[name]), name
    assert unprotected_text(actions) == []
    assert sum(a["func"] == "namesAdd" and a["args"][0] == "_xljy_output" for a in actions) == len(names)
    funcs = [a["func"] for a in actions]
    assert "addHyperlink" not in funcs and "freezePaneAtRange" not in funcs    # desktop has neither
    links = [v for a in actions if a["func"] == "setValues" for r in a["values"] for v in r
             if isinstance(v, str) and OUR_LINK.fullmatch(v)]
    assert """=HYPERLINK("#'听课记录'!A4",4)""" in links                     # 钱八's row: a finding
    rules = [a["args"][0] for a in actions if a["func"] == "addConditionalFormat"]
    # status colours follow the values: 状态 by its own value, 完成 by the 状态 beside it
    assert {"type": "CellValue", "operator": "EqualTo", "formula1": '="落后"', "fill_color": "#ffeb9c",
            "font_color": "#9c5700"}.items() <= next(r for r in rules if r.get("formula1") == '="落后"').items()
    assert any(r["type"] == "Custom" and r["formula"] == '=INDIRECT("RC[1]",FALSE)="落后"' for r in rules)
    assert funcs.count("setPrintArea") == len(names)
    assert ["edge_top", "color", "#bfbfbf"] in [a["args"] for a in actions if a["func"] == "setBorderProperty"]
    chart = next(a for a in actions if a["func"] == "addChart")        # 教研组统计: on track and behind
    assert chart["args"][2:4] == ["教研组统计", "$D$2:$E$4"]
    assert next(a for a in actions if a["func"] == "setChartXAxisValues")["args"][1:] == ["教研组统计", "$A$3:$A$4"]
    assert desktop.refused == {("Sheet", "freeze_panes", "get")}      # tried, then the window
    at = [s.name for s in live_book.sheets].index("指标总览")
    assert [a["sheet_position"] for a in actions if a["func"] == "activateSheet"][-1] == at   # results first


def test_live_calls_do_not_grow_with_rows(tmp_book, desktop):
    """Four times the teachers and observations, the same number of calls into Excel."""
    def calls(n):
        teachers = [[str(2000 + k), f"教师{k}", "语文组" if k % 2 else "数学组", "", "语文", "", "", "是"]
                    for k in range(n)]
        obs = [[date(2026, 3, 3 + k % 20), 1 + k % 7, f"教师{k}", f"教师{(k * 7 + 1) % n}", "", "", "", ""]
               for k in range(n * 3)] + [[date(2026, 3, 4), 1, "无名氏", "教师1", "", "", "", ""]] * (n // 5)
        sheets = book(教师名册=[HEAD["教师名册"]] + teachers, 指标=[HEAD["指标"], ["教师", "听课", "学期", 20, ""],
                                                                   ["教师", "听课", "月", 4, ""]], 听课记录=obs,
                      设置=settings_rows(as_of=date(2026, 4, 1)))
        b = remote_book(tmp_book(sheets, name=f"工作台{n}.xlsx"))
        excel.refresh(b, now=NOW)
        actions = b.json()["actions"]
        assert not any(a["func"] == "alert" for a in actions)
        return len(actions)
    small, big = calls(40), calls(160)      # 4x the rows (150+ more per sheet): a per-row call would show
    assert abs(big - small) <= 5, (small, big)     # (a column's text may need one run more or less)


def _replay_charts(book_payload, actions):
    """The payload of the book after ``actions``: charts added and deleted per sheet."""
    names = [s["name"] for s in book_payload["sheets"]]
    for a in actions:
        if a["func"] == "addSheet":
            names.insert(a["args"][0], a["args"][1])
    return names


def test_three_refreshes_leave_one_chart_and_reset_the_sheet(tmp_book, desktop):
    path = rich_book(tmp_book)
    live_book = remote_book(path)
    for _ in range(3):
        excel.refresh(live_book, now=NOW)
    sheet = live_book.sheets["教研组统计"]
    assert len(sheet.charts) == 1                          # the engine's own chart list
    actions = live_book.json()["actions"]
    at = [s.name for s in live_book.sheets].index("教研组统计")
    funcs = [(a["func"], a.get("sheet_position")) for a in actions]
    assert funcs.count(("addChart", at)) == 3 and funcs.count(("deleteChart", at)) == 2
    assert funcs.count(("sheetClear", at)) == 2 and funcs.count(("clearConditionalFormats", at)) == 2
    # every refresh re-fits the row heights over the table (none left from the run before)
    fits = [a for a in actions if a["func"] == "setAutofit" and a["sheet_position"] == at]
    assert len(fits) == 3 and all(a["args"] == ["rows"] and a["start_row"] == 2 for a in fits)


def test_a_write_failing_midway_names_the_sheets_already_written(tmp_book, desktop, monkeypatch):
    from xl_jiaoyan.io.live import book as live
    path = rich_book(tmp_book)
    b = remote_book(path)
    real, seen = live.paint, []

    def paint(sheet, plan, old=(0, 0)):
        seen.append(plan.name)
        if len(seen) == 3:
            raise OSError("Excel 忙")
        real(sheet, plan, old)
    monkeypatch.setattr(live, "paint", paint)
    excel.refresh(b, now=NOW)
    alert = next(a for a in b.json()["actions"] if a["func"] == "alert")["args"][0]
    assert f"已经更新的工作表：「{seen[0]}」、「{seen[1]}」" in alert
    assert f"「{seen[2]}」只写了一部分" in alert and "未被修改" not in alert
    restore = [a for a in b.json()["actions"] if a["func"] == "setScreenUpdating"]
    assert [a["args"] for a in restore] == [[False], [True]]           # restored after the failure


def test_live_refresh_replaces_its_own_sheets_and_refuses_others(tmp_book, desktop):
    path = rich_book(tmp_book)
    commands.refresh(path, now=NOW)                                    # output sheets made in file mode
    marker = [{"name": "_xljy_output", "book_scope": False, "scope_sheet_name": n, "scope_sheet_index": i,
               "refers_to": '="xl-jiaoyan"', "sheet_index": None, "address": None}
              for i, n in enumerate(pc.CalamineWorkbook.from_path(str(path)).sheet_names) if n in ("冲突检查",)]
    live_book = remote_book(path, marker)
    excel.check(live_book, now=NOW)
    actions = live_book.json()["actions"]
    assert [a["func"] for a in actions].count("sheetClear") == 1 and not any(a["func"] == "addSheet" for a in actions)
    assert any(a["func"] == "alert" and "检查完成" in a["args"][0] for a in actions)

    stranger = remote_book(path)                                       # no marker: not ours
    excel.refresh(stranger, now=NOW)
    acts = stranger.json()["actions"]
    assert not any(a["func"] in ("setValues", "sheetClear") for a in acts)
    alert = next(a for a in acts if a["func"] == "alert")
    assert "不是本工具生成的" in alert["args"][0]                        # a Chinese alert, not a traceback


def test_errors_become_alerts_and_every_ribbon_id_is_handled(tmp_book, desktop):
    broken = tmp_book(book(设置=[["项目", "值"], ["学校名称", "测试小学"]]), name="缺设置.xlsx")
    b = remote_book(broken)
    assert excel.on_ribbon("xljy_refresh", b) is None
    alert = next(a for a in b.json()["actions"] if a["func"] == "alert")
    assert "第一周周一" in alert["args"][0] and alert["args"][1].startswith("教研室")
    b2 = remote_book(rich_book(tmp_book))
    made = excel.on_ribbon("xljy_notice", b2)
    assert made.week == 5
    values = written(b2)["本周通知"]
    assert values[2][0] == "测试小学教研室第五周工作安排"
    assert unprotected_text(b2.json()["actions"]) == []
    b3 = remote_book(broken)
    excel.on_ribbon("no_such_button", b3)
    assert "未知的按钮" in b3.json()["actions"][-1]["args"][0]


class FakeRange:
    """The part of xlwings' Range that merged_areas uses, answering as desktop Excel does
    (merge_cells of a range: False if no cell is merged, True if all are, else None);
    ``asked`` counts the questions."""

    def __init__(self, merges, row, column, nrows, ncols, asked=None):
        self.merges, self.row, self.column, self.shape = merges, row, column, (nrows, ncols)
        self.asked = asked if asked is not None else [0]

    def _area_of(self, r, c):
        for (t, l), (b, rr) in self.merges:
            if t <= r <= b and l <= c <= rr:
                return (t, l), (b, rr)
        return None

    @property
    def merge_cells(self):
        self.asked[0] += 1
        cells = [(self.row + i, self.column + j) for i in range(self.shape[0]) for j in range(self.shape[1])]
        merged = [self._area_of(r, c) is not None for r, c in cells]
        return True if all(merged) else (None if any(merged) else False)

    @property
    def merge_area(self):
        self.asked[0] += 1
        (t, l), (b, r) = self._area_of(self.row, self.column)
        return FakeRange(self.merges, t, l, b - t + 1, r - l + 1, self.asked)

    def __getitem__(self, ij):
        i, j = ij
        i = i if isinstance(i, slice) else slice(i, i + 1)
        j = j if isinstance(j, slice) else slice(j, j + 1)
        return FakeRange(self.merges, self.row + i.start, self.column + j.start,
                         i.stop - i.start, j.stop - j.start, self.asked)


def test_merged_cells_are_found_with_few_questions():
    from xl_jiaoyan.io.live.source import merged_areas
    used = FakeRange([((3, 1), (5, 1)), ((2, 4), (2, 6))], 2, 1, 6, 6)   # 1-based rows and columns
    assert sorted(merged_areas(used)) == [((1, 3), (1, 5)), ((2, 0), (4, 0))]
    assert merged_areas(FakeRange([], 1, 1, 5, 5)) == []
    # a 5,000-row roster with three merged 教研组 cells and one wide title
    merges = [((1, 1), (1, 8)), ((10, 3), (14, 3)), ((2000, 3), (2003, 3)), ((4990, 2), (4990, 4))]
    big = FakeRange(merges, 1, 1, 5000, 8)
    found = merged_areas(big)
    assert sorted(found) == sorted(((t - 1, l - 1), (b - 1, r - 1)) for (t, l), (b, r) in merges)
    assert big.asked[0] < 250                      # not one question per cell (40,000)
    assert FakeRange([], 1, 1, 5000, 8).asked[0] == 0 and merged_areas(FakeRange([], 1, 1, 5000, 8)) == []


def test_the_plan_keeps_text_as_text_and_links_as_formulas():
    from xl_jiaoyan.io.live.layout import plan_sheet
    from xl_jiaoyan.outputs.spec import OutputSheet
    out = OutputSheet("冲突检查", "标题", ["说明", "人员", "行号"],
                      rows=[["长" * 300, "0012", 5], ["=1+1", "9/11", None]], links={(0, 2): ("O'Brien \"表\"", 5)})
    plan = plan_sheet(out)
    # too long for a Text cell (Excel would show ####): the apostrophe prefix, whole column
    assert plan.block[2][0] == "'" + "长" * 300 and plan.block[3][0] == "'=1+1"
    assert (3, 2, 4, 2) in plan.text and not any(a[1] == 1 and a[0] >= 3 for a in plan.text)
    assert plan.block[2][2] == """=HYPERLINK("#'O''Brien ""表""'!A5",5)""" and (1, 1, 2, 3) in plan.text
    assert not any(a[1] <= 3 <= a[3] and a[0] >= 3 for a in plan.text)          # the link stays a formula


def test_live_reads_a_percent_formatted_quota_as_shown(tmp_book, desktop, monkeypatch):
    """Excel hands 100% over as the number 1; the live reader asks the cell's format, as on
    desktop (the remote engine cannot say synchronously, so the test answers for it)."""
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1)),
                         指标=[HEAD["指标"], ["学校", "竞赛参赛率", "学期", 1, ""]],
                         成果登记=[[date(2026, 3, 10), "张三", "竞赛", "校级", "朗诵", ""]]))
    live_book = remote_book(path)
    asked = []

    def number_format(rng):
        asked.append((rng.sheet.name, rng.address))
        return "0%" if (rng.sheet.name, rng.address) == ("指标", "$D$2") else "General"
    monkeypatch.setattr(xw.main.Range, "number_format",
                        property(number_format, xw.main.Range.number_format.fset))
    result = excel.refresh(live_book, now=NOW)
    school = result.detail[result.detail["item"] == "竞赛参赛率"].iloc[0]
    assert (school["quota"], school["actual"]) == (4, 1)          # 100 % of the 4 in post, not 1 %
    assert {sheet for sheet, _ in asked} == {"指标"}                 # only the sheet that may hold one


def test_live_writes_the_office_sheets_as_file_mode_does(tmp_path, desktop):
    """检查汇总, 材料明细, 课题进度 and 成果统计 (with its chart of the first table only)."""
    from test_office_records import _book
    path = _book(tmp_path)
    live_book = remote_book(path)
    assert excel.refresh(live_book, now=NOW) is not None
    live = written(live_book)
    _, names = commands.refresh(path, now=NOW)
    assert {"检查汇总", "材料明细", "课题进度", "成果统计"} <= set(names)
    on_file = file_outputs(path, names)
    for name in ("检查汇总", "材料明细", "课题进度", "成果统计", "赋分汇总", "冲突检查"):
        assert same_table(live[name], on_file[name]), name
    charts = [a for a in live_book.json()["actions"] if a["func"] == "addChart"]
    assert ["成果统计", "$H$2:$H$4"] in [c["args"][2:4] for c in charts]     # 合计 of 论文 and 课题
