"""A one-page official document in the Decree 30 layout (ReportLab), for tests, the benchmark and demos."""

from datetime import date
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from motcua.core.pdf import national_header, styles, vn_date_phrase


def one_page_pdf(
    *,
    summary: str = "V/v triển khai ứng dụng chữ ký số trong văn bản điện tử",
    agency_name: str = "Ban Quản lý Khu kinh tế tỉnh",
    parent_name: str = "Ủy ban nhân dân tỉnh",
    number: str = "Số:      /BQL-VP",
    place: str = "Tỉnh",
    day: date | None = None,
    body: str = "Ban Quản lý Khu kinh tế tỉnh đề nghị các đơn vị trực thuộc thực hiện xử lý văn bản "
    "hoàn toàn trên môi trường điện tử và áp dụng chữ ký số theo quy định.",
    signer_title: str = "KT. TRƯỞNG BAN<br/>PHÓ TRƯỞNG BAN",
    signer_name: str = "Lê Quang Hưng",
) -> bytes:
    st = styles()
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=30 * mm,
        rightMargin=15 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=summary,
        author=agency_name,
    )
    story = [
        national_header(
            parent_name=parent_name, agency_name=agency_name, number=number, place_date=vn_date_phrase(place, day or date.today())
        ),
        Paragraph(summary, st["center"]),
        Spacer(1, 8 * mm),
        Paragraph(body, st["body"]),
        Spacer(1, 10 * mm),
        Paragraph(f"<b>{signer_title}</b>", _right(st)),
        Spacer(1, 30 * mm),
        Paragraph(f"<b>{signer_name}</b>", _right(st)),
    ]
    doc.build(story)
    return buffer.getvalue()


def _right(st):
    return ParagraphStyle("sig", parent=st["center"], leftIndent=85 * mm)
