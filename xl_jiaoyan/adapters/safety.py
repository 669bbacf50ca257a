"""Guards around writing a workbook in file mode: refuse while it is open elsewhere, one
run at a time, a backup before the first write, and restoring a backup.

Atomic replacement itself is in ``file.py`` (temporary file beside the workbook, fsync,
``os.replace``); this module decides whether and when a run may write at all.
"""
from __future__ import annotations

import glob
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..findings import WorkbookError

BACKUP_DIR = "xl-jiaoyan备份"
KEEP_BACKUPS = 5
LOCK_WAIT_SECONDS = 10.0
TEMP_PREFIX = ".~xljy-"        # our files beside the workbook: saves in progress, the run lock


def temp_prefix(path: Path) -> str:
    """Prefix of the temporary files a save of ``path`` writes beside it."""
    return f"{TEMP_PREFIX}{path.name}~"


def lock_files(path: Path) -> list[Path]:
    """Lock files Excel, WPS and LibreOffice keep beside a workbook they have open."""
    candidates = [path.parent / f"~${path.name}",            # Excel, WPS
                  path.parent / f"~${path.name[2:]}",        # Excel shortens long names
                  path.parent / f".~lock.{path.name}#",      # LibreOffice
                  path.parent / f".~{path.name}"]            # WPS on Linux
    return [p for p in dict.fromkeys(candidates) if p.exists() and p != path]


def refuse_if_open(path: Path, force: bool) -> None:
    found = lock_files(path)
    if found and not force:
        raise WorkbookError(
            f"{path.name} 似乎正在 Excel、WPS 或 LibreOffice 中打开（发现锁定文件 {found[0].name}）。"
            "请先保存并关闭它再运行，否则刷新后的结果会被那边的保存覆盖。"
            "如果确定没有打开（例如程序异常退出后留下的锁定文件），可加 --force 继续。")


def _try_lock(fd: int) -> bool:
    if os.name == "nt":
        import msvcrt
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


@contextmanager
def run_lock(path: Path, wait: float | None = None):
    """One writing run per workbook.  The lock is an OS lock on a small file beside the
    workbook, so a killed run never leaves it stuck; a second run waits up to ``wait``
    seconds, then refuses."""
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    lock_path = path.parent / f"{TEMP_PREFIX}lock-{path.name}"
    deadline = time.monotonic() + wait
    while True:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        if _try_lock(fd):
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(lock_path))
            except FileNotFoundError:
                same = False
            if same:            # not unlinked by a run that finished meanwhile
                break
        os.close(fd)
        if time.monotonic() >= deadline:
            raise WorkbookError(f"另一个 xl-jiaoyan 正在处理 {path.name}，等了 {wait:.0f} 秒还没结束。"
                                "请等它完成后再运行。")
        time.sleep(0.2)
    try:
        _clean_stale_temps(path)
        yield
    finally:
        try:
            os.unlink(lock_path)
        except OSError:
            pass
        os.close(fd)


def _clean_stale_temps(path: Path) -> None:
    """Temporary files a killed run left beside the workbook (we hold the lock: no run
    is writing them now)."""
    for p in path.parent.glob(glob.escape(temp_prefix(path)) + "*"):
        try:
            p.unlink()
        except OSError:
            pass


@dataclass(frozen=True)
class Backup:
    path: Path
    when: datetime
    size: int


def backup_folder(path: Path) -> Path:
    return path.parent / BACKUP_DIR


def backups(path: Path) -> list[Backup]:
    """Backups of this workbook, newest first."""
    folder = backup_folder(path)
    if not folder.is_dir():
        return []
    out = []
    prefix = f"{path.stem}-"
    for p in folder.glob(f"{path.stem}-*{path.suffix}"):
        stamp = p.name[len(prefix):-len(path.suffix)]
        try:
            when = datetime.strptime(stamp[:15], "%Y%m%d-%H%M%S")
        except ValueError:
            continue
        out.append(Backup(p, when, p.stat().st_size))
    return sorted(out, key=lambda b: b.path.name, reverse=True)


def make_backup(path: Path, now: datetime | None = None) -> Path:
    """Copy the workbook into the backup folder (named by time); keep the newest five."""
    folder = backup_folder(path)
    folder.mkdir(exist_ok=True)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{path.stem}-{stamp}{path.suffix}"
    try:
        shutil.copy2(path, target)
    except OSError as e:
        if target.exists():
            target.unlink()
        raise WorkbookError(f"无法在 {folder} 中保存备份（{e.strerror or e}），为安全起见没有写入工作簿。"
                            "请检查磁盘空间和文件夹权限。") from None
    for old in backups(path)[KEEP_BACKUPS:]:
        try:
            old.path.unlink()
        except OSError:
            pass
    return target


def restore(path: Path, backup: Backup) -> Path | None:
    """Put a backup back in place (atomically); the current file is backed up first, so a
    restore can itself be undone.  Returns that backup of the current file."""
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out, open(backup.path, "rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        saved = make_backup(path) if path.exists() else None   # may prune the one just copied
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return saved
