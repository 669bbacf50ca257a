"""Which cells of a small sheet are shown as percentages (file mode).

calamine gives a cell's value, not its number format, and a person who types 100% into
Excel stores the number 1 shown as a percentage.  Where the contract says a column may
hold a percentage, the reader asks which of its cells are formatted so.  Only small
sheets are looked at; every pattern's repetition is bounded (the input is a stranger's).
"""
from __future__ import annotations

import re

from xl_jiaoyan.io.xlsx.package import Package
from xl_jiaoyan.io.xlsx.sheet_scan import column_number
from xl_jiaoyan.io.xlsx.parts import attrs, elements, read_rels, rels_path, resolve_target, workbook_part

SMALL_SHEET = 2 << 20        # bytes of sheet XML worth looking at (指标 is a few kB)
BUILTIN_PERCENT = {9, 10}    # 0% and 0.00%
_NUMFMT = re.compile(r"<(?:\w{1,30}:)?numFmt\b[^>]{0,4096}>")
_XF = re.compile(r"<(?:\w{1,30}:)?xf\b[^>]{0,4096}>")
_CELL = re.compile(r"<(?:\w{1,30}:)?c\s[^>]{0,1024}>")
_REF = re.compile(r"([A-Z]{1,3})(\d{1,7})")


def is_percent(code: str) -> bool:
    """A format code that shows a percentage: a % outside quotes and escapes."""
    code = re.sub(r'"[^"]{0,255}"|\\.', "", code)
    return "%" in code


def percent_styles(styles_xml: str) -> set[int]:
    """Indexes of cellXfs whose number format is a percentage."""
    custom = {int(a.get("numFmtId", -1)) for a in map(attrs, _NUMFMT.findall(styles_xml))
              if a.get("numFmtId", "").isdigit() and is_percent(a.get("formatCode", ""))}
    found = elements(styles_xml, "cellXfs")          # linear, whatever unclosed tags it holds
    if not found or found[0][1] == found[0][3]:
        return set()
    out = set()
    for i, tag in enumerate(_XF.findall(styles_xml, found[0][1], found[0][2])):
        fmt = attrs(tag).get("numFmtId", "0")
        if fmt.isdigit() and (int(fmt) in BUILTIN_PERCENT or int(fmt) in custom):
            out.add(i)
    return out


def percent_cells(pkg: Package, part: str) -> set[tuple[int, int]]:
    """(Excel row, 0-based column) of the number cells of a sheet shown as percentages."""
    if pkg.infos[part].file_size > SMALL_SHEET:
        return set()
    wb = workbook_part(pkg)
    styles = next((resolve_target(wb, r.target) for r in read_rels(pkg.text(rels_path(wb)))
                   if r.type.endswith("/styles")), None)
    if styles is None or not pkg.has(styles):
        return set()
    percent = percent_styles(pkg.text(styles))
    if not percent:
        return set()
    out = set()
    for tag in _CELL.findall(pkg.text(part)):
        a = attrs(tag)
        if a.get("t", "n") != "n" or not a.get("s", "").isdigit() or int(a["s"]) not in percent:
            continue
        m = _REF.fullmatch(a.get("r", ""))
        if m:
            out.add((int(m.group(2)), column_number(m.group(1)) - 1))
    return out
