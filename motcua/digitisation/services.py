"""Writes of digitisation at reception: find the scanned papers to digitise, run their OCR jobs (the worker,
`manage.py run_ocr_worker`), certify the result with the receiving agency's seal, requeue a failed job (staff).

The counter's intake writes nothing here and waits for nothing: the worker finds the new digitised files itself
(`ocr_jobs_discover`, a primary-key range scan behind the newest job), so the intake's statements and time are
unchanged. A job is claimed with SKIP LOCKED and committed "running" before the minutes of OCR, which run outside
any transaction; the outcome is written in one transaction with its audit entry. A failure is retried with
back-off up to DIGITISATION_MAX_ATTEMPTS; a job left running longer than DIGITISATION_LEASE_SECONDS (its worker
died) is taken again."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from motcua.core.models import Agency, User
from motcua.core.roles import Role, user_has_role
from motcua.core.services import audit_record
from motcua.core.tenancy import ensure_can_act
from motcua.core.text import search_text
from motcua.core.transitions import SYSTEM, Actor, require_actor
from motcua.documents import signing
from motcua.documents.selectors import agency_seal_identity, identity_signer
from motcua.dossiers.models import DossierFile
from motcua.papers.models import PaperReuse
from motcua.papers.services import paper_store_certified_copy

from .models import OcrJob, OcrPage
from .ocr import IMAGE_TYPES, PDF, OcrError, run_ocr

logger = logging.getLogger("motcua.digitisation")

Status = OcrJob.Status
DIGITISED_KINDS = ("component", "supplement")  # the papers received; a result file is not a scan of a paper
OCR_TYPES = (PDF, *IMAGE_TYPES)
# Files committed out of order (a slower intake's lower id after a higher one was seen) are caught by looking
# this many ids behind the newest job's file.
LOOKBACK_IDS = 1000
RETRY_ROLES = (Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER)


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(settings.DIGITISATION_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0), 6 * 3600))


def files_to_digitise():
    """Dossier files that are scans of papers received at reception: marked digitised, a received paper (not
    the result), a PDF or an image. A paper reused from the applicant's store is not scanned again: it was
    digitised when it was stored."""
    return DossierFile.objects.filter(digitised=True, kind__in=DIGITISED_KINDS, content_type__in=OCR_TYPES).exclude(
        Exists(PaperReuse.objects.filter(dossier_file_id=OuterRef("pk")))
    )


def ocr_jobs_discover(*, limit: int = 500, everything: bool = False) -> int:
    """Queue a job for each new file to digitise that has none (the worker, each pass). `everything`: look at
    every file, not only those after the newest job's (a backfill). Returns the number queued."""
    after = 0
    if not everything:
        newest = OcrJob.objects.aggregate(m=Max("file_id"))["m"] or 0
        after = max(newest - LOOKBACK_IDS, 0)
    candidates = list(
        files_to_digitise()
        .filter(pk__gt=after)
        .exclude(Exists(OcrJob.objects.filter(file_id=OuterRef("pk"))))
        .select_related("dossier")
        .order_by("pk")[:limit]
    )
    queued = 0
    now = timezone.now()
    for f in candidates:
        with transaction.atomic():
            job, created = OcrJob.objects.get_or_create(
                file=f,
                defaults={
                    "dossier_id": f.dossier_id,
                    "agency_id": f.dossier.agency_id,
                    "seal_agency_id": f.dossier.receiving_agency_id or f.dossier.agency_id,
                    "next_attempt_at": now,
                    "created_at": now,
                },
            )
            if created:
                audit_record(
                    actor=SYSTEM, action="digitisation.queue", obj=job, changes={"dossier": f.dossier.code, "file": f.pk}
                )
                queued += 1
    return queued


def _claim() -> OcrJob | None:
    """Lock the next due job (SKIP LOCKED: workers never take the same one) — queued and due, or running past
    the lease — and commit it "running" before the OCR starts."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.DIGITISATION_LEASE_SECONDS)
    with transaction.atomic():
        job = (
            OcrJob.objects.select_for_update(skip_locked=True)
            .filter(Q(status=Status.QUEUED, next_attempt_at__lte=now) | Q(status=Status.RUNNING, started_at__lte=stale))
            .order_by("next_attempt_at", "id")
            .first()
        )
        if job is None:
            return None
        OcrJob.objects.filter(pk=job.pk).update(
            status=Status.RUNNING, started_at=now, attempts=F("attempts") + 1, pages_done=0, error=""
        )
    job.refresh_from_db()
    return job


@dataclass
class Certified:
    pdf: bytes
    by: str


def certify_pdf(data: bytes, *, agency: Agency, officer: str = "") -> Certified | None:
    """`data` signed by `agency`'s seal (PAdES, documents.signing) as an electronic copy of the original paper,
    the box at the top right of the first page (the attachment position: a scan has no signature block).
    None when the agency has no seal configured; ValidationFailed when its key does not load."""
    identity = agency_seal_identity(agency, required=False)
    if identity is None:
        return None
    signer = identity_signer(identity)
    name = identity.display_name or agency.name
    extra = _("Sao từ bản chính, tiếp nhận: %(officer)s") % {"officer": officer} if officer else _("Sao từ bản chính")
    try:
        signed = signing.sign_pdf_bytes(
            data,
            signer=signer,
            options=signing.SignOptions(
                kind=signing.SignerKind.ATTACHMENT,
                signer_name=name,
                agency_name=agency.name,
                extra_line=extra,
                reason="Chứng thực bản sao điện tử từ bản chính giấy tờ tiếp nhận",
                location=agency.province,
                field_name="CoQuan_SaoY",
            ),
        )
    except signing.SigningError as exc:
        raise ValidationFailed(str(exc)) from None
    return Certified(pdf=signed, by=name)


def _progress(job_id: int, total: int):
    def report(done: int) -> None:
        OcrJob.objects.filter(pk=job_id, status=Status.RUNNING).update(pages_done=min(done, total))

    return report


def _page_count(data: bytes, content_type: str) -> int:
    import io

    try:
        if content_type == PDF:
            from pypdf import PdfReader

            return len(PdfReader(io.BytesIO(data)).pages)
        from PIL import Image

        with Image.open(io.BytesIO(data)) as im:
            return getattr(im, "n_frames", 1)
    except Exception:  # noqa: BLE001 - the count is for the progress bar; OCR reports a bad file itself
        return 0


def ocr_job_run(job: OcrJob) -> OcrJob:
    """Run one claimed job: OCR, certify, store. Never raises for a bad file or a failed OCR: the job records
    the error and is retried or failed."""
    f = DossierFile.objects.select_related("dossier", "uploaded_by").get(pk=job.file_id)
    try:
        with f.file.open("rb") as handle:
            data = handle.read()
        total = _page_count(data, f.content_type)
        OcrJob.objects.filter(pk=job.pk).update(pages_total=total)
        outcome = run_ocr(data, content_type=f.content_type, progress=_progress(job.pk, total))
        seal_agency = Agency.objects.get(pk=job.seal_agency_id)
        officer = f.uploaded_by.display_name if f.uploaded_by else ""
        certified = certify_pdf(outcome.pdf, agency=seal_agency, officer=officer)
    except Exception as exc:  # noqa: BLE001 - any failure is the job's, recorded and retried
        permanent = isinstance(exc, OcrError) and exc.permanent
        message = str(exc) if isinstance(exc, (OcrError, ValidationFailed)) else f"{type(exc).__name__}: {exc}"
        if isinstance(exc, ValidationFailed) and exc.fields:
            message = "; ".join(str(m) for msgs in exc.fields.values() for m in msgs) or message
        if not isinstance(exc, (OcrError, ValidationFailed)):
            logger.exception("OCR job %s failed", job.pk)
        return _record_failure(job, message[:2000], permanent=permanent)
    pdf = certified.pdf if certified else outcome.pdf
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        current = OcrJob.objects.select_for_update().get(pk=job.pk)
        if current.status != Status.RUNNING or current.attempts != job.attempts:
            return current  # taken again by another worker after the lease: its outcome wins
        current.pages.all().delete()
        OcrPage.objects.bulk_create(
            [
                OcrPage(
                    job=current,
                    number=p.number,
                    text=p.text,
                    search_text=search_text(p.text),
                    confidence=p.confidence,
                    words=p.words,
                    ink=None if p.ink is None else round(p.ink, 6),
                    flag=p.flag,
                )
                for p in outcome.pages
            ]
        )
        current.output.save(f"{f.sha256}-so-hoa-{digest[:12]}.pdf", ContentFile(pdf), save=False)
        current.output_sha256 = digest
        current.status = Status.DONE
        current.finished_at = timezone.now()
        current.pages_total = len(outcome.pages)
        current.pages_done = len(outcome.pages)
        current.flagged_pages = len(outcome.flagged)
        current.certified = certified is not None
        current.certified_by = certified.by if certified else ""
        notes = []
        if outcome.method.startswith("force/") and settings.DIGITISATION_OCR_MODE != "force":
            notes.append(_("Tệp có trang sẵn chữ: mọi trang đã được chuyển thành ảnh và nhận dạng lại để tạo PDF/A."))
        if not certified:
            notes.append(_("Cơ quan chưa được cấu hình chữ ký số (con dấu): bản số hoá chưa được chứng thực."))
        current.note = " ".join(notes)[:500]
        current.error = ""
        current.save()
        if certified is not None:  # the certified copy joins the applicant's store of papers (docs/papers.md)
            paper_store_certified_copy(
                actor=SYSTEM, dossier_file=f, file=current.output, sha256=digest, size=len(pdf), issuer=certified.by
            )
        audit_record(
            actor=SYSTEM,
            action="digitisation.done",
            obj=current,
            changes={
                "dossier": f.dossier.code,
                "file": f.pk,
                "pages": current.pages_total,
                "flagged": {p.number: p.flag for p in outcome.flagged},
                "certified": current.certified,
                "method": outcome.method,
                "sha256": digest,
            },
        )
    return current


def _record_failure(job: OcrJob, message: str, *, permanent: bool) -> OcrJob:
    with transaction.atomic():
        current = OcrJob.objects.select_for_update().get(pk=job.pk)
        if current.status != Status.RUNNING or current.attempts != job.attempts:
            return current
        final = permanent or current.attempts >= settings.DIGITISATION_MAX_ATTEMPTS
        current.error = message
        if final:
            current.status = Status.FAILED
            current.finished_at = timezone.now()
        else:
            current.status = Status.QUEUED
            current.next_attempt_at = timezone.now() + _backoff(current.attempts)
        current.save(update_fields=["status", "error", "finished_at", "next_attempt_at"])
        audit_record(
            actor=SYSTEM,
            action="digitisation.fail" if final else "digitisation.retry_later",
            obj=current,
            changes={
                "attempt": current.attempts,
                "error": message[:500],
                "next_attempt_at": None if final else str(current.next_attempt_at),
            },
        )
    return current


def ocr_run_due(*, limit: int = 1) -> dict[str, int]:
    """The worker's pass: queue new files, then run up to `limit` due jobs. Counts: queued, done, retry, failed."""
    counts = {"queued": ocr_jobs_discover(), "done": 0, "retry": 0, "failed": 0}
    for _i in range(limit):
        job = _claim()
        if job is None:
            break
        job = ocr_job_run(job)
        key = {Status.DONE: "done", Status.QUEUED: "retry", Status.FAILED: "failed"}.get(job.status)
        if key:
            counts[key] += 1
    return counts


def ocr_job_requeue(*, actor: Actor, job: OcrJob) -> OcrJob:
    """A failed job tried again now, its attempts counted afresh (staff of the dossier's agency, after fixing the
    cause: a seal configured, a disk freed). Another agency: 404; not failed: 409."""
    require_actor(actor)
    if not isinstance(actor, User) or not user_has_role(actor, *RETRY_ROLES):
        raise PermissionDeniedError(_("Chỉ cán bộ xử lý hồ sơ mới được số hoá lại tệp."))
    with transaction.atomic():
        current = OcrJob.objects.select_for_update().get(pk=job.pk)
        ensure_can_act(actor, current.agency_id)
        if current.status != Status.FAILED:
            raise TransitionNotAllowed(_("Chỉ số hoá lại được tệp số hoá không thành công."))
        current.status = Status.QUEUED
        current.attempts = 0
        current.next_attempt_at = timezone.now()
        current.finished_at = None
        current.save(update_fields=["status", "attempts", "next_attempt_at", "finished_at"])
        audit_record(actor=actor, action="digitisation.requeue", obj=current, changes={"error": current.error[:500]})
    return current
