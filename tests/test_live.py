"""Live mode through xlwings' remote engine: the live adapter writes what file mode writes."""
from __future__ import annotations

import os
import re
from datetime import date, datetime

import pytest
import python_calamine as pc

from conftest import HEAD, book, settings_rows
from xl_jiaoyan import commands, excel

# the remote engine needs a licence key at import; the noncommercial one covers tests
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
xw = pytest.importorskip("xlwings")
NOW = datetime(2026, 4, 1, 9, 30)


def _json_value(v):
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(v, date):
        return v.isoformat() + "T00:00:00.000Z"
    return v


def remote_book(path, names=()):
    """An in-memory xlwings book holding the cell values of the workbook at ``path``."""
    wb = pc.CalamineWorkbook.from_path(str(path))
    sheets = []
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python() or [[None]]
        width = max(len(r) for r in rows)
        values = [[_json_value(v) if v != "" else None for v in r] + [None] * (width - len(r)) for r in rows]
        sheets.append({"name": name, "values": values, "pictures": [], "tables": [], "charts": []})
    return xw.Book(json={"client": "Office.js", "version": xw.__version__,
                         "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
                         "names": list(names), "sheets": sheets})


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


def norm(v):
    if v in ("", None):
        return None
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


def test_live_refresh_writes_what_file_mode_writes(tmp_book):
    path = rich_book(tmp_book)
    live_book = remote_book(path)
    result = excel.refresh(live_book, now=NOW)
    assert result is not None
    live = written(live_book)
    _, names = commands.refresh(path, now=NOW)
    assert sorted(live) == sorted(names)
    on_file = file_outputs(path, names)
    for name in names:
        assert same_table(live[name], on_file[name]), name
    actions = live_book.json()["actions"]
    assert sum(a["func"] == "namesAdd" and a["args"][0] == "_xljy_output" for a in actions) == len(names)
    fills = {a["args"][0] for a in actions if a["func"] == "setRangeColor"}
    assert "#FFC7CE" in fills or "#FFEB9C" in fills                   # status colours, as in file mode
    assert any(a["func"] == "addHyperlink" for a in actions)
    funcs = [a["func"] for a in actions]
    assert funcs.count("freezePaneAtRange") == len(names) and funcs.count("setPrintArea") == len(names)
    assert ["edge_top", "color", "#bfbfbf"] in [a["args"] for a in actions if a["func"] == "setBorderProperty"]
    chart = next(a for a in actions if a["func"] == "addChart")        # 教研组统计's progress chart
    assert chart["args"][2:4] == ["教研组统计", "$E$2:$E$4"]
    assert next(a for a in actions if a["func"] == "setChartXAxisValues")["args"][1:] == ["教研组统计", "$A$3:$A$4"]


def test_live_refresh_replaces_its_own_sheets_and_refuses_others(tmp_book):
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


def test_errors_become_alerts_and_every_ribbon_id_is_handled(tmp_book):
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
    b3 = remote_book(broken)
    excel.on_ribbon("no_such_button", b3)
    assert "未知的按钮" in b3.json()["actions"][-1]["args"][0]


class FakeRange:
    """The part of xlwings' Range that merged_areas uses, as desktop Excel answers it."""

    def __init__(self, merges, row, column, nrows, ncols):
        self.merges, self.row, self.column, self.shape = merges, row, column, (nrows, ncols)

    @property
    def count(self):
        return self.shape[0] * self.shape[1]

    def _area(self):
        for (t, l), (b, r) in self.merges:
            if t <= self.row <= b and l <= self.column <= r:
                return (t, l), (b, r)
        return None

    @property
    def merge_cells(self):
        if self.shape == (1, 1):
            return self._area() is not None
        return None if self.merges else False

    @property
    def merge_area(self):
        (t, l), (b, r) = self._area()
        return FakeRange(self.merges, t, l, b - t + 1, r - l + 1)

    def __getitem__(self, ij):
        return FakeRange(self.merges, self.row + ij[0], self.column + ij[1], 1, 1)


def test_merged_cells_are_found_where_the_engine_can_say():
    from xl_jiaoyan.adapters.live import merged_areas
    used = FakeRange([((3, 1), (5, 1)), ((2, 4), (2, 6))], 2, 1, 6, 6)   # 1-based rows and columns
    assert sorted(merged_areas(used)) == [((1, 3), (1, 5)), ((2, 0), (4, 0))]
    assert merged_areas(FakeRange([], 1, 1, 5, 5)) == []
