"""Writes of the store of papers: storing a paper (from a dossier file, a certified copy, an electronic result),
recording the holder's consent for a dossier, reusing a stored paper in a dossier. One transaction each, the
audit entry last."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Component
from motcua.core.errors import ConflictError, NotFoundError, PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from motcua.core.models import User
from motcua.core.roles import Role, user_has_role
from motcua.core.services import audit_record
from motcua.core.tenancy import ensure_can_act
from motcua.core.transitions import Actor, Applicant, require_actor
from motcua.dossiers.models import Dossier, DossierFile, ReceivedPaper, Status

from .models import Consent, Paper, PaperReuse, Source, Via
from .selectors import APPLICANT_STATUSES, holder_of

# A paper may be reused while the dossier is still being received or completed.
REUSE_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED)
STAFF_ROLES = (Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER)


def _staff(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def paper_store(
    *,
    actor: Actor,
    dossier: Dossier,
    source: str,
    file: FieldFile,
    sha256: str,
    content_type: str,
    size: int,
    name: str,
    original_name: str = "",
    component: Component | None = None,
    dossier_file: DossierFile | None = None,
    issuer: str = "",
    reference: str = "",
    valid_from: date | None = None,
    valid_until: date | None = None,
    at: datetime | None = None,
) -> Paper | None:
    """Keep a file of `dossier` in its applicant's store (a reference to the stored file, not a copy). None when
    the applicant has no personal or tax number (nothing to key the store by). The same content stored again for
    the same holder returns the paper already stored. Callers: `paper_store_dossier_file` (the officer),
    results.services.result_issue (electronic results), the digitisation pipeline (certified copies)."""
    require_actor(actor)
    if source not in Source.values:
        raise ValueError(f"Unknown paper source {source!r}")
    holder = holder_of(dossier)
    if holder is None:
        return None
    at = at or timezone.now()
    valid_from = valid_from or timezone.localdate(at)
    if valid_until is not None and valid_until < valid_from:
        raise ValidationFailed(fields={"valid_until": [_("Ngày hết hiệu lực phải sau ngày có hiệu lực.")]})
    kind, number = holder
    with transaction.atomic():
        existing = Paper.objects.filter(holder_number=number, sha256=sha256).first()
        if existing is not None:
            return existing
        paper = Paper(
            holder_kind=kind,
            holder_number=number,
            name=(name or original_name or _("Giấy tờ"))[:500],
            component=component,
            source=source,
            original_name=(original_name or name)[:255],
            sha256=sha256,
            content_type=content_type,
            size=size,
            issuer=(issuer or "")[:255],
            agency_id=dossier.agency_id,
            reference=reference[:100],
            valid_from=valid_from,
            valid_until=valid_until,
            dossier=dossier,
            dossier_file=dossier_file,
            created_by=_staff(actor),
            created_at=at,
        )
        paper.file.name = file.name  # the stored file itself, by its storage name
        paper.save()
        audit_record(
            actor=actor,
            action="paper.store",
            obj=paper,
            changes={"dossier": dossier.code, "source": source, "sha256": sha256, "valid_until": valid_until},
        )
    return paper


def paper_store_dossier_file(
    *, actor: Actor, file: DossierFile, issuer: str = "", valid_until: date | None = None, valid_from: date | None = None
) -> Paper:
    """The officer keeps a digitised file of a dossier of their agency in the applicant's store."""
    require_actor(actor)
    if not isinstance(actor, User) or not user_has_role(actor, *STAFF_ROLES):
        raise PermissionDeniedError(_("Chỉ cán bộ của cơ quan mới lưu được giấy tờ vào kho."))
    row = DossierFile.objects.select_related("dossier", "component").filter(pk=file.pk).first()
    if row is None:
        raise NotFoundError()
    ensure_can_act(actor, row.dossier.agency_id)
    if not row.digitised:
        raise ConflictError(_("Chỉ lưu vào kho tệp đã số hóa (bản quét của giấy tờ)."))
    if holder_of(row.dossier) is None:
        raise ConflictError(_("Người nộp không có số định danh cá nhân hoặc mã số thuế nên không lưu được vào kho."))
    return paper_store(
        actor=actor,
        dossier=row.dossier,
        source=Source.DOSSIER_FILE,
        file=row.file,
        sha256=row.sha256,
        content_type=row.content_type,
        size=row.size,
        name=row.component.name if row.component else row.original_name,
        original_name=row.original_name,
        component=row.component,
        dossier_file=row,
        issuer=issuer,
        valid_from=valid_from,
        valid_until=valid_until,
    )


def _is_holder(actor: Actor, holder: tuple[str, str] | None) -> bool:
    """The signed-in citizen (identity provider) whose personal number keys the store."""
    return isinstance(actor, Applicant) and actor.via == "oidc" and holder is not None and actor.personal_id == holder[1]


def _check_actor(actor: Actor, d: Dossier, holder) -> str:
    """How the actor may work on the dossier's store (Via), or 403/404 (core.tenancy for staff)."""
    if isinstance(actor, User):
        if not user_has_role(actor, *STAFF_ROLES):
            raise PermissionDeniedError(_("Bạn không có quyền khai thác kho giấy tờ của người nộp."))
        ensure_can_act(actor, d.agency_id)
        if d.status not in REUSE_STATUSES:
            raise TransitionNotAllowed(_("Hồ sơ đã kết thúc nên không dùng lại giấy tờ được nữa."))
        return Via.COUNTER
    if not _is_holder(actor, holder):
        raise PermissionDeniedError(_("Chỉ người nộp đã đăng nhập hoặc cán bộ tiếp nhận mới dùng lại được giấy tờ."))
    if d.status not in APPLICANT_STATUSES:
        raise TransitionNotAllowed(_("Hồ sơ không ở trạng thái chờ người nộp bổ sung giấy tờ."))
    return Via.ONLINE


def _consent(actor: Actor, d: Dossier, holder, via: str, at: datetime, *, audit: bool = True) -> Consent:
    existing = Consent.objects.filter(dossier=d, holder_number=holder[1]).first()
    if existing is not None:
        return existing
    consent = Consent.objects.create(
        dossier=d,
        holder_number=holder[1],
        via=via,
        recorded_by=_staff(actor),
        applicant_repr=f"{d.applicant_name} ({holder[1]})"[:255],
        given_at=at,
    )
    if audit:
        audit_record(actor=actor, action="paper.consent", obj=d, changes={"consent": consent.pk, "via": via})
    return consent


def consent_record(*, actor: Actor, dossier: Dossier, at: datetime | None = None) -> Consent:
    """Record that the holder of `dossier` agrees that its agency reads their store and reuses its papers for
    it: at the counter, recorded by an officer who may act for the dossier's agency; online, by the signed-in
    citizen whose personal number the dossier carries. Recording it again returns the first consent."""
    require_actor(actor)
    at = at or timezone.now()
    with transaction.atomic():
        d = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
        holder = holder_of(d)
        via = _check_actor(actor, d, holder)
        if holder is None:
            raise ConflictError(_("Người nộp không có số định danh cá nhân hoặc mã số thuế nên không có kho giấy tờ."))
        return _consent(actor, d, holder, via, at)


def paper_reuse(
    *,
    actor: Actor,
    dossier: Dossier,
    paper: Paper,
    component: Component | None = None,
    consent_given: bool = False,
    at: datetime | None = None,
) -> PaperReuse:
    """Attach a stored paper of the dossier's holder to `dossier` instead of a new upload: a file row of the
    dossier pointing at the stored file (no copy), the paper listed as received for its component, and the reuse
    counted. Needs the holder's consent for this dossier (403), a paper of the same holder (404 otherwise: another
    holder's store is not revealed), a paper valid today (409 when expired) and an open dossier (409). The
    signed-in citizen reuses online into their own dossier waiting for papers (submitted, or asked to supplement),
    giving their consent with it (`consent_given`)."""
    require_actor(actor)
    at = at or timezone.now()
    with transaction.atomic():
        d = Dossier.objects.select_for_update(of=("self",)).select_related("procedure_version").get(pk=dossier.pk)
        holder = holder_of(d)
        via = _check_actor(actor, d, holder)
        p = Paper.objects.filter(pk=paper.pk).first()
        if p is None or holder is None or p.holder_number != holder[1]:
            raise NotFoundError(_("Không tìm thấy giấy tờ trong kho của người nộp."))
        if consent_given and via == Via.ONLINE:
            # The citizen's own consent, given with this reuse (named in the reuse's audit entry, the last write).
            consent = _consent(actor, d, holder, via, at, audit=False)
        else:
            consent = Consent.objects.filter(dossier=d, holder_number=holder[1]).first()
        if consent is None:
            raise PermissionDeniedError(_("Chưa có sự đồng ý của người nộp cho việc khai thác kho giấy tờ."))
        if not p.valid_on(timezone.localdate(at)):
            raise ConflictError(_("Giấy tờ đã hết hiệu lực (hoặc chưa có hiệu lực) nên không dùng lại được."))
        if component is None and p.component_id is not None:
            component = d.procedure_version.components.filter(pk=p.component_id).first()  # same procedure only
        if component is not None and not d.procedure_version.components.filter(pk=component.pk).exists():
            raise ValidationFailed(fields={"component": [_("Thành phần hồ sơ không thuộc thủ tục của hồ sơ.")]})
        if PaperReuse.objects.filter(paper=p, dossier=d).exists():
            raise ConflictError(_("Giấy tờ này đã được dùng lại cho hồ sơ."))
        row = DossierFile(
            dossier=d,
            component=component,
            kind="component",
            original_name=p.original_name,
            sha256=p.sha256,
            content_type=p.content_type,
            extension=_extension(p.file.name),
            size=p.size,
            digitised=True,
            uploaded_by=_staff(actor),
        )
        row.file.name = p.file.name
        row.save()
        if component is not None and not ReceivedPaper.objects.filter(dossier=d, component=component).exists():
            order = ReceivedPaper.objects.filter(dossier=d).count() + 1
            ReceivedPaper.objects.create(dossier=d, component=component, order=order, name=component.name)
        reuse = PaperReuse.objects.create(
            paper=p,
            dossier=d,
            consent=consent,
            dossier_file=row,
            component=component,
            via=via,
            reused_by=_staff(actor),
            reused_at=at,
        )
        # The dossier changed (a digitised file, a reuse): its updated_at is what the monthly summaries of the
        # statistics and the Decision 766 index watch (dossiers/summaries.py).
        d.save(update_fields=["updated_at"])
        audit_record(
            actor=actor,
            action="paper.reuse",
            obj=d,
            changes={
                "paper": p.pk,
                "sha256": p.sha256,
                "file": row.pk,
                "via": via,
                "consent": {"id": consent.pk, "via": consent.via, "given_at": consent.given_at},
            },
        )
    return reuse


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:][:10] if dot > name.rfind("/") else ""


def paper_store_certified_copy(*, actor: Actor, dossier_file: DossierFile, file: FieldFile, sha256: str, size: int, issuer: str):
    """The digitisation pipeline's certified copy (PDF/A signed by the receiving agency's seal) of a scanned paper
    joins the applicant's store: called by digitisation.services.ocr_job_run in its transaction."""
    if dossier_file.kind == "result":
        return None
    component = dossier_file.component
    return paper_store(
        actor=actor,
        dossier=dossier_file.dossier,
        source=Source.CERTIFIED_COPY,
        file=file,
        sha256=sha256,
        content_type="application/pdf",
        size=size,
        name=component.name if component else dossier_file.original_name,
        original_name=dossier_file.original_name,
        component=component,
        dossier_file=dossier_file,
        issuer=issuer,
    )
