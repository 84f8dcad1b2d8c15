"""The electronic receipt of a payment: a one-page PDF (ReportLab, core.pdf's fonts and national header),
signed with the agency's seal key (documents.signing, the SigningIdentity of kind agency_seal) when one is
configured and loads; unsigned otherwise (the page says so, the row has no signer)."""

from __future__ import annotations

import logging
from datetime import datetime
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from motcua.core.errors import ValidationFailed
from motcua.core.pdf import national_header, styles, vn_date_phrase
from motcua.documents import signing
from motcua.documents.selectors import agency_seal_identity, identity_signer

log = logging.getLogger("motcua.payments")


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def receipt_pdf(*, receipt, payment, dossier, agency, paid_at: datetime) -> bytes:
    st = styles()
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=15 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=f"Biên lai {receipt.label}",
        author=agency.name,
    )
    local = timezone.localtime(paid_at)
    rows = [
        ("Ký hiệu", f"BL-{agency.short_name}/{receipt.year}"),
        ("Số", receipt.label),
        ("Người nộp", dossier.applicant_name),
        ("Hồ sơ", f"{dossier.code} — {dossier.procedure_version.name}"),
        ("Nội dung", "Phí, lệ phí giải quyết thủ tục hành chính"),
        ("Số tiền", _vnd(payment.amount_vnd)),
        ("Hình thức", f"Thanh toán trực tuyến qua {payment.get_provider_display()}"),
        ("Mã thanh toán", payment.txn_ref),
        ("Mã giao dịch", payment.gateway_transaction_no),
        ("Thời điểm nộp", local.strftime("%H:%M %d/%m/%Y")),
    ]
    table = Table(
        [[Paragraph(f"<b>{escape(k)}</b>", st["body"]), Paragraph(escape(str(v)), st["body"])] for k, v in rows],
        colWidths=[45 * mm, 120 * mm],
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [
        national_header(
            parent_name=agency.superior_name,
            agency_name=agency.name,
            place_date=vn_date_phrase(agency.address.split(",")[-1].strip() or "Tỉnh", local.date()),
        ),
        Spacer(1, 6 * mm),
        Paragraph("<b>BIÊN LAI THU PHÍ, LỆ PHÍ ĐIỆN TỬ</b>", st["title"]),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 8 * mm),
        Paragraph("Biên lai điện tử do hệ thống một cửa điện tử lập khi cổng thanh toán xác nhận giao dịch.", st["small"]),
    ]
    doc.build(story)
    return buffer.getvalue()


def sign_with_agency_seal(pdf: bytes, *, agency) -> tuple[bytes, str]:
    """The PDF signed with the agency's seal (PAdES) and the signer's name; unchanged and "" without a key."""
    identity = agency_seal_identity(agency, required=False)
    if identity is None:
        return pdf, ""
    try:
        signer = identity_signer(identity)
        options = signing.SignOptions(kind=signing.SignerKind.SEAL, agency_name=agency.name, reason="Biên lai thu phí, lệ phí")
        return signing.sign_pdf_bytes(pdf, signer=signer, options=options), identity.display_name or signing.signer_common_name(
            signer
        )
    except (ValidationFailed, signing.SigningError):
        log.exception("receipt not signed: the agency's seal key did not load")
        return pdf, ""
