"""The errors that stop a run, each with its exit code.  Messages are for the user (Chinese).

    WorkbookError   2  the workbook, a file or an argument cannot be used as it is
      PlaceError    2    … at a place of the workbook (sheet, row, column)
      ForeignSheet  2    … a sheet of an output name the tool did not write
      Busy          3  the workbook is open elsewhere or another run holds it
      UnsafeFile    4  a file refused before reading (zip bomb, far cells, links …)
      WriteFailed   5  live mode: a write into Excel failed part way (says what was written)
    anything else  70  an internal error (a bug): the message asks for the workbook

Every error except ``WriteFailed`` is raised before anything is written, so every file
stays as it was.  ``check`` exits 1 when it found errors in the records.
"""
from __future__ import annotations

CHECK_FOUND_ERRORS = 1
INTERNAL = 70


class WorkbookError(Exception):
    """The workbook cannot be used as it is."""
    exit_code = 2


class PlaceError(WorkbookError):
    """A WorkbookError at a place of the workbook: the sheet, and the row and column
    where there is one.  The message starts with the place, as ``where`` writes it."""

    def __init__(self, sheet: str, row: int | None, column: str | None, problem: str):
        super().__init__(where(sheet, row, column) + problem)
        self.sheet, self.row, self.column = sheet, row, column


class ForeignSheet(WorkbookError):
    """A sheet of an output name exists that the tool did not write (both adapters)."""

    def __init__(self, name: str):
        super().__init__(f"工作簿中已有名为「{name}」的工作表，但它不是本工具生成的，为避免覆盖你的数据，已停止。"
                         f"请把这个工作表改名（例如改成「{name}（旧）」）后再运行。")
        self.name = name


class Busy(WorkbookError):
    """The workbook is open in Excel, WPS or LibreOffice, or another run is writing it."""
    exit_code = 3


class UnsafeFile(WorkbookError):
    """A file refused before it was read: what it holds could exhaust the machine."""
    exit_code = 4


class WriteFailed(WorkbookError):
    """A write into Excel failed part way: which sheets were already replaced."""
    exit_code = 5

    def __init__(self, done: list[str], partial: str, error: Exception):
        super().__init__(f"{type(error).__name__}: {error}")
        self.done, self.partial, self.error = done, partial, error

    def chinese(self) -> str:
        done = "、".join(f"「{n}」" for n in self.done)
        text = f"写入「{self.partial}」时出错（{self.error.__class__.__name__}: {self.error}）。"
        text += f"已经更新的工作表：{done}；" if done else "在它之前没有更新别的工作表；"
        text += f"「{self.partial}」只写了一部分，内容不完整。其余工作表和所有输入工作表没有改动。"
        return text + "修正问题后请再点一次按钮；仍不行请把这条信息和工作簿发给维护人员。"


def where(sheet: str, row: int | None, column: str | None = None) -> str:
    """'工作表「听课记录」第 12 行「日期」列' — how messages name a place."""
    text = f"工作表「{sheet}」"
    if row:
        text += f"第 {row} 行"
    if column:
        text += f"「{column}」列"
    return text
