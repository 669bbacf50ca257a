"""The notice as a printable .docx, laid out as a Chinese official notice.

Layout follows the usual 公文 conventions: A4 with wide margins; the title centred in a
bold Song face (二号, 22 pt), the date line under it centred; the salutation flush left;
body paragraphs in FangSong 三号 (16 pt) with a first-line indent of two characters;
section headings (一、二、…) in HeiTi; the sign-off and date right-aligned.  Roles are
taken from the paragraphs' places, as the template's header comment tells staff.
"""
from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from xl_jiaoyan.domain.textsafe import xml_text

TITLE_FONT, BODY_FONT, HEADING_FONT = "宋体", "仿宋", "黑体"
BODY_PT, SUBTITLE_PT, TITLE_PT = 16, 14, 22   # 三号, 四号, 二号
HEADING = re.compile(r"^[一二三四五六七八九十]+、")


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)      # Word uses this one for Chinese text


def _indent_chars(paragraph, chars: int) -> None:
    """First-line indent in characters (w:firstLineChars), so it follows the font size."""
    ind = paragraph._element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    paragraph.paragraph_format.first_line_indent = Pt(BODY_PT * chars)


def roles(paragraphs: list[str]) -> list[str]:
    """title | subtitle | salutation | heading | body | sign | blank, one per paragraph."""
    out = []
    n = len(paragraphs)
    for i, p in enumerate(paragraphs):
        if not p.strip():
            out.append("blank")
        elif i == 0:
            out.append("title")
        elif i == 1 and not p.endswith("："):
            out.append("subtitle")
        elif p.endswith("：") and i <= 2:
            out.append("salutation")
        elif n >= 4 and i >= n - 2:
            out.append("sign")
        elif HEADING.match(p):
            out.append("heading")
        else:
            out.append("body")
    return out


def _field(paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that the reader fills in when the page is laid out."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, f" {code} "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text.strip() == code:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)


def _page_numbers(paragraph) -> None:
    """第 N 页 共 M 页, centred at the foot of every page."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("第 ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" 页 共 ")
    _field(paragraph, "NUMPAGES")
    paragraph.add_run(" 页")
    for run in paragraph.runs:
        _font(run, BODY_FONT, 10.5)


def write_docx(paragraphs: list[str], path: Path) -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    for text, role in zip(paragraphs, roles(paragraphs)):
        par = doc.add_paragraph()
        fmt = par.paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), Pt(28)
        if role == "blank":
            continue
        run = par.add_run(xml_text(text))       # a control character typed into a plan item
        if role == "title":
            _font(run, TITLE_FONT, TITLE_PT, bold=True)
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.space_after, fmt.line_spacing = Pt(6), Pt(36)
        elif role == "subtitle":
            _font(run, BODY_FONT, SUBTITLE_PT)
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.space_after = Pt(12)
        elif role == "salutation":
            _font(run, BODY_FONT, BODY_PT)
        elif role == "sign":
            _font(run, BODY_FONT, BODY_PT)
            par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if text == paragraphs[-2]:
                fmt.space_before = Pt(24)
        elif role == "heading":
            _font(run, HEADING_FONT, BODY_PT)
            _indent_chars(par, 2)
        else:
            _font(run, BODY_FONT, BODY_PT)
            _indent_chars(par, 2)
    _page_numbers(section.footer.paragraphs[0])
    doc.core_properties.title = paragraphs[0] if paragraphs else ""
    doc.save(str(path))
