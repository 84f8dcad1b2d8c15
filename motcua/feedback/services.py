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

from motcua.core.errors import ConflictError, NotFoundError, PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from motcua.core.models import Agency, User
from motcua.core.roles import Role, user_has_role
from motcua.core.selectors import agency_default
from motcua.core.services import audit_record
from motcua.core.validators import CONTENT_MAX, NOTE_MAX, ascii_digits, text_check
from motcua.notifications.services import message_enqueue

from . import deadlines
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

# action → (statuses it may start from, roles allowed, Vietnamese name for messages)
TRANSITIONS: dict[str, tuple[frozenset[str], tuple[str, ...], str]] = {
    "refuse": (frozenset({Status.RECEIVED}), HANDLER_ROLES, "từ chối tiếp nhận"),
    "request_more_info": (frozenset({Status.RECEIVED}), HANDLER_ROLES, "đề nghị bổ sung thông tin"),
    "receive_more_info": (frozenset({Status.MORE_INFO_REQUESTED}), HANDLER_ROLES, "ghi nhận thông tin bổ sung"),
    "start": (frozenset({Status.RECEIVED}), HANDLER_ROLES, "nhận xử lý"),
    "answer": (frozenset({Status.IN_PROGRESS}), HANDLER_ROLES, "trả lời"),
    "publish": (frozenset({Status.ANSWERED}), PUBLISHER_ROLES, "công khai kết quả"),
}

PHONE_RE = re.compile(r"^\+?[0-9][0-9 .\-]{7,18}[0-9]$")


def allowed_actions(*, feedback: Feedback, user) -> list[str]:
    """The actions this user may take on the item now (for showing buttons; services check again)."""
    return [name for name, (sources, roles, _) in TRANSITIONS.items()
            if feedback.status in sources and user_has_role(user, *roles)]


def _ensure_allowed(feedback: Feedback, action: str, actor: User | None) -> None:
    sources, roles, label = TRANSITIONS[action]
    if actor is None or not user_has_role(actor, *roles):
        raise PermissionDeniedError(f"Bạn không có quyền {label}.")
    if feedback.status not in sources:
        raise TransitionNotAllowed(
            f"Không thể {label} PAKN {feedback.code} khi đang ở trạng thái “{feedback.get_status_display()}”."
        )


def _locked(feedback: Feedback) -> Feedback:
    try:
        return Feedback.objects.select_for_update().get(pk=feedback.pk)
    except Feedback.DoesNotExist:
        raise NotFoundError("Không tìm thấy phản ánh, kiến nghị.")


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
    context = {"name": feedback.submitter_name or "Ông/Bà", "agency": feedback.agency.name, "code": feedback.code,
               "lookup_url": lookup_url, **extra}
    message_enqueue(template_code=template_code, context=context, email=feedback.submitter_email,
                    phone=feedback.submitter_phone, related=feedback)


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
        errors["submitter_name"] = ["Vui lòng nhập họ và tên."]
    if phone and not PHONE_RE.match(phone):
        errors["submitter_phone"] = ["Số điện thoại không hợp lệ."]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["submitter_email"] = ["Địa chỉ thư điện tử không hợp lệ."]
    if not phone and not email:
        errors.setdefault("submitter_phone", []).append("Vui lòng nhập số điện thoại hoặc thư điện tử để nhận trả lời và tra cứu.")
    if errors:
        raise ValidationFailed(fields=errors)
    return {"submitter_name": name, "submitter_phone": phone, "submitter_email": email.lower(), "submitter_address": address}


def _clean_location(lat, long) -> tuple[Decimal | None, Decimal | None]:
    if lat in (None, "") and long in (None, ""):
        return None, None
    try:
        lat_d, long_d = Decimal(str(lat)), Decimal(str(long))
    except (InvalidOperation, TypeError):
        raise ValidationFailed(fields={"lat": ["Cần cả vĩ độ và kinh độ, dạng số."]})
    if not (-90 <= lat_d <= 90 and -180 <= long_d <= 180):
        raise ValidationFailed(fields={"lat": ["Tọa độ ngoài phạm vi."]})
    return lat_d.quantize(Decimal("0.000001")), long_d.quantize(Decimal("0.000001"))


def feedback_submit(*, kind: str, category: str, content: str, submitter_name: str = "", submitter_phone: str = "",
                    submitter_email: str = "", submitter_address: str = "", agency: Agency | None = None,
                    procedure=None, title: str = "", attachments: list | tuple = (), channel: str = Channel.WEB,
                    address_string: str = "", lat=None, long=None, received_at: datetime | None = None,
                    require_name: bool = True, actor: User | None = None) -> Feedback:
    """Receive a PAKN: give it a code and compute its Decision 766 deadlines. Every check (contact,
    attachments by content and size) runs before anything is written, so a refused submission leaves nothing."""
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors["kind"] = ["Vui lòng chọn phản ánh hoặc kiến nghị."]
    if category not in Category.values:
        errors["category"] = ["Vui lòng chọn nội dung liên quan."]
    content = (content or "").strip()
    if not content:
        errors["content"] = ["Vui lòng nhập nội dung phản ánh, kiến nghị."]
    elif len(content) > 10000:
        errors["content"] = ["Nội dung quá dài (tối đa 10.000 ký tự)."]
    if channel not in Channel.values:
        errors["channel"] = ["Kênh tiếp nhận không hợp lệ."]
    try:
        contact = _clean_contact(name=submitter_name, phone=submitter_phone, email=submitter_email,
                                 address=submitter_address, require_name=require_name)
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
        raise ValidationFailed("Chưa khai báo cơ quan tiếp nhận.")
    received_at = received_at or timezone.now()
    dues = deadlines.reception_dues(received_at, agency=agency)
    with transaction.atomic():
        feedback = Feedback(
            code=_take_code(received_at), agency=agency, kind=kind, category=category, procedure=procedure,
            title=(title or "").strip()[:255], content=content, channel=channel, address_string=(address_string or "").strip()[:500],
            lat=lat, long=long, status=Status.RECEIVED, received_at=received_at, clock_started_at=received_at, **contact, **dues,
        )
        feedback.current_due = _current_due(feedback)
        feedback.save()
        for item in checked:
            FeedbackAttachment.objects.create(feedback=feedback, file=item.file, original_name=item.name[:255],
                                              content_type=item.content_type, size=item.size, sha256=item.sha256)
        _notify(feedback, "feedback_received")
        audit_record(actor=actor, action="feedback.submit", obj=feedback,
                     changes={"channel": channel, "category": category, "kind": kind, "attachments": len(checked)})
    return feedback


def feedback_refuse(*, feedback: Feedback, actor: User, reason: str, at: datetime | None = None) -> Feedback:
    """Refuse to handle (e.g. not within the agency's remit, anonymous, already answered); due in 2 working days."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": ["Vui lòng nêu lý do từ chối."]})
    text_check(reason, field="reason", limit=NOTE_MAX)
    with transaction.atomic():
        feedback = _locked(feedback)
        _ensure_allowed(feedback, "refuse", actor)
        feedback.status = Status.REFUSED
        feedback.refused_at = at or timezone.now()
        feedback.refuse_reason = reason
        feedback.handler = feedback.handler or actor
        feedback.current_due = _current_due(feedback)
        feedback.save()
        audit_record(actor=actor, action="feedback.refuse", obj=feedback, changes={"reason": reason})
    return feedback


def feedback_request_more_info(*, feedback: Feedback, actor: User, request: str, at: datetime | None = None) -> Feedback:
    """Ask the submitter for more information (due within 5 working days of reception). The resolve
    clock restarts when the information arrives."""
    request = (request or "").strip()
    if not request:
        raise ValidationFailed(fields={"request": ["Vui lòng nêu thông tin cần bổ sung."]})
    text_check(request, field="request", limit=NOTE_MAX)
    with transaction.atomic():
        feedback = _locked(feedback)
        _ensure_allowed(feedback, "request_more_info", actor)
        at = at or timezone.now()
        feedback.status = Status.MORE_INFO_REQUESTED
        if feedback.more_info_requested_at is None:  # timeliness is judged on the first request
            feedback.more_info_requested_at = at
        feedback.more_info_request = request
        feedback.handler = feedback.handler or actor
        feedback.current_due = _current_due(feedback)
        feedback.save()
        audit_record(actor=actor, action="feedback.request_more_info", obj=feedback, changes={"request": request})
    return feedback


def feedback_receive_more_info(*, feedback: Feedback, actor: User, reply: str, at: datetime | None = None) -> Feedback:
    """Staff record the information the submitter sent (by phone, mail…): the item is received again and
    15 working days to resolve it count from now."""
    return _receive_more_info(feedback=feedback, actor=actor, reply=reply, at=at, by_submitter=False)


def feedback_submitter_reply(*, feedback: Feedback, reply: str, at: datetime | None = None) -> Feedback:
    """The submitter answers a request for more information from the lookup page (the caller has checked
    the code and the contact). Same effect as feedback_receive_more_info."""
    return _receive_more_info(feedback=feedback, actor=None, reply=reply, at=at, by_submitter=True)


def _receive_more_info(*, feedback: Feedback, actor: User | None, reply: str, at: datetime | None, by_submitter: bool) -> Feedback:
    reply = (reply or "").strip()
    if not reply:
        raise ValidationFailed(fields={"reply": ["Vui lòng nhập thông tin bổ sung."]})
    if len(reply) > 10000:
        raise ValidationFailed(fields={"reply": ["Thông tin bổ sung tối đa 10.000 ký tự."]})
    with transaction.atomic():
        feedback = _locked(feedback)
        if by_submitter:
            if feedback.status != Status.MORE_INFO_REQUESTED:
                raise TransitionNotAllowed("Phản ánh, kiến nghị này không chờ bổ sung thông tin.")
        else:
            _ensure_allowed(feedback, "receive_more_info", actor)
        at = at or timezone.now()
        feedback.status = Status.RECEIVED
        feedback.more_info_received_at = at
        feedback.more_info_reply = (feedback.more_info_reply + "\n\n" + reply).strip()
        feedback.clock_started_at = at
        feedback.resolve_due = deadlines.resolve_due(at, agency=feedback.agency)
        feedback.current_due = _current_due(feedback)
        feedback.save()
        audit_record(actor=actor, action="feedback.receive_more_info", obj=feedback,
                     changes={"by_submitter": by_submitter, "resolve_due": feedback.resolve_due.isoformat()})
    return feedback


def feedback_start(*, feedback: Feedback, actor: User, handler: User | None = None, at: datetime | None = None) -> Feedback:
    """Accept the item for handling and assign it (to the actor by default)."""
    with transaction.atomic():
        feedback = _locked(feedback)
        _ensure_allowed(feedback, "start", actor)
        feedback.status = Status.IN_PROGRESS
        feedback.started_at = at or timezone.now()
        feedback.handler = handler or actor
        feedback.current_due = _current_due(feedback)
        feedback.save()
        audit_record(actor=actor, action="feedback.start", obj=feedback, changes={"handler": feedback.handler.get_username()})
    return feedback


def feedback_answer(*, feedback: Feedback, actor: User, answer: str, at: datetime | None = None) -> Feedback:
    """Answer the item (resolve deadline: 15 working days); publishing is due 2 working days later."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationFailed(fields={"answer": ["Vui lòng nhập nội dung trả lời."]})
    text_check(answer, field="answer", limit=CONTENT_MAX)
    with transaction.atomic():
        feedback = _locked(feedback)
        _ensure_allowed(feedback, "answer", actor)
        at = at or timezone.now()
        feedback.status = Status.ANSWERED
        feedback.answer = answer
        feedback.answered_at = at
        feedback.answered_by = actor
        feedback.publish_due = deadlines.publish_due(at)
        feedback.current_due = _current_due(feedback)
        feedback.save()
        _notify(feedback, "feedback_answered", answer=answer)
        audit_record(actor=actor, action="feedback.answer", obj=feedback, changes={"answer_length": len(answer)})
    return feedback


def feedback_publish(*, feedback: Feedback, actor: User, at: datetime | None = None) -> Feedback:
    """A leader approves publishing the question and answer in the public list (personal data masked)."""
    with transaction.atomic():
        feedback = _locked(feedback)
        _ensure_allowed(feedback, "publish", actor)
        feedback.status = Status.PUBLISHED
        feedback.is_published = True
        feedback.published_at = at or timezone.now()
        feedback.published_by = actor
        feedback.current_due = _current_due(feedback)
        feedback.save()
        audit_record(actor=actor, action="feedback.publish", obj=feedback)
    return feedback


# ---- satisfaction ratings ----------------------------------------------------------------------------

def _clean_criteria(criteria: dict[str, int]) -> dict[str, int]:
    names = [name for name, _ in CRITERIA]
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(criteria or {}) - set(names))
    if unknown:
        errors["criteria"] = [f"Tiêu chí không có trong phiếu: {', '.join(unknown)}."]
    cleaned = {}
    for name, label in CRITERIA:
        value = (criteria or {}).get(name)
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or isinstance(value, bool) or str(value).strip() != str(number) or not 0 <= number <= CRITERIA_MAX:
            errors[name] = [f"“{label}”: chọn điểm từ 0 đến {CRITERIA_MAX}."]
        else:
            cleaned[name] = number
    if errors:
        raise ValidationFailed(fields=errors)
    return cleaned


def rating_submit(*, dossier, overall: str, criteria: dict[str, int], comment: str = "",
                  at: datetime | None = None) -> SatisfactionRating:
    """The applicant rates a dossier: once (one row per dossier, enforced by the database) and only after
    the result was returned (else 409). Overall rất hài lòng / hài lòng / không hài lòng; nine criteria
    0–2 each."""
    from motcua.dossiers.models import Dossier

    if overall not in Overall.values:
        raise ValidationFailed(fields={"overall": ["Vui lòng chọn mức độ hài lòng chung."]})
    scores = _clean_criteria(criteria)
    comment = (comment or "").strip()[:4000]
    with transaction.atomic():
        try:
            dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        except Dossier.DoesNotExist:
            raise NotFoundError("Không tìm thấy hồ sơ.")
        if dossier.returned_at is None:
            raise ConflictError("Chỉ đánh giá được sau khi hồ sơ đã trả kết quả.", code="rating_before_return")
        if SatisfactionRating.objects.filter(dossier=dossier).exists():
            raise ConflictError("Hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần.", code="rating_exists")
        try:
            with transaction.atomic():
                rating = SatisfactionRating.objects.create(dossier=dossier, agency_id=dossier.agency_id, overall=overall,
                                                           comment=comment, submitted_at=at or timezone.now(), **scores)
        except IntegrityError:
            raise ConflictError("Hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần.", code="rating_exists")
        rating.refresh_from_db(fields=["total"])
        audit_record(actor=None, action="rating.submit", obj=rating, object_repr=f"Đánh giá hồ sơ {dossier.code}",
                     changes={"dossier": dossier.code, "overall": overall, "total": rating.total})
    return rating
