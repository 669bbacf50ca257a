"""The write side of the seam: an output sheet as plain data.

Adapters render an ``OutputSheet`` (file mode through XlsxWriter, live mode through
xlwings); both read the style table below, so the two look the same.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

# style key -> properties (colours as hex RGB).  Status colours follow Excel's own
# "good / neutral / bad" cell styles so staff recognise them.
STYLES: dict[str, dict] = {
    "title": {"bold": True, "font_color": "#595959"},
    "header": {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
               "valign": "vcenter", "align": "center"},
    "已达标": {"bg_color": "#C6EFCE", "font_color": "#006100"},
    "正常": {"bg_color": "#DDEBF7", "font_color": "#1F4E78"},
    "落后": {"bg_color": "#FFEB9C", "font_color": "#9C5700"},
    "未达标": {"bg_color": "#FFC7CE", "font_color": "#9C0006"},
    "错误": {"bg_color": "#FFC7CE", "font_color": "#9C0006"},
    "警告": {"bg_color": "#FFEB9C", "font_color": "#9C5700"},
    "提示": {"bg_color": "#EDEDED", "font_color": "#404040"},
    "link": {"font_color": "#0563C1", "underline": 1},
    "wrap": {"text_wrap": True},
}
DATE_FORMAT = "yyyy-mm-dd"
MAX_LINKS = 65530   # Excel keeps at most this many hyperlinks on one worksheet


@dataclass
class OutputSheet:
    name: str
    title: str                                   # cell A1: provenance
    header: list[str]                            # row 2
    rows: list[list] = field(default_factory=list)  # from row 3
    widths: list[float] = field(default_factory=list)
    styles: dict[tuple[int, int], str] = field(default_factory=dict)   # (data row, col) -> key
    links: dict[tuple[int, int], tuple[str, int]] = field(default_factory=dict)  # -> (sheet, row)
    formats: dict[int, str] = field(default_factory=dict)  # col -> number format
    wrap: set[int] = field(default_factory=set)            # cols whose text wraps
    autofilter: bool = True
    landscape: bool = True

    HEADER_ROW = 1   # 0-based row of the header (A1 is the title)

    @property
    def first_data_row(self) -> int:
        return self.HEADER_ROW + 1

    def row_height(self, i: int, line: float = 15.0) -> float | None:
        """Height for data row ``i`` so wrapped text shows whole (None: default height).

        Computed rather than left to the application: LibreOffice keeps the default
        height for wrapped cells of a file it opens, and Excel only refits on edit.
        """
        lines = 1
        for j in self.wrap:
            value = self.rows[i][j] if j < len(self.rows[i]) else None
            if isinstance(value, str) and value and j < len(self.widths):
                lines = max(lines, sum(math.ceil(display_width(part) / max(self.widths[j] - 1, 1)) or 1
                                       for part in value.split("\n")))
        return line * lines if lines > 1 else None


def display_width(text: str) -> int:
    """Width in Excel character units: CJK and full-width characters (three bytes in
    UTF-8) count as two, ASCII as one; computed from the encoded length, at C speed."""
    return len(text) + (len(text.encode("utf-8")) - len(text)) // 2
