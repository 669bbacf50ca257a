"""Findings (冲突检查 rows) and the error that stops a run."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ERROR, WARNING, HINT = "错误", "警告", "提示"
LEVEL_ORDER = {ERROR: 0, WARNING: 1, HINT: 2}


class WorkbookError(Exception):
    """The workbook cannot be used as it is; the message is for the user (Chinese).

    Raised before anything is written, so the file stays as it was.  Exit code 2.
    """


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


@dataclass(frozen=True)
class Finding:
    level: str            # 错误 / 警告 / 提示
    category: str         # 人员冲突, 未知人员, 日期无效 ...
    sheet: str = ""
    row: int | None = None  # Excel row number
    person: str = ""
    day: date | None = None
    message: str = ""
    advice: str = ""

    def values(self) -> tuple:
        """The finding as a 冲突检查 row (contract.FINDING_COLUMNS order)."""
        return (self.level, self.category, self.sheet, self.row, self.person, self.day, self.message, self.advice)

    def sort_key(self):
        return (LEVEL_ORDER.get(self.level, 9), self.sheet, self.row or 0, self.category)


def where(sheet: str, row: int | None, column: str | None = None) -> str:
    """'工作表「听课记录」第 12 行「日期」列' — how messages name a place."""
    text = f"工作表「{sheet}」"
    if row:
        text += f"第 {row} 行"
    if column:
        text += f"「{column}」列"
    return text
