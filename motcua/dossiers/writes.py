"""The parts every dossier write is made of, shared by the intake (dossiers.intake) and the transitions
(dossiers.transitions): the finishing step (timeline event, notifications, audit entry), internal steps,
the appointment, files, and the record of who opened a dossier's personal data."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.catalog.models import ProcedureVersion, ProcessStep
from motcua.core.models import Unit, User
from motcua.core.services import audit_record
from motcua.core.sql import insert
from motcua.core.transitions import Actor
from motcua.workcalendar.selectors import Calendar

from . import deadlines, national_sync, selectors
from .models import Dossier, DossierEvent, DossierFile, DossierStep
from .notifications import notification_messages
from .validators import upload_check


def now(at: datetime | None) -> datetime:
    return at or timezone.now()


def staff(actor: Actor) -> User | None:
    """The staff member behind the actor, for the rows that name one (event, file, step); None for an
    applicant or the system (the audit entry names them)."""
    return actor if isinstance(actor, User) else None


def finish(
    dossier: Dossier,
    *,
    action: str,
    actor: Actor,
    at: datetime,
    status_from: str,
    note: str = "",
    data: dict | None = None,
    template: str | None = None,
    rows: list[list] | None = None,
) -> Dossier:
    """Timeline event, notification, audit entry (last). The event, the messages and the caller's
    `rows` go in with the audit head lock's statement (one round trip on PostgreSQL): nothing reads
    their keys back. Neither DossierEvent, DossierStep nor Message has a save() override or receiver."""
    event = DossierEvent(
        dossier=dossier,
        at=at,
        action=action,
        actor=staff(actor),
        status_from=status_from,
        status_to=dossier.status,
        note=note,
        data=data or {},
    )
    messages = notification_messages(dossier, template, data=data, note=note) if template else []
    portal = national_sync.sync_messages(dossier, action=action, actor=actor, at=at, rows=rows or ())  # DVCQG outbox
    audit_record(
        actor=actor,
        action=f"dossier.{action}",
        obj=dossier,
        changes={"status": [status_from, dossier.status], **(data or {})},
        together=[*(rows or []), [event], messages, portal],
    )
    return dossier


def open_step(dossier: Dossier) -> DossierStep | None:
    """The open step, locked."""
    return DossierStep.objects.select_for_update().filter(dossier=dossier, handed_over_at__isnull=True).first()


def close_step(step: DossierStep | None, at: datetime) -> None:
    if step is None:
        return
    step.handed_over_at = at
    step.timeliness = deadlines.classify(at, step.due_at)
    step.save(update_fields=["handed_over_at", "timeliness"])


def _step_agency_id(dossier: Dossier, process_step: ProcessStep | None, unit: Unit | None) -> int:
    """The agency owning a new step: the unit's chosen for it, else the process step's (its own agency,
    else its unit's), else the dossier's."""
    if unit is not None:
        return unit.agency_id
    if process_step is not None and process_step.agency_id is not None:
        return process_step.agency_id
    if process_step is not None and process_step.unit_id is not None:
        return process_step.unit.agency_id
    return dossier.agency_id


def start_step(
    cal: Calendar,
    dossier: Dossier,
    *,
    at: datetime,
    process_step: ProcessStep | None,
    unit: Unit | None,
    assignee: User | None,
    giver: User | None,
    name: str = "",
    first: bool = False,
    write: bool = True,
    agency_id: int | None = None,
) -> DossierStep:
    """The next step, written unless `write` is False (the caller writes it, e.g. with finish's rows)."""
    last = (
        0 if first else (DossierStep.objects.filter(dossier=dossier).order_by("-seq").values_list("seq", flat=True).first() or 0)
    )
    if agency_id is None:
        agency_id = _step_agency_id(dossier, process_step, unit)
    if process_step is not None:
        due = deadlines.step_due(cal, version=dossier.procedure_version, duration=process_step.duration, start=at)
        name = name or process_step.name
        unit = unit or process_step.unit
    else:
        due = dossier.due_at
    if dossier.due_at is not None and due is not None and due > dossier.due_at:
        due = dossier.due_at
    step = DossierStep(
        dossier=dossier,
        seq=last + 1,
        process_step=process_step,
        name=name or "Xử lý hồ sơ",
        unit=unit,
        agency_id=agency_id,
        assignee=assignee,
        giver=giver,
        receiver=assignee,
        received_at=at,
        due_at=due,
    )
    if write:
        insert(step)  # core.sql: no save() override or signal receiver on DossierStep
    return step


def process_steps(version: ProcedureVersion) -> list[ProcessStep]:
    return list(ProcessStep.objects.filter(version=version).select_related("unit").order_by("order"))


def set_appointment(cal: Calendar, dossier: Dossier, *, at: datetime) -> None:
    dossier.accepted_at = at
    dossier.due_at = deadlines.appointment(cal, version=dossier.procedure_version, agency=dossier.agency, start=at)
    dossier.original_due_at = dossier.due_at


UNREAD = object()


def first_step(
    cal: Calendar, dossier: Dossier, *, at: datetime, actor: Actor, first: Any = UNREAD, write: bool = True
) -> DossierStep:
    """The reception step (first step of the internal process, `first` when the caller read it
    already), held by the receiving officer (none when the system or the applicant's submission opens it)."""
    if first is UNREAD:
        first = selectors.first_process_step(dossier.procedure_version)
    officer = staff(actor)
    unit = officer.unit if officer is not None and officer.unit_id else None
    # Reception is the deciding agency's step even when a service-centre officer holds it.
    agency_id = first.agency_id if first is not None and first.agency_id else dossier.agency_id
    return start_step(
        cal,
        dossier,
        at=at,
        process_step=first,
        unit=unit,
        assignee=officer,
        giver=None,
        name="" if first else "Tiếp nhận hồ sơ",
        first=True,
        write=write,
        agency_id=agency_id,
    )


def check_files(files: Iterable[dict]) -> list[tuple[dict, tuple[str, str, str, int]]]:
    """Check every file (type by content, size, hash) before any write. files: dicts
    {"file": UploadedFile, "component": Component|id|None, "digitised": bool}."""
    return [(item, upload_check(item["file"], field=f"files.{index}")) for index, item in enumerate(files)]


def store_files(
    dossier: Dossier, checked: list[tuple[dict, tuple[str, str, str, int]]], *, actor: Actor, kind: str = "component"
) -> list[DossierFile]:
    stored = []
    for item, (mime, ext, digest, size) in checked:
        upload = item["file"]
        component = item.get("component")
        row = DossierFile(
            dossier=dossier,
            kind=kind,
            original_name=(upload.name or "tep")[:255],
            sha256=digest,
            content_type=mime,
            extension=ext,
            size=size,
            digitised=bool(item.get("digitised")),
            uploaded_by=staff(actor),
        )
        if component is not None:
            row.component_id = component if isinstance(component, int) else component.pk
        row.file.save(f"{digest}{ext}", upload, save=False)
        row.save()
        stored.append(row)
    if any(row.digitised for row in stored):
        dossier.stored_digitised = True  # read by national_sync for a new dossier (no query on the intake)
    return stored


def dossier_record_access(*, dossier: Dossier, actor: User, file: DossierFile | None = None) -> None:
    """Log that a staff member opened the dossier's personal data (Decree 13/2023/NĐ-CP): its page,
    or one of its files (`file`)."""
    changes = {"file": {"id": file.pk, "name": file.original_name, "sha256": file.sha256}} if file is not None else None
    with transaction.atomic():
        audit_record(actor=actor, action="dossier.view_personal_data", obj=dossier, changes=changes)
