"""Writes of the electronic results: issuing one (one transaction, audited last)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import ConflictError, PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from motcua.core.models import Agency, User
from motcua.core.roles import Role, user_has_role
from motcua.core.services import audit_record
from motcua.core.tenancy import ensure_can_act
from motcua.core.transitions import Actor, require_actor
from motcua.core.uploads import DOCX, PDF, upload_check_field
from motcua.documents import signing
from motcua.documents.selectors import agency_seal_identity, identity_signer, person_signing_identity
from motcua.dossiers.models import Dossier, Status
from motcua.papers.models import Source
from motcua.papers.services import paper_store

from .models import ElectronicResult, ResultCounter
from .stamp import stamp_pdf
from .templating import TemplateError, render_template

ISSUABLE = (Status.DECIDED, Status.RETURNED)


def verification_url(token: str) -> str:
    return settings.SITE_URL + reverse("results:verify", kwargs={"token": token})


def result_label(*, number: int, year: int, agency: Agency) -> str:
    """`07/2026/KQ-BQL`: the number in the agency's register of electronic results for the year."""
    return f"{number:02d}/{year}/KQ-{agency.short_name}"


def result_next_number(*, agency: Agency, year: int) -> int:
    """The next result number of `agency` in `year`. Must run inside the caller's transaction: the counter
    row stays locked until it commits, so concurrent callers wait; a rollback gives the number back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("result_next_number must be called inside transaction.atomic()")
    ResultCounter.objects.get_or_create(agency=agency, year=year)
    counter = ResultCounter.objects.select_for_update().get(agency=agency, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _prepared_source(actor: User, dossier: Dossier, source) -> bytes | None:
    """The uploaded source as PDF bytes, before any lock is taken: a PDF as it is; a DOCX template filled with
    the dossier's data and converted (LibreOffice, seconds: never under the counter's lock)."""
    if source is None:
        return None
    checked = upload_check_field(source, field="source", types=(PDF, DOCX))
    source.seek(0)
    data = source.read()
    if checked.content_type != DOCX:
        return data
    fresh = Dossier.objects.select_related("agency", "procedure_version").get(pk=dossier.pk)
    ensure_can_act(actor, fresh.agency_id)  # no work for a dossier the actor may not act on
    if fresh.status not in ISSUABLE:
        raise TransitionNotAllowed(_("Hồ sơ chưa có quyết định giải quyết nên chưa phát hành được kết quả điện tử."))
    try:
        return render_template(data, fresh)
    except TemplateError as exc:
        raise ValidationFailed(fields={"source": [str(exc)]}) from None


def _source_bytes(dossier: Dossier, source: bytes | None) -> bytes:
    """The decision document: the prepared upload, else the dossier's result file when it is a PDF."""
    if source is not None:
        return source
    if dossier.result_file:
        with dossier.result_file.open("rb") as handle:
            data = handle.read()
        if signing.is_pdf(data):
            return data
    raise ValidationFailed(fields={"source": [_("Cần tải lên văn bản kết quả dạng PDF.")]})


def result_issue(*, actor: Actor, dossier: Dossier, source=None, at: datetime | None = None) -> ElectronicResult:
    """Issue the electronic result of a decided dossier from `source` (an uploaded PDF, or a DOCX template with
    `{{ placeholders }}` filled with the dossier's data: templating.py; none: the dossier's PDF result file).
    Number it (per agency and year), stamp the QR code of
    its verification page and the number on the PDF, sign it with the leader's key and then the agency seal
    (PAdES, documents.signing). Only a leader of the dossier's agency issues it (another agency: 404)."""
    require_actor(actor)
    if not isinstance(actor, User) or not user_has_role(actor, Role.LEADER):
        raise PermissionDeniedError(_("Chỉ lãnh đạo có chữ ký số mới phát hành được kết quả điện tử."))
    at = at or timezone.now()
    prepared = _prepared_source(actor, dossier, source)
    with transaction.atomic():
        d = Dossier.objects.select_for_update(of=("self",)).select_related("agency", "procedure_version").get(pk=dossier.pk)
        ensure_can_act(actor, d.agency_id)
        if d.status not in ISSUABLE:
            raise TransitionNotAllowed(_("Hồ sơ chưa có quyết định giải quyết nên chưa phát hành được kết quả điện tử."))
        if ElectronicResult.objects.filter(dossier=d).exists():
            raise ConflictError(_("Hồ sơ đã có kết quả điện tử."))
        agency = d.agency
        data = _source_bytes(d, prepared)
        leader_identity = person_signing_identity(actor)
        seal_identity = agency_seal_identity(agency)
        leader, seal = identity_signer(leader_identity), identity_signer(seal_identity)

        year = timezone.localtime(at).year
        number = result_next_number(agency=agency, year=year)
        label = result_label(number=number, year=year, agency=agency)
        token = secrets.token_urlsafe(32)
        try:
            stamped = stamp_pdf(data, url=verification_url(token), label=label, agency=agency.name)
            signed = signing.sign_pdf_bytes(
                stamped,
                signer=leader,
                options=signing.SignOptions(
                    kind=signing.SignerKind.SIGNER,
                    signer_name=leader_identity.display_name or actor.display_name,
                    title=actor.position,
                    agency_name=agency.name,
                    reason="Ký kết quả giải quyết thủ tục hành chính",
                    location=agency.province,
                    field_name=f"LanhDao_KQ_{number}",
                ),
            )
            signed = signing.sign_pdf_bytes(
                signed,
                signer=seal,
                options=signing.SignOptions(
                    kind=signing.SignerKind.SEAL,
                    signer_name=seal_identity.display_name or agency.name,
                    agency_name=agency.name,
                    extra_line=f"Số: {label}",
                    reason="Ký số của cơ quan, tổ chức",
                    location=agency.province,
                    field_name=f"CoQuan_KQ_{number}",
                ),
            )
        except signing.SigningError as exc:
            raise ValidationFailed(str(exc)) from None
        except Exception as exc:  # a PDF pypdf/pyHanko cannot rewrite
            raise ValidationFailed(fields={"source": [_("Không xử lý được tệp PDF: %(e)s") % {"e": str(exc)[:200]}]}) from None
        digest = hashlib.sha256(signed).hexdigest()
        result = ElectronicResult(
            dossier=d,
            agency=agency,
            year=year,
            number=number,
            label=label,
            token=token,
            sha256=digest,
            source_sha256=hashlib.sha256(data).hexdigest(),
            procedure_name=d.procedure_version.name,
            issued_at=at,
            issued_by=actor,
        )
        result.file.save(f"{d.code}-ket-qua-{digest[:12]}.pdf", ContentFile(signed), save=False)
        result.save()
        # The result joins the applicant's store of papers (a reference to the signed file), reusable later.
        paper_store(
            actor=actor,
            dossier=d,
            source=Source.ELECTRONIC_RESULT,
            file=result.file,
            sha256=digest,
            content_type="application/pdf",
            size=len(signed),
            name=d.procedure_version.name,
            original_name=result.file.name.rsplit("/", 1)[-1],
            issuer=agency.name,
            reference=label,
            at=at,
        )
        audit_record(
            actor=actor,
            action="electronic_result.issue",
            obj=result,
            changes={"dossier": d.code, "label": label, "sha256": digest},
        )
    return result
