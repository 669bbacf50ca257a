"""Helpers: write contract workbooks to disk (with openpyxl, independent of the tool's
own writer) and read the tool's output sheets back (with calamine)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import python_calamine as pc

from xl_jiaoyan import cli

# A spring semester with national holiday data: week 1 starts Monday 2026-03-02.
WEEK1 = date(2026, 3, 2)

TEACHERS = [
    # 工号, 姓名, 教研组, 备课组, 任教学科, 角色, 师傅, 在岗
    ["1001", "张三", "语文组", "", "语文", "", "", "是"],
    ["1002", "李四", "语文组", "", "语文", "教研组长", "", "是"],
    ["1003", "王五", "数学组", "", "数学", "中层、骨干教师", "", "是"],
    ["1004", "赵六", "数学组", "", "数学", "青年教师", "王五", "是"],
    ["1005", "孙七", "数学组", "", "数学", "", "", "否"],
]
HEAD = {
    "教师名册": ["工号", "姓名", "教研组", "备课组", "任教学科", "角色", "师傅", "在岗"],
    "指标": ["对象", "项目", "周期", "最低次数", "备注"],
    "听课记录": ["日期", "节次", "听课人", "授课人", "学科", "班级", "课题", "课型"],
    "教研活动记录": ["日期", "教研组", "类型", "主题", "主持人", "参加人员"],
    "培训记录": ["日期", "培训名称", "类型", "参加人员", "心得上交", "汇报课日期"],
    "成果登记": ["日期", "教师", "类型", "级别", "名称", "结果"],
    "活动安排": ["日期", "节次", "开始", "结束", "类型", "主题", "执教", "评委", "参加对象", "地点", "教研组"],
    "课表": ["教师", "星期", "节次", "班级", "学科"],
    "校历": ["日期", "类型", "说明"],
    "赋分规则": ["类型", "级别", "结果", "分值"],
    "工作进度": ["周次", "日期", "工作内容", "负责人", "备注"],
}


# A 听课记录 that has been started (a quota whose record sheet is still empty is not computed).
STARTED_LOG = [[date(2026, 3, 3), 1, "张三", "李四", "", "", "", ""]]


def settings_rows(week1=WEEK1, weeks=20, as_of=None, **extra):
    rows = [["项目", "值"], ["学校名称", "测试小学"], ["第一周周一", week1], ["学期周数", weeks]]
    if as_of is not None:
        rows.append(["当前日期", as_of])
    rows += [[k, v] for k, v in extra.items()]
    return rows


def book(**sheets) -> dict[str, list[list]]:
    """Sheets for write_book: 设置 and 教师名册 by default, other sheets as data rows
    (the header is added); pass 设置=[...] etc. to override whole sheets."""
    out = {"设置": settings_rows(), "教师名册": [HEAD["教师名册"]] + [list(t) for t in TEACHERS]}
    for name, rows in sheets.items():
        if name not in HEAD or (rows and rows[0] == HEAD.get(name)):
            out[name] = rows
        else:
            out[name] = [HEAD[name]] + rows
    return out


def write_book(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None,
               hidden: dict[str, int] | None = None) -> Path:
    """Sheets of rows, with merged ranges and a hidden row per sheet where given."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
        for m in (merges or {}).get(name, []):
            ws.merge_cells(m)
        if name in (hidden or {}):
            ws.row_dimensions[hidden[name]].hidden = True
    wb.save(path)
    return path


def read_output(path: Path, name: str) -> pd.DataFrame:
    """An output sheet as a frame (A1 is the provenance line, headers in row 2)."""
    rows = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()
    return pd.DataFrame(rows[2:], columns=rows[1])


def refresh(path: Path, *extra: str) -> int:
    return cli.main(["refresh", str(path), *extra])


def refresh_column_wise(path: Path, monkeypatch) -> list[str]:
    """Refresh ``path`` with every sheet read column-wise (as a large log is); the names of
    the sheets so read.  Skips where the large extra (fastexcel, pyarrow) is not installed."""
    from xl_jiaoyan.io.xlsx import file as file_mode
    if not file_mode.columnar_reader():
        pytest.skip("the large extra (fastexcel, pyarrow) is not installed")
    monkeypatch.setattr(file_mode, "LARGE_SHEET_ROWS", 0)
    read: list[str] = []
    real = file_mode.FileSource._columnar_grid
    monkeypatch.setattr(file_mode.FileSource, "_columnar_grid",
                        lambda self, name, first: read.append(name) or real(self, name, first))
    assert refresh(path) == 0
    return read


def quota(path: Path, name: str, item: str, period: str = "学期") -> dict:
    d = read_output(path, "指标明细")
    hit = d[(d["姓名"] == name) & (d["项目"] == item) & (d["周期"] == period)]
    assert len(hit) == 1, f"{name} {item} {period}: {len(hit)} rows"
    return hit.iloc[0].to_dict()


@pytest.fixture
def tmp_book(tmp_path):
    def make(sheets, merges=None, name="工作台.xlsx"):
        return write_book(tmp_path / name, sheets, merges)
    return make


@pytest.fixture
def desktop(monkeypatch):
    """xlwings' remote engine behaving like the desktop engines (see desktop_engine.py):
    members Windows or macOS Excel lack raise NotImplementedError; the recorder says
    which members the tool reached."""
    import os
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    pytest.importorskip("xlwings")
    from desktop_engine import Recorder
    return Recorder(monkeypatch, desktop=True)
