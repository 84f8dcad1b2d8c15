"""Sending a periodic report (periodic.py): it leaves as an outgoing document of the agency, through the documents
app's one flow — a draft in the agency's outgoing register addressed to the agency above it, the report's PDF as the
main file (the leader's PAdES signature goes there when approving) and its XLSX and DOCX attached; the clerk then
numbers, seals (the agency's digital signature) and dispatches it, and the receiving agency finds it in its incoming
register with the signatures verified."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.core.models import Agency, User
from motcua.core.roles import Role, user_has_role
from motcua.core.selectors import province_office
from motcua.core.services import audit_record
from motcua.core.tenancy import ensure_can_act
from motcua.documents import services as documents
from motcua.documents.models import DocumentFile, DocumentType, RegisterKind

from .index766.periods import Period
from .periodic import FORM_CODE, period_phrase, periodic_report, report_file


def _recipient(agency: Agency) -> Agency | None:
    """The agency the report goes to: the one above it, else the province office (None for the province office)."""
    if agency.parent_id:
        return agency.parent
    top = province_office()
    return None if top is None or top.pk == agency.pk else top


def periodic_report_send(*, actor: User, agency: Agency, period: Period, cutoff_day: int | None = None, sign: bool | None = None):
    """Draft the report as an outgoing document of `agency` and submit it for signature; a leader sending it signs it
    at once (`sign` defaults to whether the actor is a leader: their personal key, 400 when none is configured). One
    transaction: nothing is kept when a step fails. Returns the outgoing document."""
    ensure_can_act(actor, agency.pk)
    report = periodic_report(agency=agency, period=period, cutoff_day=cutoff_day)
    pdf, _type, pdf_name = report_file(report, "pdf")
    xlsx_data, _type, xlsx_name = report_file(report, "xlsx")
    docx_data, _type, docx_name = report_file(report, "docx")
    doc_type = DocumentType.objects.filter(code="BC").first()
    if doc_type is None:
        raise ValidationFailed(_("Chưa có loại văn bản “Báo cáo” (mã BC) trong danh mục loại văn bản."))
    to = _recipient(agency)
    recipients = [{"agency": to, "name": to.name}] if to else [{"name": "Văn phòng Chính phủ (Cục Kiểm soát thủ tục hành chính)"}]
    sign = user_has_role(actor, Role.LEADER) if sign is None else sign
    with transaction.atomic():
        doc = documents.outgoing_create_draft(
            actor=actor,
            register=documents.default_register(agency=agency, kind=RegisterKind.OUTGOING, secret=False),
            doc_type=doc_type,
            summary=f"Báo cáo tình hình, kết quả giải quyết thủ tục hành chính {period_phrase(period)} (Biểu số {FORM_CODE})",
            recipients=recipients,
            files=[
                documents.FileInput(pdf_name, pdf, DocumentFile.Kind.MAIN),
                documents.FileInput(xlsx_name, xlsx_data, DocumentFile.Kind.ATTACHMENT),
                documents.FileInput(docx_name, docx_data, DocumentFile.Kind.ATTACHMENT),
            ],
        )
        doc = documents.outgoing_submit(actor=actor, document=doc)
        if sign:
            doc = documents.outgoing_approve(
                actor=actor, document=doc, digital=True, reason=f"Ký báo cáo định kỳ {period_phrase(period)}"
            )
        audit_record(
            actor=actor,
            action="reports.periodic.send",
            obj=doc,
            changes={
                "form": FORM_CODE,
                "agency": agency.short_name,
                "period": period.key,
                "start": report.start.isoformat(),
                "end": report.end.isoformat(),
                "figures": report.total,
                "xlsx_sha256": hashlib.sha256(xlsx_data).hexdigest(),
                "signed": sign,
            },
        )
    return doc
