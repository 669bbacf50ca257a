"""xl-jiaoyan setup: make the ribbon buttons of 教研室工作台.xlsm find this Python.

The workbook's xlwings VBA reads the interpreter from ``xlwings.conf``:

- Windows: ``%USERPROFILE%\\.xlwings\\xlwings.conf``, key ``INTERPRETER_WIN``.  The VBA
  reads it with ``Open … For Input``, i.e. in the system ANSI code page (GBK on Chinese
  Windows), and expands ``%VARIABLES%``.  A UTF-8 file garbles ``C:\\Users\\张老师\\…`` and
  a BOM breaks the first key, so the file is written in the code page, and a path under
  the user's folders is written as ``%LOCALAPPDATA%\\…`` (ASCII whatever the user name).
- macOS: ``~/Library/Containers/com.microsoft.Excel/Data/xlwings.conf`` (Excel is
  sandboxed), key ``INTERPRETER_MAC``; RunPython also needs xlwings' AppleScript file in
  ``~/Library/Application Scripts/com.microsoft.Excel`` (``xlwings runpython install``).
- A conda environment on Windows: its Python cannot load numpy's DLLs unless the
  environment is activated, so the config names ``CONDA PATH`` (the conda installation)
  and ``CONDA ENV`` and leaves ``INTERPRETER_WIN`` at ``pythonw``: xlwings' VBA then runs
  ``conda activate ENV && python`` (it uses the conda keys only for that interpreter).
- ``ADD_WORKBOOK_TO_PYTHONPATH`` is ``False``: the tool is installed, nothing is imported
  from the workbook's folder, and a workbook opened from OneDrive (an ``https://`` path)
  would otherwise stop xlwings with an English traceback.

Everything machine-specific comes in through ``Machine`` so that both platforms are
tested on any system.
"""
from __future__ import annotations

import codecs
import locale
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Callable, Mapping

from xl_jiaoyan.shell.folders import FALLBACK, windows_known_folder, xdg_user_dir

from xl_jiaoyan.service.commands import bundled
from xl_jiaoyan.errors import WorkbookError
from xl_jiaoyan.workbook.macro_book import WORKBOOK_NAME as WORKBOOK

CONF = "xlwings.conf"
KEYS = {"win32": "INTERPRETER_WIN", "darwin": "INTERPRETER_MAC"}
# variables the VBA expands, most specific first: a path under one is written through it
WINDOWS_VARIABLES = ["LOCALAPPDATA", "APPDATA", "USERPROFILE", "ProgramFiles", "ProgramFiles(x86)"]
MAC_SCRIPTS = "Library/Application Scripts/com.microsoft.Excel"


def _run(cmd: list[str]) -> subprocess.CompletedProcess:
    if sys.platform == "win32" and cmd[:1] == ["cmd.exe"]:
        # cmd parses its own line: handed over as written (list2cmdline would escape the quotes)
        return subprocess.run(" ".join(cmd), capture_output=True, text=True, timeout=120)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def _ansi_codepage() -> str:
    if sys.platform == "win32":
        import ctypes
        return f"cp{ctypes.windll.kernel32.GetACP()}"
    return locale.getpreferredencoding(False) or "utf-8"


@dataclass
class Machine:
    """What setup needs to know of the computer it runs on."""
    platform: str                       # sys.platform: "win32", "darwin", …
    home: str                           # the user's home folder
    executable: str                     # this Python
    env: Mapping[str, str] = field(default_factory=dict)
    codepage: str = "utf-8"             # what the VBA reads the file in (Windows: ANSI)
    run: Callable[[list[str]], subprocess.CompletedProcess] = _run
    root: str | None = None             # tests: this machine's files live under root
    prefix: str | None = None           # sys.prefix: the environment this Python belongs to
    known_folder: Callable[[str], str | None] | None = None    # Windows: SHGetKnownFolderPath

    def local(self, path) -> Path:
        """Where a path of this machine is on the disk the code runs on."""
        if self.root is None:
            return Path(str(path))
        parts = [p.rstrip(":\\/") for p in path.parts if p.rstrip(":\\/")]
        return Path(self.root, *parts)

    def exists(self, path) -> bool:
        return self.local(path).exists()

    @classmethod
    def this(cls) -> "Machine":
        return cls(sys.platform, str(Path.home()), sys.executable, dict(os.environ), _ansi_codepage(),
                   prefix=sys.prefix, known_folder=windows_known_folder if sys.platform == "win32" else None)

    def folder(self, name: str):
        """The user's 桌面 or 文档 (``"desktop"``, ``"documents"``) as the system says it."""
        if self.windows:
            found = self.known_folder(name) if self.known_folder else None
            return self.path(found) if found else self.path(self.env.get("USERPROFILE") or self.home, FALLBACK[name])
        if self.platform.startswith("linux"):
            def read(p):
                local = self.local(self.path(str(p)))
                return local.read_text(encoding="utf-8", errors="replace") if local.is_file() else None
            found = xdg_user_dir(name, self.home, self.env, read)
            if found:
                return self.path(found)
        return self.path(self.home, FALLBACK[name])

    @property
    def windows(self) -> bool:
        return self.platform == "win32"

    def path(self, *parts: str):
        """A path of this machine's kind (Windows paths on Linux in tests)."""
        return (PureWindowsPath if self.windows else PurePosixPath)(*parts)


@dataclass(frozen=True)
class Conda:
    base: str       # the conda installation (the folder holding condabin)
    env: str        # the environment's name, or its folder when it is not under base\envs


def conda_of(m: Machine) -> Conda | None:
    """The conda environment this Python belongs to (its prefix holds ``conda-meta``)."""
    if not m.prefix or not m.exists(m.path(m.prefix, "conda-meta")):
        return None
    prefix = m.path(m.prefix)
    exe = m.env.get("CONDA_EXE")
    if exe:
        base = m.path(exe).parent.parent                    # …\Scripts\conda.exe, …/bin/conda
    elif prefix.parent.name.lower() == "envs":
        base = prefix.parent.parent
    else:
        base = prefix
    if str(prefix).lower() == str(base).lower():
        name = "base"
    elif str(prefix.parent).lower() == str(base / "envs").lower():
        name = prefix.name
    else:
        name = str(prefix)
    return Conda(str(base), name)


def config_file(m: Machine):
    if m.windows:
        return m.path(m.env.get("USERPROFILE") or m.home, ".xlwings", CONF)
    if m.platform == "darwin":
        return m.path(m.home, "Library", "Containers", "com.microsoft.Excel", "Data", CONF)
    return None


def interpreter(m: Machine) -> str:
    """The interpreter as the config should name it.  Windows: pythonw.exe (no console
    window flashing up) under a %VARIABLE% where one covers it."""
    exe = m.path(m.executable)
    if m.windows:
        quiet = exe.with_name("pythonw.exe")
        if exe.name.lower() == "python.exe" and m.exists(quiet):
            exe = quiet
        text = str(exe)
        for var in WINDOWS_VARIABLES:
            base = m.env.get(var)
            if base and text.lower().startswith(base.rstrip("\\").lower() + "\\"):
                text = f"%{var}%" + text[len(base.rstrip("\\")):]
                break
        return config_value(m, text, "Python", "C:\\Python311")
    return str(exe)


def config_value(m: Machine, text: str, what: str, example: str) -> str:
    """``text`` as a value of xlwings.conf: in the code page the VBA reads it in, and
    without the quote or comma that would end the value early."""
    try:
        text.encode(m.codepage)
    except UnicodeEncodeError:
        raise WorkbookError(
            f"{what} 的路径“{text}”中有系统编码（{m.codepage}）写不出的字符，Excel 读不到它。"
            f"请把 {what} 装到只含英文或中文的路径（例如 {example}），再运行 xl-jiaoyan setup。") from None
    if '"' in text or "," in text:
        raise WorkbookError(f"{what} 的路径“{text}”含有引号或逗号，xlwings 的配置文件写不下。"
                            f"请把 {what} 装到 {example} 这样的路径后再运行 xl-jiaoyan setup。")
    return text


LINE = re.compile(r'^\s*"([^"]*)"\s*,\s*"([^"]*)"\s*$')


def read_config(m: Machine, path: Path) -> dict[str, str]:
    """Key -> value of an xlwings.conf, read as the VBA reads it (in the code page)."""
    raw = Path(path).read_bytes()
    text = raw.decode(m.codepage if m.windows else "utf-8", errors="replace")
    out = {}
    for line in text.splitlines():
        hit = LINE.match(line)
        if hit:
            out.setdefault(hit[1].upper(), hit[2])
    return out


def write_config(m: Machine, path: Path, settings: Mapping[str, str | None]) -> None:
    """Set these keys (None: remove the key), keeping the other lines; in the code page,
    CRLF on Windows, no BOM."""
    path = Path(path)
    lines = []
    if path.exists():
        raw = path.read_bytes()
        if raw.startswith(codecs.BOM_UTF8):          # Notepad's UTF-8 with BOM: the VBA
            raw = raw[len(codecs.BOM_UTF8):]         # would see the BOM in the first key
            text = raw.decode("utf-8", errors="replace")
        else:
            text = raw.decode(m.codepage if m.windows else "utf-8", errors="replace")
        lines = [ln for ln in text.splitlines() if ln.strip()
                 and not (LINE.match(ln) and LINE.match(ln)[1].upper() in settings)]
    lines += [f'"{key}","{value}"' for key, value in settings.items() if value is not None]
    newline = "\r\n" if m.windows else "\n"
    data = (newline.join(lines) + newline).encode(m.codepage if m.windows else "utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".xljy-tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def expand(m: Machine, value: str) -> str:
    """%VARIABLE% expanded as the VBA expands it (Windows); unchanged elsewhere."""
    if not m.windows:
        return value
    return re.sub(r"%([^%]+)%", lambda g: m.env.get(g[1], g[0]), value)


CONDA_KEYS = ("CONDA PATH", "CONDA ENV")
NO_WORKBOOK_PATH = {"ADD_WORKBOOK_TO_PYTHONPATH": "False"}
# on Linux there is no Excel: the workbook copied for WPS is the template without macros
LINUX_WORKBOOK, LINUX_NAME = "教研室工作台模板.xlsx", "教研室工作台.xlsx"


def excel_settings(m: Machine) -> dict[str, str | None]:
    """The keys setup writes (None: removed) for this machine's Python."""
    conda = conda_of(m) if m.windows else None
    if conda is not None:
        return {KEYS["win32"]: "pythonw", "CONDA PATH": config_value(m, conda.base, "Anaconda", "C:\\Miniconda3"),
                "CONDA ENV": config_value(m, conda.env, "Anaconda", "C:\\Miniconda3"), **NO_WORKBOOK_PATH}
    out: dict[str, str | None] = {KEYS[m.platform]: interpreter(m), **NO_WORKBOOK_PATH}
    if m.windows:
        out.update({k: None for k in CONDA_KEYS})        # a conda setup of before would be ignored anyway
    return out


def setup(m: Machine, copy_workbook: bool = False) -> list[str]:
    """Do the setup; returns what was done, one Chinese line each."""
    conf = config_file(m)
    if conf is None:
        if copy_workbook and m.platform.startswith("linux"):
            return [_copy_workbook(m, LINUX_WORKBOOK, LINUX_NAME)]
        raise WorkbookError("功能区按钮只能在 Windows 或 macOS 的 Excel 中使用。在这台电脑上请用命令"
                            "（xl-jiaoyan refresh 工作簿.xlsx）或在 WPS 中打开刷新后的工作簿。")
    done = []
    settings = excel_settings(m)
    write_config(m, m.local(conf), settings)
    written = "、".join(f"{k} = {v}" for k, v in settings.items() if v is not None)
    done.append(f"已在 {conf} 中写入 {written}"
                + ("（按系统编码 " + m.codepage + " 保存，Excel 能读对中文路径）" if m.windows else ""))
    if settings.get("CONDA ENV"):
        done.append(f"这个 Python 在 Anaconda 环境“{settings['CONDA ENV']}”中：Excel 会先激活这个环境再运行它")
    if m.platform == "darwin":
        r = m.run([m.executable, "-m", "xlwings.cli", "runpython", "install"])
        if r.returncode != 0:
            raise WorkbookError("已写好配置，但 xlwings runpython install 没有成功："
                                f"{(r.stderr or r.stdout).strip()[:300]}。请在终端里运行 xlwings runpython install。")
        done.append(f"已安装 xlwings 的 AppleScript（~/{MAC_SCRIPTS}），Excel 可以调用 Python 了")
    if copy_workbook:
        done.append(_copy_workbook(m, WORKBOOK, WORKBOOK))
    return done


def _copy_workbook(m: Machine, shipped: str, name: str) -> str:
    target = m.folder("documents") / name
    if m.exists(target):
        return f"{target} 已经存在，没有覆盖它（里面可能有您的数据）"
    m.local(target).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bundled(shipped), m.local(target))
    if name.endswith(".xlsm"):
        return f"已把 {name} 复制到 {target}，打开它就能看到「教研室」选项卡"
    return f"已把空白工作台 {name} 复制到 {target}：用 WPS 填写、保存并关闭后，右键它选「打开方式」刷新"


@dataclass(frozen=True)
class Finding:
    ok: bool
    found: str
    fix: str = ""


PROBE = ["-m", "xl_jiaoyan.shell.probe"]


def probe_command(m: Machine, conf: dict[str, str]) -> list[str] | None:
    """How Excel will start Python, running the probe instead of the button's code; None
    when the interpreter the config names is not there."""
    key = KEYS[m.platform]
    value = conf.get(key, "")
    conda_path, conda_env = conf.get("CONDA PATH", ""), conf.get("CONDA ENV", "")
    if m.windows and value.lower() in ("python", "pythonw") and conda_path and conda_env:
        bat = m.path(expand(m, conda_path), "condabin", "conda.bat")
        if not m.exists(bat):
            return None
        return ["cmd.exe", "/d", "/c", f'call "{bat}" activate {conda_env} && python {" ".join(PROBE)}']
    exe = expand(m, value)
    return [exe, *PROBE] if exe and m.exists(m.path(exe)) else None


def check(m: Machine) -> list[Finding]:
    """What doctor reports about the setup: the config read back as the VBA reads it,
    and whether the Python it names — started as Excel starts it, conda activation
    included — imports everything a refresh imports."""
    conf = config_file(m)
    if conf is None:
        return [Finding(True, "这台电脑不是 Windows 或 macOS：功能区按钮用不了，请用命令或 WPS 的文件模式。")]
    key = KEYS[m.platform]
    path = m.local(conf)
    if not path.is_file():
        return [Finding(False, f"没有 {conf}：Excel 里的按钮找不到 Python", "请运行 xl-jiaoyan setup。")]
    raw = path.read_bytes()
    out = []
    if raw.startswith(codecs.BOM_UTF8):
        out.append(Finding(False, f"{conf} 以 UTF-8 BOM 开头，xlwings 会读错第一项", "请运行 xl-jiaoyan setup 重写它。"))
    settings = read_config(m, path)
    value = settings.get(key)
    if not value:
        return out + [Finding(False, f"{conf} 中没有 {key}", "请运行 xl-jiaoyan setup。")]
    here = conda_of(m) if m.windows else None
    if here is not None and not settings.get("CONDA PATH"):
        out.append(Finding(False, f"这个 Python 在 Anaconda 环境“{here.env}”中，但 {conf} 没有写 CONDA PATH / CONDA ENV："
                                  "Excel 不激活环境就运行它，会出现“DLL load failed”",
                           "请在这个环境中运行 xl-jiaoyan setup。"))
    if settings.get("ADD_WORKBOOK_TO_PYTHONPATH", "true").lower() != "false":
        out.append(Finding(False, f"{conf} 没有关闭 ADD_WORKBOOK_TO_PYTHONPATH：从 OneDrive 打开的工作簿点按钮会出英文错误",
                           "请运行 xl-jiaoyan setup。"))
    cmd = probe_command(m, settings)
    shown = " ".join(cmd) if cmd and cmd[0] == "cmd.exe" else expand(m, value)
    r = m.run(cmd) if cmd else None
    said = _probe_answer(r)
    if said is None or "failed" in said:
        why = f"：导入 {said['failed']} 时出错（{said['error']}）" if said else ""
        fix = ("请在 Anaconda Prompt 中激活这个环境后运行 xl-jiaoyan setup（会写入 CONDA PATH / CONDA ENV）。"
               if said and "DLL" in said.get("error", "") else "请在装有 xl-jiaoyan 的 Python 里运行 xl-jiaoyan setup。")
        out.append(Finding(False, f"{key} 指向的 {shown} 不能运行 xl-jiaoyan{why}", fix))
        return out
    from xl_jiaoyan import __version__
    out.append(Finding(said.get("xl_jiaoyan") == __version__,
                       f"Excel 将用 {shown}（xl-jiaoyan {said.get('xl_jiaoyan')}，xlwings {said.get('xlwings')}；"
                       "刷新要用的模块都能导入）",
                       f"那里的 xl-jiaoyan 与当前的 {__version__} 不同：请在同一个 Python 里安装，或重新运行 setup。"))
    if m.platform == "darwin":
        from xl_jiaoyan.io.live.version import xlwings_version
        script = m.local(m.path(m.home, MAC_SCRIPTS, f"xlwings-{xlwings_version()}.applescript"))
        out.append(Finding(script.is_file(), f"xlwings 的 AppleScript {'已' if script.is_file() else '没有'}安装",
                           "请运行 xl-jiaoyan setup（或 xlwings runpython install）。"))
    return out


def _probe_answer(r: subprocess.CompletedProcess | None) -> dict | None:
    """The probe's JSON line, or None when it did not run or said nothing readable."""
    import json
    if r is None:
        return None
    for line in reversed((r.stdout or "").splitlines()):
        try:
            said = json.loads(line)
        except ValueError:
            continue
        if isinstance(said, dict):
            return said
    return None
