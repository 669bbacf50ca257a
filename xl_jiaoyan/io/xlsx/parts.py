"""The bookkeeping parts of a workbook package: relationships, the workbook part and its sheets, XML helpers."""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from xl_jiaoyan.contract import OUTPUT_MARKER, OUTPUT_MARKER_VALUE
from xl_jiaoyan.io.xlsx.package import Package

MARKER, MARKER_VALUE = OUTPUT_MARKER, OUTPUT_MARKER_VALUE

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OFFICE_DOC = REL_NS + "/officeDocument"
WORKSHEET_TYPE = REL_NS + "/worksheet"
CALC_CHAIN_TYPE = REL_NS + "/calcChain"
_FORMULA = re.compile(rb"<(?:\w{1,30}:)?f[\s>/]")
WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

_ATTR = re.compile(r'([\w:.-]+)\s*=\s*("[^"]*"|\'[^\']*\')')


def escape(s: str) -> str:
    """XML text (xml.sax.saxutils would pull in urllib and ssl at start-up)."""
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(s: str) -> str:
    """A double-quoted XML attribute value."""
    return '"' + escape(s).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;") \
        .replace("\t", "&#9;") + '"'


def attrs(tag: str) -> dict[str, str]:
    from html import unescape
    return {k: unescape(v[1:-1]) for k, v in _ATTR.findall(tag)}


# XlsxWriter writes only the data-label switches that are on; readers that take a file for
# Excel 2007's (LibreOffice does so for openpyxl- or WPS-saved books) then default the rest
# to on and label every bar "语文组；听课正常/已达标；7".  Excel itself writes all of them.
_SHOW_VALUE = b'<c:showVal val="1"/>'
_ALL_SWITCHES = (b'<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
                 b'<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/>')


def explicit_labels(chart_xml: bytes) -> bytes:
    """A chart part of our own with every data-label switch written out."""
    return chart_xml.replace(_SHOW_VALUE, _ALL_SWITCHES)


def rels_path(part: str) -> str:
    d, f = posixpath.split(part)
    return posixpath.join(d, "_rels", f + ".rels")


def resolve_target(part: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


@dataclass
class Rel:
    id: str
    type: str
    target: str
    external: bool


def read_rels(pkg_text: str | None) -> list[Rel]:
    if not pkg_text:
        return []
    out = []
    for m in re.finditer(r"<(?:\w+:)?Relationship\b[^>]{0,8192}>", pkg_text):
        a = attrs(m.group(0))
        out.append(Rel(a.get("Id", ""), a.get("Type", ""), a.get("Target", ""),
                       a.get("TargetMode") == "External"))
    return out


def prefix_of(xml: str, local: str) -> str:
    """The namespace prefix (with colon) the document uses for ``local``, e.g. 'x:' or ''."""
    m = re.search(r"<(\w+:)?" + local + r"\b", xml)
    return m.group(1) or "" if m else ""


def with_prefix(fragment: str, prefix: str) -> str:
    if not prefix:
        return fragment
    return re.sub(r"<(/?)(?=[A-Za-z])(?![\w]+:)", r"<\1" + prefix, fragment)


# --- the workbook part --------------------------------------------------------------
@dataclass
class SheetRef:
    name: str
    sheet_id: int
    rid: str
    tag: str


def workbook_part(pkg: Package) -> str:
    for r in read_rels(pkg.text("_rels/.rels")):
        if r.type == OFFICE_DOC:
            return resolve_target("", r.target)
    raise ValueError("no officeDocument relationship")


def sheets_of(workbook_xml: str) -> list[SheetRef]:
    out = []
    # <sheet …/> or <sheet …></sheet>: the opening tag is what matters
    for m in re.finditer(r"<(?:\w+:)?sheet\b[^>]{0,8192}>", workbook_xml):
        a = attrs(m.group(0))
        rid = next((v for k, v in a.items() if k.endswith(":id") or k == "id"), "")
        out.append(SheetRef(a["name"], int(a["sheetId"]), rid, m.group(0)))
    return out


def owned_sheets(workbook_xml: str) -> set[str]:
    """Names of sheets carrying the tool's marker."""
    sheets = sheets_of(workbook_xml)
    owned = set()
    for m in re.finditer(r"<(?:\w+:)?definedName\b([^>]{0,8192})>", workbook_xml):
        a = attrs(m.group(0))
        if a.get("name") == MARKER and a.get("localSheetId", "").isdigit():
            i = int(a["localSheetId"])
            if i < len(sheets):
                owned.add(sheets[i].name)
    return owned


def sheet_parts(pkg: Package) -> tuple[str, dict[str, str]]:
    """(workbook part, {sheet name: worksheet part})."""
    wb = workbook_part(pkg)
    rels = {r.id: r for r in read_rels(_maybe(pkg, rels_path(wb)))}
    out = {}
    for s in sheets_of(pkg.text(wb)):
        r = rels.get(s.rid)
        if r is not None:
            out[s.name] = resolve_target(wb, r.target)
    return wb, out


def _maybe(pkg: Package, name: str) -> str | None:
    return pkg.text(name) if pkg.has(name) else None


def elements(xml: str, name: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, int, int]]:
    """(start, end of the opening tag, start of the closing tag, end) of each top-level
    ``<name …/>`` or ``<name …>…</name>`` in ``xml[start:end]`` (any prefix).  One pass
    over the opening tags and one over the closing ones: a comment holding 100,000
    unclosed ``<xf>`` costs what its length costs (a lazy ``.*?</xf>`` per tag was
    quadratic).  Self-closing tags have the tag's end as both middle positions."""
    end = len(xml) if end is None else end
    opening = re.compile(r"<(?:\w{1,30}:)?" + name + r"\b[^>]{0,8192}>")
    closing = re.compile(r"</(?:\w{1,30}:)?" + name + r"\s*>")
    closes = [(m.start(), m.end()) for m in closing.finditer(xml, start, end)]
    out, k, pos = [], 0, start
    for m in opening.finditer(xml, start, end):
        if m.start() < pos:
            continue                            # inside the element before
        if m.group(0).endswith("/>"):
            out.append((m.start(), m.end(), m.end(), m.end()))
            pos = m.end()
            continue
        while k < len(closes) and closes[k][0] < m.end():
            k += 1
        if k == len(closes):
            break                               # never closed: nothing more is an element
        out.append((m.start(), m.end(), *closes[k]))
        pos = closes[k][1]
        k += 1
    return out
