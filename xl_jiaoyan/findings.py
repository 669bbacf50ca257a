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
