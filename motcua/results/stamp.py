"""The verification stamp printed on an electronic result before it is signed: a QR code of the public
verification URL (core.pdf.qr_image) and the result number, bottom left of the first page, clear of the
signature boxes (documents.signing puts them bottom right of the last page)."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader, PdfWriter
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from motcua.core.pdf import SERIF, SERIF_BOLD, qr_image, register_fonts

QR_MM = 26
MARGIN = 18  # points from the left and bottom edges


def _overlay(width: float, height: float, *, url: str, label: str, agency: str) -> bytes:
    register_fonts()
    buffer = BytesIO()
    c = canvas.Canvas(buffer, pagesize=(width, height))
    qr_image(url, size_mm=QR_MM).drawOn(c, MARGIN, MARGIN)
    x = MARGIN + QR_MM * mm + 6
    c.setFont(SERIF_BOLD, 8)
    c.drawString(x, MARGIN + 40, f"Kết quả điện tử số: {label}")
    c.setFont(SERIF, 7)
    c.drawString(x, MARGIN + 30, f"Cơ quan cấp: {agency}")
    c.drawString(x, MARGIN + 20, "Quét mã QR hoặc truy cập địa chỉ dưới đây để xác minh:")
    c.setFont(SERIF, 6)
    c.drawString(x, MARGIN + 10, url)
    c.showPage()
    c.save()
    return buffer.getvalue()


def stamp_pdf(data: bytes, *, url: str, label: str, agency: str) -> bytes:
    """`data` with the stamp drawn over its first page (the file is rewritten: earlier signatures, if any,
    no longer cover it; the result is signed afterwards)."""
    reader = PdfReader(BytesIO(data))
    writer = PdfWriter(clone_from=reader)
    page = writer.pages[0]
    box = page.mediabox
    overlay = PdfReader(BytesIO(_overlay(float(box.width), float(box.height), url=url, label=label, agency=agency))).pages[0]
    page.merge_page(overlay)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
