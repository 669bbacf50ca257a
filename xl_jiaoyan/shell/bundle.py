"""xl-jiaoyan bundle: everything a school PC without a package index needs, in one folder.

    目录/
      wheels/            the project's wheel and every dependency's, for one platform and Python
      安装.bat           Windows: a virtualenv under %LOCALAPPDATA%, pip install --no-index, setup
      install.sh         macOS / Linux: the same under ~/.xl-jiaoyan
      使用说明.txt

pip downloads for another platform with ``--platform``/``--python-version``, but it
evaluates environment markers for the machine it runs on (pypa/pip#11664): from Linux it
would leave out ``pywin32; platform_system == "Windows"``, which xlwings needs on Windows.
So after the download every wheel's ``Requires-Dist`` is evaluated again for the target
platform and what is missing is downloaded, until nothing is.  Commands are run through
``run`` so that tests see them without a network.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from xl_jiaoyan.errors import WorkbookError
from xl_jiaoyan.io.files.wheels import requirements

WHEELS = "wheels"


@dataclass(frozen=True)
class Target:
    """A platform as pip's flags name it, and as environment markers see it."""
    name: str                       # what the user typed: windows, macos, macos-intel, linux
    tags: tuple[str, ...]           # --platform values
    markers: dict                   # sys_platform, platform_system, platform_machine, os_name
    script: str                     # 安装.bat or install.sh


MANYLINUX = tuple(f"manylinux_2_{v}_x86_64" for v in range(28, 16, -1)) + ("manylinux2014_x86_64",)
TARGETS = {
    "windows": Target("windows", ("win_amd64",),
                      {"sys_platform": "win32", "platform_system": "Windows", "platform_machine": "AMD64",
                       "os_name": "nt"}, "安装.bat"),
    "macos": Target("macos", ("macosx_14_0_arm64",),
                    {"sys_platform": "darwin", "platform_system": "Darwin", "platform_machine": "arm64",
                     "os_name": "posix"}, "install.sh"),
    "macos-intel": Target("macos-intel", ("macosx_13_0_x86_64",),
                          {"sys_platform": "darwin", "platform_system": "Darwin", "platform_machine": "x86_64",
                           "os_name": "posix"}, "install.sh"),
    "linux": Target("linux", MANYLINUX,
                    {"sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64",
                     "os_name": "posix"}, "install.sh"),
}


PLATFORM_NAMES = {"windows": "Windows（64 位）", "macos": "macOS（Apple 芯片）", "macos-intel": "macOS（Intel 芯片）",
                  "linux": "Linux（x86_64）"}


def this_platform() -> str:
    if sys.platform == "win32":
        return "windows"
    if sys.platform == "darwin":
        import platform
        return "macos" if platform.machine() == "arm64" else "macos-intel"
    return "linux"


def _run(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=1800)


def project_folder(given: str | None) -> Path:
    """The project's source folder: --project, else the checkout the running package lies
    in, else the current folder; it must hold the pyproject.toml of xl-jiaoyan."""
    here = Path(__file__).resolve().parent.parent.parent
    for folder in ([Path(given)] if given else [here, Path.cwd()]):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and re.search(r'(?m)^name\s*=\s*"xl-jiaoyan"', pyproject.read_text(encoding="utf-8")):
            return folder
        if given:
            raise WorkbookError(f"{folder} 不是 xl-jiaoyan 的项目文件夹（里面没有它的 pyproject.toml）。")
    raise WorkbookError("找不到 xl-jiaoyan 的项目文件夹。请在项目文件夹中运行 xl-jiaoyan bundle，"
                        "或用 --project 指定它。")


def _marker_env(target: Target, python: str) -> dict:
    major, minor = python.split(".")[:2]
    return {"implementation_name": "cpython", "platform_python_implementation": "CPython",
            "python_version": f"{major}.{minor}", "python_full_version": f"{major}.{minor}.0",
            "platform_release": "", "platform_version": "", "extra": "", **target.markers}


def _packaging():
    try:
        from packaging.markers import Marker
        from packaging.requirements import Requirement
        from packaging.utils import canonicalize_name
    except ImportError:                      # pip always carries its own copy
        from pip._vendor.packaging.markers import Marker                  # type: ignore[no-redef]
        from pip._vendor.packaging.requirements import Requirement        # type: ignore[no-redef]
        from pip._vendor.packaging.utils import canonicalize_name         # type: ignore[no-redef]
    return Marker, Requirement, canonicalize_name


def wheel_name(path: Path) -> str:
    """The distribution a wheel file is of (its file name's first part), normalised."""
    _, _, canonical = _packaging()
    return canonical(path.name.split("-")[0])


def missing(folder: Path, target: Target, python: str) -> list[str]:
    """Requirements of the wheels in ``folder`` that apply on the target and that no wheel
    there provides (markers evaluated for the target, extras not asked for left out)."""
    _, Requirement, canonical = _packaging()
    env = _marker_env(target, python)
    have = {wheel_name(w) for w in folder.glob("*.whl")}
    out = []
    for wheel in sorted(folder.glob("*.whl")):
        for line in requirements(wheel):
            req = Requirement(line)
            if req.marker is not None and not req.marker.evaluate(env):
                continue
            # without its marker: pip would evaluate it for this machine again
            wanted = req.name + (f"[{','.join(sorted(req.extras))}]" if req.extras else "") + str(req.specifier)
            if canonical(req.name) not in have and wanted not in out:
                out.append(wanted)
    return out


def _pip_download(run, python_exe: str, target: Target, python: str, folder: Path, what: list[str]) -> None:
    cmd = [python_exe, "-m", "pip", "download", "--only-binary=:all:", "--implementation", "cp",
           "--python-version", python, "-d", str(folder)]
    for tag in target.tags:
        cmd += ["--platform", tag]
    r = run(cmd + what)
    if r.returncode != 0:
        said = (r.stderr or r.stdout or "").strip().splitlines()
        raise WorkbookError("下载安装包没有成功：" + (said[-1] if said else "pip 出错") +
                            "。请检查网络；学校访问 PyPI 慢或不通时，可用国内镜像："
                            "pip config set global.index-url https://pypi.tuna.tsinghua.edu.cn/simple")


def bundle(out: Path, platform: str | None = None, python: str | None = None, project: str | None = None,
           make_zip: bool = False, run: Callable[[list[str]], subprocess.CompletedProcess] = _run,
           python_exe: str = sys.executable, progress: Callable[[str], None] = lambda _: None) -> list[str]:
    """Fill ``out`` with the bundle; returns what was done, one Chinese line each."""
    platform = platform or this_platform()
    if platform not in TARGETS:
        raise WorkbookError(f"--platform 不能是“{platform}”，可选：{'、'.join(TARGETS)}。")
    target = TARGETS[platform]
    python = python or f"{sys.version_info.major}.{sys.version_info.minor}"
    if not re.fullmatch(r"3\.\d{1,2}", python) or int(python.split(".")[1]) < 10:
        raise WorkbookError(f"--python 应写成 3.11 这样的版本（3.10 或更新），现在是“{python}”。")
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise WorkbookError(f"{out} 已经存在且不是空的。请换一个新的文件夹名，以免覆盖其中的文件。")
    source = project_folder(project)
    wheels = out / WHEELS
    wheels.mkdir(parents=True, exist_ok=True)
    progress("生成 xl-jiaoyan 的安装包")
    r = run([python_exe, "-m", "pip", "wheel", "--no-deps", "-w", str(wheels), str(source)])
    own = sorted(wheels.glob("xl_jiaoyan-*.whl"))
    if r.returncode != 0 or not own:
        said = (r.stderr or r.stdout or "").strip().splitlines()
        raise WorkbookError("生成 xl-jiaoyan 的安装包没有成功：" + (said[-1] if said else "pip 出错") + "。")
    progress(f"下载 {target.name}、Python {python} 用的依赖")
    _pip_download(run, python_exe, target, python, wheels, [str(own[-1])])
    for _ in range(10):                 # what pip left out by evaluating markers for this machine
        more = missing(wheels, target, python)
        if not more:
            break
        progress(f"补下载 {'、'.join(more)}")
        _pip_download(run, python_exe, target, python, wheels, more)
    else:
        raise WorkbookError(f"这些依赖下载后仍然缺少：{'、'.join(missing(wheels, target, python))}。")
    write_scripts(out, target, python, own[-1].name)
    count = len(list(wheels.glob("*.whl")))
    size = sum(w.stat().st_size for w in wheels.glob("*.whl")) / 1e6
    done = [f"已在 {out} 中放好 {count} 个安装包（共 {size:.0f} MB，{target.name}，Python {python}）",
            f"安装脚本：{out / target.script}；说明：{out / '使用说明.txt'}"]
    if make_zip:
        archive = shutil.make_archive(str(out), "zip", root_dir=out.parent, base_dir=out.name)
        done.append(f"已打包为 {archive}，可用 U 盘拷到学校电脑上解压")
    return done


def write_scripts(out: Path, target: Target, python: str, own_wheel: str) -> None:
    """The install script for the target and the instructions beside it."""
    if target.name == "windows":
        # cmd reads a .bat in the console's code page: GBK on Chinese Windows, CRLF lines
        (out / target.script).write_bytes(windows_script(python).replace("\n", "\r\n").encode("gbk"))
    else:
        script = out / target.script
        script.write_text(posix_script(python), encoding="utf-8", newline="\n")
        script.chmod(0o755)
    (out / "使用说明.txt").write_bytes(instructions(target, python, own_wheel).replace("\n", "\r\n")
                                    .encode("utf-8-sig"))       # Notepad opens it as UTF-8


def windows_script(python: str) -> str:
    return f"""@echo off
rem xl-jiaoyan: install from the wheels beside this file, without any package index
cd /d "%~dp0"
set "VENV=%LOCALAPPDATA%\\xl-jiaoyan\\venv"
set "PY="
py -{python} -c "import sys" >nul 2>nul && set "PY=py -{python}"
if not defined PY python -c "import sys; sys.exit(0 if sys.version_info[:2] == ({python.replace('.', ', ')}) else 1)" >nul 2>nul && set "PY=python"
if not defined PY (
  echo 没有找到 Python {python}。请先安装 Python {python}（安装时勾选 Add Python to PATH），再双击本文件。
  pause
  exit /b 1
)
echo 正在安装 xl-jiaoyan 到 %VENV% ……
%PY% -m venv "%VENV%" || goto failed
"%VENV%\\Scripts\\python.exe" -m pip install --no-index --find-links "%~dp0{WHEELS}" xl-jiaoyan || goto failed
"%VENV%\\Scripts\\python.exe" -m xl_jiaoyan setup --copy-workbook || goto failed
echo.
echo 安装完成。以后在命令行中可用："%VENV%\\Scripts\\xl-jiaoyan.exe"
pause
exit /b 0
:failed
echo 安装没有成功，请把上面的信息发给学校信息中心或维护人员。
pause
exit /b 1
"""


def posix_script(python: str) -> str:
    return f"""#!/bin/sh
# xl-jiaoyan: install from the wheels beside this file, without any package index
set -e
here="$(cd "$(dirname "$0")" && pwd)"
venv="$HOME/.xl-jiaoyan/venv"
py="$(command -v python{python} || true)"
if [ -z "$py" ]; then
  echo "没有找到 python{python}。请先安装 Python {python}，再运行本脚本。"
  exit 1
fi
echo "正在安装 xl-jiaoyan 到 $venv ……"
"$py" -m venv "$venv"
"$venv/bin/python" -m pip install --no-index --find-links "$here/{WHEELS}" xl-jiaoyan
"$venv/bin/python" -m xl_jiaoyan setup --copy-workbook
echo "安装完成。以后在终端中可用：$venv/bin/xl-jiaoyan"
"""


def instructions(target: Target, python: str, own_wheel: str) -> str:
    how = ("双击「安装.bat」" if target.name == "windows"
           else "在终端中进入这个文件夹，运行 sh install.sh")
    return f"""教研室工作台（xl-jiaoyan）离线安装包

适用：{PLATFORM_NAMES[target.name]}，Python {python}
内容：wheels 文件夹里是 {own_wheel} 和它用到的全部安装包，安装时不需要联网。

步骤：
1. 先安装 Python {python}（Windows 安装时勾选“Add Python to PATH”）。Python 的安装程序也可以一起拷过来。
2. {how}。它会新建一个专用的 Python 环境，从 wheels 文件夹安装本工具，
   再运行 xl-jiaoyan setup --copy-workbook：让 Excel 的「教研室」按钮找到 Python，
   并把 教研室工作台.xlsm 放到“文档”文件夹（已有同名文件时不覆盖）。
3. 安装后可运行 xl-jiaoyan doctor 检查设置。

也可以自己用 pip 安装：pip install --no-index --find-links wheels xl-jiaoyan
"""
