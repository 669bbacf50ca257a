"""Hostile input, round 2 — files and folders: no command writes over a file it did not
make without a backup, takes another workbook's backups for its own, follows a link out of
the workbook's folder, or blocks on a FIFO."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from conftest import HEAD, book, read_output, refresh, settings_rows, write_book
from test_rollup import AS_OF, school
from xl_jiaoyan import cli
from xl_jiaoyan.io.files import safety


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("target", ["工作台.xlsx", "另一个.xlsm", "same"])
def test_a_notice_is_never_written_over_a_workbook(tmp_book, capsys, target):
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1))), name="工作台.xlsx")
    before = digest(path)
    out = path if target == "same" else path.parent / target
    code, _, err = run(capsys, "notice", path, "-o", out)
    assert code == 2 and "通知不能存进工作簿" in err
    assert digest(path) == before and (target == "same" or target == "工作台.xlsx" or not out.exists())


def test_a_dated_copy_beside_the_workbook_keeps_its_backups_to_itself(tmp_path, capsys):
    sheets = book(设置=settings_rows(as_of=date(2026, 4, 1)))
    own = write_book(tmp_path / "工作台.xlsx", sheets)
    copy = write_book(tmp_path / "工作台-20261203.xlsx", dict(sheets, 设置=settings_rows(as_of=date(2026, 4, 2))))
    original = digest(own)
    stamp = datetime(2026, 12, 3, 8, 0, 0)
    safety.make_backup(own, now=stamp)                                   # 工作台's own, taken first
    for k in range(7):                                                   # the copy refreshed often
        safety.make_backup(copy, now=stamp + timedelta(minutes=k + 1))
    mine = safety.backups(own)
    assert [b.path.name for b in mine] == ["工作台-20261203-080000-000000-刷新前.xlsx"]   # none of the copy's
    assert len(safety.backups(copy)) == safety.KEEP_BACKUPS                # pruned among its own only
    assert (tmp_path / "xl-jiaoyan备份" / "工作台-20261203-080000-000000-刷新前.xlsx").exists()
    assert refresh(own) == 0
    code, out, _ = run(capsys, "restore", own)
    assert code == 0 and "20261203-0801" not in out                       # the copy's are not listed
    code, _, _ = run(capsys, "restore", own, "2")                         # the oldest of its own two
    assert code == 0 and digest(own) == original


def test_a_rollup_output_inside_the_folder_it_reads_is_refused(tmp_path, capsys):
    root = tmp_path / "各校"
    root.mkdir()
    one = write_book(root / "一小.xlsx", school("城关一小", observed=3))
    write_book(root / "二小.xlsx", school("城关二小", observed=2))
    before = digest(one)
    code, _, err = run(capsys, "rollup", root, "-o", one, "--as-of", AS_OF)
    assert code == 2 and "在要汇总的文件夹「各校」里面" in err and digest(one) == before
    code, _, err = run(capsys, "rollup", root, "-o", root / "新汇总.xlsx", "--as-of", AS_OF)
    assert code == 2 and not (root / "新汇总.xlsx").exists()


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="symbolic links")
def test_a_linked_notice_template_is_not_followed(tmp_book, tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:SECRET-LINE", encoding="utf-8")
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1))))
    (path.parent / "通知模板.j2").symlink_to(secret)
    code, out, err = run(capsys, "notice", path)
    assert code == 2 and "不是普通文件" in err and "SECRET-LINE" not in out + err
    before = digest(path)
    assert refresh(path) == 2 and digest(path) == before


def test_an_oversized_template_is_refused(tmp_book, capsys):
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1))))
    (path.parent / "通知模板.j2").write_text("{{ 学校名称 }}\n" * 40_000, encoding="utf-8")
    code, _, err = run(capsys, "notice", path)
    assert code == 2 and "太大了" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_fifo_named_like_a_workbook_is_refused_at_once(tmp_path):
    fifo = tmp_path / "工作台.xlsx"
    os.mkfifo(fifo)
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "xl_jiaoyan", "refresh", str(fifo)], capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 2 and "不是普通文件" in done.stderr and time.monotonic() - start < 10


def test_check_into_a_pipe_closed_early_ends_quietly(tmp_book):
    log = [[date(2026, 3, 10), 1, f"无名{k}", "李四", "语文", "一(1)", "识字", "新授"] for k in range(3000)]
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1)), 听课记录=[HEAD["听课记录"]] + log))
    reader = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.buffer.read(100)"], stdin=subprocess.PIPE)
    done = subprocess.run([sys.executable, "-m", "xl_jiaoyan", "check", str(path), "--format", "csv"],
                          stdout=reader.stdin, stderr=subprocess.PIPE, text=True, timeout=120)
    reader.stdin.close()
    reader.wait(timeout=30)
    assert done.returncode in (0, 1) and "Broken pipe" not in done.stderr and "Traceback" not in done.stderr


from xl_jiaoyan.service import rollup as rolling  # noqa: E402

REAL_READ_SCHOOL = rolling.read_school


def crashing_or_hanging(job):
    """A worker that dies on 崩溃.xlsx (as calamine's abort did) and hangs on 卡住.xlsx."""
    name = Path(job[0]).name
    if name == "崩溃.xlsx":
        os.kill(os.getpid(), signal.SIGKILL)
    if name == "卡住.xlsx":
        time.sleep(60)
    return REAL_READ_SCHOOL(job)


@pytest.mark.skipif(sys.platform == "win32", reason="the workers inherit the patched reader by fork")
def test_a_school_that_crashes_or_hangs_its_worker_is_its_own_row(tmp_path, capsys, monkeypatch):
    root = tmp_path / "各校"
    root.mkdir()
    for name, school_name in (("一小.xlsx", "城关一小"), ("二小.xlsx", "城关二小"), ("三小.xlsx", "城关三小")):
        write_book(root / name, school(school_name, observed=2))
    write_book(root / "崩溃.xlsx", school("崩溃小学", observed=1))
    write_book(root / "卡住.xlsx", school("卡住小学", observed=1))
    monkeypatch.setattr(rolling, "read_school", crashing_or_hanging)
    monkeypatch.setattr(rolling, "SCHOOL_SECONDS", 3)
    out = tmp_path / "全区汇总.xlsx"
    start = time.monotonic()
    code, said, _ = run(capsys, "rollup", root, "-o", out, "--as-of", AS_OF)
    assert code == 0 and time.monotonic() - start < 45
    assert "共 5 个工作簿，汇总了 3 所学校，2 个没能汇总" in said
    schools = read_output(out, "学校汇总")
    assert sorted(schools["学校名称"]) == ["城关一小", "城关三小", "城关二小"]
    left = read_output(out, "未汇总的文件")
    assert list(left.columns) == ["文件", "学区", "原因", "文件修改时间"]
    rows = sorted(tuple("" if v != v else v for v in r) for r in left.itertuples(index=False))   # NaN: blank
    assert rows == [
        ("卡住.xlsx", "", "读取超过 3 秒还没有完成，没有汇总。请在本校检查这个工作簿（是否特别大或已损坏）。", ""),
        ("崩溃.xlsx", "", "读取这个文件时程序异常退出，文件可能已损坏或是被人为构造的。"
                        "请在本校用 Excel 或 WPS 打开并重新保存后再交。", "")]


def test_a_control_character_in_a_plan_item_reaches_the_word_notice_escaped(tmp_book, tmp_path, capsys,
                                                                           monkeypatch):
    import docx
    monkeypatch.chdir(tmp_path)
    plan = [[5, None, "教研组长会议_x000B_（第二次）_x0001_"]]        # how OOXML stores U+000B, U+0001
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1)), 工作进度=plan))
    code, _, err = run(capsys, "notice", path, "--format", "docx", "-o", tmp_path / "通知.docx")
    assert code == 0, err
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "通知.docx")).paragraphs)
    assert "（第二次）\\x01" in text                  # shown, where python-docx refused it before


def test_the_direction_marks_are_escaped_for_a_terminal_like_the_overrides():
    from xl_jiaoyan.domain.textsafe import printable
    assert printable("张\u200f三\u200e李\u202e四") == "张\\u200f三\\u200e李\\u202e四"


def test_a_line_break_in_a_cell_cannot_forge_a_line_of_check(tmp_book, capsys):
    forged = "无名氏\n  错误 「听课记录」第 99 行：一切正常"
    log = [[date(2026, 3, 10), 1, forged, "李四", "语文", "一(1)", "识字", "新授"]]
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1)), 听课记录=[HEAD["听课记录"]] + log))
    code, out, _ = run(capsys, "check", path)
    assert code == 1
    lines = out.splitlines()
    assert not any(line.startswith("  错误 「听课记录」第 99 行") for line in lines)
    assert any("无名氏\\n  错误" in line for line in lines)


def test_csv_to_a_terminal_shows_control_characters_escaped():
    import io
    from xl_jiaoyan.service.reports import FINDING_COLUMNS, write_csv
    row = dict.fromkeys(FINDING_COLUMNS, "")
    row[FINDING_COLUMNS[5]] = "张\x1b]0;pwned\x07三\u202e"
    to_file, to_terminal = io.StringIO(), io.StringIO()
    write_csv([row], to_file)
    write_csv([row], to_terminal, terminal=True)
    assert "\x1b" in to_file.getvalue()                       # a file keeps what the cell holds
    assert "\x1b" not in to_terminal.getvalue() and "\\x1b]0;pwned\\x07三\\u202e" in to_terminal.getvalue()


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names as bytes: Linux")
def test_a_file_name_in_gbk_bytes_is_named_as_the_problem(tmp_book, tmp_path, capsys):
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1))))
    odd = os.path.join(os.fsencode(tmp_path), "工作台".encode("gbk") + b".xlsx")
    os.rename(path, odd)
    code, _, err = run(capsys, "refresh", os.fsdecode(odd))
    assert code == 2 and "读不出的字符" in err and "损坏" not in err


def reporting_limits(job):
    """A worker that says, for 探测.xlsx, how much address space it was given."""
    import resource
    if Path(job[0]).name == "探测.xlsx":
        from xl_jiaoyan.compute.district import School
        return School(job[1], job[2], None, problem=f"RLIMIT_AS={resource.getrlimit(resource.RLIMIT_AS)[0]}")
    return REAL_READ_SCHOOL(job)


@pytest.mark.skipif(sys.platform == "win32", reason="no address-space limit on Windows")
def test_each_rollup_worker_runs_with_a_memory_bound(tmp_path, capsys, monkeypatch):
    root = tmp_path / "各校"
    root.mkdir()
    write_book(root / "一小.xlsx", school("城关一小", observed=2))
    write_book(root / "探测.xlsx", school("探测小学", observed=1))
    monkeypatch.setattr(rolling, "read_school", reporting_limits)
    out = tmp_path / "全区汇总.xlsx"
    code, _, _ = run(capsys, "rollup", root, "-o", out, "--as-of", AS_OF)
    assert code == 0
    left = read_output(out, "未汇总的文件")
    assert left.iloc[0, 2] == f"RLIMIT_AS={rolling.SCHOOL_MEMORY}"
