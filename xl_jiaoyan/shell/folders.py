"""The folders a person sees as 桌面 and 文档, as the system says them.

- Windows: ``SHGetKnownFolderPath`` with FOLDERID_Desktop / FOLDERID_Documents.  With
  OneDrive's folder backup on, these are ``%USERPROFILE%\\OneDrive\\桌面`` (or
  ``…\\OneDrive - 学校名\\Documents``), not ``%USERPROFILE%\\Desktop``; the known-folder
  call is the documented way to ask, and it also follows a folder moved by the user or
  by group policy.
- Linux: the XDG user directories, ``$XDG_CONFIG_HOME/user-dirs.dirs`` (written by
  xdg-user-dirs-update in the session's language: ``XDG_DESKTOP_DIR="$HOME/桌面"``).
- macOS and anything unknown: ``~/Desktop`` and ``~/Documents``.

The system calls come in as arguments so that every case is tested on any system.
"""
from __future__ import annotations

import ctypes
import re
from pathlib import Path
from typing import Callable, Mapping

# KNOWNFOLDERID values (KnownFolders.h)
KNOWN_FOLDERS = {"desktop": "{B4BFCC3A-DB2C-424C-B029-7FE99A87C641}",
                 "documents": "{FDD39AD0-238F-46AF-ADB4-6C85480369C7}"}
XDG_KEYS = {"desktop": "XDG_DESKTOP_DIR", "documents": "XDG_DOCUMENTS_DIR"}
FALLBACK = {"desktop": "Desktop", "documents": "Documents"}


class GUID(ctypes.Structure):
    _fields_ = [("Data1", ctypes.c_uint32), ("Data2", ctypes.c_uint16), ("Data3", ctypes.c_uint16),
                ("Data4", ctypes.c_ubyte * 8)]

    @classmethod
    def parse(cls, text: str) -> "GUID":
        h = text.strip("{}").replace("-", "")
        data4 = (ctypes.c_ubyte * 8)(*bytes.fromhex(h[16:]))
        return cls(int(h[:8], 16), int(h[8:12], 16), int(h[12:16], 16), data4)


def windows_known_folder(name: str, shell32=None, ole32=None) -> str | None:
    """The path of a known folder (``"desktop"``, ``"documents"``), or None when the
    call fails.  ``shell32``/``ole32``: the DLLs (``ctypes.windll``'s by default)."""
    if shell32 is None:
        shell32, ole32 = ctypes.windll.shell32, ctypes.windll.ole32        # type: ignore[attr-defined]
    guid = GUID.parse(KNOWN_FOLDERS[name])
    out = ctypes.c_wchar_p()
    try:
        hr = shell32.SHGetKnownFolderPath(ctypes.byref(guid), 0, None, ctypes.byref(out))
    except Exception:
        return None
    try:
        return out.value if hr == 0 and out.value else None
    finally:
        if out.value is not None and ole32 is not None:
            ole32.CoTaskMemFree(out)


XDG_LINE = re.compile(r'^\s*(XDG_[A-Z]+_DIR)\s*=\s*"(.*)"\s*$')


def xdg_user_dir(name: str, home: str, env: Mapping[str, str], read: Callable[[Path], str | None]) -> str | None:
    """The XDG user directory ``name`` (``"desktop"``, ``"documents"``) from user-dirs.dirs,
    or None when the file does not say.  A value of ``$HOME`` alone means "not set"
    (the format's rule: the home folder itself is never the desktop)."""
    config = env.get("XDG_CONFIG_HOME") or str(Path(home, ".config"))
    text = read(Path(config, "user-dirs.dirs"))
    if not text:
        return None
    for line in text.splitlines():
        hit = XDG_LINE.match(line)
        if hit and hit[1] == XDG_KEYS[name]:
            value = hit[2].replace('\\"', '"')
            if value.startswith("$HOME"):
                rest = value[len("$HOME"):].lstrip("/")
                return str(Path(home, rest)) if rest else None
            return value if value.startswith("/") else None
    return None
