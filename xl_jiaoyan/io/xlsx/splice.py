"""Splice output sheets into an existing workbook package.

The output sheets are first rendered into a scratch workbook; their parts are then put
into a copy of the user's package.  Only the bookkeeping parts that list sheets change
(workbook.xml, its .rels, [Content_Types].xml, docProps/app.xml), and styles.xml grows
append-only; every other part is copied byte for byte.  Sheets that the tool wrote before
(marked with a hidden sheet-scoped defined name) are replaced in place: same name,
sheetId and position.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from xl_jiaoyan.contract import OUTPUT_MARKER, OUTPUT_MARKER_VALUE
from xl_jiaoyan.errors import ForeignSheet
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


# --- styles ------------------------------------------------------------------------
_CONTAINERS = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles",
               "dxfs", "tableStyles", "colors", "extLst")
_CHILD = {"numFmts": "numFmt", "fonts": "font", "fills": "fill", "borders": "border",
          "cellXfs": "xf", "dxfs": "dxf"}


def children(xml: str, container: str) -> list[str]:
    m = re.search(r"<(\w+:)?" + container + r"\b[^>]{0,8192}?(/>|>(.*?)</(\w+:)?" + container + ">)",
                  xml, re.S)
    if not m or not m.group(3):
        return []
    child = _CHILD[container]
    return re.findall(r"<(?:\w+:)?" + child + r"\b(?:[^>]{0,8192}?/>|[^>]{0,8192}>.*?</(?:\w+:)?" + child + ">)",
                      m.group(3), re.S)


def default_font(styles_xml: str) -> tuple[str, float]:
    fonts = children(styles_xml, "fonts")
    name, size = "Calibri", 11.0
    if fonts:
        n = re.search(r"<(?:\w+:)?name\b[^>]{0,8192}val=\"([^\"]*)\"", fonts[0])
        s = re.search(r"<(?:\w+:)?sz\b[^>]{0,8192}val=\"([^\"]*)\"", fonts[0])
        name = n.group(1) if n else name
        try:
            size = float(s.group(1)) if s else size
        except ValueError:
            pass
    return name, size


def _strip_prefix(fragment: str) -> str:
    return re.sub(r"<(/?)\w+:", r"<\1", fragment)


class StyleMerger:
    """Appends the scratch workbook's formats to the original styles.xml (deduplicated)."""

    def __init__(self, original: str, scratch: str):
        self.xml = original
        self.prefix = prefix_of(original, "styleSheet")
        self.scratch = scratch
        self.xf_map: dict[int, int] = {}
        self.dxf_map: dict[int, int] = {}
        self._merge()

    def _append(self, container: str, fragment: str) -> int:
        """Index of ``fragment`` in the container, appending it when new."""
        existing = [_strip_prefix(c) for c in children(self.xml, container)]
        if fragment in existing:
            return existing.index(fragment)
        p = self.prefix
        new = with_prefix(fragment, p)
        m = re.search(r"<(\w+:)?" + container + r"\b([^>]{0,8192}?)(/?)>", self.xml)
        if m is None:
            self._insert_container(container, new)
        elif m.group(3) == "/":
            opening = f"<{p}{container} count=\"1\">"
            self.xml = self.xml[:m.start()] + opening + new + f"</{p}{container}>" + self.xml[m.end():]
        else:
            end = re.search(r"</(\w+:)?" + container + ">", self.xml[m.end():])
            at = m.end() + end.start()
            self.xml = self.xml[:at] + new + self.xml[at:]
            head = m.group(0)
            count = len(existing) + 1
            if re.search(r'\bcount="\d+"', head):
                head2 = re.sub(r'\bcount="\d+"', f'count="{count}"', head)
            else:
                head2 = head[:-1] + f' count="{count}">'
            self.xml = self.xml[:m.start()] + head2 + self.xml[m.end():]
        return len(existing)

    def _insert_container(self, container: str, new: str) -> None:
        p = self.prefix
        block = f"<{p}{container} count=\"1\">{new}</{p}{container}>"
        later = _CONTAINERS[_CONTAINERS.index(container) + 1:]
        for nxt in later:
            m = re.search(r"<(\w+:)?" + nxt + r"\b", self.xml)
            if m:
                self.xml = self.xml[:m.start()] + block + self.xml[m.start():]
                return
        at = self.xml.rindex("</")
        self.xml = self.xml[:at] + block + self.xml[at:]

    def _merge(self) -> None:
        s = self.scratch
        fmt_ids: dict[int, int] = {}
        taken = [int(a) for a in re.findall(r'numFmtId="(\d+)"',
                                            "".join(children(self.xml, "numFmts")))]
        next_id = max(taken + [163]) + 1
        codes = {attrs(c).get("formatCode"): int(attrs(c)["numFmtId"]) for c in children(self.xml, "numFmts")}
        for c in children(s, "numFmts"):
            a = attrs(c)
            code, old = a["formatCode"], int(a["numFmtId"])
            if code in codes:
                fmt_ids[old] = codes[code]
                continue
            fmt_ids[old] = codes[code] = next_id
            self._append("numFmts", f'<numFmt numFmtId="{next_id}" formatCode={quoteattr(code)}/>')
            next_id += 1
        font = self._map_list("fonts", keep=1)
        fill = self._map_list("fills", keep=2)
        border = self._map_list("borders", keep=1)
        for i, xf in enumerate(children(s, "cellXfs")):
            if i == 0:
                self.xf_map[0] = 0
                continue
            a = attrs(xf)
            num = int(a.get("numFmtId", 0))
            new = xf
            for key, value in (("numFmtId", fmt_ids.get(num, num)), ("fontId", font[int(a.get("fontId", 0))]),
                               ("fillId", fill[int(a.get("fillId", 0))]),
                               ("borderId", border[int(a.get("borderId", 0))]), ("xfId", 0)):
                new = re.sub(r'\b' + key + r'="\d+"', f'{key}="{value}"', new, count=1)
            self.xf_map[i] = self._append("cellXfs", _strip_prefix(new))
        for i, dxf in enumerate(children(s, "dxfs")):
            self.dxf_map[i] = self._append("dxfs", _strip_prefix(dxf))

    def _map_list(self, container: str, keep: int) -> list[int]:
        out = []
        for i, c in enumerate(children(self.scratch, container)):
            out.append(i if i < keep else self._append(container, _strip_prefix(c)))
        return out

    def remap_sheet(self, sheet_xml: str) -> str:
        xf = self.xf_map

        def cell(m):
            return f'{m.group(1)}="{xf.get(int(m.group(2)), 0)}"'
        sheet_xml = re.sub(r'(<c\b[^>]{0,8192}?\bs|<row\b[^>]{0,8192}?\bs|<col\b[^>]{0,8192}?\bstyle)="(\d+)"', cell, sheet_xml)
        sheet_xml = re.sub(r'(<cfRule\b[^>]{0,8192}?\bdxfId)="(\d+)"',
                           lambda m: f'{m.group(1)}="{self.dxf_map.get(int(m.group(2)), 0)}"', sheet_xml)
        return sheet_xml.replace(' tabSelected="1"', "")


# --- the splice -----------------------------------------------------------------------
def _closure(pkg_names: set[str], read, part: str) -> list[str]:
    """Parts reachable from ``part``'s relationships (drawings, charts, ...), with .rels."""
    out, todo = [], [part]
    while todo:
        p = todo.pop()
        rp = rels_path(p)
        if rp not in pkg_names:
            continue
        out.append(rp)
        for r in read_rels(read(rp)):
            if r.external:
                continue
            t = resolve_target(p, r.target)
            if t in pkg_names and t not in out:
                out.append(t)
                todo.append(t)
    return out


def _free_name(taken: set[str], like: str) -> str:
    d, f = posixpath.split(like)
    m = re.fullmatch(r"([^\d]*?)(\d*)(\.\w+)", f)
    stem, ext = (m.group(1), m.group(3)) if m else (f, "")
    n = 1
    while posixpath.join(d, f"{stem}{n}{ext}") in taken:
        n += 1
    name = posixpath.join(d, f"{stem}{n}{ext}")
    taken.add(name)
    return name


def _relative(from_part: str, to_part: str) -> str:
    return posixpath.relpath(to_part, posixpath.dirname(from_part))


def _content_types(pkg: Package) -> str:
    return pkg.text("[Content_Types].xml")


def _override(ct: str, part: str, ctype: str | None) -> str:
    """Set (or with ctype None remove) the Override for a part."""
    pat = re.compile(r'<(\w+:)?Override\b[^>]{0,8192}PartName="/' + re.escape(part) + r'"[^>]{0,8192}/>')
    ct = pat.sub("", ct)
    if ctype:
        p = prefix_of(ct, "Types")
        at = ct.rindex("</")
        ct = ct[:at] + f'<{p}Override PartName="/{escape(part)}" ContentType="{ctype}"/>' + ct[at:]
    return ct


def _ensure_default(ct: str, ext: str, ctype: str) -> str:
    if re.search(r'<(\w+:)?Default\b[^>]{0,8192}Extension="' + re.escape(ext) + '"', ct, re.I):
        return ct
    p = prefix_of(ct, "Types")
    m = re.search(r"<(\w+:)?Types\b[^>]{0,8192}>", ct)
    return ct[:m.end()] + f'<{p}Default Extension="{ext}" ContentType="{ctype}"/>' + ct[m.end():]


def _scratch_types(scratch: Package) -> tuple[dict[str, str], dict[str, str]]:
    ct = scratch.text("[Content_Types].xml")
    overrides = {attrs(m)["PartName"].lstrip("/"): attrs(m)["ContentType"]
                 for m in re.findall(r"<Override\b[^>]{0,8192}/>", ct)}
    defaults = {attrs(m)["Extension"]: attrs(m)["ContentType"]
                for m in re.findall(r"<Default\b[^>]{0,8192}/>", ct)}
    return overrides, defaults


def _defined_names(workbook_xml: str, sheet_index: int) -> list[str]:
    """Scratch workbook's defined names for one sheet (print titles, filter database)."""
    out = []
    for m in re.finditer(r"<definedName\b[^>]{0,8192}>.*?</definedName>", workbook_xml, re.S):
        if attrs(m.group(0)).get("localSheetId") == str(sheet_index):
            out.append(m.group(0))
    return out


def _set_defined_names(wb_xml: str, index: int, names: list[str]) -> str:
    """Replace the tool's defined names of sheet ``index`` with ``names`` (already scoped)."""
    p = prefix_of(wb_xml, "workbook")
    ours = {MARKER, "_xlnm._FilterDatabase", "_xlnm.Print_Titles", "_xlnm.Print_Area"}

    def drop(m):
        a = attrs(m.group(0))
        if a.get("localSheetId") == str(index) and a.get("name") in ours:
            return ""
        return m.group(0)
    wb_xml = re.sub(r"<(\w+:)?definedName\b[^>]{0,8192}>.*?</(\w+:)?definedName>", drop, wb_xml, flags=re.S)
    block = "".join(with_prefix(n, p) for n in names)
    empty = re.search(r"<(\w+:)?definedNames\s*/>", wb_xml)      # openpyxl writes <definedNames/>
    if empty:
        return wb_xml[:empty.start()] + f"<{p}definedNames>{block}</{p}definedNames>" + wb_xml[empty.end():]
    m = re.search(r"<(\w+:)?definedNames\b[^>]{0,8192}(?<!/)>", wb_xml)
    if m:
        return wb_xml[:m.end()] + block + wb_xml[m.end():]
    ends = [x for x in re.finditer(r"</(\w+:)?(?:sheets|functionGroups|externalReferences)>", wb_xml)]
    at = ends[-1].end()
    return wb_xml[:at] + f"<{p}definedNames>{block}</{p}definedNames>" + wb_xml[at:]


def _app_xml(app: str, old_names: list[str], new_names: list[str]) -> str:
    """Add new sheet names to docProps/app.xml when its sheet list is the usual one."""
    if not new_names:
        return app
    titles = re.search(r"<(\w+:)?TitlesOfParts>\s*<(\w+:)?vector\b([^>]{0,8192})>(.*?)</(\w+:)?vector>", app, re.S)
    pairs = re.search(r"<(\w+:)?HeadingPairs>\s*<(\w+:)?vector\b[^>]{0,8192}>\s*<(\w+:)?variant>\s*"
                      r"<(\w+:)?lpstr>[^<]*</(\w+:)?lpstr>\s*</(\w+:)?variant>\s*<(\w+:)?variant>\s*"
                      r"<(\w+:)?i4>(\d+)</(\w+:)?i4>", app, re.S)
    if not titles or not pairs:
        return app
    items = re.findall(r"<(?:\w+:)?lpstr>(.*?)</(?:\w+:)?lpstr>", titles.group(4), re.S)
    k = int(pairs.group(9))
    from html import unescape
    if [unescape(x) for x in items[:k]] != old_names or k != len(old_names):
        return app
    vt = titles.group(2) or ""
    insert = "".join(f"<{vt}lpstr>{escape(n)}</{vt}lpstr>" for n in new_names)
    lp = list(re.finditer(r"</(?:\w+:)?lpstr>", titles.group(4)))
    offset = titles.start(4) + (lp[k - 1].end() if k else 0)
    app = app[:offset] + insert + app[offset:]
    app = app[:titles.start(3)] + re.sub(r'size="\d+"', f'size="{len(items) + len(new_names)}"',
                                          titles.group(3)) + app[titles.end(3):]
    pairs = re.search(r"(<(?:\w+:)?HeadingPairs>.*?<(?:\w+:)?i4>)(\d+)(</)", app, re.S)
    return app[:pairs.start(2)] + str(k + len(new_names)) + app[pairs.end(2):]


_SELECTED = re.compile(r'<(?:\w+:)?sheetView\b[^>]{0,8192}?\btabSelected="(?:1|true)"[^>]{0,8192}>')
_SELECTED_ATTR = re.compile(r'\s+tabSelected="(?:1|true)"')
_SELECTED_BYTES = re.compile(_SELECTED.pattern.encode())
_SELECTED_ATTR_BYTES = re.compile(_SELECTED_ATTR.pattern.encode())
_SHEET_DATA = re.compile(rb"<(?:\w{1,30}:)?sheetData\b")
HEAD_BYTES = 1 << 16     # a sheet's views come before its cells: this much of it says whether it is selected


def _views_end(xml: bytes) -> int:
    """Where a sheet's cells begin: its views are before that."""
    m = _SHEET_DATA.search(xml)
    return m.start() if m else len(xml)


def _selected(pkg: Package, part: str) -> bool:
    """Whether a sheet is a selected tab, from the start of its part only (the cells of a
    large sheet are neither inflated nor searched)."""
    with pkg.zip.open(part) as f:
        head = f.read(HEAD_BYTES)
        while _SHEET_DATA.search(head) is None and len(head) % HEAD_BYTES == 0 and head:
            more = f.read(HEAD_BYTES)         # views larger than the first piece: read on
            if not more:
                break
            head += more
    return _SELECTED_BYTES.search(head, 0, _views_end(head)) is not None


def _open_on(wb_xml: str, index: int) -> str:
    """The workbook opens on sheet ``index``: activeTab on the first window (firstSheet,
    the first tab shown in the tab bar, moved back if it would hide that sheet)."""
    def view(m):
        tag = re.sub(r'\s+activeTab="\d+"', "", m.group(0))
        first = re.search(r'\bfirstSheet="(\d+)"', tag)
        if first and int(first.group(1)) > index:
            tag = tag.replace(first.group(0), f'firstSheet="{index}"')
        return re.sub(r"\s*(/?)>$", lambda e: f' activeTab="{index}"{e.group(1)}>', tag, count=1)
    return re.sub(r"<(?:\w+:)?workbookView\b[^>]{0,8192}>", view, wb_xml, count=1)


def plan_splice(pkg: Package, scratch: Package, names: list[str], stream=None):
    """Compute (replace, delete, add) maps that put scratch sheets ``names`` into ``pkg``.

    ``stream(name, sheet_xml, xf_map)``, when given, makes each sheet's part from the
    scratch sheet (already in the workbook's style ids) and the merge's map of scratch
    style ids: bytes, or a ``package.Stream`` written in chunks."""
    wb_part, parts = sheet_parts(pkg)
    wb_xml = pkg.text(wb_part)
    wb_rels_part = rels_path(wb_part)
    wb_rels = pkg.text(wb_rels_part)
    sheets = sheets_of(wb_xml)
    owned = owned_sheets(wb_xml)
    existing = {s.name: s for s in sheets}
    lowered = {s.name.lower(): s.name for s in sheets}
    for n in names:
        if n.lower() in lowered and lowered[n.lower()] not in owned:
            raise ForeignSheet(lowered[n.lower()])

    pkg_names = set(pkg.names())
    taken = set(pkg_names)
    replace: dict[str, bytes] = {}
    delete: set[str] = set()
    add: dict[str, bytes] = {}
    ct = _content_types(pkg)

    styles_part = next((resolve_target(wb_part, r.target) for r in read_rels(wb_rels)
                        if r.type.endswith("/styles")), None)
    s_wb_part, s_parts = sheet_parts(scratch)
    s_wb_xml = scratch.text(s_wb_part)
    s_names = [s.name for s in sheets_of(s_wb_xml)]
    merger = StyleMerger(pkg.text(styles_part), scratch.text(resolve_target(s_wb_part, "styles.xml")))
    s_overrides, s_defaults = _scratch_types(scratch)
    s_all = set(scratch.names())
    calc_chain_dirty = False
    has_calc_chain = any(r.type == CALC_CHAIN_TYPE for r in read_rels(wb_rels))
    appended: list[str] = []

    def body(name: str, xml: str):
        data = xml.encode("utf-8")
        return stream(name, data, merger.xf_map) if stream else data

    for n in names:
        s_part = s_parts[n]
        sheet_xml = merger.remap_sheet(scratch.text(s_part))
        if n == names[0]:                   # the first output sheet is the one the book opens on
            sheet_xml = re.sub(r"<((?:\w+:)?)sheetView\b", r'<\1sheetView tabSelected="1"', sheet_xml, count=1)
        if n in existing or n.lower() in lowered:
            ref = existing[lowered[n.lower()]]
            part = parts[ref.name]
            index = sheets.index(ref)
            if has_calc_chain and not calc_chain_dirty:      # the old sheet had formulas: bytes, one pass
                calc_chain_dirty = _FORMULA.search(pkg.read(part)) is not None
            for p in _closure(pkg_names, pkg.text, part):
                delete.add(p)
                taken.discard(p)     # free again: the new closure may reuse the name
                if not p.endswith(".rels"):
                    ct = _override(ct, p, None)
            replace[part] = body(n, sheet_xml)
        else:
            part = _free_name(taken, "xl/worksheets/sheet1.xml")
            sheet_id = max([s.sheet_id for s in sheets] + [0]) + 1
            rid_n = 1
            used = set(re.findall(r'Id="([^"]*)"', wb_rels))
            while f"rId{rid_n}" in used:
                rid_n += 1
            rid = f"rId{rid_n}"
            rp = prefix_of(wb_rels, "Relationships")
            at = wb_rels.rindex("</")
            wb_rels = (wb_rels[:at] + f'<{rp}Relationship Id="{rid}" Type="{WORKSHEET_TYPE}" '
                       f'Target="{escape(_relative(wb_part, part))}"/>' + wb_rels[at:])
            p = prefix_of(wb_xml, "workbook")
            root = re.search(r"<(\w+:)?workbook\b[^>]{0,8192}>", wb_xml).group(0)   # declared on the root?
            r_prefix = re.search(r'xmlns:(\w+)="' + re.escape(REL_NS) + '"', root)
            if r_prefix is None:
                wb_xml = re.sub(r"<(\w+:)?workbook\b", lambda m: m.group(0) + f' xmlns:r="{REL_NS}"',
                                wb_xml, count=1)
                rpfx = "r"
            else:
                rpfx = r_prefix.group(1)
            tag = f"<{p}sheet name={quoteattr(n)} sheetId=\"{sheet_id}\" {rpfx}:id=\"{rid}\"/>"
            end = re.search(r"</(\w+:)?sheets>", wb_xml)
            wb_xml = wb_xml[:end.start()] + tag + wb_xml[end.start():]
            ref = SheetRef(n, sheet_id, rid, tag)
            sheets.append(ref)
            existing[n] = ref
            lowered[n.lower()] = n
            index = len(sheets) - 1
            ct = _override(ct, part, WORKSHEET_CT)
            add[part] = body(n, sheet_xml)
            appended.append(n)
        # the sheet's own related parts (drawings, charts), renamed into free names
        closure = _closure(s_all, scratch.text, s_part)
        renames = {s_part: part}
        for p in closure:
            if not p.endswith(".rels"):
                renames[p] = _free_name(taken, p)
        for p in closure:
            if p.endswith(".rels"):
                owner = p.replace("/_rels/", "/")[:-5]
                text = scratch.text(p)
                for r in read_rels(text):
                    if r.external:
                        continue
                    t = resolve_target(owner, r.target)
                    if t in renames:
                        text = text.replace(f'Target="{r.target}"',
                                            f'Target="{_relative(renames[owner], renames[t])}"')
                add[rels_path(renames[owner])] = text.encode("utf-8")
            else:
                add[renames[p]] = explicit_labels(scratch.read(p)) if "/charts/" in p else scratch.read(p)
                ext = p.rsplit(".", 1)[-1]
                if p in s_overrides:
                    ct = _override(ct, renames[p], s_overrides[p])
                elif ext in s_defaults:
                    ct = _ensure_default(ct, ext, s_defaults[ext])
        scoped = [re.sub(r'localSheetId="\d+"', f'localSheetId="{index}"', d)
                  for d in _defined_names(s_wb_xml, s_names.index(n))]
        scoped.append(f'<definedName name="{MARKER}" localSheetId="{index}" hidden="1">'
                      f'{escape(MARKER_VALUE)}</definedName>')
        wb_xml = _set_defined_names(wb_xml, index, scoped)

    if names:
        wb_xml = _open_on(wb_xml, sheets.index(existing[lowered[names[0].lower()]]))
        outputs = {lowered[n.lower()] for n in names}
        for ref in sheets:                  # one selected tab: the others would be grouped with it
            if ref.name not in outputs and ref.name in parts and _selected(pkg, parts[ref.name]):
                xml = pkg.read(parts[ref.name])
                view = _SELECTED_BYTES.search(xml, 0, _views_end(xml))
                if view:
                    replace[parts[ref.name]] = (xml[:view.start()] + _SELECTED_ATTR_BYTES.sub(b"", view.group(0))
                                                + xml[view.end():])

    if calc_chain_dirty:
        for r in read_rels(wb_rels):
            if r.type == CALC_CHAIN_TYPE:
                target = resolve_target(wb_part, r.target)
                delete.add(target)
                ct = _override(ct, target, None)
                wb_rels = re.sub(r"<(\w+:)?Relationship\b[^>]{0,8192}Id=\"" + re.escape(r.id) + r"\"[^>]{0,8192}/>",
                                 "", wb_rels)
    replace[wb_part] = wb_xml.encode("utf-8")
    replace[wb_rels_part] = wb_rels.encode("utf-8")
    replace[styles_part] = merger.xml.encode("utf-8")
    replace["[Content_Types].xml"] = ct.encode("utf-8")
    if appended and pkg.has("docProps/app.xml"):
        old_names = [s.name for s in sheets if s.name not in appended]
        app = _app_xml(pkg.text("docProps/app.xml"), old_names, appended)
        replace["docProps/app.xml"] = app.encode("utf-8")
    for k in [k for k in add if k in delete]:   # a part replaced under its old name
        replace[k] = add.pop(k)
        delete.discard(k)
    for k in list(replace):
        if k in delete:
            delete.discard(k)
        if k in add:
            replace.pop(k)
    # keep byte-identical what did not really change
    for k in [k for k, v in replace.items() if pkg.has(k) and pkg.read(k) == v]:
        replace.pop(k)
    return replace, delete, add
