"""styles.xml: the default font, and merging the scratch workbook's styles into the user's (append-only)."""
from __future__ import annotations

import re

from xl_jiaoyan.io.xlsx.parts import attrs, elements, prefix_of, quoteattr, with_prefix

# --- styles ------------------------------------------------------------------------
_CONTAINERS = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles",
               "dxfs", "tableStyles", "colors", "extLst")
_CHILD = {"numFmts": "numFmt", "fonts": "font", "fills": "fill", "borders": "border",
          "cellXfs": "xf", "dxfs": "dxf"}


def children(xml: str, container: str) -> list[str]:
    found = elements(xml, container)
    if not found or found[0][1] == found[0][3]:
        return []
    _, inner_start, inner_end, _ = found[0]
    return [xml[a:b] for a, _, _, b in elements(xml, _CHILD[container], inner_start, inner_end)]


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


