"""One description of an official document, two renderings: editable DOCX (python-docx) and PDF
(ReportLab with the shipped Liberation Serif fonts). Minutes and reports build a `DocSpec` and render it
both ways, so the DOCX and the PDF always say the same thing. In core because both the reform app (inspection
minutes) and the reports app (the CCHC report) render with it."""

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from . import docx_layout
from . import pdf as core_pdf


@dataclass
class Block:
    kind: str  # heading | para | bullet | table
    text: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    widths_mm: list[float] | None = None


@dataclass
class DocSpec:
    parent_name: str
    agency_name: str
    number: str
    place: str
    on: date
    title: str
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)
    signature_title: str = ""
    signature_name: str = ""
    recipients: list[str] = field(default_factory=list)
    second_signature_title: str = ""
    second_signature_name: str = ""

    def heading(self, text: str) -> None:
        self.blocks.append(Block("heading", text))

    def para(self, text: str) -> None:
        self.blocks.append(Block("para", text))

    def bullet(self, text: str) -> None:
        self.blocks.append(Block("bullet", text))

    def table(self, header: list[str], rows: list[list], widths_mm: list[float] | None = None) -> None:
        self.blocks.append(Block("table", header=header, rows=[[str(c) for c in r] for r in rows], widths_mm=widths_mm))

    def plain_text(self) -> str:
        """Everything the document says, for tests and search."""
        parts = [self.parent_name, self.agency_name, self.number, self.title, self.subtitle]
        for b in self.blocks:
            parts.append(b.text)
            parts.extend(b.header)
            parts.extend(" ".join(r) for r in b.rows)
        return "\n".join(p for p in parts if p)


def render_docx(spec: DocSpec) -> bytes:
    doc = docx_layout.new_document()
    docx_layout.national_header(
        doc, parent_name=spec.parent_name, agency_name=spec.agency_name, number=spec.number, place=spec.place, on=spec.on
    )
    docx_layout.title(doc, spec.title, spec.subtitle)
    for b in spec.blocks:
        if b.kind == "heading":
            docx_layout.heading(doc, b.text)
        elif b.kind == "para":
            docx_layout.paragraph(doc, b.text, indent=True)
        elif b.kind == "bullet":
            docx_layout.paragraph(doc, f"- {b.text}", indent=True)
        elif b.kind == "table":
            docx_layout.table(doc, b.header, b.rows, b.widths_mm)
    if spec.second_signature_title:
        docx_layout.signature_block(
            doc,
            left_lines=[spec.second_signature_title.upper(), "", "", "", spec.second_signature_name],
            right_title=spec.signature_title,
            right_name=spec.signature_name,
        )
    else:
        docx_layout.signature_block(
            doc,
            left_lines=["Nơi nhận:", *[f"- {r};" for r in spec.recipients]],
            right_title=spec.signature_title,
            right_name=spec.signature_name,
        )
    return docx_layout.to_bytes(doc)


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(text), style)


def render_pdf(spec: DocSpec) -> bytes:
    st = core_pdf.styles()
    regular, bold = core_pdf.SERIF, core_pdf.SERIF_BOLD
    body = ParagraphStyle("body_j", parent=st["body"], alignment=TA_JUSTIFY, firstLineIndent=12 * mm, spaceAfter=4)
    head = ParagraphStyle("head", parent=body, fontName=bold)
    cell = ParagraphStyle("cell", parent=st["small"], fontName=regular)
    cell_bold = ParagraphStyle("cell_b", parent=cell, fontName=bold)
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=30 * mm,
        rightMargin=15 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=spec.title,
        author=spec.agency_name,
    )
    story = [
        core_pdf.national_header(
            widths_mm=(70, 95),
            parent_name=spec.parent_name,
            agency_name=spec.agency_name,
            place_date=core_pdf.vn_date_phrase(spec.place, spec.on),
            number=spec.number,
        ),
        Spacer(1, 6 * mm),
        _p(spec.title.upper(), st["title"]),
    ]
    if spec.subtitle:
        story.append(_p(spec.subtitle, st["center_bold"]))
    story.append(Spacer(1, 4 * mm))
    width = A4[0] - 45 * mm
    for b in spec.blocks:
        if b.kind == "heading":
            story.append(_p(b.text, head))
        elif b.kind == "para":
            story.append(_p(b.text, body))
        elif b.kind == "bullet":
            story.append(_p(f"- {b.text}", body))
        elif b.kind == "table":
            data = [[_p(h, cell_bold) for h in b.header]] + [[_p(c, cell) for c in r] for r in b.rows]
            widths = [w * mm for w in b.widths_mm] if b.widths_mm else [width / len(b.header)] * len(b.header)
            t = Table(data, colWidths=widths, repeatRows=1)
            t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#000000"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story += [t, Spacer(1, 3 * mm)]
    story.append(Spacer(1, 6 * mm))
    right = [_p(spec.signature_title.upper(), st["center_bold"]), Spacer(1, 18 * mm), _p(spec.signature_name, st["center_bold"])]
    if spec.second_signature_title:
        left = [
            _p(spec.second_signature_title.upper(), st["center_bold"]),
            Spacer(1, 18 * mm),
            _p(spec.second_signature_name, st["center_bold"]),
        ]
    else:
        left = [_p("Nơi nhận:", ParagraphStyle("nn", parent=cell_bold))] + [_p(f"- {r};", cell) for r in spec.recipients]
    sig = Table([[left, right]], colWidths=[width / 2, width / 2])
    sig.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(sig)
    doc.build(story)
    return buffer.getvalue()
