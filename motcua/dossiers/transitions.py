"""The transitions of a dossier after its intake (dossiers.intake): one service per action of the state
machine (dossiers.machine).

Every transition: locks the dossier row, checks the actor and the state (403 for an actor the machine
or the desk's checks refuse, 409 TransitionNotAllowed for a wrong state, TypeError without an actor;
nothing changed), changes state, writes the timeline event, queues notifications, and records the
audit entry last (dossiers.writes.finish), all in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import TransitionNotAllowed, ValidationFailed
from motcua.core.models import Unit, User
from motcua.core.transitions import Actor, Applicant
from motcua.workcalendar.selectors import Calendar

from . import deadlines, postal
from .machine import STEP_ACTIONS, STEP_OWNED_ACTIONS, Action, ensure_allowed, ensure_may_act_on_step, open_step_read
from .models import Delivery, Dossier, DossierStep, Extension, Outcome, Pause, Status, SupplementRequest
from .validators import upload_check
from .writes import (
    check_files,
    close_step,
    finish,
    first_step,
    now,
    open_step,
    process_steps,
    set_appointment,
    staff,
    start_step,
    store_files,
)


def _lock(dossier: Dossier, action: Action, actor: Actor) -> Dossier:
    """The dossier row, locked, once the actor may take the action from its state."""
    locked = Dossier.objects.select_for_update(of=("self",)).select_related("agency", "procedure_version").get(pk=dossier.pk)
    # The open step decides for staff only (its agency, its unit): the system and an applicant skip the read.
    step = open_step_read(locked) if action in STEP_OWNED_ACTIONS and isinstance(actor, User) else None
    ensure_allowed(locked, action, actor, step=step)
    if action in STEP_ACTIONS:
        ensure_may_act_on_step(step, action, actor)
    return locked


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
        step = open_step(dossier)
        if step is not None:
            step.due_at = cal.add_working_seconds(step.due_at, seconds)
            step.save(update_fields=["due_at"])
    dossier.status = pause.resume_status
    return pause


def _end_pause_without_shift(dossier: Dossier, at: datetime) -> None:
    Pause.objects.filter(dossier=dossier, ended_at__isnull=True).update(ended_at=at)


def dossier_accept(*, dossier: Dossier, actor: Actor, at: datetime | None = None) -> Dossier:
    """Accept an online dossier: the appointment is counted from now."""
    at = now(at)
    with transaction.atomic():
        d = _lock(dossier, Action.ACCEPT, actor)
        before = d.status
        d.status = Status.ACCEPTED
        cal = Calendar()
        set_appointment(cal, d, at=at)
        first_step(cal, d, at=at, actor=actor)
        d.save(update_fields=["status", "accepted_at", "due_at", "original_due_at", "updated_at"])
        return finish(
            d,
            action=Action.ACCEPT,
            actor=actor,
            at=at,
            status_from=before,
            template="accepted",
            data={"due_at": d.due_at.isoformat()},
        )


def dossier_refuse(*, dossier: Dossier, actor: Actor, reason: str, at: datetime | None = None) -> Dossier:
    """Refuse the dossier at reception (BM.03) with a reason."""
    if not (reason or "").strip():
        raise ValidationFailed(fields={"reason": [_("Cần nêu lý do từ chối.")]})
    return _close_out(dossier, action=Action.REFUSE, status=Status.REFUSED, actor=actor, reason=reason, at=at)


def dossier_request_supplement(
    *, dossier: Dossier, actor: Actor, items: list[str], note: str = "", at: datetime | None = None
) -> Dossier:
    """Ask the applicant to complete the dossier (BM.02); the clock stops until they answer."""
    items = [str(i).strip() for i in (items or []) if str(i).strip()]
    if not items:
        raise ValidationFailed(fields={"items": [_("Cần liệt kê ít nhất một nội dung cần bổ sung.")]})
    at = now(at)
    with transaction.atomic():
        d = _lock(dossier, Action.REQUEST_SUPPLEMENT, actor)
        before = d.status
        pause = _pause(d, reason=Pause.Reason.SUPPLEMENT, at=at)
        SupplementRequest.objects.create(
            dossier=d, pause=pause, items=items, note=note, requested_by=staff(actor), requested_at=at
        )
        d.status = Status.SUPPLEMENT_REQUESTED
        d.supplement_count += 1
        d.save(update_fields=["status", "supplement_count", "updated_at"])
        return finish(
            d,
            action=Action.REQUEST_SUPPLEMENT,
            actor=actor,
            at=at,
            status_from=before,
            note=note,
            data={"items": items},
            template="supplement_requested",
        )


def dossier_receive_supplement(
    *, dossier: Dossier, actor: Actor, files: Iterable[dict] = (), note: str = "", at: datetime | None = None
) -> Dossier:
    """The applicant's additions arrived: the clock resumes and due dates move by the pause length."""
    at = now(at)
    checked = check_files(files)
    with transaction.atomic():
        d = _lock(dossier, Action.RECEIVE_SUPPLEMENT, actor)
        before = d.status
        pause = _resume(Calendar(), d, at=at)
        SupplementRequest.objects.filter(dossier=d, answered_at__isnull=True).update(answered_at=at)
        d.save(update_fields=["status", "due_at", "updated_at"])
        store_files(d, checked, actor=actor, kind="supplement")
        return finish(
            d,
            action=Action.RECEIVE_SUPPLEMENT,
            actor=actor,
            at=at,
            status_from=before,
            note=note,
            data={"paused_seconds": pause.working_seconds if pause else 0, "due_at": d.due_at.isoformat() if d.due_at else None},
        )


def dossier_require_payment(
    *, dossier: Dossier, actor: Actor, note: str = "", amount_vnd: int | None = None, at: datetime | None = None
) -> Dossier:
    """A financial obligation (fee, tax) must be paid: the clock stops."""
    at = now(at)
    with transaction.atomic():
        d = _lock(dossier, Action.REQUIRE_PAYMENT, actor)
        before = d.status
        _pause(d, reason=Pause.Reason.PAYMENT, at=at)
        d.status = Status.PAYMENT_REQUIRED
        d.save(update_fields=["status", "updated_at"])
        return finish(
            d,
            action=Action.REQUIRE_PAYMENT,
            actor=actor,
            at=at,
            status_from=before,
            note=note,
            data={"amount_vnd": amount_vnd},
            template="payment_required",
        )


def dossier_confirm_payment(*, dossier: Dossier, actor: Actor, note: str = "", at: datetime | None = None) -> Dossier:
    at = now(at)
    with transaction.atomic():
        d = _lock(dossier, Action.CONFIRM_PAYMENT, actor)
        before = d.status
        pause = _resume(Calendar(), d, at=at)
        d.save(update_fields=["status", "due_at", "updated_at"])
        return finish(
            d,
            action=Action.CONFIRM_PAYMENT,
            actor=actor,
            at=at,
            status_from=before,
            note=note,
            data={"paused_seconds": pause.working_seconds if pause else 0},
        )


def dossier_forward(
    *,
    dossier: Dossier,
    actor: Actor,
    to_unit: Unit | None = None,
    to_user: User | None = None,
    note: str = "",
    at: datetime | None = None,
) -> Dossier:
    """Hand the dossier to the next internal step (the procedure's next step by default, or the unit/person
    given). The handover is logged (BM.05) and the finished step classified."""
    at = now(at)
    with transaction.atomic():
        d = _lock(dossier, Action.FORWARD, actor)
        before = d.status
        cal = Calendar()
        current = open_step(d)
        steps = process_steps(d.procedure_version)
        next_step = None
        if current is not None and current.process_step_id is not None:
            orders = {s.pk: s.order for s in steps}
            later = [s for s in steps if s.order > orders.get(current.process_step_id, 10**6)]
            next_step = later[0] if later else None
        if next_step is None and to_unit is None and to_user is None:
            raise ValidationFailed(
                _("Quy trình không còn bước tiếp theo; hãy chọn đơn vị hoặc người nhận, hoặc phê duyệt kết quả."),
                fields={"to_unit": [_("Chọn đơn vị hoặc người nhận.")]},
            )
        if to_user is not None and to_unit is None and to_user.unit_id:
            to_unit = to_user.unit
        close_step(current, at)
        new = start_step(cal, d, at=at, process_step=next_step, unit=to_unit, assignee=to_user, giver=staff(actor))
        d.status = Status.PROCESSING
        d.save(update_fields=["status", "updated_at"])
        return finish(
            d,
            action=Action.FORWARD,
            actor=actor,
            at=at,
            status_from=before,
            note=note,
            data={"step": new.seq, "unit": new.unit_id, "assignee": new.assignee_id},
        )


def dossier_return_to_step(
    *, dossier: Dossier, actor: Actor, seq: int | None = None, note: str = "", at: datetime | None = None
) -> Dossier:
    """Send the dossier back to an earlier step instance (the previous one by default): a new step row
    repeats that step, with a fresh due moment from its share."""
    at = now(at)
    with transaction.atomic():
        d = _lock(dossier, Action.RETURN_TO_STEP, actor)
        before = d.status
        current = open_step(d)
        earlier = DossierStep.objects.filter(dossier=d).exclude(pk=current.pk if current else None).order_by("-seq")
        target = earlier.filter(seq=seq).first() if seq is not None else earlier.first()
        if target is None:
            raise ValidationFailed(fields={"seq": [_("Không có bước trước để trả lại.")]})
        close_step(current, at)
        new = start_step(
            Calendar(),
            d,
            at=at,
            process_step=target.process_step,
            unit=target.unit,
            agency_id=target.agency_id,
            assignee=target.assignee or target.receiver,
            giver=staff(actor),
            name=target.name,
        )
        d.save(update_fields=["updated_at"])
        return finish(
            d,
            action=Action.RETURN_TO_STEP,
            actor=actor,
            at=at,
            status_from=before,
            note=note,
            data={"to_seq": target.seq, "step": new.seq},
        )


def dossier_decide(
    *, dossier: Dossier, actor: Actor, outcome: str, note: str = "", result_file=None, at: datetime | None = None
) -> Dossier:
    """The deciding leader approves or rejects; the dossier is classified early / on time / late."""
    if outcome not in Outcome.values:
        raise ValidationFailed(fields={"outcome": [_("Kết quả phải là approved hoặc rejected.")]})
    if outcome == Outcome.REJECTED and not note.strip():
        raise ValidationFailed(fields={"note": [_("Cần nêu lý do không chấp thuận.")]})
    at = now(at)
    with transaction.atomic():
        d = _lock(dossier, Action.DECIDE, actor)
        before = d.status
        close_step(open_step(d), at)
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
        return finish(
            d,
            action=Action.DECIDE,
            actor=actor,
            at=at,
            status_from=before,
            note=note,
            data={"outcome": outcome, "timeliness": d.timeliness},
            template="decided",
        )


def dossier_extend(*, dossier: Dossier, actor: Actor, new_due_at: datetime, reason: str, at: datetime | None = None) -> Dossier:
    """Apologise and set a new date (BM.04): only once, and at least one working day before the due date."""
    if not (reason or "").strip():
        raise ValidationFailed(fields={"reason": [_("Cần nêu lý do chậm.")]})
    at = now(at)
    with transaction.atomic():
        d = _lock(dossier, Action.EXTEND, actor)
        if d.extended or Extension.objects.filter(dossier=d).exists():
            raise TransitionNotAllowed(
                _("Hồ sơ đã được gia hạn một lần; không được gia hạn lần thứ hai."), code="already_extended"
            )
        cal = Calendar()
        if cal.working_days_between(timezone.localdate(at), timezone.localdate(d.due_at)) < 1:
            raise TransitionNotAllowed(
                _("Phải xin gia hạn chậm nhất trước hạn trả kết quả một ngày làm việc."), code="extension_too_late"
            )
        if new_due_at <= d.due_at:
            raise ValidationFailed(fields={"new_due_at": [_("Ngày hẹn mới phải sau ngày hẹn hiện tại.")]})
        before = d.status
        Extension.objects.create(
            dossier=d,
            reason=reason.strip(),
            previous_due_at=d.due_at,
            new_due_at=new_due_at,
            requested_by=staff(actor),
            created_at=at,
        )
        old = d.due_at
        d.due_at = new_due_at
        d.extended = True
        d.save(update_fields=["due_at", "extended", "updated_at"])
        return finish(
            d,
            action=Action.EXTEND,
            actor=actor,
            at=at,
            status_from=before,
            note=reason,
            data={"previous_due_at": old.isoformat(), "new_due_at": new_due_at.isoformat()},
            template="extended",
        )


def dossier_return_result(
    *, dossier: Dossier, actor: Actor, delivery: str | None = None, postal_tracking: str = "", at: datetime | None = None
) -> Dossier:
    """Return the result at the desk, by post or online."""
    at = now(at)
    with transaction.atomic():
        d = _lock(dossier, Action.RETURN_RESULT, actor)
        delivery = delivery or d.result_delivery
        if delivery not in Delivery.values:
            raise ValidationFailed(fields={"delivery": [_("Hình thức trả kết quả không hợp lệ.")]})
        if delivery == Delivery.POST and not postal_tracking.strip():
            postal.delivery_check(d)  # a tracking number, or an order to the postal operator
        before = d.status
        d.status = Status.RETURNED
        d.returned_at = at
        d.result_delivery = delivery
        if postal_tracking:
            d.postal_tracking = postal_tracking.strip()
        d.save(update_fields=["status", "returned_at", "result_delivery", "postal_tracking", "updated_at"])
        return finish(
            d,
            action=Action.RETURN_RESULT,
            actor=actor,
            at=at,
            status_from=before,
            data={"delivery": delivery},
            template="returned",
            # By post without a tracking number: a delivery order to the postal operator (dossiers.postal).
            rows=[postal.order_rows(d, kind=postal.Kind.DELIVERY, at=at)]
            if delivery == Delivery.POST and not postal_tracking.strip()
            else None,
        )


def _close_out(dossier: Dossier, *, action: Action, status: str, actor: Actor, reason: str, at: datetime | None) -> Dossier:
    """End the dossier without a result (refused, withdrawn, stopped): an open pause ends without moving
    the due date, the open step closes, the reason is kept and the applicant told (template = action)."""
    at = now(at)
    reason = (reason or "").strip()
    with transaction.atomic():
        d = _lock(dossier, action, actor)
        before = d.status
        _end_pause_without_shift(d, at)
        close_step(open_step(d), at)
        d.status = status
        d.finished_at = at
        d.outcome_note = reason
        d.save(update_fields=["status", "finished_at", "outcome_note", "updated_at"])
        return finish(d, action=action, actor=actor, at=at, status_from=before, note=reason, template=_TEMPLATES[action])


_TEMPLATES = {Action.REFUSE: "refused", Action.WITHDRAW: "withdrawn", Action.STOP: "stopped"}


def dossier_withdraw(*, dossier: Dossier, actor: Actor, reason: str = "", at: datetime | None = None) -> Dossier:
    """The applicant withdraws the dossier: asked for at the desk and recorded by it, or done by the applicant on
    the portal (a dossier without a decision yet: the machine's states), who then states why."""
    if isinstance(actor, Applicant) and not (reason or "").strip():
        raise ValidationFailed(fields={"reason": [_("Cần nêu lý do rút hồ sơ.")]})
    return _close_out(dossier, action=Action.WITHDRAW, status=Status.WITHDRAWN, actor=actor, reason=reason, at=at)


def dossier_stop(*, dossier: Dossier, actor: Actor, reason: str, at: datetime | None = None) -> Dossier:
    """Stop processing (dừng xử lý), with a reason."""
    if not (reason or "").strip():
        raise ValidationFailed(fields={"reason": [_("Cần nêu lý do dừng xử lý.")]})
    return _close_out(dossier, action=Action.STOP, status=Status.STOPPED, actor=actor, reason=reason, at=at)


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
