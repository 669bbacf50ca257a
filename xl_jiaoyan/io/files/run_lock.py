"""One run at a time per workbook, across processes.

On macOS, xlwings' RunPython returns as soon as Python has been started, so a second
click on a ribbon button starts a second Python that would write into the same open
workbook while the first one still does.  A button's run therefore holds a lock file in
the temporary folder, named after the workbook: created atomically (``O_EXCL``), holding
the owner's process id.  A lock whose owner is no longer running, or older than
``STALE_AFTER`` seconds, is taken over (a run killed with Excel leaves its file behind).
"""
from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

STALE_AFTER = 30 * 60


def lock_path(key: str, folder: str | None = None) -> Path:
    digest = hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()[:16]
    return Path(folder or tempfile.gettempdir(), f"xl-jiaoyan-{digest}.lock")


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes
        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)    # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:         # someone else's process: it exists
        return True
    return True


class RunLock:
    """``acquire()`` True when this process now holds the lock; ``release()`` gives it back."""

    def __init__(self, key: str, folder: str | None = None):
        self.path = lock_path(key, folder)
        self.held = False

    def acquire(self) -> bool:
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            except FileExistsError:
                if not self._stale():
                    return False
                try:
                    self.path.unlink()
                except FileNotFoundError:
                    pass
                continue
            except OSError:             # no temporary folder to write: run unlocked, as before
                return True
            with os.fdopen(fd, "w") as f:
                f.write(str(os.getpid()))
            self.held = True
            return True
        return False

    def _stale(self) -> bool:
        try:
            text = self.path.read_text(encoding="ascii", errors="replace").strip()
            age = time.time() - self.path.stat().st_mtime
        except FileNotFoundError:
            return True
        except OSError:
            return False
        pid = int(text) if text.isdigit() else 0
        return age > STALE_AFTER or not _alive(pid)

    def release(self) -> None:
        if self.held:
            self.held = False
            try:
                self.path.unlink()
            except OSError:
                pass
