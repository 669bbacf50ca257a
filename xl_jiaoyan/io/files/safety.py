"""Guards around writing a workbook in file mode: refuse while it is open elsewhere, one
run at a time, a backup before the first write, and restoring a backup.

Atomic replacement itself is in ``file.py`` (temporary file beside the workbook, fsync,
``os.replace``); this module decides whether and when a run may write at all.
"""
from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import time
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from xl_jiaoyan.errors import Busy, WorkbookError

BACKUP_DIR = "xl-jiaoyan备份"
KEEP_BACKUPS = 5
LOCK_WAIT_SECONDS = 10.0
TEMP_PREFIX = ".~xljy-"        # our files beside the workbook: saves in progress, the run lock


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def temp_prefix(path: Path) -> str:
    """Prefix of the temporary files a save of ``path`` writes beside it."""
    return f"{TEMP_PREFIX}{path.name}~"


def _is_our_temp(name: str, path: Path, suffix: str | None = None) -> bool:
    """Exactly a temporary file of a save of ``path`` (prefix, mkstemp's 8 random
    characters, suffix), never one of another workbook whose name starts the same."""
    suffix = path.suffix if suffix is None else suffix
    return re.fullmatch(re.escape(temp_prefix(path)) + r"[a-z0-9_]{8}" + re.escape(suffix),
                        name) is not None


def real_path(path: Path) -> Path:
    """The file a workbook path really names: a symbolic link is followed, so the link
    stays a link and the file it points to is the one updated."""
    return Path(os.path.realpath(path))


def refuse_if_read_only(path: Path) -> None:
    if not path.stat().st_mode & stat.S_IWUSR:
        raise WorkbookError(f"{path.name} 是只读文件，没有改动它。如需刷新，请先在文件属性中取消“只读”，再运行。")


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
        raise Busy(
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
def _os_lock(lock_path: Path, wait: float, busy: str):
    """Hold an OS lock on ``lock_path`` (made if missing, never through a link), waiting
    up to ``wait`` seconds, else Busy(``busy``).  A killed holder's lock goes with its
    process, so a file left behind never keeps anyone out."""
    deadline = time.monotonic() + wait
    while True:
        try:   # never through a link planted in the lock file's place
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o644)
        except OSError as e:
            raise WorkbookError(f"无法在 {lock_path.parent} 中建立锁文件 {lock_path.name}（{e.strerror or e}）。"
                                "如果那里有同名的链接或文件夹，请删除它后再试。") from None
        if _try_lock(fd):
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(lock_path))
            except FileNotFoundError:
                same = False
            if same:            # not unlinked by a run that finished meanwhile
                break
        os.close(fd)
        if time.monotonic() >= deadline:
            raise Busy(busy)
        time.sleep(0.2)
    try:
        yield
    finally:
        try:
            os.unlink(lock_path)
        except OSError:
            pass
        os.close(fd)


@contextmanager
def run_lock(path: Path, wait: float | None = None):
    """One writing run per workbook: an OS lock on a small file beside the workbook; a
    second run waits up to ``wait`` seconds, then refuses."""
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    with _os_lock(path.parent / f"{TEMP_PREFIX}lock-{path.name}", wait,
                  f"另一个 xl-jiaoyan 正在处理 {path.name}，等了 {wait:.0f} 秒还没结束。请等它完成后再运行。"):
        _clean_stale_temps(path)
        yield


def click_lock(key: str):
    """One ribbon run per open workbook (``key``: its full name, which may be a web
    address): the same OS lock, on a file in the temporary folder named after the
    workbook.  On macOS RunPython returns at once, so a second click starts a second
    Python while the first one is still writing; that one gets Busy at once."""
    import hashlib
    digest = hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()[:16]
    return _os_lock(Path(tempfile.gettempdir(), f"xl-jiaoyan-{digest}.lock"), 0, "正在刷新，请稍候。")


def _clean_stale_temps(path: Path) -> None:
    """Temporary files a killed run left beside the workbook (we hold the lock: no run
    is writing them now)."""
    for p in path.parent.iterdir():
        if _is_our_temp(p.name, path) and not p.is_symlink():
            try:
                p.unlink()
            except OSError:
                pass


@dataclass(frozen=True)
class Backup:
    path: Path
    when: datetime
    size: int

    @property
    def taken_before(self) -> str:
        """What the backup was taken before: 刷新 or 恢复 ('' for backups of older versions)."""
        for what in REASONS:
            if self.path.stem.endswith(f"-{what}前"):
                return what
        return ""

    @property
    def problem(self) -> str | None:
        """Why this backup cannot be restored, or None when it is a complete workbook."""
        return backup_problem(self.path)


def backup_problem(p: Path) -> str | None:
    """A backup is usable when it is a regular file and a complete zip package whose
    every part reads back with the right checksum, holding a workbook."""
    if p.is_symlink() or not p.is_file():
        return "不是普通文件"
    try:
        with zipfile.ZipFile(p) as z:
            names = set(z.namelist())
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/workbook") for n in names):
                return "不是 Excel 工作簿"
            bad = z.testzip()
            if bad is not None:
                return f"部件 {bad} 已损坏"
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return "文件不完整或已损坏"
    return None


def backup_folder(path: Path) -> Path:
    return path.parent / BACKUP_DIR


def _checked_folder(path: Path, create: bool) -> Path | None:
    """The backup folder, refusing one that is a link (it could point anywhere)."""
    folder = backup_folder(path)
    if folder.is_symlink():
        raise WorkbookError(f"备份文件夹「{BACKUP_DIR}」是一个链接（快捷方式），为安全起见不往里写，也不从中恢复。"
                            "请把它删除（工具会重新建立真正的文件夹）后再试。")
    if folder.exists() and not folder.is_dir():
        raise WorkbookError(f"{path.parent} 中有一个名为「{BACKUP_DIR}」的文件，占了备份文件夹的名字。请改名或移走它。")
    if create:
        folder.mkdir(exist_ok=True)
    return folder if folder.is_dir() else None


REASONS = ("刷新", "恢复")      # what a backup is taken before; its name says which


def backups(path: Path) -> list[Backup]:
    """Backups of this workbook, newest first."""
    folder = _checked_folder(path, create=False)
    if folder is None:
        return []
    out = []
    # exactly this workbook's names: 工作台-20261203.xlsx's backups (工作台-20261203-20261204-…)
    # must not pass for 工作台.xlsx's, nor be restored over it or pruned in its place
    own = re.compile(re.escape(path.stem) + r"-(\d{8}-\d{6})(?:-\d{6})?(?:-(?:" + "|".join(REASONS) + r")前)?"
                     + re.escape(path.suffix), re.IGNORECASE)
    for p in folder.iterdir():
        hit = own.fullmatch(p.name)
        if hit is None or p.is_symlink() or not p.is_file():
            continue
        try:
            when = datetime.strptime(hit[1], "%Y%m%d-%H%M%S")
        except ValueError:
            continue
        out.append(Backup(p, when, p.stat().st_size))
    return sorted(out, key=lambda b: b.path.name, reverse=True)


def _prune(path: Path) -> None:
    """Keep the newest KEEP_BACKUPS backups."""
    for old in backups(path)[KEEP_BACKUPS:]:
        try:
            old.path.unlink()
        except OSError:
            pass


def drop_backup(backup: Path, path: Path) -> None:
    """After a failed write: a backup that is the workbook's own file (a hard link) is
    removed, so nothing that later edits the workbook in place can change it."""
    try:
        if backup.exists() and os.path.samefile(backup, path):
            backup.unlink()
    except OSError:
        pass


def make_backup(path: Path, now: datetime | None = None, before: str = "刷新") -> Path:
    """Copy the workbook into the backup folder (named by time and by what it was taken
    before); keep the newest five.

    Where the file system allows, the backup is a hard link to the workbook's file: it
    costs nothing, and as the workbook is then replaced by a new file (never written in
    place), the link keeps the old contents.  Otherwise the copy is written under a
    temporary name, flushed and only then given its backup name, so a kill or power cut
    mid-copy never leaves a short file that looks like a backup.  A caller whose write then
    fails drops it with ``drop_backup``."""
    folder = _checked_folder(path, create=True)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{path.stem}-{stamp}-{before}前{path.suffix}"
    for p in folder.iterdir():     # a copy a killed run left (we hold this workbook's lock)
        if _is_our_temp(p.name, path, ".part") and not p.is_symlink():
            p.unlink()
    try:
        os.link(path, target)
        _prune(path)
        return target
    except OSError:                # FAT32 / exFAT USB drives, some network shares: a copy
        pass
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        shutil.copystat(path, tmp)
        os.replace(tmp, target)
    except OSError as e:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise WorkbookError(f"无法在 {folder} 中保存备份（{e.strerror or e}），为安全起见没有写入工作簿。"
                            "请检查磁盘空间和文件夹权限。") from None
    _prune(path)
    return target


def restore(path: Path, backup: Backup) -> Path | None:
    """Put a backup back in place (atomically); the current file is backed up first, so a
    restore can itself be undone.  Returns that backup of the current file.  A damaged
    backup is refused; the workbook keeps its permissions."""
    problem = backup.problem
    if problem is not None:
        raise WorkbookError(f"备份 {backup.path.name} 不能用来恢复（{problem}），工作簿没有改动。"
                            "请换一份备份（不加编号运行 xl-jiaoyan restore 可列出全部备份及其状态）。")
    if path.exists():
        refuse_if_read_only(path)
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    saved = None
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out, open(backup.path, "rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        saved = make_backup(path, before="恢复") if path.exists() else None   # may prune the one just copied
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if saved is not None:
            drop_backup(saved, path)
        raise
    return saved
