"""Build a new contract workbook with XlsxWriter: every input sheet, headers, widths,
frozen header rows, drop-down lists, default settings and quotas, and a 使用说明 sheet
generated from the contract."""
from __future__ import annotations

import io
from datetime import date, datetime, time
from pathlib import Path

import xlsxwriter

from xl_jiaoyan.contract import (BELLS, CHECK_GRADES, DEFAULT_PERIODS, DEFAULT_QUOTAS, DEFAULT_SCORING, HELP_SHEET,
                                 PLAN, QUOTAS, SCORING, SETTINGS, SETTINGS_SHEET, SHEETS, Sheet, YES_NO)
from xl_jiaoyan.notice.content import VARIABLES as NOTICE_VARIABLES
from xl_jiaoyan.notice.template import FILE_NAME as TEMPLATE_FILE
from xl_jiaoyan.notice.template import SHEET as TEMPLATE_SHEET
from xl_jiaoyan.outputs.spec import STYLES

FONT = {"font_name": "等线", "font_size": 11}
DATA_ROWS = 2000  # rows covered by drop-down validation
KIND_HELP = {"date": "日期", "int": "整数", "names": "可写多个姓名、组名或角色", "name": "姓名",
             "time": "时刻，如 08:00", "choice": "从下拉列表选择", "text": "文字", "periods": "节次，如 3、第3节 或 3-4",
             "weekday": "星期，如 一、周一 或 1", "roles": "可写多个角色", "group": "教研组名称，与名册一致",
             "prep": "备课组名称，与名册一致"}
FIXED_TIME = datetime(2026, 8, 1)


DATE_FORMS = "可写 2026-09-15、2026/9/15、9月15日、9月15号、九月十五日、9.15 或 9/15（年份按学期推断）。"


def _row_values(sheet: Sheet, row: dict | list | tuple) -> list:
    if isinstance(row, dict):
        return [row.get(c, None) for c in sheet.header]
    return list(row) + [None] * (len(sheet.header) - len(row))


def default_rows(school: str = "", week1: date | None = None, term: str = "",
                 as_of: date | None = None) -> dict[str, list]:
    """The rows a new workbook starts with."""
    settings = []
    for key, default, note in SETTINGS:
        value = {"学校名称": school or None, "第一周周一": week1, "学期名称": term or None,
                 "当前日期": as_of}.get(key, default)
        settings.append([key, value if value != "" else None, note])
    return {
        SETTINGS_SHEET: settings,
        QUOTAS: [list(q) for q in DEFAULT_QUOTAS],
        SCORING: [[t, lv or None, res or None, pts] for t, lv, res, pts in DEFAULT_SCORING],
        BELLS: [[n, time(*map(int, a.split(":"))), time(*map(int, b.split(":")))]
                 for n, a, b in DEFAULT_PERIODS],
    }


def build_workbook(path: Path, rows: dict[str, list] | None = None,
                   merges: dict[str, list[tuple[int, int, int, int]]] | None = None,
                   vba_project: bytes | None = None) -> None:
    """Write a new workbook.  ``rows`` gives data rows per sheet (lists or dicts by header);
    ``merges`` gives (first_row, col, last_row, col) ranges of data rows (0 = first data row)
    to merge, as staff merge 周次 cells."""
    rows = rows or default_rows()
    merges = merges or {}
    wb = xlsxwriter.Workbook(str(path), {"default_format_properties": dict(FONT)})
    wb.set_properties({"title": "教研室工作台", "created": FIXED_TIME, "author": "xl-jiaoyan"})
    if vba_project is not None:        # an .xlsm: sheets get the code names Sheet1, Sheet2 …
        wb.add_vba_project(io.BytesIO(vba_project), is_stream=True)
    header_fmt = wb.add_format({**STYLES["header"], **FONT})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd", **FONT})
    time_fmt = wb.add_format({"num_format": "hh:mm", **FONT})
    wrap_fmt = wb.add_format({"text_wrap": True, "valign": "top", **FONT})
    merge_fmt = wb.add_format({"valign": "vcenter", "align": "center", "text_wrap": True, **FONT})
    _help_sheet(wb, header_fmt, wrap_fmt)
    for sheet in SHEETS:
        ws = wb.add_worksheet(sheet.name)
        ws.set_row(0, 22)
        for j, col in enumerate(sheet.columns):
            ws.write_string(0, j, col.name, header_fmt)
            fmt = date_fmt if col.kind == "date" else time_fmt if col.kind == "time" else None
            if sheet.name == PLAN and col.key == "content":
                fmt = wrap_fmt
            ws.set_column(j, j, col.width, fmt)
            choices = col.choices or (CHECK_GRADES if col.kind == "grade" else ())   # 设置 may change 等第
            strict = col.strict and bool(col.choices)
            if choices:
                ws.data_validation(1, j, DATA_ROWS, j, {
                    "validate": "list", "source": list(choices),
                    "error_type": "stop" if strict else "information",
                    "error_title": col.name,
                    "error_message": ("请从下拉列表中选择：" if strict else "常用的有：")
                    + "、".join(choices)[:200],
                    "input_title": col.name if col.help else "",
                    "input_message": col.help[:250] if col.help else ""})
            elif col.help or col.kind == "date":
                ws.data_validation(1, j, DATA_ROWS, j, {
                    "validate": "any", "input_title": col.name,
                    "input_message": (col.help or DATE_FORMS)[:250]})
        if sheet.name == SETTINGS_SHEET:    # the 值 of a 是/否 setting: a drop-down too
            value_col = sheet.header.index(sheet.label("value"))
            for i, (name, default, _) in enumerate(SETTINGS):
                if default in YES_NO:
                    ws.data_validation(i + 1, value_col, i + 1, value_col, {
                        "validate": "list", "source": list(YES_NO), "error_title": name,
                        "error_message": "请选择“是”或“否”。"})
        ws.freeze_panes(1, 0)
        _print_setup(ws)
        merged_cells = set()
        for r0, c0, r1, c1 in merges.get(sheet.name, []):
            value = rows[sheet.name][r0][c0]
            ws.merge_range(r0 + 1, c0, r1 + 1, c1, value, merge_fmt)
            merged_cells |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        for i, row in enumerate(rows.get(sheet.name, [])):
            for j, value in enumerate(_row_values(sheet, row)):
                if (i, j) in merged_cells or value is None:
                    continue
                col = sheet.columns[j]
                if isinstance(value, (datetime, date)):
                    ws.write_datetime(i + 1, j, value if isinstance(value, datetime)
                                      else datetime(value.year, value.month, value.day), date_fmt)
                elif isinstance(value, time):
                    ws.write_datetime(i + 1, j, value, time_fmt)
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    ws.write_number(i + 1, j, value)
                else:
                    ws.write_string(i + 1, j, str(value),
                                    wrap_fmt if col.key == "content" else None)
    wb.close()


def _print_setup(ws) -> None:
    """A4 landscape, one page wide, header row repeated: how offices print these sheets."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)


def _help_sheet(wb, header_fmt, wrap_fmt) -> None:
    ws = wb.add_worksheet(HELP_SHEET)
    ws.set_column(0, 0, 14)
    ws.set_column(1, 1, 14)
    ws.set_column(2, 2, 10)
    ws.set_column(3, 3, 70)
    title = wb.add_format({"bold": True, "font_size": 14, **FONT})
    ws.write_string(0, 0, "教研室工作台 使用说明", title)
    intro = ("1. 在下面列出的工作表中填写数据（标“必填”的工作表不能缺）。表头行的列名不要改动，列的顺序可以调整，"
             "可以在表头上方加标题行，也可以加自己的列。\n"
             "2. 运行“刷新汇总”（命令行：xl-jiaoyan refresh 本文件），工具会生成「指标总览」「指标明细」「冲突检查」"
             "等工作表，每次刷新整表重写；你填写的工作表不会被改动。\n"
             "3. 姓名可带“老师”等称呼，空格会被忽略；同名教师请写 姓名(工号) 或 姓名(教研组)。"
             "日期" + DATE_FORMS)
    _print_setup(ws)
    ws.merge_range(1, 0, 1, 3, intro, wrap_fmt)
    ws.set_row(1, 96)
    r = 3
    for j, h in enumerate(["工作表", "列", "要求", "说明"]):
        ws.write_string(r, j, h, header_fmt)
    ws.freeze_panes(r + 1, 0)
    bold = wb.add_format({"bold": True, "text_wrap": True, "valign": "top", **FONT})
    for sheet in SHEETS:
        r += 1
        ws.write_string(r, 0, sheet.name, bold)
        ws.write_string(r, 1, "（整张表）", wrap_fmt)
        ws.write_string(r, 2, "必填" if sheet.required else "可选", wrap_fmt)
        ws.write_string(r, 3, sheet.help, wrap_fmt)
        for col in sheet.columns:
            r += 1
            ws.write_string(r, 1, col.name, wrap_fmt)
            ws.write_string(r, 2, "必填" if col.required else "", wrap_fmt)
            text = KIND_HELP.get(col.kind, "")
            if col.choices:
                text += "：" + "、".join(col.choices)
            if col.help:
                text += ("；" if text else "") + col.help
            ws.write_string(r, 3, text, wrap_fmt)
        if sheet.name == SETTINGS_SHEET:
            for key, default, note in SETTINGS:
                r += 1
                ws.write_string(r, 1, key, wrap_fmt)
                ws.write_string(r, 2, "必填" if default is None else "", wrap_fmt)
                ws.write_string(r, 3, note + (f"（默认 {default}）" if default not in (None, "") else ""),
                                wrap_fmt)
    r += 1
    ws.write_string(r, 0, TEMPLATE_SHEET, bold)
    ws.write_string(r, 1, "（整张表）", wrap_fmt)
    ws.write_string(r, 2, "可选", wrap_fmt)
    ws.write_string(r, 3, "「本周通知」的模板（写法见下面几行的例子和可用的名称），写在 A 列，一行模板占一行；没有这张表时用工作簿旁的"
                          f"「{TEMPLATE_FILE}」，再没有就用默认模板（xl-jiaoyan notice 可看效果）。"
                          "{{ 变量 }} 处填入内容，{% for x in 列表 %}…{% endfor %} 逐项列出。可用的变量：", wrap_fmt)
    for name, meaning in NOTICE_VARIABLES:
        r += 1
        ws.write_string(r, 1, name, wrap_fmt)
        ws.write_string(r, 3, meaning, wrap_fmt)
