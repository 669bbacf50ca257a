"""Never lose a cell: backups and restore, lock files, one run at a time, failures mid-save."""
from __future__ import annotations

import errno
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from conftest import book, read_output, refresh, settings_rows
from package_check import package_problems
from xl_jiaoyan import cli
from xl_jiaoyan.io.xlsx import file as file_adapter
from xl_jiaoyan.io.files import safety

OBS = [[date(2026, 3, 3), 1, "张三", "李四", "", "", "", ""]]


def sample(tmp_book, name="工作台.xlsx"):
    return tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1)), 听课记录=OBS), name=name)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(safety.TEMP_PREFIX))


def test_each_refresh_keeps_a_backup_of_the_previous_file_and_the_last_five(tmp_book, monkeypatch):
    path = sample(tmp_book)
    versions = [path.read_bytes()]
    for _ in range(7):
        assert refresh(path) == 0
        versions.append(path.read_bytes())
    found = safety.backups(path)
    assert len(found) == safety.KEEP_BACKUPS
    assert found[0].path.read_bytes() == versions[-2]            # newest: the file before the last run
    assert found[-1].path.read_bytes() == versions[-6]
    assert found[0].path.parent.name == "xl-jiaoyan备份" and leftovers(path.parent) == []


def test_restore_lists_and_restores_and_can_be_undone(tmp_book, capsys):
    path = sample(tmp_book)
    original = path.read_bytes()
    assert refresh(path) == 0
    refreshed = path.read_bytes()
    capsys.readouterr()
    assert cli.main(["restore", str(path)]) == 0
    listing = capsys.readouterr().out
    assert "1. " in listing and "刷新前" in listing and "KB" in listing and "恢复某一份" in listing
    assert cli.main(["restore", str(path), "1"]) == 0
    assert path.read_bytes() == original                         # the file as it was before the refresh
    assert "如需撤销" in capsys.readouterr().out
    assert safety.backups(path)[0].path.read_bytes() == refreshed   # and the restore is undoable
    assert [b.taken_before for b in safety.backups(path)] == ["恢复", "刷新"]
    cli.main(["restore", str(path)])
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("  ")]
    assert "恢复前" in lines[0] and "刷新前" in lines[1]
    assert cli.main(["restore", str(path), "9"]) == 2
    assert "只有 2 个备份" in capsys.readouterr().err


@pytest.mark.parametrize("lock", ["~${name}", ".~lock.{name}#"])
def test_refuses_while_open_in_excel_wps_or_libreoffice_unless_forced(tmp_book, capsys, lock):
    path = sample(tmp_book)
    (path.parent / lock.format(name=path.name)).write_text("owner")
    before = path.read_bytes()
    capsys.readouterr()
    assert refresh(path) == 3                            # busy: its own exit code
    err = capsys.readouterr().err
    assert "正在 Excel、WPS 或 LibreOffice 中打开" in err and "--force" in err
    assert path.read_bytes() == before and safety.backups(path) == []
    assert refresh(path, "--force") == 0


def test_a_second_run_waits_for_the_first_then_refuses(tmp_book, capsys, monkeypatch):
    path = sample(tmp_book)
    monkeypatch.setattr(safety, "LOCK_WAIT_SECONDS", 0.6)
    before = path.read_bytes()
    with safety.run_lock(path):                                  # another run is busy
        started = time.monotonic()
        capsys.readouterr()
        assert refresh(path) == 3                               # busy
        assert time.monotonic() - started >= 0.5
        assert "另一个 xl-jiaoyan 正在处理" in capsys.readouterr().err
    assert path.read_bytes() == before

    holder = safety.run_lock(path)
    holder.__enter__()
    threading.Timer(0.2, holder.__exit__, (None, None, None)).start()   # finishes while we wait
    assert refresh(path) == 0


def test_two_processes_at_once_never_interleave(tmp_book):
    path = sample(tmp_book)
    cmd = [sys.executable, "-m", "xl_jiaoyan", "refresh", str(path)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    codes = [p.wait(timeout=120) for p in procs]
    assert codes.count(0) >= 1 and set(codes) <= {0, 2}
    assert package_problems(path) == [] and leftovers(path.parent) == []
    assert len(read_output(path, "本周通知")) > 3
    assert len(safety.backups(path)) == codes.count(0)         # one backup per run that wrote


def test_a_full_disk_mid_save_leaves_the_workbook_as_it_was(tmp_book, capsys, monkeypatch):
    path = sample(tmp_book)
    before = path.read_bytes()
    real = file_adapter.write_package

    def full(out, *args):
        out.write(b"PK\x03\x04 partial")
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(file_adapter, "write_package", full)
    capsys.readouterr()
    assert refresh(path) == 2
    assert "磁盘空间不足" in capsys.readouterr().err
    assert path.read_bytes() == before and leftovers(path.parent) == []
    monkeypatch.setattr(file_adapter, "write_package", real)
    assert refresh(path) == 0


KILLED_RUN = """
import sys, time
from pathlib import Path
import xl_jiaoyan.io.xlsx.file as f
from xl_jiaoyan import cli
real = f.write_package
def slow(out, *args):
    real(out, *args)                      # the whole new package, not yet flushed or renamed
    out.flush()
    Path(sys.argv[2]).write_text("writing")
    time.sleep(60)
f.write_package = slow
cli.main(["refresh", sys.argv[1]])
"""


def test_a_run_killed_mid_save_leaves_the_original_and_its_backup(tmp_book, tmp_path):
    path = sample(tmp_book)
    before = path.read_bytes()
    marker = tmp_path / "marker"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_RUN, str(path), str(marker)])
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert marker.exists(), "the run never reached the save"
    assert leftovers(path.parent)                                # a half-made temporary file exists
    proc.kill()
    proc.wait(timeout=30)
    assert path.read_bytes() == before                           # the original, byte for byte
    assert safety.backups(path)[0].path.read_bytes() == before
    assert refresh(path) == 0                                    # the next run is not blocked …
    assert leftovers(path.parent) == []                          # … and clears the debris
    assert cli.main(["restore", str(path), "1"]) == 0
    assert path.read_bytes() == before                           # the backup restored


def test_the_backup_is_a_hard_link_to_the_old_file_and_costs_no_copy(tmp_book):
    from xl_jiaoyan.io.files import safety
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1))))
    before, inode = path.read_bytes(), path.stat().st_ino
    assert refresh(path) == 0
    (backup,) = safety.backups(path)
    assert backup.path.stat().st_ino == inode and backup.path.read_bytes() == before     # the old file itself
    assert path.stat().st_ino != inode and path.read_bytes() != before                   # replaced, not edited


def test_where_links_are_refused_the_backup_is_a_copy(tmp_book, monkeypatch):
    import os
    from xl_jiaoyan.io.files import safety
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1))))
    before = path.read_bytes()

    def no_links(*_):
        raise OSError(1, "Operation not permitted")      # FAT32, exFAT, some network shares
    monkeypatch.setattr(os, "link", no_links)
    assert refresh(path) == 0
    (backup,) = safety.backups(path)
    assert backup.path.read_bytes() == before and backup.path.stat().st_nlink == 1


def test_a_failed_write_leaves_no_linked_backup_behind(tmp_book, monkeypatch, capsys):
    from xl_jiaoyan.service import commands
    from xl_jiaoyan.io.files import safety
    path = tmp_book(book(设置=settings_rows(as_of=date(2026, 4, 1))))
    before = path.read_bytes()

    def broken(*_a, **_k):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(commands, "write_outputs", broken)
    assert refresh(path) == 2
    assert path.read_bytes() == before and safety.backups(path) == []
    assert "磁盘空间不足" in capsys.readouterr().err
