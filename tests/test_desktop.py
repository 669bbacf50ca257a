"""The path without a terminal: the entries `xl-jiaoyan setup` writes for the file manager
and the desktop, and the command they run (`refresh-window`)."""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path, PureWindowsPath

import pytest

from conftest import read_output
from test_setup import LOCAL, windows
from xl_jiaoyan.service import commands
from xl_jiaoyan.shell.desktop import ENTRY, NAME, install
from xl_jiaoyan.shell.setup import Machine


def linux(tmp_path) -> Machine:
    return Machine("linux", "/home/zhang", sys.executable, {}, root=str(tmp_path))


def test_linux_entries_are_valid_and_run_the_refresh(tmp_path):
    done = install(linux(tmp_path))
    apps = tmp_path / "home" / "zhang" / ".local" / "share" / "applications" / ENTRY
    on_desktop = tmp_path / "home" / "zhang" / "Desktop" / ENTRY
    script = tmp_path / "home" / "zhang" / ".local" / "share" / "nautilus" / "scripts" / NAME
    assert apps.read_text(encoding="utf-8") == on_desktop.read_text(encoding="utf-8")
    assert os.access(on_desktop, os.X_OK) and os.access(script, os.X_OK) and len(done) == 3
    entry = dict(line.split("=", 1) for line in apps.read_text(encoding="utf-8").splitlines() if "=" in line)
    assert entry["Exec"] == f'"{sys.executable}" -m xl_jiaoyan refresh-window %F'
    assert "spreadsheetml.sheet" in entry["MimeType"] and entry["Terminal"] == "false"
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(apps)], capture_output=True, text=True)
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout


def test_windows_send_to_and_drop_target_name_pythonw_in_the_code_page(tmp_path):
    m = windows(tmp_path)
    done = install(m)
    send_to = tmp_path / "C" / "Users" / "张老师" / "AppData" / "Roaming" / "Microsoft" / "Windows" / "SendTo" / f"{NAME}.cmd"
    desk = tmp_path / "C" / "Users" / "张老师" / "Desktop" / f"{NAME}.cmd"
    expected = ('@echo off\r\nstart "" "%LOCALAPPDATA%\\Programs\\Python\\Python311\\pythonw.exe" '
                '-m xl_jiaoyan refresh-window %*\r\n').encode("gbk")
    assert send_to.read_bytes() == expected and desk.read_bytes() == expected
    assert "发送到" in done[0] and "桌面" in done[1]
    assert str(PureWindowsPath(LOCAL)).startswith("C:\\Users\\张老师")


def test_the_desktop_entry_command_refreshes_a_dropped_workbook(tmp_path):
    install(linux(tmp_path))
    entry = (tmp_path / "home" / "zhang" / "Desktop" / ENTRY).read_text(encoding="utf-8")
    exec_line = next(line[5:] for line in entry.splitlines() if line.startswith("Exec="))
    book = tmp_path / "拖进来的 工作簿.xlsx"
    shutil.copyfile(commands.bundled_sample(), book)
    argv = [book.as_posix() if a == "%F" else a for a in shlex.split(exec_line)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "XLJY_NO_WINDOW": "1"}, cwd=Path(__file__).parent.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("教研室：刷新完成") and "刷新前的工作簿已备份在" in done.stdout
    assert len(read_output(book, "指标总览")) == 39                  # the sample's teachers in post


def test_refresh_window_reports_what_was_not_refreshed(tmp_path, capsys, monkeypatch):
    from xl_jiaoyan import cli
    monkeypatch.setenv("XLJY_NO_WINDOW", "1")
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    assert cli.main(["refresh-window", str(bad)]) == 2
    out = capsys.readouterr().out
    assert out.startswith("教研室：没有全部完成") and "「坏.xlsx」没有刷新" in out
    assert cli.main(["refresh-window"]) == 2 and "没有收到工作簿" in capsys.readouterr().out


@pytest.mark.parametrize("platform", ["linux"])
def test_setup_on_linux_installs_the_desktop_path(tmp_path, monkeypatch, capsys, platform):
    from xl_jiaoyan import cli
    from xl_jiaoyan.shell import setup as excel_setup
    monkeypatch.setattr(excel_setup.Machine, "this",
                        classmethod(lambda cls: Machine(platform, "/home/zhang", sys.executable, {}, root=str(tmp_path))))
    assert cli.main(["setup"]) == 0
    out = capsys.readouterr().out
    assert "打开方式" in out and "桌面" in out and "WPS" in out
