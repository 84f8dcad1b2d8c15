"""Reads of PAKN and satisfaction ratings: worklist, public list, lookup, timeliness, statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils import timezone

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.core.errors import NotFoundError
from motcua.core.tenancy import ensure_can_act, scope_for
from motcua.workcalendar.selectors import Calendar

from .models import CRITERIA, Feedback, Overall, SatisfactionRating, Status


def feedback_get(*, code: str) -> Feedback | None:
    return (
        Feedback.objects.select_related("agency", "procedure", "handler", "answered_by", "published_by")
        .prefetch_related("attachments")
        .filter(code=(code or "").strip().upper())
        .first()
    )


def feedback_get_for_staff(*, code: str, fetched_by, act: bool = False) -> Feedback:
    """An item the staff user may read (404 otherwise, core.tenancy); with `act`, one the user may act for (403)."""
    feedback = feedback_get(code=code)
    if feedback is None or not scope_for(fetched_by).can_read(feedback.agency_id):
        raise NotFoundError("Không tìm thấy phản ánh, kiến nghị.")
    if act:
        ensure_can_act(fetched_by, feedback.agency_id)
    return feedback


def _digits(value: str) -> str:
    return "".join(ch for ch in (value or "") if ch.isdigit())


def feedback_lookup(*, code: str, contact: str) -> Feedback | None:
    """The item with this code when `contact` is the phone number or e-mail address it was sent with;
    None otherwise — an unknown code and a wrong contact look the same to the caller."""
    feedback = feedback_get(code=code)
    contact = (contact or "").strip()
    if feedback is None or not contact:
        return None
    if "@" in contact:
        ok = bool(feedback.submitter_email) and feedback.submitter_email.lower() == contact.lower()
    else:
        digits = _digits(contact)
        ok = len(digits) >= 8 and bool(feedback.submitter_phone) and _digits(feedback.submitter_phone) == digits
    return feedback if ok else None


def feedback_published_list(*, agency=None, category: str | None = None, q: str = "") -> QuerySet[Feedback]:
    qs = Feedback.objects.filter(is_published=True, status=Status.PUBLISHED).select_related("procedure")
    if agency is not None:
        qs = qs.filter(agency=agency)
    if category:
        qs = qs.filter(category=category)
    if q:
        qs = qs.filter(Q(content__icontains=q) | Q(answer__icontains=q) | Q(code__iexact=q.strip()))
    return qs.order_by("-published_at", "-id")


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class Worklist:
    items: QuerySet[Feedback]
    counts: dict[str, int]
    today: date
    soon_until: date


WORKLIST_BUCKETS = {
    "overdue": "Quá hạn",
    "due_today": "Đến hạn hôm nay",
    "due_soon": "Đến hạn trong 2 ngày làm việc tới",
    "waiting": "Chờ người gửi bổ sung",
    "open": "Tất cả đang xử lý",
}


def feedback_worklist(*, agency, now: datetime | None = None, bucket: str = "open", calendar: Calendar | None = None) -> Worklist:
    """Open items of the agency with the deadline of their current stage (resolve, or publish once
    answered), counted as overdue, due today, or due within the next 2 working days."""
    now = now or timezone.now()
    cal = calendar or Calendar()
    today = timezone.localdate(now)
    soon_until = cal.add_working_days(today, 2)
    tomorrow, after_soon = _start_of(today + timedelta(days=1)), _start_of(soon_until + timedelta(days=1))
    base = Feedback.objects.filter(agency=agency).exclude(status__in=[Status.REFUSED, Status.PUBLISHED])
    filters = {
        "overdue": Q(current_due__lt=now),
        "due_today": Q(current_due__gte=now, current_due__lt=tomorrow),
        "due_soon": Q(current_due__gte=tomorrow, current_due__lt=after_soon),
        "waiting": Q(status=Status.MORE_INFO_REQUESTED),
        "open": Q(),
    }
    counts = {name: base.filter(f).count() for name, f in filters.items()}
    items = base.filter(filters.get(bucket, Q())).select_related("handler", "procedure").order_by("current_due", "received_at")
    return Worklist(items=items, counts=counts, today=today, soon_until=soon_until)


@dataclass
class StageTimeliness:
    stage: str
    label: str
    due: datetime | None
    done_at: datetime | None
    state: str  # on_time | late | pending | overdue | not_applicable

    @property
    def state_label(self) -> str:
        return TIMELINESS_LABELS[self.state]


TIMELINESS_LABELS = {
    "on_time": "Đúng hạn",
    "late": "Trễ hạn",
    "pending": "Chưa đến hạn",
    "overdue": "Đã quá hạn",
    "not_applicable": "Không áp dụng",
}
STAGE_LABELS = {
    "refuse": "Từ chối tiếp nhận (2 ngày làm việc)",
    "more_info": "Đề nghị bổ sung (5 ngày làm việc)",
    "resolve": "Giải quyết, trả lời (15 ngày làm việc)",
    "publish": "Công khai kết quả (2 ngày làm việc)",
}


def _judge(stage: str, due, done_at, *, required: bool, now: datetime) -> StageTimeliness:
    if done_at is not None and due is not None:
        state = "on_time" if done_at <= due else "late"
    elif required and due is not None:
        state = "overdue" if now > due else "pending"
    else:
        state = "not_applicable"
    return StageTimeliness(stage=stage, label=STAGE_LABELS[stage], due=due, done_at=done_at, state=state)


def feedback_timeliness(feedback: Feedback, *, now: datetime | None = None) -> list[StageTimeliness]:
    """Per stage: done on time, late, still pending, overdue, or not applicable. Refusing and asking for
    more are optional steps: judged only when taken."""
    now = now or timezone.now()
    awaiting_answer = feedback.status in (Status.RECEIVED, Status.IN_PROGRESS)
    return [
        _judge("refuse", feedback.refuse_due, feedback.refused_at, required=False, now=now),
        _judge("more_info", feedback.more_info_due, feedback.more_info_requested_at, required=False, now=now),
        _judge("resolve", feedback.resolve_due, feedback.answered_at, required=awaiting_answer, now=now),
        _judge("publish", feedback.publish_due, feedback.published_at, required=feedback.status == Status.ANSWERED, now=now),
    ]


def feedback_timeliness_summary(*, agency, start: date, end: date, now: datetime | None = None) -> dict[str, dict[str, int]]:
    """For the Decision 766 indicator: per stage, how many steps taken in [start, end] were on time or
    late, and how many open items are overdue now. Derived from the records every time."""
    now = now or timezone.now()
    lo, hi = _start_of(start), _start_of(end + timedelta(days=1))
    qs = Feedback.objects.filter(agency=agency)
    fields = {
        "refuse": ("refused_at", "refuse_due"),
        "more_info": ("more_info_requested_at", "more_info_due"),
        "resolve": ("answered_at", "resolve_due"),
        "publish": ("published_at", "publish_due"),
    }

    summary = {}
    for stage, (done, due) in fields.items():
        taken = qs.filter(**{f"{done}__gte": lo, f"{done}__lt": hi})
        summary[stage] = {
            "on_time": taken.filter(**{f"{done}__lte": F(due)}).count(),
            "late": taken.filter(**{f"{done}__gt": F(due)}).count(),
        }
    summary["resolve"]["overdue_open"] = qs.filter(status__in=[Status.RECEIVED, Status.IN_PROGRESS], resolve_due__lt=now).count()
    summary["publish"]["overdue_open"] = qs.filter(status=Status.ANSWERED, publish_due__lt=now).count()
    return summary


def procedure_choices(*, agency) -> list[tuple[str, str]]:
    """(code, "code — name") of the procedures the agency has in force, for the PAKN form."""
    qs = ProcedureVersion.objects.filter(status=ProcedureVersion.Status.IN_FORCE)
    if agency is not None:
        qs = qs.filter(Q(agency=agency) | Q(agency__isnull=True))
    rows = qs.order_by("procedure__code").values_list("procedure__code", "name")
    return [(code, f"{code} — {name[:120]}") for code, name in rows]


def procedure_by_code(code: str):
    return Procedure.objects.filter(code=code).first() if code else None


def procedure_agency(procedure):
    """The agency that does the procedure (its version in force), or None."""
    if procedure is None:
        return None
    version = (
        ProcedureVersion.objects.filter(procedure=procedure, status=ProcedureVersion.Status.IN_FORCE)
        .select_related("agency")
        .first()
    )
    return version.agency if version is not None else None


def rating_summary(*, agency, start: date, end: date) -> dict:
    """Satisfaction statistics of ratings given in [start, end] (local dates, inclusive): count, count per
    overall level, share satisfied (rất hài lòng + hài lòng, %), average total out of 18 (the Decision 766
    satisfaction group is worth 18 points) and the average of each criterion (0–2)."""
    qs = SatisfactionRating.objects.filter(
        submitted_at__gte=_start_of(start), submitted_at__lt=_start_of(end + timedelta(days=1))
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    agg = qs.aggregate(
        count=Count("id"),
        average_total=Avg("total"),
        **{f"avg_{name}": Avg(name) for name, _ in CRITERIA},
        **{f"n_{level}": Count("id", filter=Q(overall=level)) for level in Overall.values},
    )
    count = agg["count"]
    by_overall = {level: agg[f"n_{level}"] for level in Overall.values}
    satisfied = by_overall[Overall.VERY_SATISFIED] + by_overall[Overall.SATISFIED]

    def _round(value):
        return round(float(value), 2) if value is not None else None

    return {
        "count": count,
        "by_overall": by_overall,
        "satisfied_percent": round(satisfied * 100 / count, 1) if count else None,
        "average_total": _round(agg["average_total"]),
        "max_total": 2 * len(CRITERIA),
        "criteria": [{"name": name, "label": label, "average": _round(agg[f"avg_{name}"])} for name, label in CRITERIA],
    }


def rating_for_dossier(*, dossier) -> SatisfactionRating | None:
    return SatisfactionRating.objects.filter(dossier=dossier).first()
