"""Writes of PAKN (feedback and petitions) and satisfaction ratings.

Every state change is one function here: it locks the row, checks the role and that the move is allowed
from the current status (TransitionNotAllowed → HTTP 409), changes the state, recomputes the deadline of
the new stage, and calls audit_record(...) as its last write — all in one transaction.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationFailed
from motcua.core.models import Agency, User
from motcua.core.roles import Role
from motcua.core.selectors import agency_default
from motcua.core.services import audit_record
from motcua.core.transitions import Actor, Applicant, StateMachine, System, Transition, require_actor
from motcua.core.validators import CONTENT_MAX, NOTE_MAX, ascii_digits, text_check
from motcua.dossiers.models import Dossier
from motcua.notifications.services import message_enqueue

from . import deadlines, national_updates
from .models import (
    CRITERIA,
    CRITERIA_MAX,
    Category,
    Channel,
    Feedback,
    FeedbackAttachment,
    FeedbackCounter,
    Kind,
    Overall,
    SatisfactionRating,
    Status,
)
from .uploads import check_uploads

HANDLER_ROLES = (Role.ONE_STOP_OFFICER, Role.SPECIALIST)
PUBLISHER_ROLES = (Role.LEADER,)

# The PAKN lifecycle (core.transitions): who may take each step, and from which statuses. The submitter
# (an Applicant who proved the code and contact on the lookup page) may send the information asked for.
FEEDBACK = StateMachine(
    {
        "refuse": Transition(frozenset({Status.RECEIVED}), HANDLER_ROLES, label=gettext_lazy("từ chối tiếp nhận")),
        "request_more_info": Transition(
            frozenset({Status.RECEIVED}), HANDLER_ROLES, label=gettext_lazy("đề nghị bổ sung thông tin")
        ),
        "receive_more_info": Transition(
            frozenset({Status.MORE_INFO_REQUESTED}),
            HANDLER_ROLES,
            applicant=True,
            label=gettext_lazy("ghi nhận thông tin bổ sung"),
        ),
        "start": Transition(frozenset({Status.RECEIVED}), HANDLER_ROLES, label=gettext_lazy("nhận xử lý")),
        "answer": Transition(frozenset({Status.IN_PROGRESS}), HANDLER_ROLES, label=gettext_lazy("trả lời")),
        "publish": Transition(frozenset({Status.ANSWERED}), PUBLISHER_ROLES, label=gettext_lazy("công khai kết quả")),
    },
    state_label=lambda status: Status(status).label,
    subject=gettext_lazy("phản ánh, kiến nghị"),
)

PHONE_RE = re.compile(r"^\+?[0-9][0-9 .\-]{7,18}[0-9]$")


def allowed_actions(*, feedback: Feedback, user: User) -> list[str]:
    """The actions this user may take on the item now (for showing buttons; services check again)."""
    return FEEDBACK.allowed(feedback.status, user)


def _locked(feedback: Feedback, action: str, actor: Actor) -> Feedback:
    """The item locked until commit, once the actor may take `action` from its status (403, then 409)."""
    try:
        feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    except Feedback.DoesNotExist:
        raise NotFoundError(_("Không tìm thấy phản ánh, kiến nghị."))
    FEEDBACK.ensure(action, feedback.status, actor)
    return feedback


def _required_text(value: str, *, field: str, missing: str, limit: int) -> str:
    """The text stripped; 400 on `field` when it is empty (`missing`) or longer than `limit`."""
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(fields={field: [missing]})
    text_check(value, field=field, limit=limit)
    return value


def _staff(actor: Actor) -> User | None:
    """The staff member behind an action, for the record's "by" fields (none for SYSTEM or an applicant)."""
    return actor if isinstance(actor, User) else None


def _current_due(feedback: Feedback) -> datetime | None:
    """The deadline the worklist sorts on: resolving while the item is with the agency, publishing once
    answered; none while waiting for the submitter or once closed."""
    if feedback.status in (Status.RECEIVED, Status.IN_PROGRESS):
        return feedback.resolve_due
    if feedback.status == Status.ANSWERED:
        return feedback.publish_due
    return None


def _notify(feedback: Feedback, template_code: str, **extra) -> None:
    """Queue a message to the submitter in the outbox of the notifications app, inside the caller's
    transaction (it exists if and only if the change commits). Templates: feedback_received, feedback_answered."""
    try:
        lookup_url = settings.SITE_URL + reverse("feedback:lookup")
    except NoReverseMatch:
        lookup_url = settings.SITE_URL
    context = {
        "name": feedback.submitter_name or _("Ông/Bà"),
        "agency": feedback.agency.name,
        "code": feedback.code,
        "lookup_url": lookup_url,
        **extra,
    }
    message_enqueue(
        template_code=template_code,
        context=context,
        email=feedback.submitter_email,
        phone=feedback.submitter_phone,
        related=feedback,
    )


def _take_code(moment: datetime) -> str:
    """PAKN-YYMMDD-NNNN with a per-day sequence; the counter row is locked until the caller's
    transaction commits, so two submissions never get the same number."""
    day = timezone.localdate(moment)
    with transaction.atomic():
        try:
            with transaction.atomic():
                FeedbackCounter.objects.get_or_create(day=day)
        except IntegrityError:
            pass  # created concurrently by another submission: lock it below
        counter = FeedbackCounter.objects.select_for_update().get(day=day)
        counter.last += 1
        counter.save(update_fields=["last"])
    return f"PAKN-{day:%y%m%d}-{counter.last:04d}"


def _clean_contact(*, name: str, phone: str, email: str, address: str, require_name: bool) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    name, email, address = (name or "").strip(), (email or "").strip(), (address or "").strip()
    phone = ascii_digits(phone).strip()  # fullwidth or Arabic-Indic digits are stored in ASCII
    if require_name and not name:
        errors["submitter_name"] = [_("Vui lòng nhập họ và tên.")]
    if phone and not PHONE_RE.match(phone):
        errors["submitter_phone"] = [_("Số điện thoại không hợp lệ.")]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["submitter_email"] = [_("Địa chỉ thư điện tử không hợp lệ.")]
    if not phone and not email:
        errors.setdefault("submitter_phone", []).append(
            _("Vui lòng nhập số điện thoại hoặc thư điện tử để nhận trả lời và tra cứu.")
        )
    if errors:
        raise ValidationFailed(fields=errors)
    return {"submitter_name": name, "submitter_phone": phone, "submitter_email": email.lower(), "submitter_address": address}


def _clean_location(lat, long) -> tuple[Decimal | None, Decimal | None]:
    if lat in (None, "") and long in (None, ""):
        return None, None
    try:
        lat_d, long_d = Decimal(str(lat)), Decimal(str(long))
    except (InvalidOperation, TypeError):
        raise ValidationFailed(fields={"lat": [_("Cần cả vĩ độ và kinh độ, dạng số.")]})
    if not (-90 <= lat_d <= 90 and -180 <= long_d <= 180):
        raise ValidationFailed(fields={"lat": [_("Tọa độ ngoài phạm vi.")]})
    return lat_d.quantize(Decimal("0.000001")), long_d.quantize(Decimal("0.000001"))


def feedback_submit(
    *,
    kind: str,
    category: str,
    content: str,
    submitter_name: str = "",
    submitter_phone: str = "",
    submitter_email: str = "",
    submitter_address: str = "",
    agency: Agency | None = None,
    procedure=None,
    title: str = "",
    attachments: list | tuple = (),
    channel: str = Channel.WEB,
    address_string: str = "",
    lat=None,
    long=None,
    received_at: datetime | None = None,
    require_name: bool = True,
    actor: Actor,
) -> Feedback:
    """Receive a PAKN: give it a code and compute its Decision 766 deadlines. Every check (contact,
    attachments by content and size) runs before anything is written, so a refused submission leaves nothing.
    `actor`: the Applicant who sends it from the public form or Open311, a staff User who records one
    received at the counter, by post or phone, or SYSTEM (demo data)."""
    require_actor(actor)
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Vui lòng chọn phản ánh hoặc kiến nghị.")]
    if category not in Category.values:
        errors["category"] = [_("Vui lòng chọn nội dung liên quan.")]
    content = (content or "").strip()
    if not content:
        errors["content"] = [_("Vui lòng nhập nội dung phản ánh, kiến nghị.")]
    elif len(content) > 10000:
        errors["content"] = [_("Nội dung quá dài (tối đa 10.000 ký tự).")]
    if channel not in Channel.values:
        errors["channel"] = [_("Kênh tiếp nhận không hợp lệ.")]
    try:
        contact = _clean_contact(
            name=submitter_name,
            phone=submitter_phone,
            email=submitter_email,
            address=submitter_address,
            require_name=require_name,
        )
    except ValidationFailed as exc:
        errors.update(exc.fields)
        contact = {}
    try:
        lat, long = _clean_location(lat, long)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationFailed(fields=errors)
    checked = check_uploads(list(attachments))
    agency = agency or agency_default()
    if agency is None:
        raise ValidationFailed(_("Chưa khai báo cơ quan tiếp nhận."))
    received_at = received_at or timezone.now()
    dues = deadlines.reception_dues(received_at, agency=agency)
    with transaction.atomic():
        feedback = Feedback(
            code=_take_code(received_at),
            agency=agency,
            kind=kind,
            category=category,
            procedure=procedure,
            title=(title or "").strip()[:255],
            content=content,
            channel=channel,
            address_string=(address_string or "").strip()[:500],
            lat=lat,
            long=long,
            status=Status.RECEIVED,
            received_at=received_at,
            clock_started_at=received_at,
            **contact,
            **dues,
        )
        feedback.current_due = _current_due(feedback)
        feedback.save()
        for item in checked:
            FeedbackAttachment.objects.create(
                feedback=feedback,
                file=item.file,
                original_name=item.name[:255],
                content_type=item.content_type,
                size=item.size,
                sha256=item.sha256,
            )
        _notify(feedback, "feedback_received")
        audit_record(
            actor=actor,
            action="feedback.submit",
            obj=feedback,
            changes={"channel": channel, "category": category, "kind": kind, "attachments": len(checked)},
        )
    return feedback


def feedback_refuse(*, feedback: Feedback, actor: User | System, reason: str, at: datetime | None = None) -> Feedback:
    """Refuse to handle (e.g. not within the agency's remit, anonymous, already answered); due in 2 working days."""
    reason = _required_text(reason, field="reason", missing=_("Vui lòng nêu lý do từ chối."), limit=NOTE_MAX)
    with transaction.atomic():
        feedback = _locked(feedback, "refuse", actor)
        feedback.status = Status.REFUSED
        feedback.refused_at = at or timezone.now()
        feedback.refuse_reason = reason
        feedback.handler = feedback.handler or _staff(actor)
        feedback.current_due = _current_due(feedback)
        feedback.save()
        national_updates.stage_changed(feedback, "refuse", at=feedback.refused_at)
        audit_record(actor=actor, action="feedback.refuse", obj=feedback, changes={"reason": reason})
    return feedback


def feedback_request_more_info(*, feedback: Feedback, actor: User | System, request: str, at: datetime | None = None) -> Feedback:
    """Ask the submitter for more information (due within 5 working days of reception). The resolve
    clock restarts when the information arrives."""
    request = _required_text(request, field="request", missing=_("Vui lòng nêu thông tin cần bổ sung."), limit=NOTE_MAX)
    with transaction.atomic():
        feedback = _locked(feedback, "request_more_info", actor)
        at = at or timezone.now()
        feedback.status = Status.MORE_INFO_REQUESTED
        if feedback.more_info_requested_at is None:  # timeliness is judged on the first request
            feedback.more_info_requested_at = at
        feedback.more_info_request = request
        feedback.handler = feedback.handler or _staff(actor)
        feedback.current_due = _current_due(feedback)
        feedback.save()
        national_updates.stage_changed(feedback, "request_more_info", at=at)
        audit_record(actor=actor, action="feedback.request_more_info", obj=feedback, changes={"request": request})
    return feedback


def feedback_receive_more_info(
    *, feedback: Feedback, actor: User | Applicant, reply: str, at: datetime | None = None
) -> Feedback:
    """The information asked for arrives: staff record what the submitter sent (by phone, mail…), or the
    submitter (an Applicant: the lookup page checked the code and the contact) answers it online. The item
    is received again and 15 working days to resolve it count from now."""
    require_actor(actor)
    reply = (reply or "").strip()
    if not reply:
        raise ValidationFailed(fields={"reply": [_("Vui lòng nhập thông tin bổ sung.")]})
    if len(reply) > 10000:
        raise ValidationFailed(fields={"reply": [_("Thông tin bổ sung tối đa 10.000 ký tự.")]})
    by_submitter = isinstance(actor, Applicant)
    with transaction.atomic():
        feedback = _locked(feedback, "receive_more_info", actor)
        at = at or timezone.now()
        feedback.status = Status.RECEIVED
        feedback.more_info_received_at = at
        feedback.more_info_reply = (feedback.more_info_reply + "\n\n" + reply).strip()
        feedback.clock_started_at = at
        feedback.resolve_due = deadlines.resolve_due(at, agency=feedback.agency)
        feedback.current_due = _current_due(feedback)
        feedback.save()
        national_updates.stage_changed(feedback, "receive_more_info", at=at)
        audit_record(
            actor=actor,
            action="feedback.receive_more_info",
            obj=feedback,
            changes={"by_submitter": by_submitter, "resolve_due": feedback.resolve_due.isoformat()},
        )
    return feedback


def feedback_start(
    *, feedback: Feedback, actor: User | System, handler: User | None = None, at: datetime | None = None
) -> Feedback:
    """Accept the item for handling and assign it (to the acting staff member by default)."""
    with transaction.atomic():
        feedback = _locked(feedback, "start", actor)
        handler = handler or _staff(actor)
        if handler is None:
            raise ValidationFailed(fields={"handler": [_("Vui lòng chọn cán bộ xử lý.")]})
        feedback.status = Status.IN_PROGRESS
        feedback.started_at = at or timezone.now()
        feedback.handler = handler
        feedback.current_due = _current_due(feedback)
        feedback.save()
        national_updates.stage_changed(feedback, "start", at=feedback.started_at)
        audit_record(actor=actor, action="feedback.start", obj=feedback, changes={"handler": feedback.handler.get_username()})
    return feedback


def feedback_answer(*, feedback: Feedback, actor: User | System, answer: str, at: datetime | None = None) -> Feedback:
    """Answer the item (resolve deadline: 15 working days); publishing is due 2 working days later."""
    answer = _required_text(answer, field="answer", missing=_("Vui lòng nhập nội dung trả lời."), limit=CONTENT_MAX)
    with transaction.atomic():
        feedback = _locked(feedback, "answer", actor)
        at = at or timezone.now()
        feedback.status = Status.ANSWERED
        feedback.answer = answer
        feedback.answered_at = at
        feedback.answered_by = _staff(actor)
        feedback.publish_due = deadlines.publish_due(at)
        feedback.current_due = _current_due(feedback)
        feedback.save()
        _notify(feedback, "feedback_answered", answer=answer)
        national_updates.stage_changed(feedback, "answer", at=at)
        audit_record(actor=actor, action="feedback.answer", obj=feedback, changes={"answer_length": len(answer)})
    return feedback


def feedback_publish(*, feedback: Feedback, actor: User | System, at: datetime | None = None) -> Feedback:
    """A leader approves publishing the question and answer in the public list (personal data masked)."""
    with transaction.atomic():
        feedback = _locked(feedback, "publish", actor)
        feedback.status = Status.PUBLISHED
        feedback.is_published = True
        feedback.published_at = at or timezone.now()
        feedback.published_by = _staff(actor)
        feedback.current_due = _current_due(feedback)
        feedback.save()
        national_updates.stage_changed(feedback, "publish", at=feedback.published_at)
        audit_record(actor=actor, action="feedback.publish", obj=feedback)
    return feedback


# ---- satisfaction ratings ----------------------------------------------------------------------------


def _clean_criteria(criteria: dict[str, int]) -> dict[str, int]:
    names = [name for name, _label in CRITERIA]
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(criteria or {}) - set(names))
    if unknown:
        errors["criteria"] = [_("Tiêu chí không có trong phiếu: %(names)s.") % {"names": ", ".join(unknown)}]
    cleaned = {}
    for name, label in CRITERIA:
        value = (criteria or {}).get(name)
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or isinstance(value, bool) or str(value).strip() != str(number) or not 0 <= number <= CRITERIA_MAX:
            errors[name] = [_("“%(criterion)s”: chọn điểm từ 0 đến %(max)s.") % {"criterion": label, "max": CRITERIA_MAX}]
        else:
            cleaned[name] = number
    if errors:
        raise ValidationFailed(fields=errors)
    return cleaned


def rating_submit(
    *, dossier, actor: Applicant | System, overall: str, criteria: dict[str, int], comment: str = "", at: datetime | None = None
) -> SatisfactionRating:
    """The applicant rates a dossier: once (one row per dossier, enforced by the database) and only after
    the result was returned (else 409). Overall rất hài lòng / hài lòng / không hài lòng; nine criteria
    0–2 each. `actor`: the Applicant who proved the dossier is theirs (the portal's lookup), or SYSTEM
    (demo data); staff do not rate on the applicant's behalf (403)."""
    if not isinstance(require_actor(actor), Applicant | System):
        raise PermissionDeniedError(_("Chỉ người nộp hồ sơ mới đánh giá mức độ hài lòng."))
    if overall not in Overall.values:
        raise ValidationFailed(fields={"overall": [_("Vui lòng chọn mức độ hài lòng chung.")]})
    scores = _clean_criteria(criteria)
    comment = (comment or "").strip()[:4000]
    already = _("Hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần.")
    with transaction.atomic():
        try:
            dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        except Dossier.DoesNotExist:
            raise NotFoundError(_("Không tìm thấy hồ sơ."))
        if dossier.returned_at is None:
            raise ConflictError(_("Chỉ đánh giá được sau khi hồ sơ đã trả kết quả."), code="rating_before_return")
        if SatisfactionRating.objects.filter(dossier=dossier).exists():
            raise ConflictError(already, code="rating_exists")
        try:
            with transaction.atomic():
                rating = SatisfactionRating.objects.create(
                    dossier=dossier,
                    agency_id=dossier.agency_id,
                    overall=overall,
                    comment=comment,
                    submitted_at=at or timezone.now(),
                    **scores,
                )
        except IntegrityError:
            raise ConflictError(already, code="rating_exists")
        rating.refresh_from_db(fields=["total"])
        audit_record(
            actor=actor,
            action="rating.submit",
            obj=rating,
            object_repr=f"Đánh giá hồ sơ {dossier.code}",
            changes={"dossier": dossier.code, "overall": overall, "total": rating.total},
        )
    return rating
