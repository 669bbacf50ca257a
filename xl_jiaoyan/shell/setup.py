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

from xl_jiaoyan.service.commands import bundled
from xl_jiaoyan.errors import WorkbookError
from xl_jiaoyan.workbook.macro_book import WORKBOOK_NAME as WORKBOOK

CONF = "xlwings.conf"
KEYS = {"win32": "INTERPRETER_WIN", "darwin": "INTERPRETER_MAC"}
# variables the VBA expands, most specific first: a path under one is written through it
WINDOWS_VARIABLES = ["LOCALAPPDATA", "APPDATA", "USERPROFILE", "ProgramFiles", "ProgramFiles(x86)"]
MAC_SCRIPTS = "Library/Application Scripts/com.microsoft.Excel"


def _run(cmd: list[str]) -> subprocess.CompletedProcess:
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
        return cls(sys.platform, str(Path.home()), sys.executable, dict(os.environ), _ansi_codepage())

    @property
    def windows(self) -> bool:
        return self.platform == "win32"

    def path(self, *parts: str):
        """A path of this machine's kind (Windows paths on Linux in tests)."""
        return (PureWindowsPath if self.windows else PurePosixPath)(*parts)


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
        try:
            text.encode(m.codepage)
        except UnicodeEncodeError:
            raise WorkbookError(
                f"Python 的路径“{text}”中有系统编码（{m.codepage}）写不出的字符，Excel 读不到它。"
                "请把 Python 装到只含英文或中文的路径（例如 C:\\Python311），再运行 xl-jiaoyan setup。") from None
        if '"' in text or "," in text:
            raise WorkbookError(f"Python 的路径“{text}”含有引号或逗号，xlwings 的配置文件写不下。"
                                "请把 Python 装到 C:\\Python311 这样的路径后再运行 xl-jiaoyan setup。")
        return text
    return str(exe)


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


def write_config(m: Machine, path: Path, key: str, value: str) -> None:
    """Set one key, keeping the other lines; in the code page, CRLF on Windows, no BOM."""
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
                 and not (LINE.match(ln) and LINE.match(ln)[1].upper() == key)]
    lines.append(f'"{key}","{value}"')
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


def documents(m: Machine):
    base = (m.env.get("USERPROFILE") or m.home) if m.windows else m.home
    return m.path(base, "Documents")


def setup(m: Machine, copy_workbook: bool = False) -> list[str]:
    """Do the setup; returns what was done, one Chinese line each."""
    conf = config_file(m)
    if conf is None:
        raise WorkbookError("功能区按钮只能在 Windows 或 macOS 的 Excel 中使用。在这台电脑上请用命令"
                            "（xl-jiaoyan refresh 工作簿.xlsx）或在 WPS 中打开刷新后的工作簿。")
    done = []
    value = interpreter(m)
    write_config(m, m.local(conf), KEYS[m.platform], value)
    done.append(f"已在 {conf} 中写入 {KEYS[m.platform]} = {value}"
                + ("（按系统编码 " + m.codepage + " 保存，Excel 能读对中文路径）" if m.windows else ""))
    if m.platform == "darwin":
        r = m.run([m.executable, "-m", "xlwings.cli", "runpython", "install"])
        if r.returncode != 0:
            raise WorkbookError("已写好配置，但 xlwings runpython install 没有成功："
                                f"{(r.stderr or r.stdout).strip()[:300]}。请在终端里运行 xlwings runpython install。")
        done.append(f"已安装 xlwings 的 AppleScript（~/{MAC_SCRIPTS}），Excel 可以调用 Python 了")
    if copy_workbook:
        target = documents(m) / WORKBOOK
        if m.exists(target):
            done.append(f"{target} 已经存在，没有覆盖它（里面可能有您的数据）")
        else:
            m.local(target).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(bundled(WORKBOOK), m.local(target))
            done.append(f"已把 {WORKBOOK} 复制到 {target}，打开它就能看到「教研室」选项卡")
    return done


@dataclass(frozen=True)
class Finding:
    ok: bool
    found: str
    fix: str = ""


def check(m: Machine) -> list[Finding]:
    """What doctor reports about the setup: the config read back as the VBA reads it,
    and whether the interpreter it names runs xl-jiaoyan."""
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
    value = read_config(m, path).get(key)
    if not value:
        return out + [Finding(False, f"{conf} 中没有 {key}", "请运行 xl-jiaoyan setup。")]
    exe = expand(m, value)
    r = m.run([exe, "-c", "import xl_jiaoyan, xlwings; print(xl_jiaoyan.__version__, xlwings.__version__)"]) \
        if m.exists(m.path(exe)) else None
    if r is None or r.returncode != 0:
        out.append(Finding(False, f"{key} 指向的 {exe} 不能运行 xl-jiaoyan",
                           "请在装有 xl-jiaoyan 的 Python 里运行 xl-jiaoyan setup。"))
        return out
    from xl_jiaoyan import __version__
    versions = r.stdout.split()
    out.append(Finding(versions[:1] == [__version__], f"Excel 将用 {exe}（xl-jiaoyan {' '.join(versions)}）",
                       f"那里的 xl-jiaoyan 与当前的 {__version__} 不同：请在同一个 Python 里安装，或重新运行 setup。"))
    if m.platform == "darwin":
        from xl_jiaoyan.io.live.version import xlwings_version
        script = m.local(m.path(m.home, MAC_SCRIPTS, f"xlwings-{xlwings_version()}.applescript"))
        out.append(Finding(script.is_file(), f"xlwings 的 AppleScript {'已' if script.is_file() else '没有'}安装",
                           "请运行 xl-jiaoyan setup（或 xlwings runpython install）。"))
    return out


