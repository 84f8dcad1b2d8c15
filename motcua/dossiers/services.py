"""Writes of the one-stop desk. One function per transition of the dossier state machine.

Every transition: locks the dossier row, checks the transition table (TRANSITIONS: allowed-from
states and roles; 403 for a wrong role, 409 TransitionNotAllowed for a wrong state, nothing changed),
changes state, writes the timeline event, queues notifications, and records the audit entry last,
all in one transaction."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from motcua.catalog.models import ProcedureVersion, ProcessStep
from motcua.core.errors import (
    ApplicationError,
    IdempotencyKeyReused,
    PermissionDeniedError,
    TransitionNotAllowed,
    ValidationFailed,
)
from motcua.core.models import Agency, Unit, User
from motcua.core.roles import Role, user_has_role
from motcua.core.services import audit_record
from motcua.core.sql import insert, insert_select
from motcua.core.tenancy import scope_for
from motcua.workcalendar.selectors import Calendar

from . import deadlines, selectors
from .models import (
    Channel,
    Delivery,
    Dossier,
    DossierEvent,
    DossierFile,
    DossierStep,
    Extension,
    Outcome,
    Pause,
    ReceivedPaper,
    Status,
    SupplementRequest,
)
from .notifications import notification_messages
from .search import dossier_search_text
from .validators import applicant_clean, upload_check


class Action(StrEnum):
    ACCEPT = "accept"
    REFUSE = "refuse"
    REQUEST_SUPPLEMENT = "request_supplement"
    RECEIVE_SUPPLEMENT = "receive_supplement"
    REQUIRE_PAYMENT = "require_payment"
    CONFIRM_PAYMENT = "confirm_payment"
    FORWARD = "forward"
    RETURN_TO_STEP = "return_to_step"
    DECIDE = "decide"
    EXTEND = "extend"
    RETURN_RESULT = "return_result"
    WITHDRAW = "withdraw"
    STOP = "stop"


ACTION_LABELS = {
    Action.ACCEPT: "Tiếp nhận",
    Action.REFUSE: "Từ chối tiếp nhận",
    Action.REQUEST_SUPPLEMENT: "Yêu cầu bổ sung",
    Action.RECEIVE_SUPPLEMENT: "Nhận hồ sơ bổ sung",
    Action.REQUIRE_PAYMENT: "Yêu cầu nghĩa vụ tài chính",
    Action.CONFIRM_PAYMENT: "Xác nhận đã nộp phí",
    Action.FORWARD: "Chuyển bước tiếp theo",
    Action.RETURN_TO_STEP: "Trả lại bước trước",
    Action.DECIDE: "Phê duyệt kết quả",
    Action.EXTEND: "Xin lỗi và gia hạn",
    Action.RETURN_RESULT: "Trả kết quả",
    Action.WITHDRAW: "Rút hồ sơ (theo đề nghị)",
    Action.STOP: "Dừng xử lý",
}


@dataclass(frozen=True)
class Rule:
    sources: frozenset[str]
    roles: tuple[str, ...]


S, R = Status, Role
# The state machine, in one place: action -> (states it is allowed from, roles that may do it).
TRANSITIONS: dict[Action, Rule] = {
    Action.ACCEPT: Rule(frozenset({S.SUBMITTED}), (R.ONE_STOP_OFFICER,)),
    Action.REFUSE: Rule(frozenset({S.SUBMITTED, S.ACCEPTED}), (R.ONE_STOP_OFFICER, R.LEADER)),
    Action.REQUEST_SUPPLEMENT: Rule(frozenset({S.SUBMITTED, S.ACCEPTED, S.PROCESSING}), (R.ONE_STOP_OFFICER, R.SPECIALIST, R.LEADER)),
    Action.RECEIVE_SUPPLEMENT: Rule(frozenset({S.SUPPLEMENT_REQUESTED}), (R.ONE_STOP_OFFICER,)),
    Action.REQUIRE_PAYMENT: Rule(frozenset({S.ACCEPTED, S.PROCESSING}), (R.ONE_STOP_OFFICER, R.SPECIALIST)),
    Action.CONFIRM_PAYMENT: Rule(frozenset({S.PAYMENT_REQUIRED}), (R.ONE_STOP_OFFICER,)),
    Action.FORWARD: Rule(frozenset({S.ACCEPTED, S.PROCESSING}), (R.ONE_STOP_OFFICER, R.SPECIALIST, R.LEADER)),
    Action.RETURN_TO_STEP: Rule(frozenset({S.PROCESSING}), (R.SPECIALIST, R.LEADER)),
    Action.DECIDE: Rule(frozenset({S.ACCEPTED, S.PROCESSING}), (R.LEADER,)),
    Action.EXTEND: Rule(frozenset({S.ACCEPTED, S.PROCESSING}), (R.LEADER,)),
    Action.RETURN_RESULT: Rule(frozenset({S.DECIDED}), (R.ONE_STOP_OFFICER,)),
    Action.WITHDRAW: Rule(frozenset({S.SUBMITTED, S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUIRED}),
                          (R.ONE_STOP_OFFICER,)),
    Action.STOP: Rule(frozenset({S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUIRED}), (R.LEADER,)),
}
del S, R


# Actions that work on the open internal step: taken by the step's unit, or by a leader (of the
# dossier's agency, checked with the agency in ensure_allowed); 403 for anyone else.
STEP_ACTIONS = frozenset({Action.FORWARD, Action.RETURN_TO_STEP, Action.REQUEST_SUPPLEMENT, Action.REQUIRE_PAYMENT})


def may_act_on_step(step: DossierStep | None, user: User | None) -> bool:
    """A step is acted on by its unit and by the leaders above it; a step without a unit, by its
    assignee when it has one, else by any staff member of the agency."""
    if user is None or step is None or user_has_role(user, Role.LEADER, Role.ADMINISTRATOR):
        return True
    if step.unit_id is not None:
        return getattr(user, "unit_id", None) == step.unit_id
    return step.assignee_id is None or step.assignee_id == user.pk


def ensure_may_act_on_step(step: DossierStep | None, action: Action, actor: User | None) -> None:
    if action in STEP_ACTIONS and not may_act_on_step(step, actor):
        unit = step.unit.name if step.unit_id else ""
        raise PermissionDeniedError(
            f"Bước “{step.name}” do {unit or 'cán bộ được giao'} xử lý; bạn không được thực hiện "
            f"thao tác “{ACTION_LABELS[action]}”.")


# Inter-agency dossiers (liên thông): these actions belong to the agency holding the open step (a step
# of another agency is forwarded, sent back, paused or decided by that agency only); every other action
# is the desk's, done for the dossier's agency (the deciding agency that received it).
STEP_OWNED_ACTIONS = STEP_ACTIONS | {Action.DECIDE}


def acting_agency_id(dossier: Dossier, action: Action, step: DossierStep | None) -> int:
    """The agency on whose behalf `action` is taken: the open step's agency for step-owned actions,
    else the dossier's."""
    if action in STEP_OWNED_ACTIONS and step is not None and step.agency_id is not None:
        return step.agency_id
    return dossier.agency_id


def may_act_for(user: User | None, agency_id: int) -> bool:
    """The tenancy policy (core.tenancy) decides whether the user acts for the agency; None is the system."""
    return user is None or scope_for(user).can_act(agency_id)


def _open_step_read(dossier: Dossier) -> DossierStep | None:
    return DossierStep.objects.select_related("unit").filter(dossier=dossier, handed_over_at__isnull=True).first()


def actions_allowed(dossier: Dossier, user: User | None) -> list[Action]:
    """The actions the user may take on the dossier now (for the dossier page)."""
    allowed = [a for a, rule in TRANSITIONS.items()
               if dossier.status in rule.sources and (user is None or user_has_role(user, *rule.roles))]
    step = _open_step_read(dossier) if allowed else None
    if STEP_ACTIONS.intersection(allowed) and not may_act_on_step(step, user):
        allowed = [a for a in allowed if a not in STEP_ACTIONS]
    return [a for a in allowed if may_act_for(user, acting_agency_id(dossier, a, step))]


def ensure_allowed(dossier: Dossier, action: Action, actor: User | None, step: DossierStep | None = None) -> None:
    """Raise PermissionDeniedError (403) or TransitionNotAllowed (409). actor=None is the system
    itself (generators, portal integrations); every HTTP entry point passes the signed-in user.
    `step`: the open step (read by the caller) for the actions its agency owns."""
    rule = TRANSITIONS[action]
    if actor is not None:
        if not user_has_role(actor, *rule.roles):
            raise PermissionDeniedError(f"Vai trò của bạn không được thực hiện thao tác “{ACTION_LABELS[action]}”.")
        agency_id = acting_agency_id(dossier, action, step)
        if not may_act_for(actor, agency_id):
            if agency_id != dossier.agency_id:
                raise PermissionDeniedError("Bước đang xử lý thuộc cơ quan khác (liên thông); cơ quan của bạn "
                                            "chỉ xử lý các bước của mình.")
            raise PermissionDeniedError("Hồ sơ thuộc cơ quan khác.")
    if dossier.status not in rule.sources:
        raise TransitionNotAllowed(
            f"Không thể “{ACTION_LABELS[action]}” khi hồ sơ đang ở trạng thái “{Status(dossier.status).label}”.",
            code="transition_not_allowed",
        )


# ---------------------------------------------------------------------------------------------
# helpers


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def lookup_secret_hash(secret: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), secret.encode(), hashlib.sha256).hexdigest()


# Atomic per-agency daily counter: one upsert, no read-then-write race (PostgreSQL and SQLite). Its row
# lock is held until commit: the agency's intakes queue on it, never collide, and leave no gap.
_NEXT_NUMBER = ("INSERT INTO dossiers_dailysequence (agency_id, date, last) VALUES (%s, %s, 1) "
                "ON CONFLICT (agency_id, date) DO UPDATE SET last = dossiers_dailysequence.last + 1 RETURNING last")


def _next_number(agency_id: int, day) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_NUMBER, [agency_id, day.isoformat()])
        return cursor.fetchone()[0]


def _code_prefix(agency: Agency, day) -> str:
    return f"{agency.code}-{day:%y%m%d}-"


def dossier_code(agency: Agency, day, number: int) -> str:
    return f"{_code_prefix(agency, day)}{number:04d}"


def _insert_numbered(dossier: Dossier, agency: Agency, day) -> None:
    """Insert the dossier with the agency's next number of the day in its code. PostgreSQL: number and
    row in one statement, so the counter's lock is taken one round trip later (the agency's intakes
    queue on it until commit). Dossier has no save() override or signal receiver (core.sql)."""
    if connection.vendor != "postgresql":
        dossier.code = dossier_code(agency, day, _next_number(agency.pk, day))
        insert(dossier)
        return
    # The same digits as dossier_code: four at least, more past 9999.
    number = "CASE WHEN source.last < 10000 THEN lpad(source.last::text, 4, '0') ELSE source.last::text END"
    insert_select(dossier, source=_NEXT_NUMBER, source_params=[agency.pk, day.isoformat()],
                  computed={"code": (f"%s || {number}", [_code_prefix(agency, day)])})


def _lock(dossier: Dossier, action: Action, actor: User | None) -> Dossier:
    locked = (Dossier.objects.select_for_update(of=("self",))
              .select_related("agency", "procedure_version").get(pk=dossier.pk))
    step = _open_step_read(locked) if action in STEP_OWNED_ACTIONS and actor is not None else None
    ensure_allowed(locked, action, actor, step=step)
    if action in STEP_ACTIONS and actor is not None:
        ensure_may_act_on_step(step, action, actor)
    return locked


def _finish(dossier: Dossier, *, action: str, actor: User | None, at: datetime, status_from: str, note: str = "",
            data: dict | None = None, template: str | None = None, rows: list[list] | None = None) -> Dossier:
    """Timeline event, notification, audit entry (last). The event, the messages and the caller's
    `rows` go in with the audit head lock's statement (one round trip on PostgreSQL): nothing reads
    their keys back. Neither DossierEvent, DossierStep nor Message has a save() override or receiver."""
    event = DossierEvent(dossier=dossier, at=at, action=action, actor=actor, status_from=status_from,
                         status_to=dossier.status, note=note, data=data or {})
    messages = notification_messages(dossier, template, data=data, note=note) if template else []
    audit_record(actor=actor, action=f"dossier.{action}", obj=dossier,
                 changes={"status": [status_from, dossier.status], **(data or {})},
                 together=[*(rows or []), [event], messages])
    return dossier


def _open_step(dossier: Dossier) -> DossierStep | None:
    return DossierStep.objects.select_for_update().filter(dossier=dossier, handed_over_at__isnull=True).first()


def _close_step(step: DossierStep | None, at: datetime) -> None:
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


def _start_step(cal: Calendar, dossier: Dossier, *, at: datetime, process_step: ProcessStep | None, unit: Unit | None,
                assignee: User | None, giver: User | None, name: str = "", first: bool = False,
                write: bool = True, agency_id: int | None = None) -> DossierStep:
    """The next step, written unless `write` is False (the caller writes it, e.g. with _finish's rows)."""
    last = 0 if first else (DossierStep.objects.filter(dossier=dossier).order_by("-seq").values_list("seq", flat=True).first() or 0)
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
        dossier=dossier, seq=last + 1, process_step=process_step, name=name or "Xử lý hồ sơ", unit=unit,
        agency_id=agency_id, assignee=assignee, giver=giver, receiver=assignee, received_at=at, due_at=due,
    )
    if write:
        insert(step)  # core.sql: no save() override or signal receiver on DossierStep
    return step


def _process_steps(version: ProcedureVersion) -> list[ProcessStep]:
    return list(ProcessStep.objects.filter(version=version).select_related("unit").order_by("order"))


def _set_appointment(cal: Calendar, dossier: Dossier, *, at: datetime) -> None:
    dossier.accepted_at = at
    dossier.due_at = deadlines.appointment(cal, version=dossier.procedure_version, agency=dossier.agency, start=at)
    dossier.original_due_at = dossier.due_at


_UNREAD = object()


def _first_step(cal: Calendar, dossier: Dossier, *, at: datetime, actor: User | None,
                first: Any = _UNREAD, write: bool = True) -> DossierStep:
    """The reception step (first step of the internal process, `first` when the caller read it
    already), held by the receiving officer."""
    if first is _UNREAD:
        first = selectors.first_process_step(dossier.procedure_version)
    unit = actor.unit if actor is not None and getattr(actor, "unit_id", None) else None
    # Reception is the deciding agency's step even when a service-centre officer holds it.
    agency_id = first.agency_id if first is not None and first.agency_id else dossier.agency_id
    return _start_step(cal, dossier, at=at, process_step=first, unit=unit, assignee=actor, giver=None,
                       name="" if first else "Tiếp nhận hồ sơ", first=True, write=write, agency_id=agency_id)


def _pause(dossier: Dossier, *, reason: str, at: datetime) -> Pause:
    return Pause.objects.create(dossier=dossier, reason=reason, started_at=at, resume_status=dossier.status)


def _resume(cal: Calendar, dossier: Dossier, *, at: datetime) -> Pause | None:
    """End the open pause: due moments move by its length in office time; the status it interrupted returns."""
    pause = Pause.objects.select_for_update().filter(dossier=dossier, ended_at__isnull=True).first()
    if pause is None:
        return None
    seconds = cal.working_seconds_between(pause.started_at, at)
    pause.ended_at = at
    pause.working_seconds = seconds
    pause.save(update_fields=["ended_at", "working_seconds"])
    if seconds and dossier.due_at is not None:
        dossier.due_at = cal.add_working_seconds(dossier.due_at, seconds)
        step = _open_step(dossier)
        if step is not None:
            step.due_at = cal.add_working_seconds(step.due_at, seconds)
            step.save(update_fields=["due_at"])
    dossier.status = pause.resume_status
    return pause


def _end_pause_without_shift(dossier: Dossier, at: datetime) -> None:
    Pause.objects.filter(dossier=dossier, ended_at__isnull=True).update(ended_at=at)


def _check_files(files: Iterable[dict]) -> list[tuple[dict, tuple[str, str, str, int]]]:
    """Check every file (type by content, size, hash) before any write. files: dicts
    {"file": UploadedFile, "component": Component|id|None, "digitised": bool}."""
    return [(item, upload_check(item["file"], field=f"files.{index}")) for index, item in enumerate(files)]


def _store_files(dossier: Dossier, checked: list[tuple[dict, tuple[str, str, str, int]]], *, actor: User | None,
                 kind: str = "component") -> list[DossierFile]:
    stored = []
    for item, (mime, ext, digest, size) in checked:
        upload = item["file"]
        component = item.get("component")
        row = DossierFile(dossier=dossier, kind=kind, original_name=(upload.name or "tep")[:255], sha256=digest,
                          content_type=mime, extension=ext, size=size, digitised=bool(item.get("digitised")),
                          uploaded_by=actor)
        if component is not None:
            row.component_id = component if isinstance(component, int) else component.pk
        row.file.save(f"{digest}{ext}", upload, save=False)
        row.save()
        stored.append(row)
    return stored


# ---------------------------------------------------------------------------------------------
# intake


def dossier_receive(*, actor: User | None, procedure_code: str, channel: str, applicant: dict[str, Any],
                    agency: Agency | None = None, received_at: datetime | None = None,
                    components: list[int] | None = None, files: Iterable[dict] = (),
                    result_delivery: str = Delivery.COUNTER, postal_tracking: str = "", return_address: str = "",
                    idempotency_key: str = "", idempotency_fingerprint: str = "", note: str = "") -> Dossier:
    """Receive a dossier. Counter and postal dossiers are accepted on the spot (status 2, appointment
    set); online dossiers arrive as newly submitted (status 1) and wait for `dossier_accept`.

    `components`: ids of the components the officer checked as present; when given, every mandatory
    component of the version in force must be among them or have a file. With `idempotency_key`,
    a repeated call by the same creator returns the first dossier (attribute `replayed` is True);
    with `idempotency_fingerprint` too (a hash of the request, `request_fingerprint`), a repeat whose
    fingerprint differs from the first call's raises IdempotencyKeyReused (422) and writes nothing."""
    # A repeated key is not looked up first (that query ran before every intake, nearly always in vain):
    # the unique (creator, key) index stops the repeat's INSERT, and a repeat that no longer passes the
    # checks (the procedure changed since) still gets the first dossier.
    try:
        return _receive(actor=actor, procedure_code=procedure_code, channel=channel, applicant=applicant,
                        agency=agency, received_at=received_at, components=components, files=files,
                        result_delivery=result_delivery, postal_tracking=postal_tracking,
                        return_address=return_address, idempotency_key=idempotency_key,
                        idempotency_fingerprint=idempotency_fingerprint, note=note)
    except (ApplicationError, IntegrityError):
        if idempotency_key:
            existing = _by_key(actor, idempotency_key)
            if existing is not None:
                stored = existing.idempotency_fingerprint
                # Rows stored before fingerprints existed (empty) cannot be compared: replayed as before.
                if stored and idempotency_fingerprint and stored != idempotency_fingerprint:
                    raise IdempotencyKeyReused() from None
                return existing
        raise


def _receive(*, actor: User | None, procedure_code: str, channel: str, applicant: dict[str, Any],
             agency: Agency | None, received_at: datetime | None, components: list[int] | None,
             files: Iterable[dict], result_delivery: str, postal_tracking: str, return_address: str,
             idempotency_key: str, idempotency_fingerprint: str, note: str) -> Dossier:
    if channel not in Channel.values:
        raise ValidationFailed(fields={"channel": ["Hình thức nộp phải là counter, online hoặc postal."]})
    if actor is not None and channel != Channel.ONLINE and not user_has_role(actor, Role.ONE_STOP_OFFICER):
        raise PermissionDeniedError("Chỉ cán bộ một cửa được tiếp nhận hồ sơ.")
    if result_delivery not in Delivery.values:
        raise ValidationFailed(fields={"result_delivery": ["Hình thức trả kết quả không hợp lệ."]})
    values = applicant_clean(applicant)
    at = _now(received_at)
    version, first_process_step = selectors.intake_reference(code=procedure_code, on=timezone.localdate(at))
    allowed = {Channel.COUNTER: version.channel_counter, Channel.ONLINE: version.channel_online,
               Channel.POSTAL: version.channel_postal}[Channel(channel)]
    if not allowed:
        raise ValidationFailed(fields={"channel": [f"Thủ tục không nhận hồ sơ theo hình thức “{Channel(channel).label}”."]})
    if channel == Channel.POSTAL and not postal_tracking:
        raise ValidationFailed(fields={"postal_tracking": ["Hồ sơ qua bưu chính cần số hiệu bưu gửi."]})
    if result_delivery == Delivery.POST and not (return_address or values["applicant_address"]):
        raise ValidationFailed(fields={"return_address": ["Cần địa chỉ nhận kết quả qua bưu chính."]})
    files = list(files)
    checked = _check_files(files)
    components, counts = _paper_counts(components)
    attached = {f["component"] if isinstance(f.get("component"), int) else f["component"].pk
                for f in files if f.get("component") is not None}
    # The version's components matter only when the officer ticked some or files name one.
    version_components = list(version.components.all()) if components is not None or attached else []
    known = {c.pk for c in version_components}
    if (attached | set(components or [])) - known:
        raise ValidationFailed(fields={"components": ["Thành phần hồ sơ không thuộc thủ tục đã chọn."]})
    if components is not None:
        present = set(components) | attached
        missing = [c for c in version_components if c.mandatory and c.pk not in present]
        if missing:
            raise ValidationFailed("Hồ sơ thiếu thành phần bắt buộc.",
                                   fields={"components": [f"Thiếu: {c.name}" for c in missing]})
    # Every paper received, scanned or not (BM.01 lists them): the ticked ones and those with a file.
    received = set(components or []) | attached
    papers = [ReceivedPaper(component_id=c.pk, order=c.order, name=c.name,
                            originals=counts.get(c.pk, (c.originals, c.copies))[0],
                            copies=counts.get(c.pk, (c.originals, c.copies))[1])
              for c in version_components if c.pk in received]
    agency = agency or version.agency or (actor.agency if actor is not None else None)
    if agency is None:
        raise ValidationFailed(fields={"agency": ["Không xác định được cơ quan tiếp nhận."]})
    # The dossier belongs to the deciding agency; its desk, or a service-centre officer seconded to it
    # (core.tenancy), receives it. The centre is recorded as the receiving place.
    # (Staff of the deciding agency itself skip the policy's look-up: the intake is the hot path.)
    own = actor is not None and getattr(actor, "unit_id", None) and actor.unit.agency_id == agency.pk
    if actor is not None and not own and not may_act_for(actor, agency.pk):
        raise PermissionDeniedError("Thủ tục thuộc thẩm quyền của cơ quan khác.")
    receiving_agency = None
    if actor is not None and getattr(actor, "unit_id", None) and actor.unit.agency_id != agency.pk:
        receiving_agency = actor.unit.agency if actor.unit.agency.is_service_centre else None

    secret = secrets.token_hex(4).upper()
    accept_now = channel != Channel.ONLINE
    # Everything that only reads is done before the transaction: its first write takes the agency's
    # daily-sequence row lock, which every other intake of the agency waits for until commit.
    cal = Calendar()
    dossier = Dossier(
        agency=agency, receiving_agency=receiving_agency, procedure_version=version, channel=channel,
        status=Status.SUBMITTED, received_at=at,
        result_delivery=result_delivery, postal_tracking=postal_tracking.strip(),
        return_address=return_address.strip(), lookup_secret_hash=lookup_secret_hash(secret),
        idempotency_key=idempotency_key if actor else "",
        idempotency_fingerprint=idempotency_fingerprint if actor and idempotency_key else "",
        created_by=actor, note=note, **values,
    )
    dossier.search_text = dossier_search_text(**values, procedure_name=version.name)
    step = None
    if accept_now:
        dossier.status = Status.ACCEPTED
        _set_appointment(cal, dossier, at=at)
        step = _first_step(cal, dossier, at=at, actor=actor, first=first_process_step, write=False)
    day = timezone.localdate(at)
    with transaction.atomic():
        _insert_numbered(dossier, agency, day)
        _store_files(dossier, checked, actor=actor)
        if step is not None:
            step.dossier = dossier  # its key exists now
        for paper in papers:
            paper.dossier = dossier
        _finish(dossier, action="receive", actor=actor, at=at, status_from="",
                data={"channel": channel, "procedure": procedure_code},
                template="received" if channel != Channel.ONLINE else "submitted",
                rows=[[step] if step is not None else [], papers])
    dossier.lookup_secret = secret  # shown once on the receipt (BM.01); only its hash is stored
    dossier.replayed = False
    return dossier


def request_fingerprint(data: Any) -> str:
    """SHA-256 of a request's validated data as canonical JSON (keys sorted, no spaces, dates as ISO
    text): the same request gives the same fingerprint whatever the key order or spacing of its body."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _paper_counts(components: list | None) -> tuple[list[int] | None, dict[int, tuple[int, int]]]:
    """`components` as given to dossier_receive — component ids, or dicts {"component": id,
    "originals": n, "copies": n} when the officer counted the papers — as (ids, {id: (originals, copies)})."""
    if components is None:
        return None, {}
    ids, counts = [], {}
    for index, item in enumerate(components):
        if not isinstance(item, dict):
            ids.append(int(item))
            continue
        try:
            pk, originals, copies = int(item["component"]), int(item.get("originals", 0)), int(item.get("copies", 0))
        except (KeyError, TypeError, ValueError):
            raise ValidationFailed(fields={f"components.{index}": ["Cần mã thành phần và số bản chính, bản sao."]}) from None
        if not (0 <= originals <= 99 and 0 <= copies <= 99) or originals + copies == 0:
            raise ValidationFailed(fields={f"components.{index}": ["Số bản chính, bản sao từ 0 đến 99, ít nhất một bản."]})
        ids.append(pk)
        counts[pk] = (originals, copies)
    return ids, counts


def _by_key(actor: User | None, key: str) -> Dossier | None:
    if actor is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "id" FROM "{Dossier._meta.db_table}" WHERE "created_by_id" = %s AND "idempotency_key" = %s',
                       [actor.pk, key])
        row = cursor.fetchone()
    if row is None:
        return None
    pk = row[0]
    dossier = Dossier.objects.select_related("agency", "procedure_version__procedure").get(pk=pk)
    dossier.replayed = True
    return dossier


# ---------------------------------------------------------------------------------------------
# transitions


def dossier_accept(*, dossier: Dossier, actor: User | None, at: datetime | None = None) -> Dossier:
    """Accept an online dossier: the appointment is counted from now."""
    at = _now(at)
    with transaction.atomic():
        d = _lock(dossier, Action.ACCEPT, actor)
        before = d.status
        d.status = Status.ACCEPTED
        cal = Calendar()
        _set_appointment(cal, d, at=at)
        _first_step(cal, d, at=at, actor=actor)
        d.save(update_fields=["status", "accepted_at", "due_at", "original_due_at", "updated_at"])
        return _finish(d, action=Action.ACCEPT, actor=actor, at=at, status_from=before, template="accepted",
                       data={"due_at": d.due_at.isoformat()})


def dossier_refuse(*, dossier: Dossier, actor: User | None, reason: str, at: datetime | None = None) -> Dossier:
    """Refuse the dossier at reception (BM.03) with a reason."""
    if not (reason or "").strip():
        raise ValidationFailed(fields={"reason": ["Cần nêu lý do từ chối."]})
    at = _now(at)
    with transaction.atomic():
        d = _lock(dossier, Action.REFUSE, actor)
        before = d.status
        _close_step(_open_step(d), at)
        d.status = Status.REFUSED
        d.finished_at = at
        d.outcome_note = reason.strip()
        d.save(update_fields=["status", "finished_at", "outcome_note", "updated_at"])
        return _finish(d, action=Action.REFUSE, actor=actor, at=at, status_from=before, note=reason, template="refused")


def dossier_request_supplement(*, dossier: Dossier, actor: User | None, items: list[str], note: str = "",
                               at: datetime | None = None) -> Dossier:
    """Ask the applicant to complete the dossier (BM.02); the clock stops until they answer."""
    items = [str(i).strip() for i in (items or []) if str(i).strip()]
    if not items:
        raise ValidationFailed(fields={"items": ["Cần liệt kê ít nhất một nội dung cần bổ sung."]})
    at = _now(at)
    with transaction.atomic():
        d = _lock(dossier, Action.REQUEST_SUPPLEMENT, actor)
        before = d.status
        pause = _pause(d, reason=Pause.Reason.SUPPLEMENT, at=at)
        SupplementRequest.objects.create(dossier=d, pause=pause, items=items, note=note, requested_by=actor, requested_at=at)
        d.status = Status.SUPPLEMENT_REQUESTED
        d.supplement_count += 1
        d.save(update_fields=["status", "supplement_count", "updated_at"])
        return _finish(d, action=Action.REQUEST_SUPPLEMENT, actor=actor, at=at, status_from=before, note=note,
                       data={"items": items}, template="supplement_requested")


def dossier_receive_supplement(*, dossier: Dossier, actor: User | None, files: Iterable[dict] = (), note: str = "",
                               at: datetime | None = None) -> Dossier:
    """The applicant's additions arrived: the clock resumes and due dates move by the pause length."""
    at = _now(at)
    checked = _check_files(files)
    with transaction.atomic():
        d = _lock(dossier, Action.RECEIVE_SUPPLEMENT, actor)
        before = d.status
        pause = _resume(Calendar(), d, at=at)
        SupplementRequest.objects.filter(dossier=d, answered_at__isnull=True).update(answered_at=at)
        d.save(update_fields=["status", "due_at", "updated_at"])
        _store_files(d, checked, actor=actor, kind="supplement")
        return _finish(d, action=Action.RECEIVE_SUPPLEMENT, actor=actor, at=at, status_from=before, note=note,
                       data={"paused_seconds": pause.working_seconds if pause else 0,
                             "due_at": d.due_at.isoformat() if d.due_at else None})


def dossier_require_payment(*, dossier: Dossier, actor: User | None, note: str = "", amount_vnd: int | None = None,
                            at: datetime | None = None) -> Dossier:
    """A financial obligation (fee, tax) must be paid: the clock stops."""
    at = _now(at)
    with transaction.atomic():
        d = _lock(dossier, Action.REQUIRE_PAYMENT, actor)
        before = d.status
        _pause(d, reason=Pause.Reason.PAYMENT, at=at)
        d.status = Status.PAYMENT_REQUIRED
        d.save(update_fields=["status", "updated_at"])
        return _finish(d, action=Action.REQUIRE_PAYMENT, actor=actor, at=at, status_from=before, note=note,
                       data={"amount_vnd": amount_vnd}, template="payment_required")


def dossier_confirm_payment(*, dossier: Dossier, actor: User | None, note: str = "", at: datetime | None = None) -> Dossier:
    at = _now(at)
    with transaction.atomic():
        d = _lock(dossier, Action.CONFIRM_PAYMENT, actor)
        before = d.status
        pause = _resume(Calendar(), d, at=at)
        d.save(update_fields=["status", "due_at", "updated_at"])
        return _finish(d, action=Action.CONFIRM_PAYMENT, actor=actor, at=at, status_from=before, note=note,
                       data={"paused_seconds": pause.working_seconds if pause else 0})


def dossier_forward(*, dossier: Dossier, actor: User | None, to_unit: Unit | None = None, to_user: User | None = None,
                    note: str = "", at: datetime | None = None) -> Dossier:
    """Hand the dossier to the next internal step (the procedure's next step by default, or the unit/person
    given). The handover is logged (BM.05) and the finished step classified."""
    at = _now(at)
    with transaction.atomic():
        d = _lock(dossier, Action.FORWARD, actor)
        before = d.status
        cal = Calendar()
        current = _open_step(d)
        steps = _process_steps(d.procedure_version)
        next_step = None
        if current is not None and current.process_step_id is not None:
            orders = {s.pk: s.order for s in steps}
            later = [s for s in steps if s.order > orders.get(current.process_step_id, 10**6)]
            next_step = later[0] if later else None
        if next_step is None and to_unit is None and to_user is None:
            raise ValidationFailed("Quy trình không còn bước tiếp theo; hãy chọn đơn vị hoặc người nhận, hoặc phê duyệt kết quả.",
                                   fields={"to_unit": ["Chọn đơn vị hoặc người nhận."]})
        if to_user is not None and to_unit is None and to_user.unit_id:
            to_unit = to_user.unit
        _close_step(current, at)
        new = _start_step(cal, d, at=at, process_step=next_step, unit=to_unit, assignee=to_user, giver=actor)
        d.status = Status.PROCESSING
        d.save(update_fields=["status", "updated_at"])
        return _finish(d, action=Action.FORWARD, actor=actor, at=at, status_from=before, note=note,
                       data={"step": new.seq, "unit": new.unit_id, "assignee": new.assignee_id})


def dossier_return_to_step(*, dossier: Dossier, actor: User | None, seq: int | None = None, note: str = "",
                           at: datetime | None = None) -> Dossier:
    """Send the dossier back to an earlier step instance (the previous one by default): a new step row
    repeats that step, with a fresh due moment from its share."""
    at = _now(at)
    with transaction.atomic():
        d = _lock(dossier, Action.RETURN_TO_STEP, actor)
        before = d.status
        current = _open_step(d)
        earlier = DossierStep.objects.filter(dossier=d).exclude(pk=current.pk if current else None).order_by("-seq")
        target = earlier.filter(seq=seq).first() if seq is not None else earlier.first()
        if target is None:
            raise ValidationFailed(fields={"seq": ["Không có bước trước để trả lại."]})
        _close_step(current, at)
        new = _start_step(Calendar(), d, at=at, process_step=target.process_step, unit=target.unit, agency_id=target.agency_id,
                          assignee=target.assignee or target.receiver, giver=actor, name=target.name)
        d.save(update_fields=["updated_at"])
        return _finish(d, action=Action.RETURN_TO_STEP, actor=actor, at=at, status_from=before, note=note,
                       data={"to_seq": target.seq, "step": new.seq})


def dossier_decide(*, dossier: Dossier, actor: User | None, outcome: str, note: str = "", result_file=None,
                   at: datetime | None = None) -> Dossier:
    """The deciding leader approves or rejects; the dossier is classified early / on time / late."""
    if outcome not in Outcome.values:
        raise ValidationFailed(fields={"outcome": ["Kết quả phải là approved hoặc rejected."]})
    if outcome == Outcome.REJECTED and not note.strip():
        raise ValidationFailed(fields={"note": ["Cần nêu lý do không chấp thuận."]})
    at = _now(at)
    with transaction.atomic():
        d = _lock(dossier, Action.DECIDE, actor)
        before = d.status
        _close_step(_open_step(d), at)
        d.status = Status.DECIDED
        d.outcome = outcome
        d.outcome_note = note
        d.finished_at = at
        d.timeliness = deadlines.classify(at, d.due_at)
        fields = ["status", "outcome", "outcome_note", "finished_at", "timeliness", "updated_at"]
        if result_file is not None:
            mime, ext, digest, size = upload_check(result_file, field="result_file")
            d.result_file.save(f"{d.code}-{digest[:12]}{ext}", result_file, save=False)
            fields.append("result_file")
        d.save(update_fields=fields)
        return _finish(d, action=Action.DECIDE, actor=actor, at=at, status_from=before, note=note,
                       data={"outcome": outcome, "timeliness": d.timeliness}, template="decided")


def dossier_extend(*, dossier: Dossier, actor: User | None, new_due_at: datetime, reason: str,
                   at: datetime | None = None) -> Dossier:
    """Apologise and set a new date (BM.04): only once, and at least one working day before the due date."""
    if not (reason or "").strip():
        raise ValidationFailed(fields={"reason": ["Cần nêu lý do chậm."]})
    at = _now(at)
    with transaction.atomic():
        d = _lock(dossier, Action.EXTEND, actor)
        if d.extended or Extension.objects.filter(dossier=d).exists():
            raise TransitionNotAllowed("Hồ sơ đã được gia hạn một lần; không được gia hạn lần thứ hai.", code="already_extended")
        cal = Calendar()
        if cal.working_days_between(timezone.localdate(at), timezone.localdate(d.due_at)) < 1:
            raise TransitionNotAllowed("Phải xin gia hạn chậm nhất trước hạn trả kết quả một ngày làm việc.",
                                       code="extension_too_late")
        if new_due_at <= d.due_at:
            raise ValidationFailed(fields={"new_due_at": ["Ngày hẹn mới phải sau ngày hẹn hiện tại."]})
        before = d.status
        Extension.objects.create(dossier=d, reason=reason.strip(), previous_due_at=d.due_at, new_due_at=new_due_at,
                                 requested_by=actor, created_at=at)
        old = d.due_at
        d.due_at = new_due_at
        d.extended = True
        d.save(update_fields=["due_at", "extended", "updated_at"])
        return _finish(d, action=Action.EXTEND, actor=actor, at=at, status_from=before, note=reason,
                       data={"previous_due_at": old.isoformat(), "new_due_at": new_due_at.isoformat()}, template="extended")


def dossier_return_result(*, dossier: Dossier, actor: User | None, delivery: str | None = None, postal_tracking: str = "",
                          at: datetime | None = None) -> Dossier:
    """Return the result at the desk, by post or online."""
    at = _now(at)
    with transaction.atomic():
        d = _lock(dossier, Action.RETURN_RESULT, actor)
        delivery = delivery or d.result_delivery
        if delivery not in Delivery.values:
            raise ValidationFailed(fields={"delivery": ["Hình thức trả kết quả không hợp lệ."]})
        if delivery == Delivery.POST and not postal_tracking.strip():
            raise ValidationFailed(fields={"postal_tracking": ["Trả qua bưu chính cần số hiệu bưu gửi."]})
        before = d.status
        d.status = Status.RETURNED
        d.returned_at = at
        d.result_delivery = delivery
        if postal_tracking:
            d.postal_tracking = postal_tracking.strip()
        d.save(update_fields=["status", "returned_at", "result_delivery", "postal_tracking", "updated_at"])
        return _finish(d, action=Action.RETURN_RESULT, actor=actor, at=at, status_from=before,
                       data={"delivery": delivery}, template="returned")


def _close_out(d: Dossier, *, status: str, at: datetime, reason: str) -> None:
    _end_pause_without_shift(d, at)
    _close_step(_open_step(d), at)
    d.status = status
    d.finished_at = at
    d.outcome_note = reason
    d.save(update_fields=["status", "finished_at", "outcome_note", "updated_at"])


def dossier_withdraw(*, dossier: Dossier, actor: User | None, reason: str = "", at: datetime | None = None) -> Dossier:
    """The applicant withdraws the dossier (recorded by the desk)."""
    at = _now(at)
    with transaction.atomic():
        d = _lock(dossier, Action.WITHDRAW, actor)
        before = d.status
        _close_out(d, status=Status.WITHDRAWN, at=at, reason=reason)
        return _finish(d, action=Action.WITHDRAW, actor=actor, at=at, status_from=before, note=reason, template="withdrawn")


def dossier_stop(*, dossier: Dossier, actor: User | None, reason: str, at: datetime | None = None) -> Dossier:
    """Stop processing (dừng xử lý), with a reason."""
    if not (reason or "").strip():
        raise ValidationFailed(fields={"reason": ["Cần nêu lý do dừng xử lý."]})
    at = _now(at)
    with transaction.atomic():
        d = _lock(dossier, Action.STOP, actor)
        before = d.status
        _close_out(d, status=Status.STOPPED, at=at, reason=reason)
        return _finish(d, action=Action.STOP, actor=actor, at=at, status_from=before, note=reason, template="stopped")


SERVICES = {
    Action.ACCEPT: dossier_accept,
    Action.REFUSE: dossier_refuse,
    Action.REQUEST_SUPPLEMENT: dossier_request_supplement,
    Action.RECEIVE_SUPPLEMENT: dossier_receive_supplement,
    Action.REQUIRE_PAYMENT: dossier_require_payment,
    Action.CONFIRM_PAYMENT: dossier_confirm_payment,
    Action.FORWARD: dossier_forward,
    Action.RETURN_TO_STEP: dossier_return_to_step,
    Action.DECIDE: dossier_decide,
    Action.EXTEND: dossier_extend,
    Action.RETURN_RESULT: dossier_return_result,
    Action.WITHDRAW: dossier_withdraw,
    Action.STOP: dossier_stop,
}


def dossier_record_access(*, dossier: Dossier, actor: User, file: DossierFile | None = None) -> None:
    """Log that a staff member opened the dossier's personal data (Decree 13/2023/NĐ-CP): its page,
    or one of its files (`file`)."""
    changes = {"file": {"id": file.pk, "name": file.original_name, "sha256": file.sha256}} if file is not None else None
    with transaction.atomic():
        audit_record(actor=actor, action="dossier.view_personal_data", obj=dossier, changes=changes)
