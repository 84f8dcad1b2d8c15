"""Writes of the reports app: issuing a CCHC report (the rendered DOCX/PDF and its figures stored as
issued, never changed afterwards)."""

import hashlib

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from motcua.core.errors import ConflictError, PermissionDeniedError
from motcua.core.models import Agency, User
from motcua.core.rendering import render_docx, render_pdf
from motcua.core.roles import Role, user_has_role
from motcua.core.services import audit_record
from motcua.documents import signing
from motcua.documents.models import SigningIdentity

from .cchc import report_spec
from .models import IssuedReport
from .selectors import cchc_report, report_figures_json


def _sign(pdf: bytes, *, actor: User, agency: Agency) -> tuple[bytes, list[str]]:
    """The issuing leader's signature, then the agency seal (PAdES, as outgoing documents are signed), with the
    signing identities the documents app keeps. An identity that is missing or whose key cannot be opened
    (no passphrase in the environment) is skipped: the copy is stored with the signatures that could be made."""
    identities = [
        (
            SigningIdentity.objects.filter(user=actor, kind=SigningIdentity.Kind.PERSON, is_active=True).first(),
            signing.SignOptions(
                kind=signing.SignerKind.SIGNER,
                signer_name=actor.display_name,
                title=actor.position,
                agency_name=agency.name,
                reason="Ban hành báo cáo CCHC",
            ),
        ),
        (
            SigningIdentity.objects.filter(agency=agency, kind=SigningIdentity.Kind.AGENCY_SEAL, is_active=True).first(),
            signing.SignOptions(kind=signing.SignerKind.SEAL, agency_name=agency.name, reason="Ban hành báo cáo CCHC"),
        ),
    ]
    names = []
    for identity, options in identities:
        if identity is None:
            continue
        try:
            signer = signing.load_signer(identity.pkcs12_path, passphrase_env=identity.passphrase_env or None)
        except signing.SigningError:
            continue
        pdf = signing.sign_pdf_bytes(pdf, signer=signer, options=options)
        names.append(identity.display_name or signing.signer_common_name(signer))
    return pdf, names


def cchc_report_issue(*, actor: User, agency: Agency, year: int) -> IssuedReport:
    """Issue the CCHC report of `year` as it reads now: store its DOCX, PDF and figures (JSON) with their
    SHA-256; the PDF signed by the leader and with the agency seal when their keys are configured. A leader of
    the agency issues; issuing again makes a new numbered copy, the earlier ones stay."""
    if not (actor.is_superuser or (user_has_role(actor, Role.LEADER) and getattr(actor, "agency", None) == agency)):
        raise PermissionDeniedError("Chỉ lãnh đạo của cơ quan được ban hành báo cáo.")
    report = cchc_report(agency=agency, year=year)
    spec = report_spec(report)
    docx = render_docx(spec)
    pdf, signed_by = _sign(render_pdf(spec), actor=actor, agency=agency)
    name = f"bao-cao-cchc-{agency.short_name.lower()}-{year}"
    try:
        with transaction.atomic():
            number = (IssuedReport.objects.filter(agency=agency, year=year).aggregate(n=Max("number"))["n"] or 0) + 1
            issued = IssuedReport(
                agency=agency,
                year=year,
                number=number,
                period_end=report.on,
                issued_at=timezone.now(),
                issued_by=actor,
                figures=report_figures_json(report),
                docx_sha256=hashlib.sha256(docx).hexdigest(),
                pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                signed_by="; ".join(signed_by)[:500],
            )
            issued.docx.save(f"{name}-lan-{number}.docx", ContentFile(docx), save=False)
            issued.pdf.save(f"{name}-lan-{number}.pdf", ContentFile(pdf), save=False)
            issued.save()
            audit_record(
                actor=actor,
                action="reports.cchc.issue",
                obj=issued,
                changes={"year": year, "number": number, "docx_sha256": issued.docx_sha256, "pdf_sha256": issued.pdf_sha256},
            )
    except IntegrityError:
        raise ConflictError("Báo cáo vừa được ban hành bởi người khác; tải lại trang.")
    return issued
