"""File mode: read a workbook on disk with calamine, write output sheets by splicing.

Works wherever Python runs (Linux, WPS users, CI).  The original file is replaced
atomically, only after the new one is completely written.
"""
from __future__ import annotations

import io
import os
import stat
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from xl_jiaoyan.domain.frames import pd
import python_calamine as pc

from xl_jiaoyan.contract import SHEET
from xl_jiaoyan.domain.findings import HINT, finding
from xl_jiaoyan.errors import WorkbookError
from xl_jiaoyan.outputs.spec import OutputSheet, Sink
from xl_jiaoyan.read.grid import Grid, Source
from xl_jiaoyan.io.xlsx import sheet_scan
from xl_jiaoyan.io.xlsx import parts, splice, styles
from xl_jiaoyan.io.xlsx.cell_formats import percent_cells
from xl_jiaoyan.io.files.safety import temp_prefix
from xl_jiaoyan.io.xlsx.package import Package, Stream, write_package, write_package_fallback

if TYPE_CHECKING:
    from xl_jiaoyan.notice.template import TemplateText

SUFFIXES = (".xlsx", ".xlsm")
LARGE_SHEET_ROWS = 50_000   # sheets this long are read column-wise, as text (extra "large")


def columnar_reader() -> bool:
    """Whether the optional column-wise reader (fastexcel with pyarrow) is installed."""
    from importlib.util import find_spec
    return find_spec("fastexcel") is not None and find_spec("pyarrow") is not None


def _shared_strings(column) -> pd.Categorical:
    """An Arrow text column dictionary-encoded once: a log repeats its names, dates and 节次
    a thousand times, so every later filter, grouping and lookup works on small integer
    codes and runs its rule once per distinct text.  Empty cells are missing values."""
    encoded = column.dictionary_encode()
    distinct = pd.Index(encoded.dictionary.to_pylist(), dtype=object)
    return pd.Categorical.from_codes(encoded.indices.fill_null(-1).to_numpy(), categories=distinct)


def check_path(path: Path) -> None:
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:      # bytes the system's encoding cannot read (a GBK name on Linux)
        shown = str(path.name).encode("utf-8", "replace").decode("utf-8")
        raise WorkbookError(f"文件名“{shown}”里有这台电脑读不出的字符（多半是从 Windows 电脑拷来的 GBK 文件名）。"
                            "请在文件管理器里把它改成一个新名字（例如 工作台.xlsx）后再试。") from None
    if not path.exists():
        raise WorkbookError(f"找不到文件：{path}。请检查路径和文件名是否写对。")
    if path.is_dir():
        raise WorkbookError(f"{path} 是一个文件夹，不是工作簿文件。")
    if not stat.S_ISREG(os.stat(path).st_mode):     # a FIFO or device would block the first read
        raise WorkbookError(f"{path.name} 不是普通文件（可能是管道或设备），不是工作簿。请换成真正的 .xlsx 工作簿。")
    if path.suffix.lower() not in SUFFIXES:
        raise WorkbookError(f"{path.name} 不是 .xlsx 或 .xlsm 工作簿。"
                            "请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）后再试。")
    if not zipfile.is_zipfile(path):
        raise WorkbookError(f"{path.name} 无法打开：文件已损坏，或设置了打开密码。"
                            "请用 Excel 或 WPS 打开确认；如有密码，请另存一份不加密的副本。")


class FileSource(Source):
    """A workbook on disk.  Every part calamine reads is first streamed once through
    ``sheet_scan`` (declared sizes, CRC, the area each sheet would take), so a hostile
    file ends in a message, never in an abort or a machine out of memory."""

    def __init__(self, path: Path):
        self.path = Path(path)
        check_path(self.path)
        self.path_label = self.path.name
        self.hints = []
        label = self.path.name
        try:
            self._pkg = Package(self.path)
        except Exception:
            raise WorkbookError(f"{label} 的文件结构无法识别。请用 Excel 或 WPS 重新保存后再试。") from None
        try:
            sheet_scan.refuse_bombs(self._pkg, label)
            try:
                wb_part, self._parts = parts.sheet_parts(self._pkg)
            except WorkbookError:
                raise
            except Exception:
                raise WorkbookError(f"{label} 的文件结构无法识别。请用 Excel 或 WPS 重新保存后再试。") from None
            for part in self._pkg.names():     # what calamine reads when it opens the book
                if not part.startswith("xl/worksheets/") and part.endswith((".xml", ".rels")):
                    sheet_scan.verify_part(self._pkg, part, label)
            try:
                self.book = pc.CalamineWorkbook.from_path(str(self.path))
            except pc.PasswordError:
                raise WorkbookError(f"{label} 设置了密码，无法读取。请另存一份不加密的副本再试。") from None
            except Exception as e:
                raise WorkbookError(f"{label} 无法读取（{type(e).__name__}）。"
                                    "文件可能已损坏；请用 Excel 或 WPS 打开并重新保存后再试。") from None
        except BaseException:
            self._pkg.close()
            raise
        self._scans: dict[str, sheet_scan.SheetScan] = {}
        self._columnar = None

    def sheet_names(self) -> list[str]:
        return list(self.book.sheet_names)

    def part_names(self) -> list[str]:
        """The names of the package's parts (xl/vbaProject.bin, customUI/…)."""
        return list(self._pkg.names())

    def template_file(self) -> TemplateText | None:
        from xl_jiaoyan.notice.template import beside       # Jinja2 only when a notice is made
        return beside(self.path.parent)

    def _scan(self, name: str) -> sheet_scan.SheetScan | None:
        part = self._parts.get(name)
        if part is None or not self._pkg.has(part):
            return None
        if name not in self._scans:
            self._scans[name] = sheet_scan.scan_sheet(self._pkg, part, name, self.path_label)
        return self._scans[name]

    def grid(self, name: str, as_sheet: str | None = None) -> Grid:
        scan = self._scan(name)
        try:
            if (scan is not None and scan.first_value_row is not None
                    and scan.last_row - scan.first_value_row >= LARGE_SHEET_ROWS):
                if columnar_reader():
                    grid = self._columnar_grid(name, scan.first_value_row)
                    grid.numbers = scan.short_numbers
                    return grid
                self.hints.append(finding(HINT, "read.slow", name, name=name,
                                          rows=scan.last_row - scan.first_value_row + 1))
            sheet = self.book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
        except WorkbookError:
            raise
        except Exception as e:      # calamine / fastexcel: bad XML, bad values
            raise WorkbookError(f"{self.path_label} 的工作表「{name}」已损坏，读不出来（{type(e).__name__}）。"
                                "请用 Excel 或 WPS 打开并重新保存后再试。") from None
        grid = Grid(name, rows, 1, list(sheet.merged_cell_ranges or []))
        if scan is not None and any(c.percent for c in getattr(SHEET.get(as_sheet or name), "columns", ())):
            try:
                grid.percent = percent_cells(self._pkg, self._parts[name])
            except Exception:       # unreadable styles: the values as stored
                grid.percent = set()
        return grid

    def _columnar_grid(self, name: str, first_row: int) -> Grid:
        """A large log sheet read column-wise (fastexcel, calamine underneath), as text.

        Row i of the frame is Excel row ``first_row + i``; merged cells are not filled in
        (large logs have none worth filling)."""
        import fastexcel
        if self._columnar is None:
            self._columnar = fastexcel.read_excel(str(self.path))
        # eager: straight to an Arrow record batch (no lazy sheet object converted after)
        batch = self._columnar.load_sheet(name, header_row=None, dtypes="string", eager=True)
        frame = pd.DataFrame({j: _shared_strings(column) for j, column in enumerate(batch.columns)})
        return Grid(name, None, first_row, [], frame)

    def close(self):
        self.book.close()
        self._pkg.close()


class FileSink(Sink):
    """Output sheets spliced into the workbook file (``write_outputs``)."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def write(self, sheets: list[OutputSheet]) -> None:
        write_outputs(self.path, sheets)


def write_outputs(path: Path, sheets: list[OutputSheet], streamed: bool = True) -> None:
    """Put the output sheets into the workbook at ``path``; the rest stays byte-identical.
    Data rows are streamed into the package (``streamed`` False: every cell through
    XlsxWriter, the former writer, kept to check the two agree)."""
    from xl_jiaoyan.io.xlsx.sheet_stream import SheetStream       # XlsxWriter only for commands that write
    path = Path(path)
    with Package(path) as pkg:
        wb_part = parts.workbook_part(pkg)
        styles_part = next(parts.resolve_target(wb_part, r.target)
                           for r in parts.read_rels(pkg.text(parts.rels_path(wb_part)))
                           if r.type.endswith("/styles"))
        font, size = styles.default_font(pkg.text(styles_part))
        buf = io.BytesIO()
        used = _scratch(sheets, buf, font, size, streamed)
        buf.seek(0)
        by_name = {s.name: s for s in sheets}

        def stream(name: str, frame: bytes, xf_map: dict[int, int]) -> Stream:
            xf = {key: xf_map[index] for key, index in used[name].items()}
            return Stream(SheetStream(by_name[name], frame, xf).chunks)
        with Package(buf) as scratch:
            replace, delete, add = splice.plan_splice(pkg, scratch, [s.name for s in sheets],
                                                      stream if streamed else None)
        tmp = _write_temp(path, pkg, replace, delete, add)
    try:
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _scratch(sheets, buf, font, size, streamed: bool):
    """The sheets' frames (all but the data rows when ``streamed``) in a scratch workbook;
    a disk error inside XlsxWriter (its temporary files) is told as the disk error it is."""
    from xlsxwriter.exceptions import FileCreateError
    from xl_jiaoyan.io.xlsx.render import render_scratch
    try:
        return render_scratch(sheets, buf, font, size, rows=not streamed)
    except FileCreateError as e:
        cause = e.args[0] if e.args and isinstance(e.args[0], OSError) else None
        raise (cause or OSError(str(e))) from None


def _write_temp(path: Path, pkg: Package, replace, delete, add) -> str:
    """The new package in a temporary file beside ``path``, flushed to disk."""
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                write_package(out, pkg, replace, delete, add)
                out.flush()
                os.fsync(out.fileno())
                fallback = False
            except OverflowError:
                fallback = True
        if fallback:
            write_package_fallback(tmp, pkg, replace, delete, add)
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777)
        return tmp
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
