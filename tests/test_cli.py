"""Bad input: exit code 2, a Chinese message naming sheet and column, the file untouched."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import openpyxl
import pytest

from conftest import STARTED_LOG, HEAD, book, quota, refresh, settings_rows
from xl_jiaoyan import cli


def run_cli(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "xl_jiaoyan", *args], capture_output=True,
                          text=True, cwd=cwd, env=env)


@pytest.mark.parametrize("missing", ["设置", "教师名册"])
def test_missing_required_sheet(tmp_book, capsys, missing):
    sheets = book()
    del sheets[missing]
    sheets["听课记录"] = [HEAD["听课记录"]]
    path = tmp_book(sheets)
    before = path.read_bytes()
    assert refresh(path) == 2
    err = capsys.readouterr().err
    assert f"「{missing}」" in err and "Traceback" not in err
    assert path.read_bytes() == before


def test_missing_required_column(tmp_book, capsys):
    head = [h for h in HEAD["听课记录"] if h != "授课人"]
    sheets = book()
    sheets["听课记录"] = [head, [date(2026, 3, 3), 1, "张三", "语文"]]
    path = tmp_book(sheets)
    before = path.read_bytes()
    assert refresh(path) == 2
    err = capsys.readouterr().err
    assert "「听课记录」" in err and "「授课人」" in err
    assert path.read_bytes() == before


def test_missing_required_setting(tmp_book, capsys):
    path = tmp_book(book(设置=[["项目", "值"], ["学校名称", "测试小学"]]))
    before = path.read_bytes()
    assert refresh(path) == 2
    assert "「第一周周一」" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_first_week_not_a_monday(tmp_book, capsys):
    path = tmp_book(book(设置=settings_rows(week1=date(2026, 3, 3))))
    assert refresh(path) == 2
    assert "星期二" in capsys.readouterr().err


def test_path_problems_give_messages_not_tracebacks(tmp_path):
    r = run_cli("refresh", str(tmp_path / "没有这个文件.xlsx"))
    assert r.returncode == 2 and "找不到文件" in r.stderr and "Traceback" not in r.stderr
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(b"not a zip at all")
    r = run_cli("refresh", str(bad))
    assert r.returncode == 2 and "损坏" in r.stderr and "Traceback" not in r.stderr
    assert bad.read_bytes() == b"not a zip at all"
    csv = tmp_path / "名册.csv"
    csv.write_text("a,b")
    r = run_cli("refresh", str(csv))
    assert r.returncode == 2 and ".xlsx" in r.stderr


def test_header_below_title_rows_and_extra_columns(tmp_book):
    rows = [["2026学年第二学期听课记录"], [],
            ["序号", " 日 期 ", "节次", "听课人", "授课人", "学科", "班级", "课题", "课型", "评价"],
            [1, date(2026, 3, 3), 1, "张三", "李四", "语文", "", "", "", "好"],
            [None] * 10,
            [2, date(2026, 3, 4), 1, "张三", "李四", "语文", "", "", "", "好"]]
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1)),
                         指标=[HEAD["指标"], ["教师", "听课", "学期", "十五", ""]], 听课记录=[]))
    wb = openpyxl.load_workbook(path)
    ws = wb["听课记录"]
    ws.delete_rows(1)
    for r in rows:
        ws.append(r)
    ws.merge_cells("A1:J1")
    wb.save(path)
    assert refresh(path) == 0
    z = quota(path, "张三", "听课")
    assert (z["实际"], z["指标"]) == (2, 15)       # 十五 read as 15, blank row ignored


def test_as_of_precedence(tmp_book):
    path = tmp_book(book(设置=settings_rows(as_of="2026-04-01"), 听课记录=STARTED_LOG,
                         指标=[HEAD["指标"], ["教师", "听课", "学期", 20, ""]]))
    assert refresh(path) == 0
    assert quota(path, "张三", "听课")["应完成"] == 5             # week 5 from 设置
    assert refresh(path, "--as-of", "2026-05-11") == 0
    assert quota(path, "张三", "听课")["应完成"] == 11            # --as-of wins
    title = openpyxl.load_workbook(path)["指标明细"]["A1"].value
    assert "2026-05-11" in title and "xl-jiaoyan" in title


def test_init_makes_a_well_made_workbook(tmp_path, capsys):
    path = tmp_path / "新工作台.xlsx"
    assert cli.main(["init", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "使用说明"
    for name, head in HEAD.items():
        assert [c.value for c in wb[name][1]][:len(head)] == head
        assert wb[name].freeze_panes == "A2"
    rules = [r for r in wb["指标"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert ("教师", "听课", "学期", 15) in [tuple(r[:4]) for r in rules]
    assert ("教研组", "教研活动", "周", 1) in [tuple(r[:4]) for r in rules]
    lists = {str(dv.sqref)[0]: dv.formula1
             for dv in wb["教师名册"].data_validations.dataValidation if dv.type == "list"}
    assert "中层" in lists["F"] and "是" in lists["H"]
    periods = [dv.formula1 for dv in wb["指标"].data_validations.dataValidation if dv.type == "list"]
    assert any("双周" in f for f in periods)
    # a drop-down wherever there is a list, and every 日期 column says which forms it reads
    assert any("区级" in dv.formula1 for dv in wb["培训记录"].data_validations.dataValidation if dv.type == "list")
    assert any("一" in dv.formula1 for dv in wb["课表"].data_validations.dataValidation if dv.type == "list")
    naming = next(i for i, r in enumerate(wb["设置"].iter_rows(values_only=True), 1) if r[0] == "通知点名")
    assert any(dv.type == "list" and f"B{naming}" in str(dv.sqref) for dv in wb["设置"].data_validations.dataValidation)
    for name in ("听课记录", "活动安排", "教研活动记录", "培训记录", "成果登记", "校历"):
        prompts = [dv.prompt for dv in wb[name].data_validations.dataValidation if str(dv.sqref).startswith("A")]
        assert prompts and "九月十五日" in prompts[0] and "9.15" in prompts[0], name
    help_text = " ".join(str(c) for r in wb["使用说明"].iter_rows(values_only=True) for c in r if c)
    assert "听课记录" in help_text and "授课人" in help_text
    # the new workbook cannot be refreshed until 学校名称 is filled: a clear message
    capsys.readouterr()
    assert cli.main(["refresh", str(path)]) == 2
    assert "学校名称" in capsys.readouterr().err
    assert cli.main(["init", str(path)]) == 2          # never over an existing file


def test_check_prints_findings_in_three_formats_and_writes_nothing(tmp_book, capsys):
    import csv
    import io
    import json
    rows = [[date(2026, 3, 3), 1, "张三", "李四", "", "", "", ""],
            [date(2026, 3, 4), 1, "张叁", "李四", "", "", "", ""]]
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1)), 听课记录=rows))
    before = path.read_bytes()
    assert cli.main(["check", str(path)]) == 1                  # an 错误: exit code 1
    text = capsys.readouterr().out
    assert "【未知人员】1 条" in text and "第 3 行" in text and "张叁" in text
    assert cli.main(["check", str(path), "--format", "json"]) == 1
    found = json.loads(capsys.readouterr().out)
    unknown = [f for f in found if f["类别"] == "未知人员"]
    assert unknown == [{"级别": "错误", "类别": "未知人员", "工作表": "听课记录", "行号": 3, "列": "听课人", "人员": "张叁",
                        "日期": "2026-03-04", "说明": unknown[0]["说明"], "建议": unknown[0]["建议"]}]
    assert "张三" in unknown[0]["说明"]
    assert cli.main(["check", str(path), "--format", "csv"]) == 1
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["行号"] for r in table if r["类别"] == "未知人员"] == ["3"]
    assert path.read_bytes() == before                         # check writes nothing
    clean = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1)), 听课记录=rows[:1]), name="好.xlsx")
    assert cli.main(["check", str(clean)]) == 0                  # only hints: exit code 0
    assert cli.main(["check", str(clean.with_name("无.xlsx"))]) == 2


def test_the_command_as_a_process_keeps_its_exit_codes_and_all_its_output(tmp_book, capsys):
    """The console command ends without tearing the interpreter down: the exit code is
    still main's and everything printed still arrives through the pipe — the same as
    main prints in this process."""
    import json
    rows = [[date(2026, 3, d), p, "张三", "李四", "", "", "", ""] for d in range(2, 28) for p in range(1, 9)]
    rows.append([date(2026, 3, 4), 1, "张叁", "李四", "", "", "", ""])
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1)), 听课记录=rows))
    assert cli.main(["check", str(path), "--format", "json"]) == 1
    here = capsys.readouterr().out
    r = run_cli("check", str(path), "--format", "json")
    assert r.returncode == 1 and r.stdout == here and len(here.encode()) > 8192     # more than a buffer
    assert any(f["类别"] == "未知人员" and f["行号"] == len(rows) + 1 for f in json.loads(r.stdout))
    r = run_cli("--help")
    assert r.returncode == 0 and r.stdout.startswith("用法：xl-jiaoyan")
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    r = run_cli("refresh", str(path), env=buffered)     # a few short lines, still in the buffer at the end
    assert r.returncode == 0 and r.stdout.rstrip().endswith("「冲突检查」「本周通知」）")
    r = run_cli("refresh")
    assert r.returncode == 2 and "缺少参数：工作簿" in r.stderr
    r = run_cli("refresh", str(path.with_name("无.xlsx")))
    assert r.returncode == 2 and "找不到文件" in r.stderr


def test_the_command_line_speaks_chinese(capsys):
    import pytest as _pytest
    from xl_jiaoyan import cli as _cli
    with _pytest.raises(SystemExit) as e:
        _cli.main(["--help"])
    out = capsys.readouterr().out
    assert e.value.code == 0 and out.startswith("用法：xl-jiaoyan") and "显示这段说明后退出" in out
    assert "usage" not in out and "show this help" not in out and "options" not in out
    with _pytest.raises(SystemExit) as e:
        _cli.main(["refresh"])
    err = capsys.readouterr().err
    assert e.value.code == 2 and "xl-jiaoyan refresh：缺少参数：工作簿。" in err and "required" not in err
    with _pytest.raises(SystemExit):
        _cli.main(["frobnicate"])
    assert "没有“frobnicate”这个命令。可用的命令：refresh、check、notice" in capsys.readouterr().err
    with _pytest.raises(SystemExit):
        _cli.main(["check", "x.xlsx", "--format", "xml"])
    assert "--format 不能是“xml”，可选：text、csv、json。" in capsys.readouterr().err
    for command in ("refresh", "check", "notice", "restore", "init", "doctor", "setup", "demo", "build-workbook"):
        with _pytest.raises(SystemExit):
            _cli.main([command, "-h"])
        shown = capsys.readouterr().out
        assert "例子：" in shown and f"xl-jiaoyan {command}" in shown.split("例子：")[1], command


def test_notice_refuses_a_file_name_of_the_other_format(tmp_path, capsys):
    from xl_jiaoyan import cli as _cli
    for fmt, name in (("docx", "通知.txt"), ("txt", "通知.docx")):
        assert _cli.main(["notice", str(tmp_path / "x.xlsx"), "--format", fmt, "-o", str(tmp_path / name)]) == 2
        assert "与格式" in capsys.readouterr().err and not (tmp_path / name).exists()


def test_commands_import_only_what_they_use(tmp_book):
    """--help needs no pandas; check needs neither the writers nor the notice's Jinja2."""
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1))))
    probe = ("import sys, contextlib, io\nfrom xl_jiaoyan import cli\n"
             "with contextlib.redirect_stdout(io.StringIO()):\n"
             "    try:\n        cli.main(sys.argv[1:])\n    except SystemExit:\n        pass\n"
             "print(' '.join(sorted(m for m in sys.modules if '.' not in m)))")

    def loaded(*argv):
        out = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, check=True).stdout
        return set(out.split())
    assert "pandas" not in loaded("--help")
    used = loaded("check", str(path))
    assert "pandas" in used and not used & {"jinja2", "xlsxwriter", "docx", "strokes"}
    assert {"jinja2", "xlsxwriter"} <= loaded("refresh", str(path))


def test_preloading_imports_on_a_second_thread_done_when_the_block_is(monkeypatch):
    """A refresh imports the writer beside the reading: on another thread, every module
    tried even when one fails, and the thread finished when the block is left."""
    import importlib
    import threading
    from xl_jiaoyan.service.preload import preloading
    real, where = importlib.import_module, {}

    def recorded(name):
        where[name] = threading.current_thread().name
        return real(name)
    monkeypatch.setattr(importlib, "import_module", recorded)
    monkeypatch.delitem(sys.modules, "colorsys", raising=False)
    with preloading("xl_jiaoyan.no_such_module", "colorsys"):
        inside = threading.current_thread().name
    assert set(where) == {"xl_jiaoyan.no_such_module", "colorsys"} and inside not in where.values()
    assert "colorsys" in sys.modules
    assert not any(t.name == where["colorsys"] for t in threading.enumerate())
