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

from xl_jiaoyan.errors import ForeignSheet
from xl_jiaoyan.io.xlsx.package import Package
from xl_jiaoyan.io.xlsx.parts import (
    CALC_CHAIN_TYPE, elements, REL_NS, SheetRef, WORKSHEET_CT, WORKSHEET_TYPE, _FORMULA, attrs, escape,
    explicit_labels, owned_sheets, prefix_of, quoteattr, read_rels, rels_path, resolve_target,
    sheet_parts, sheets_of, with_prefix, MARKER, MARKER_VALUE)
from xl_jiaoyan.io.xlsx.styles import StyleMerger

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
    for a, _, _, b in elements(workbook_xml, "definedName"):
        if attrs(workbook_xml[a:b]).get("localSheetId") == str(sheet_index):
            out.append(workbook_xml[a:b])
    return out


def _set_defined_names(wb_xml: str, index: int, names: list[str]) -> str:
    """Replace the tool's defined names of sheet ``index`` with ``names`` (already scoped)."""
    p = prefix_of(wb_xml, "workbook")
    ours = {MARKER, "_xlnm._FilterDatabase", "_xlnm.Print_Titles", "_xlnm.Print_Area"}

    kept, pos = [], 0          # one linear pass (a lazy .*?</definedName> per tag was quadratic)
    for a, _, _, b in elements(wb_xml, "definedName"):
        named = attrs(wb_xml[a:b])
        if named.get("localSheetId") == str(index) and named.get("name") in ours:
            kept.append(wb_xml[pos:a])
            pos = b
    wb_xml = "".join(kept) + wb_xml[pos:]
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


APP_XML_LIMIT = 256 * 1024


def _app_xml(app: str, old_names: list[str], new_names: list[str]) -> str:
    """Add new sheet names to docProps/app.xml when its sheet list is the usual one (a
    few KB; one over APP_XML_LIMIT is left as it is: the lazy matches below would cost
    its length squared, and the list only feeds the file's properties dialog)."""
    if not new_names or len(app) > APP_XML_LIMIT:
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
