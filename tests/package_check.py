"""Checks on a workbook package's bookkeeping: relationships and content types agree."""
from __future__ import annotations

import posixpath
import re
import zipfile
import xml.etree.ElementTree as ET

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _attrs(tag):
    return dict(re.findall(r'([\w:]+)="([^"]*)"', tag))


def package_problems(path) -> list[str]:
    z = zipfile.ZipFile(path)
    names = set(z.namelist())
    problems = []
    ct = z.read("[Content_Types].xml").decode()
    defaults = {_attrs(t)["Extension"].lower() for t in re.findall(r"<Default\b[^>]*>", ct)}
    overrides = {_attrs(t)["PartName"].lstrip("/") for t in re.findall(r"<Override\b[^>]*>", ct)}
    for o in overrides - names:
        problems.append(f"content type for a missing part: {o}")
    for n in names:
        if n.endswith("/") or n == "[Content_Types].xml":
            continue
        if n not in overrides and n.rsplit(".", 1)[-1].lower() not in defaults:
            problems.append(f"no content type: {n}")
    for n in names:
        if not n.endswith(".rels"):
            continue
        owner_dir = posixpath.dirname(posixpath.dirname(n))
        for tag in re.findall(r"<Relationship\b[^>]*>", z.read(n).decode()):
            a = _attrs(tag)
            if a.get("TargetMode") == "External":
                continue
            t = a["Target"]
            target = t[1:] if t.startswith("/") else posixpath.normpath(posixpath.join(owner_dir, t))
            if target not in names:
                problems.append(f"{n}: relationship to a missing part {target}")
    for n in sorted(names):
        if n.endswith((".xml", ".rels")):
            try:
                ET.fromstring(z.read(n))             # well-formed, every prefix declared
            except ET.ParseError as e:
                problems.append(f"{n}: not well-formed XML ({e})")
    wb = z.read("xl/workbook.xml").decode()
    try:
        root = ET.fromstring(wb)
    except ET.ParseError:
        root = None
    if root is not None and (root.findall(f"{MAIN}definedName") or len(root.findall(f"{MAIN}definedNames")) > 1):
        problems.append("definedName outside the one definedNames element")
    rels = z.read("xl/_rels/workbook.xml.rels").decode()
    ids = {_attrs(t)["Id"] for t in re.findall(r"<Relationship\b[^>]*>", rels)}
    sheets = re.findall(r"<sheet\b[^>]*>", wb)
    for s in sheets:
        if _attrs(s)["r:id"] not in ids:
            problems.append(f"sheet without relationship: {s}")
    if len({_attrs(s)["sheetId"] for s in sheets}) != len(sheets):
        problems.append("duplicate sheetId")
    defined = [(_attrs(t).get("name"), _attrs(t).get("localSheetId"))
               for t in re.findall(r"<definedName\b[^>]*>", wb)]
    if len(set(defined)) != len(defined):
        problems.append("a defined name twice in one scope")
    if len(re.findall(r'tabSelected="1"', "".join(
            z.read(n).decode() for n in names if n.startswith("xl/worksheets/sheet")))) > 1:
        problems.append("more than one selected tab")
    return problems
