"""xl-jiaoyan bundle, with pip stood in for: the commands it runs, the dependencies pip
leaves out when it evaluates markers for this machine, the install scripts."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from xl_jiaoyan import cli
from xl_jiaoyan.errors import WorkbookError
from xl_jiaoyan.shell import bundle as bundling

PROJECT = Path(__file__).resolve().parent.parent


def fake_wheel(folder: Path, name: str, version: str, requires=(), tag="py3-none-any") -> Path:
    path = folder / f"{name}-{version}-{tag}.whl"
    meta = "Metadata-Version: 2.1\nName: {}\nVersion: {}\n{}\n\nbody\n".format(
        name, version, "".join(f"Requires-Dist: {r}\n" for r in requires))
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(f"{name}-{version}.dist-info/METADATA", meta)
    return path


class Pip:
    """pip as bundle calls it: ``wheel`` makes the project's wheel; ``download`` brings what
    it is asked for and, like the real pip, the dependencies whose markers hold on the
    machine running it (here: none of the platform-only ones)."""

    def __init__(self):
        self.calls = []

    def __call__(self, cmd):
        self.calls.append(cmd)
        out = Path(cmd[cmd.index("-w") + 1] if "wheel" in cmd else cmd[cmd.index("-d") + 1])
        if "wheel" in cmd:
            fake_wheel(out, "xl_jiaoyan", "0.1.0", ["pandas>=2.1", "xlwings==0.37.8"])
        elif any(a.endswith(".whl") for a in cmd):
            fake_wheel(out, "pandas", "3.1.1", ["numpy>=2.0.2", 'tzdata; sys_platform == "win32"'],
                       "cp311-cp311-win_amd64")
            fake_wheel(out, "numpy", "2.4.6", [], "cp311-cp311-win_amd64")
            fake_wheel(out, "xlwings", "0.37.8", ['pywin32>=224; platform_system == "Windows"',
                                                  'appscript>=1.0.1; platform_system == "Darwin"',
                                                  'black; extra == "all"'], "cp311-cp311-win_amd64")
        else:
            last = max(i for i, a in enumerate(cmd) if a == "--platform")
            for req in cmd[last + 2:]:
                name = req.split(">")[0].split("=")[0].split(";")[0]
                fake_wheel(out, name, "1.0", [], "cp311-cp311-win_amd64")
        return subprocess.CompletedProcess(cmd, 0, "", "")


def test_a_windows_bundle_made_elsewhere_gets_what_pip_left_out_by_its_markers(tmp_path):
    pip = Pip()
    done = bundling.bundle(tmp_path / "包", "windows", "3.11", str(PROJECT), run=pip, python_exe="PY")
    wheel_call, first, second = pip.calls
    assert wheel_call[:5] == ["PY", "-m", "pip", "wheel", "--no-deps"] and wheel_call[-1] == str(PROJECT)
    assert first[:9] == ["PY", "-m", "pip", "download", "--only-binary=:all:", "--implementation", "cp",
                         "--python-version", "3.11"]
    assert first[first.index("--platform") + 1] == "win_amd64" and first[-1].endswith("xl_jiaoyan-0.1.0-py3-none-any.whl")
    # the Windows-only ones, without their markers (pip would evaluate them for this machine again);
    # not appscript (macOS) nor black (an extra not asked for)
    assert second[-2:] == ["tzdata", "pywin32>=224"]
    names = sorted(p.name.split("-")[0] for p in (tmp_path / "包" / "wheels").glob("*.whl"))
    assert names == ["numpy", "pandas", "pywin32", "tzdata", "xl_jiaoyan", "xlwings"]
    assert "6 个安装包" in done[0] and "windows" in done[0]

    bat = (tmp_path / "包" / "安装.bat").read_bytes()
    assert b"\r\n" in bat and b"\n" not in bat.replace(b"\r\n", b"")            # CRLF for cmd
    text = bat.decode("gbk")                                                    # the console's code page
    assert 'pip install --no-index --find-links "%~dp0wheels" xl-jiaoyan' in text
    assert "py -3.11" in text and "sys.version_info[:2] == (3, 11)" in text
    assert "-m xl_jiaoyan setup --copy-workbook" in text and "没有找到 Python 3.11" in text
    guide = (tmp_path / "包" / "使用说明.txt").read_bytes()
    assert guide.startswith(b"\xef\xbb\xbf") and "双击「安装.bat」" in guide.decode("utf-8-sig")


def test_a_linux_bundle_has_an_executable_install_script_and_a_zip(tmp_path):
    pip = Pip()
    done = bundling.bundle(tmp_path / "包", "linux", "3.12", str(PROJECT), make_zip=True, run=pip, python_exe="PY")
    download = pip.calls[1]
    platforms = [download[i + 1] for i, a in enumerate(download) if a == "--platform"]
    assert platforms[0] == "manylinux_2_28_x86_64" and "manylinux2014_x86_64" in platforms
    assert len(pip.calls) == 2                 # nothing Linux-only left out: no second download
    script = tmp_path / "包" / "install.sh"
    assert script.stat().st_mode & 0o111 and b"\r" not in script.read_bytes()
    assert 'pip install --no-index --find-links "$here/wheels" xl-jiaoyan' in script.read_text(encoding="utf-8")
    assert "command -v python3.12" in script.read_text(encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "包.zip") as z:
        assert "包/install.sh" in z.namelist() and any(n.startswith("包/wheels/") for n in z.namelist())
    assert "包.zip" in done[-1]


def test_bundle_refuses_what_it_cannot_do_in_chinese(tmp_path, capsys):
    full = tmp_path / "已有"
    full.mkdir()
    (full / "我的文件.txt").write_text("x", encoding="utf-8")
    with pytest.raises(WorkbookError, match="已经存在且不是空的"):
        bundling.bundle(full, "linux", "3.11", str(PROJECT), run=Pip())
    assert (full / "我的文件.txt").read_text(encoding="utf-8") == "x"
    with pytest.raises(WorkbookError, match="3.10 或更新"):
        bundling.bundle(tmp_path / "a", "linux", "2.7", str(PROJECT), run=Pip())
    with pytest.raises(WorkbookError, match="不是 xl-jiaoyan 的项目文件夹"):
        bundling.bundle(tmp_path / "b", "linux", "3.11", str(tmp_path), run=Pip())
    with pytest.raises(SystemExit) as stop:
        cli.main(["bundle", str(tmp_path / "c"), "--platform", "android"])
    assert stop.value.code == 2 and "--platform 不能是“android”，可选：windows、macos" in capsys.readouterr().err


def test_a_failed_download_names_a_mirror(tmp_path):
    def offline(cmd):
        if "wheel" in cmd:
            return Pip()(cmd)
        return subprocess.CompletedProcess(cmd, 1, "", "ERROR: Could not find a version that satisfies pandas\n")
    with pytest.raises(WorkbookError, match="Could not find a version.*pypi.tuna.tsinghua.edu.cn"):
        bundling.bundle(tmp_path / "包", "windows", "3.11", str(PROJECT), run=offline, python_exe=sys.executable)
