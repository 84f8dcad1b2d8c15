"""Writes of the public site: drafts of online submissions and their files, and the hand-over of a
finished draft to the dossiers app (which owns the dossier and its lifecycle)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Component, ProcedureVersion
from motcua.core.errors import ConflictError, NotFoundError, ValidationFailed
from motcua.core.services import audit_record
from motcua.core.transitions import SYSTEM, Actor
from motcua.dossiers.intake import dossier_receive
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.notifications import lookup_url
from motcua.notifications.services import message_enqueue

from .models import PortalDraft, PortalDraftFile
from .uploads import CheckedUpload, max_files_per_component, max_files_per_dossier, upload_check


def draft_lifetime() -> timedelta:
    return timedelta(days=settings.PORTAL_DRAFT_DAYS)


def portal_draft_create(*, actor: Actor, version: ProcedureVersion, data: dict | None = None) -> PortalDraft:
    """A new draft. `actor`: the applicant on the portal (Applicant(via="draft")), or SYSTEM."""
    if not version.channel_online:
        raise ValidationFailed(_("Thủ tục này chưa nhận hồ sơ trực tuyến."))
    with transaction.atomic():
        draft = PortalDraft.objects.create(
            procedure_version=version, data=data or {}, expires_at=timezone.now() + draft_lifetime()
        )
        audit_record(actor=actor, action="portal_draft.create", obj=draft, changes={"procedure": version.procedure.code})
    return draft


def _locked(draft: PortalDraft) -> PortalDraft:
    try:
        draft = PortalDraft.objects.select_for_update().select_related("procedure_version__procedure").get(pk=draft.pk)
    except PortalDraft.DoesNotExist:
        raise NotFoundError(_("Không tìm thấy hồ sơ nháp."))
    if draft.is_submitted:
        raise ConflictError(_("Hồ sơ nháp này đã được nộp (mã hồ sơ %(code)s).") % {"code": draft.dossier_code})
    return draft


def portal_draft_save(*, draft: PortalDraft, data: dict) -> PortalDraft:
    """Keep what the applicant typed (valid or not) and extend the draft's life."""
    with transaction.atomic():
        draft = _locked(draft)
        draft.data = data
        draft.expires_at = timezone.now() + draft_lifetime()
        draft.save(update_fields=["data", "expires_at", "updated_at"])
    return draft


@dataclass
class UploadOutcome:
    added: list[PortalDraftFile] = field(default_factory=list)
    errors: dict[int, list[str]] = field(default_factory=dict)  # component id → messages


def portal_draft_add_files(*, actor: Actor, draft: PortalDraft, uploads: dict[int, list]) -> UploadOutcome:
    """Add uploaded files to the draft, per component id. Each file is checked on its own (type by
    content and agreeing with its extension, size, counts): a refused file is reported and skipped,
    the draft and its other files are untouched."""
    outcome = UploadOutcome()
    with transaction.atomic():
        draft = _locked(draft)
        components = {c.pk: c for c in Component.objects.filter(version=draft.procedure_version)}
        counts: dict[int, int] = {}
        for row in PortalDraftFile.objects.filter(draft=draft).values_list("component_id", flat=True):
            counts[row] = counts.get(row, 0) + 1
        total = sum(counts.values())
        for component_id, files in uploads.items():
            component = components.get(component_id)
            if component is None:
                continue
            for upload in files:
                try:
                    checked: CheckedUpload = upload_check(upload)
                    if counts.get(component_id, 0) >= max_files_per_component():
                        raise ValueError(
                            _("Tệp “%(name)s” không được nhận: mỗi thành phần tối đa %(limit)d tệp.")
                            % {"name": checked.name, "limit": max_files_per_component()}
                        )
                    if total >= max_files_per_dossier():
                        raise ValueError(
                            _("Tệp “%(name)s” không được nhận: một hồ sơ tối đa %(limit)d tệp.")
                            % {"name": checked.name, "limit": max_files_per_dossier()}
                        )
                except ValueError as exc:
                    outcome.errors.setdefault(component_id, []).append(str(exc))
                    continue
                row = PortalDraftFile(
                    draft=draft,
                    component=component,
                    original_name=checked.name,
                    content_type=checked.content_type,
                    extension=checked.extension,
                    size=checked.size,
                    sha256=checked.sha256,
                )
                row.file.save(f"f{checked.extension}", upload, save=False)
                row.save()
                outcome.added.append(row)
                counts[component_id] = counts.get(component_id, 0) + 1
                total += 1
        if outcome.added:
            draft.save(update_fields=["updated_at"])
            audit_record(
                actor=actor, action="portal_draft.add_files", obj=draft, changes={"files": [f.sha256 for f in outcome.added]}
            )
    return outcome


def portal_draft_remove_file(*, actor: Actor, draft: PortalDraft, file_id: int) -> None:
    with transaction.atomic():
        draft = _locked(draft)
        row = PortalDraftFile.objects.filter(draft=draft, pk=file_id).first()
        if row is None:
            raise NotFoundError(_("Không tìm thấy tệp trong hồ sơ nháp."))
        name = row.file.name
        row.delete()
        audit_record(actor=actor, action="portal_draft.remove_file", obj=draft, changes={"sha256": row.sha256})
        transaction.on_commit(lambda: row.file.storage.delete(name))


def missing_components(draft: PortalDraft) -> list[Component]:
    present = set(PortalDraftFile.objects.filter(draft=draft).values_list("component_id", flat=True))
    return [
        c
        for c in Component.objects.filter(version=draft.procedure_version).order_by("order")
        if c.mandatory and c.pk not in present
    ]


def portal_draft_submit(
    *, actor: Actor, draft: PortalDraft, applicant: dict, result_delivery: str, return_address: str = "", note: str = ""
) -> Dossier:
    """Hand the draft to the dossiers app as an online dossier (state "newly submitted"); mail the code and
    the private lookup secret in the same transaction (outbox). The returned dossier carries
    `lookup_secret`, shown once to the applicant. `actor`: the applicant holding the draft's token
    (Applicant(via="draft")): the dossiers app lets an applicant submit online only."""
    with transaction.atomic():
        draft = _locked(draft)
        missing = missing_components(draft)
        if missing:
            raise ValidationFailed(
                _("Hồ sơ còn thiếu thành phần bắt buộc."),
                fields={f"component_{c.pk}": [_("Vui lòng tải lên tệp cho thành phần này.")] for c in missing},
            )
        rows = list(PortalDraftFile.objects.filter(draft=draft).order_by("component__order", "id"))
        handles = []
        try:
            files = []
            for row in rows:
                handle = row.file.storage.open(row.file.name, "rb")
                handles.append(handle)
                files.append({"file": File(handle, name=row.original_name), "component": row.component_id})
            dossier = dossier_receive(
                actor=actor,
                procedure_code=draft.procedure_version.procedure.code,
                channel=Channel.ONLINE,
                applicant=applicant,
                files=files,
                components=[],
                result_delivery=result_delivery,
                return_address=return_address,
                note=note,
            )
        finally:
            for handle in handles:
                handle.close()
        secret = dossier.lookup_secret
        version = dossier.procedure_version
        message_enqueue(
            template_code="dossier_submitted",
            context={
                "applicant_name": dossier.applicant_name,
                "agency": dossier.agency.name,
                "code": dossier.code,
                "procedure": version.name,
                "secret": secret,
                "lookup_url": lookup_url(dossier.code),
            },
            email=dossier.applicant_email,
            phone=dossier.applicant_phone,
            related=dossier,
        )
        draft.submitted_at = timezone.now()
        draft.dossier_code = dossier.code
        draft.data = {}  # the dossier holds the applicant's data now: keep no second copy (Decree 13/2023)
        draft.save(update_fields=["submitted_at", "dossier_code", "data", "updated_at"])
        names = [row.file.name for row in rows]
        PortalDraftFile.objects.filter(draft=draft).delete()
        audit_record(actor=actor, action="portal_draft.submit", obj=draft, changes={"dossier": dossier.code})
        transaction.on_commit(lambda: _delete_files(names))
    dossier.lookup_secret = secret
    return dossier


def _delete_files(names: list[str]) -> None:
    storage = PortalDraftFile.file.field.storage
    for name in names:
        storage.delete(name)


def portal_drafts_purge(*, now=None) -> int:
    """Delete expired drafts (never submitted, or submitted and past their lifetime) with their files;
    run daily (`manage.py portal_purge_drafts`)."""
    now = now or timezone.now()
    count = 0
    for draft in PortalDraft.objects.filter(expires_at__lt=now):
        names = [f.file.name for f in draft.files.all()]
        pk, token = draft.pk, draft.token
        with transaction.atomic():
            draft.delete()
            audit_record(
                actor=SYSTEM,
                action="portal_draft.purge",
                object_type="portal.portaldraft",
                object_id=str(pk),
                object_repr=f"Nháp {token[:6]}…",
            )
            transaction.on_commit(lambda names=names: _delete_files(names))
        count += 1
    return count
