"""Editable DOCX in the Decree 30/2020/NĐ-CP layout (python-docx): A4, margins top/bottom 20 mm,
left 30 mm, right 15 mm, Times New Roman 13–14 pt, the two-column national header (agency left,
Quốc hiệu and tiêu ngữ right), number, place and date, then the title in bold capitals.

The font is named "Times New Roman" as the decree asks; LibreOffice substitutes the metric-compatible
Liberation Serif when Times is not installed, so the layout does not move."""

from datetime import date
from io import BytesIO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from motcua.core.pdf import NATIONAL_MOTTO, NATIONAL_SLOGAN, vn_date_phrase

FONT = "Times New Roman"
BODY_PT = 14


def _name_font(r_pr) -> None:
    """Name the font for every script of a run's properties (Word picks East Asian and complex-script text
    by their own attributes)."""
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.append(r_fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        r_fonts.set(qn(attr), FONT)


def _set_font(run, size: float | None = None, bold: bool | None = None, italic: bool | None = None) -> None:
    run.font.name = FONT
    _name_font(run._element.get_or_add_rPr())
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic


def new_document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _name_font(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    return doc


def paragraph(
    doc_or_cell,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    align: str = "justify",
    indent: bool = False,
    space_after: float | None = None,
):
    p = doc_or_cell.add_paragraph()
    p.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    if indent:
        p.paragraph_format.first_line_indent = Mm(12.7)
    if space_after is not None:
        p.paragraph_format.space_after = Pt(space_after)
    if text:
        _set_font(p.add_run(text), size=size, bold=bold, italic=italic)
    return p


def add_run(p, text: str, *, bold: bool = False, italic: bool = False, size: float | None = None):
    run = p.add_run(text)
    _set_font(run, size=size, bold=bold, italic=italic)
    return run


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _widths(table, widths_mm: list[float]) -> None:
    """Fixed column widths that Word and LibreOffice both honour (grid columns and every cell)."""
    table.autofit = False
    for i, w in enumerate(widths_mm):
        table.columns[i].width = Mm(w)
        for cell in table.columns[i].cells:
            cell.width = Mm(w)


def national_header(
    doc, *, parent_name: str, agency_name: str, number: str = "", place: str = "", on: date | None = None
) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    _widths(table, [62, 103])
    left, right = table.rows[0].cells
    for cell in (left, right):
        cell.paragraphs[0].text = ""
    p = left.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(0)
    add_run(p, parent_name.upper(), size=13)
    p = paragraph(left, agency_name.upper(), bold=True, size=13, align="center", space_after=0)
    p = paragraph(left, "―――――", size=9, align="center", space_after=2)
    if number:
        paragraph(left, number, size=13, align="center", space_after=0)
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(0)
    add_run(p, NATIONAL_MOTTO, bold=True, size=12.5)
    paragraph(right, NATIONAL_SLOGAN, bold=True, size=13.5, align="center", space_after=0)
    paragraph(right, "―――――――――――――――", size=9, align="center", space_after=2)
    if on is not None:
        paragraph(right, vn_date_phrase(place or "", on), italic=True, size=13.5, align="center", space_after=0)


def title(doc, text: str, subtitle: str = "") -> None:
    paragraph(doc, "", space_after=0)
    paragraph(doc, text.upper(), bold=True, align="center", space_after=0)
    if subtitle:
        paragraph(doc, subtitle, bold=True, align="center", space_after=0)
    paragraph(doc, "―――――――", size=9, align="center")


def heading(doc, text: str) -> None:
    paragraph(doc, text, bold=True, indent=True, space_after=3)


def table(doc, header: list[str], rows: list[list[str]], widths_mm: list[float] | None = None) -> None:
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(header):
        cell = t.rows[0].cells[i]
        cell.paragraphs[0].text = ""
        add_run(cell.paragraphs[0], text, bold=True, size=12)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in rows:
        cells = t.add_row().cells
        for i, text in enumerate(row):
            cells[i].paragraphs[0].text = ""
            add_run(cells[i].paragraphs[0], str(text), size=12)
    if widths_mm:
        _widths(t, widths_mm)
    paragraph(doc, "", space_after=0)


def signature_block(doc, *, left_lines: list[str], right_title: str, right_name: str = "") -> None:
    t = doc.add_table(rows=1, cols=2)
    _no_borders(t)
    _widths(t, [80, 85])
    left, right = t.rows[0].cells
    left.paragraphs[0].text = ""
    p = left.paragraphs[0]
    for i, line in enumerate(left_lines):
        if i == 0:
            add_run(p, line, bold=True, italic=True, size=12)
        else:
            paragraph(left, line, size=11, align="left", space_after=0)
    right.paragraphs[0].text = ""
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(p, right_title.upper(), bold=True, size=14)
    for _ in range(3):
        paragraph(right, "", space_after=0)
    if right_name:
        paragraph(right, right_name, bold=True, align="center")


def to_bytes(doc) -> bytes:
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
