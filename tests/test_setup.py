"""xl-jiaoyan setup and doctor's setup checks, for Windows and macOS machines described to
the code (platform, paths, environment, code page), written under a temporary folder."""
from __future__ import annotations

import codecs
import json
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


def probe_says(version, **more) -> str:
    """What ``python -m xl_jiaoyan.shell.probe`` prints when every import works."""
    return json.dumps({"xl_jiaoyan": version, "xlwings": "0.37.8", "python": "3.11.7", **more}) + "\n"


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
                                    b'"INTERPRETER_WIN","%LOCALAPPDATA%\\Programs\\Python\\Python311\\pythonw.exe"\r\n'
                                    b'"ADD_WORKBOOK_TO_PYTHONPATH","False"\r\n')
    assert "INTERPRETER_WIN" in done[0] and m.run.calls == []          # nothing else to run on Windows


def test_windows_path_outside_the_user_folders_is_written_in_the_code_page(tmp_path):
    m = windows(tmp_path, executable=r"D:\教研工具\Python\python.exe")
    setup(m)
    raw = conf_bytes(tmp_path)
    assert raw == '"INTERPRETER_WIN","D:\\教研工具\\Python\\pythonw.exe"\r\n"ADD_WORKBOOK_TO_PYTHONPATH","False"\r\n'.encode("gbk")
    assert raw != raw.decode("gbk").encode("utf-8")                   # not UTF-8: the VBA reads GBK
    assert read_config(m, m.local(PureWindowsPath(r"C:\Users\张老师\.xlwings\xlwings.conf"))) == \
        {"INTERPRETER_WIN": r"D:\教研工具\Python\pythonw.exe", "ADD_WORKBOOK_TO_PYTHONPATH": "False"}


def test_windows_path_the_code_page_cannot_hold_is_refused_with_advice(tmp_path):
    m = windows(tmp_path, executable=r"D:\도구\python.exe")
    with pytest.raises(WorkbookError, match="系统编码（gbk）写不出"):
        setup(m)


def test_macos_config_goes_into_excels_container_and_runpython_is_installed(tmp_path):
    runner = Runner()
    m = Machine("darwin", "/Users/zhang", "/Users/zhang/xljy/bin/python", {}, run=runner, root=str(tmp_path))
    done = setup(m)
    conf = tmp_path / "Users" / "zhang" / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / "xlwings.conf"
    assert conf.read_bytes() == b'"INTERPRETER_MAC","/Users/zhang/xljy/bin/python"\n"ADD_WORKBOOK_TO_PYTHONPATH","False"\n'
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
    m.run = Runner(stdout=probe_says(__version__))
    found = check(m)
    assert [f.ok for f in found] == [True] and LOCAL + r"\Programs\Python\Python311\pythonw.exe" in found[0].found
    assert m.run.calls == [[LOCAL + r"\Programs\Python\Python311\pythonw.exe",     # %LOCALAPPDATA% expanded
                            "-m", "xl_jiaoyan.shell.probe"]]
    m.run = Runner(stdout=probe_says("0.0.1"))                          # another version there
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
    assert [f.ok for f in found] == [False, False] and m.run.calls == []
    assert "ADD_WORKBOOK_TO_PYTHONPATH" in found[0].found and "不能运行" in found[1].found


def test_setup_without_excel_or_a_desktop_says_what_to_use_instead(tmp_path, capsys, monkeypatch):
    from xl_jiaoyan.shell import setup as excel_setup
    monkeypatch.setattr(excel_setup.Machine, "this",
                        classmethod(lambda cls: Machine("freebsd", "/home/zhang", "/usr/bin/python3", {},
                                                        root=str(tmp_path))))
    assert cli.main(["setup"]) == 2
    assert "Windows 或 macOS" in capsys.readouterr().err and not any(tmp_path.iterdir())


MINICONDA = r"C:\Users\张老师\miniconda3"


def conda_windows(tmp_path, prefix, runner=None, **env):
    """A Windows machine whose Python is conda's, in environment ``prefix``."""
    m = windows(tmp_path, executable=prefix + r"\python.exe", runner=runner, **env)
    m.prefix = prefix
    m.local(PureWindowsPath(prefix, "conda-meta")).mkdir(parents=True)
    return m


def test_a_conda_environment_is_written_as_conda_keys_and_pythonw(tmp_path):
    m = conda_windows(tmp_path, MINICONDA + r"\envs\jiaoyan", CONDA_EXE=MINICONDA + r"\Scripts\conda.exe")
    conf = tmp_path / "C" / "Users" / "张老师" / ".xlwings" / "xlwings.conf"
    conf.parent.mkdir(parents=True)
    conf.write_bytes(b'"INTERPRETER_WIN","C:\\Python311\\pythonw.exe"\r\n')   # an earlier setup's
    done = setup(m)
    assert conf_bytes(tmp_path) == ('"INTERPRETER_WIN","pythonw"\r\n"CONDA PATH","C:\\Users\\张老师\\miniconda3"\r\n'
                                    '"CONDA ENV","jiaoyan"\r\n"ADD_WORKBOOK_TO_PYTHONPATH","False"\r\n').encode("gbk")
    assert "Anaconda 环境“jiaoyan”" in done[1]


def test_conda_base_and_an_environment_outside_envs_are_named_as_conda_activate_takes_them(tmp_path):
    from xl_jiaoyan.shell.setup import conda_of
    base = conda_windows(tmp_path / "a", MINICONDA)                           # no CONDA_EXE: not activated
    assert (conda_of(base).base, conda_of(base).env) == (MINICONDA, "base")
    named = conda_windows(tmp_path / "b", MINICONDA + r"\envs\jy")
    assert (conda_of(named).base, conda_of(named).env) == (MINICONDA, "jy")
    apart = conda_windows(tmp_path / "c", r"D:\envs2\jy", CONDA_EXE=MINICONDA + r"\Scripts\conda.exe")
    assert (conda_of(apart).base, conda_of(apart).env) == (MINICONDA, r"D:\envs2\jy")
    plain = windows(tmp_path / "d")
    plain.prefix = r"C:\Python311"
    assert conda_of(plain) is None


def test_doctor_starts_a_conda_python_as_excel_does_through_conda_activate(tmp_path):
    m = conda_windows(tmp_path, MINICONDA + r"\envs\jiaoyan", CONDA_EXE=MINICONDA + r"\Scripts\conda.exe")
    setup(m)
    found = check(m)                                       # conda.bat not there: Excel could not start it
    assert [f.ok for f in found] == [False] and "不能运行" in found[0].found and m.run.calls == []
    bat = m.local(PureWindowsPath(MINICONDA, "condabin", "conda.bat"))
    bat.parent.mkdir(parents=True)
    bat.write_bytes(b"")
    m.run = Runner(stdout=probe_says(__version__))
    found = check(m)
    assert [f.ok for f in found] == [True]
    assert m.run.calls == [["cmd.exe", "/d", "/c", f'call "{MINICONDA}\\condabin\\conda.bat" activate jiaoyan '
                                                   "&& python -m xl_jiaoyan.shell.probe"]]


def test_doctor_names_the_import_that_fails_in_a_conda_python_set_up_without_conda_keys(tmp_path):
    m = conda_windows(tmp_path, MINICONDA + r"\envs\jiaoyan")
    conf = tmp_path / "C" / "Users" / "张老师" / ".xlwings" / "xlwings.conf"
    conf.parent.mkdir(parents=True)
    conf.write_bytes(('"INTERPRETER_WIN","' + MINICONDA + r'\envs\jiaoyan\pythonw.exe"' + '\r\n'
                      '"ADD_WORKBOOK_TO_PYTHONPATH","False"\r\n').encode("gbk"))
    m.run = Runner(stdout=json.dumps({"failed": "numpy", "error": "ImportError: DLL load failed while importing "
                                      "_multiarray_umath"}) + "\n", returncode=1)
    found = check(m)
    assert [f.ok for f in found] == [False, False]
    assert "Anaconda 环境“jiaoyan”" in found[0].found and "CONDA PATH" in found[0].found
    assert "导入 numpy 时出错（ImportError: DLL load failed" in found[1].found
    assert "Anaconda Prompt" in found[1].fix


class FakeShell32:
    """SHGetKnownFolderPath as the documentation describes it: the folder's GUID in, a
    string the caller frees with CoTaskMemFree out, S_OK (0) on success."""

    def __init__(self, folders):
        self.folders, self.asked = folders, []

    def SHGetKnownFolderPath(self, guid_ref, flags, token, out_ref):
        g = guid_ref._obj
        text = "{%08X-%04X-%04X-%s-%s}" % (g.Data1, g.Data2, g.Data3, bytes(g.Data4[:2]).hex().upper(),
                                           bytes(g.Data4[2:]).hex().upper())
        self.asked.append(text)
        if text not in self.folders:
            return -2147024894            # HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)
        out_ref._obj.value = self.folders[text]
        return 0


class FakeOle32:
    def __init__(self):
        self.freed = 0

    def CoTaskMemFree(self, ptr):
        self.freed += 1


def test_windows_known_folders_are_asked_by_their_ids():
    from xl_jiaoyan.shell.folders import windows_known_folder
    shell, ole = FakeShell32({"{FDD39AD0-238F-46AF-ADB4-6C85480369C7}": r"C:\Users\张老师\OneDrive\文档"}), FakeOle32()
    assert windows_known_folder("documents", shell, ole) == r"C:\Users\张老师\OneDrive\文档"
    assert windows_known_folder("desktop", shell, ole) is None
    assert shell.asked == ["{FDD39AD0-238F-46AF-ADB4-6C85480369C7}", "{B4BFCC3A-DB2C-424C-B029-7FE99A87C641}"]
    assert ole.freed == 1


def test_onedrive_folders_receive_the_workbook_and_the_drop_target(tmp_path):
    from xl_jiaoyan.shell import desktop
    from xl_jiaoyan.shell.folders import windows_known_folder
    onedrive = r"C:\Users\张老师\OneDrive - 实验小学"
    shell = FakeShell32({"{FDD39AD0-238F-46AF-ADB4-6C85480369C7}": onedrive + r"\文档",
                         "{B4BFCC3A-DB2C-424C-B029-7FE99A87C641}": onedrive + r"\桌面"})
    m = windows(tmp_path)
    m.known_folder = lambda name: windows_known_folder(name, shell, FakeOle32())
    done = setup(m, copy_workbook=True) + desktop.install(m)
    folder = tmp_path / "C" / "Users" / "张老师" / "OneDrive - 实验小学"
    assert (folder / "文档" / "教研室工作台.xlsm").read_bytes()[:2] == b"PK"
    assert (folder / "桌面" / "教研室工作台刷新.cmd").is_file()
    assert not (tmp_path / "C" / "Users" / "张老师" / "Documents").exists()
    assert not (tmp_path / "C" / "Users" / "张老师" / "Desktop").exists()
    assert any(onedrive + r"\桌面" in line for line in done)


def test_without_known_folders_windows_falls_back_to_the_profile(tmp_path):
    m = windows(tmp_path)
    m.known_folder = lambda name: None
    assert str(m.folder("desktop")) == r"C:\Users\张老师\Desktop"


def linux(tmp_path, dirs: str | None):
    m = Machine("linux", "/home/zhang", "/home/zhang/xljy/bin/python", {}, root=str(tmp_path))
    if dirs is not None:
        f = tmp_path / "home" / "zhang" / ".config" / "user-dirs.dirs"
        f.parent.mkdir(parents=True)
        f.write_text(dirs, encoding="utf-8")
    return m


def test_a_chinese_linux_desktop_is_found_through_xdg_user_dirs(tmp_path, monkeypatch, capsys):
    from xl_jiaoyan.shell import setup as excel_setup
    m = linux(tmp_path, '# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR="$HOME/桌面"\n'
                        'XDG_DOCUMENTS_DIR="$HOME/文档"\nXDG_MUSIC_DIR="$HOME/音乐"\n')
    monkeypatch.setattr(excel_setup.Machine, "this", classmethod(lambda cls: m))
    assert cli.main(["setup", "--copy-workbook"]) == 0
    home = tmp_path / "home" / "zhang"
    assert (home / "桌面" / "xl-jiaoyan-refresh.desktop").is_file()
    assert (home / "文档" / "教研室工作台.xlsx").read_bytes()[:2] == b"PK"
    assert not (home / "Desktop").exists() and not (home / "Documents").exists()
    said = capsys.readouterr().out
    assert "/home/zhang/文档/教研室工作台.xlsx" in said and "/home/zhang/桌面/xl-jiaoyan-refresh.desktop" in said
    (home / "文档" / "教研室工作台.xlsx").write_bytes(b"my data")
    assert cli.main(["setup", "--copy-workbook"]) == 0
    assert (home / "文档" / "教研室工作台.xlsx").read_bytes() == b"my data" and "没有覆盖" in capsys.readouterr().out


def test_xdg_values_other_than_home_paths_and_a_missing_file_fall_back_to_desktop(tmp_path):
    assert str(linux(tmp_path / "a", None).folder("desktop")) == "/home/zhang/Desktop"
    assert str(linux(tmp_path / "b", 'XDG_DESKTOP_DIR="$HOME/"\n').folder("desktop")) == "/home/zhang/Desktop"
    assert str(linux(tmp_path / "c", 'XDG_DESKTOP_DIR="/data/桌面"\n').folder("desktop")) == "/data/桌面"
    m = linux(tmp_path / "d", None)
    m.env = {"XDG_CONFIG_HOME": "/home/zhang/cfg"}
    f = tmp_path / "d" / "home" / "zhang" / "cfg" / "user-dirs.dirs"
    f.parent.mkdir(parents=True)
    f.write_text('XDG_DOCUMENTS_DIR="$HOME/我的文档"\n', encoding="utf-8")
    assert str(m.folder("documents")) == "/home/zhang/我的文档"


def test_the_probe_imports_what_a_refresh_imports_and_says_its_versions(tmp_path):
    """Run a refresh and a docx notice in a fresh process, list the third-party packages
    they imported: the probe must import every one of them."""
    import sys
    from xl_jiaoyan.service.commands import bundled_sample
    book = tmp_path / "示例.xlsx"
    book.write_bytes(bundled_sample().read_bytes())
    code = ("import sys; from pathlib import Path; from xl_jiaoyan.service import commands; "
            "from xl_jiaoyan import cli; cli.main(['notice', sys.argv[1], '--format', 'docx', '-o', sys.argv[2]]); "
            "commands.refresh(Path(sys.argv[1])); import xl_jiaoyan.excel; "
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    listed = "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"

    def loaded(*args):
        return set(subprocess.run([sys.executable, "-c", *args], capture_output=True, text=True, check=True)
                   .stdout.split("\n")[-2].split())
    refreshed = loaded(code, str(book), str(tmp_path / "n.docx"))
    probed = loaded("import sys; from xl_jiaoyan.shell.probe import probe; probe(); " + listed)
    third_party = {m for m in refreshed if m not in sys.stdlib_module_names and not m.startswith("_")}
    assert {"numpy", "pandas", "pyarrow", "python_calamine", "xlsxwriter", "jinja2", "docx"} <= third_party
    assert third_party - probed == set()
    said = json.loads(subprocess.run([sys.executable, "-m", "xl_jiaoyan.shell.probe"], capture_output=True,
                                     text=True, check=True).stdout)
    assert said["xl_jiaoyan"] == __version__ and said["xlwings"] == "0.37.8"


def test_an_anaconda_path_the_config_cannot_hold_is_refused_like_a_python_path(tmp_path):
    m = conda_windows(tmp_path, r"D:\conda,2024\envs\jy")
    with pytest.raises(WorkbookError, match="Anaconda 的路径“D:\\\\conda,2024”含有引号或逗号"):
        setup(m)
    m = conda_windows(tmp_path / "b", r"D:\도구\envs\jy")
    with pytest.raises(WorkbookError, match="系统编码（gbk）写不出"):
        setup(m)
