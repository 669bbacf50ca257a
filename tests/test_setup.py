"""xl-jiaoyan setup and doctor's setup checks, for Windows and macOS machines described to
the code (platform, paths, environment, code page), written under a temporary folder."""
from __future__ import annotations

import codecs
import subprocess
from pathlib import PureWindowsPath

import pytest

from xl_jiaoyan import __version__, cli
from xl_jiaoyan.shell.setup import Machine, check, read_config, setup
from xl_jiaoyan.errors import WorkbookError

LOCAL = r"C:\Users\张老师\AppData\Local"
WIN_PYTHON = LOCAL + r"\Programs\Python\Python311\python.exe"


class Runner:
    """Stands in for running a program: records the command, answers like the real one."""

    def __init__(self, stdout="", returncode=0):
        self.calls, self.stdout, self.returncode = [], stdout, returncode

    def __call__(self, cmd):
        self.calls.append(cmd)
        return subprocess.CompletedProcess(cmd, self.returncode, self.stdout, "")


def windows(tmp_path, executable=WIN_PYTHON, runner=None, **env):
    m = Machine("win32", r"C:\Users\张老师", executable,
                {"USERPROFILE": r"C:\Users\张老师", "LOCALAPPDATA": LOCAL, "APPDATA": r"C:\Users\张老师\AppData\Roaming",
                 **env}, codepage="gbk", run=runner or Runner(), root=str(tmp_path))
    for exe in (executable, str(PureWindowsPath(executable).with_name("pythonw.exe"))):
        m.local(PureWindowsPath(exe)).parent.mkdir(parents=True, exist_ok=True)
        m.local(PureWindowsPath(exe)).write_bytes(b"")
    return m


def conf_bytes(tmp_path) -> bytes:
    return (tmp_path / "C" / "Users" / "张老师" / ".xlwings" / "xlwings.conf").read_bytes()


def test_windows_config_names_pythonw_through_localappdata(tmp_path):
    m = windows(tmp_path)
    conf = tmp_path / "C" / "Users" / "张老师" / ".xlwings" / "xlwings.conf"
    conf.parent.mkdir(parents=True)
    # a file saved by Notepad: UTF-8 with a BOM, another setting to keep
    conf.write_bytes(codecs.BOM_UTF8 + '"SHOW_ERROR_POPUPS","False"\r\n"INTERPRETER_WIN","python"\r\n'.encode())
    done = setup(m)
    assert conf_bytes(tmp_path) == (b'"SHOW_ERROR_POPUPS","False"\r\n'
                                    b'"INTERPRETER_WIN","%LOCALAPPDATA%\\Programs\\Python\\Python311\\pythonw.exe"\r\n')
    assert "INTERPRETER_WIN" in done[0] and m.run.calls == []          # nothing else to run on Windows


def test_windows_path_outside_the_user_folders_is_written_in_the_code_page(tmp_path):
    m = windows(tmp_path, executable=r"D:\教研工具\Python\python.exe")
    setup(m)
    raw = conf_bytes(tmp_path)
    assert raw == '"INTERPRETER_WIN","D:\\教研工具\\Python\\pythonw.exe"\r\n'.encode("gbk")
    assert raw != raw.decode("gbk").encode("utf-8")                   # not UTF-8: the VBA reads GBK
    assert read_config(m, m.local(PureWindowsPath(r"C:\Users\张老师\.xlwings\xlwings.conf"))) == \
        {"INTERPRETER_WIN": r"D:\教研工具\Python\pythonw.exe"}


def test_windows_path_the_code_page_cannot_hold_is_refused_with_advice(tmp_path):
    m = windows(tmp_path, executable=r"D:\도구\python.exe")
    with pytest.raises(WorkbookError, match="系统编码（gbk）写不出"):
        setup(m)


def test_macos_config_goes_into_excels_container_and_runpython_is_installed(tmp_path):
    runner = Runner()
    m = Machine("darwin", "/Users/zhang", "/Users/zhang/xljy/bin/python", {}, run=runner, root=str(tmp_path))
    done = setup(m)
    conf = tmp_path / "Users" / "zhang" / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / "xlwings.conf"
    assert conf.read_bytes() == b'"INTERPRETER_MAC","/Users/zhang/xljy/bin/python"\n'
    assert runner.calls == [["/Users/zhang/xljy/bin/python", "-m", "xlwings.cli", "runpython", "install"]]
    assert len(done) == 2 and "AppleScript" in done[1]


def test_macos_failed_runpython_install_is_reported(tmp_path):
    m = Machine("darwin", "/Users/zhang", "/usr/bin/python3", {}, run=Runner(returncode=1), root=str(tmp_path))
    with pytest.raises(WorkbookError, match="xlwings runpython install"):
        setup(m)


def test_the_workbook_is_copied_to_documents_but_never_over_a_file(tmp_path):
    m = windows(tmp_path)
    setup(m, copy_workbook=True)
    target = tmp_path / "C" / "Users" / "张老师" / "Documents" / "教研室工作台.xlsm"
    assert target.read_bytes()[:2] == b"PK"
    target.write_bytes(b"my data")
    done = setup(m, copy_workbook=True)
    assert target.read_bytes() == b"my data" and "没有覆盖" in done[-1]


def test_doctor_reads_the_config_back_and_runs_the_interpreter(tmp_path):
    m = windows(tmp_path)
    assert [f.ok for f in check(m)] == [False]                          # no config yet
    setup(m)
    m.run = Runner(stdout=f"{__version__} 0.37.8\n")
    found = check(m)
    assert [f.ok for f in found] == [True] and LOCAL + r"\Programs\Python\Python311\pythonw.exe" in found[0].found
    assert m.run.calls[0][0] == LOCAL + r"\Programs\Python\Python311\pythonw.exe"   # %LOCALAPPDATA% expanded
    m.run = Runner(stdout="0.0.1 0.37.8\n")                             # another version there
    assert [f.ok for f in check(m)] == [False]
    m.run = Runner(returncode=1)                                       # xl-jiaoyan not installed there
    assert "不能运行 xl-jiaoyan" in check(m)[0].found


def test_doctor_flags_a_bom_and_a_missing_interpreter(tmp_path):
    m = windows(tmp_path)
    conf = tmp_path / "C" / "Users" / "张老师" / ".xlwings" / "xlwings.conf"
    conf.parent.mkdir(parents=True)
    conf.write_bytes(codecs.BOM_UTF8 + b'"INTERPRETER_WIN","C:\\nowhere\\pythonw.exe"\r\n')
    found = check(m)
    assert not found[0].ok and "BOM" in found[0].found
    assert not found[1].ok and "没有 INTERPRETER_WIN" in found[1].found   # as the VBA reads it: garbled key
    conf.write_bytes(b'"INTERPRETER_WIN","C:\\nowhere\\pythonw.exe"\r\n')
    found = check(m)
    assert not found[0].ok and "不能运行" in found[0].found and m.run.calls == []


def test_setup_without_excel_or_a_desktop_says_what_to_use_instead(tmp_path, capsys, monkeypatch):
    from xl_jiaoyan.shell import setup as excel_setup
    monkeypatch.setattr(excel_setup.Machine, "this",
                        classmethod(lambda cls: Machine("freebsd", "/home/zhang", "/usr/bin/python3", {},
                                                        root=str(tmp_path))))
    assert cli.main(["setup"]) == 2
    assert "Windows 或 macOS" in capsys.readouterr().err and not any(tmp_path.iterdir())
