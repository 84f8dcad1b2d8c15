"""Reads of the review app: the evidence of a procedure over a period, taken from the records of the other
apps (dossiers, their pauses and supplement requests, PAKN, satisfaction ratings), the ranking of candidates
for simplification, compliance costs and savings, plans and their reminders (docs/review.md).

The rules are the project's own, not copies: a dossier is late when `dossiers.deadlines.classify` said so
(`Dossier.timeliness`, written when it was decided); the clock stops while paused (each closed
`Pause.working_seconds`, the length `dossiers.transitions` moved the due date by); time is office time
(`workcalendar.Calendar`) expressed in the procedure's unit (`dossiers.deadlines.unit_seconds`)."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.core.errors import NotFoundError
from motcua.core.models import Agency
from motcua.core.tenancy import scope_for
from motcua.dossiers.deadlines import unit_seconds
from motcua.dossiers.models import FINISHED_STATUSES, Channel, Dossier, Outcome, Pause, Status, SupplementRequest, Timeliness
from motcua.feedback.models import Feedback, SatisfactionRating
from motcua.workcalendar.selectors import Calendar

from .models import CostEstimate, CostParameters, Proposal, ReviewItem, ReviewPlan

RATING_MAX = 18  # nine criteria scored 0–2 (feedback.models.CRITERIA)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tz), datetime.combine(end + timedelta(days=1), time.min, tz)


def percentile(values: list[float], p: int) -> float | None:
    """The p-th percentile by linear interpolation between closest ranks (numpy's default, `inclusive`):
    rank (n − 1)·p/100 counted from 0. None for no values."""
    if not values:
        return None
    if len(values) == 1:
        return float(values[0])
    return round(float(statistics.quantiles(values, n=100, method="inclusive")[p - 1]), 4)


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass
class Evidence:
    code: str
    name: str
    versions: list[int]
    time_unit: str
    legal_time: Decimal | None
    committed_time: Decimal | None
    start: date
    end: date
    received: int = 0
    online: int = 0
    finished: int = 0
    late: int = 0
    processing_times: list[float] = field(default_factory=list)
    supplement_dossiers: int = 0
    supplement_requests: int = 0
    missing_papers: list[tuple[str, int]] = field(default_factory=list)
    refused: int = 0
    rejected: int = 0
    refusal_reasons: list[tuple[str, int]] = field(default_factory=list)
    pakn: int = 0
    pakn_subjects: list[tuple[str, int]] = field(default_factory=list)
    ratings: int = 0
    rating_total_sum: int = 0
    satisfied: int = 0

    @property
    def median_time(self) -> float | None:
        return percentile(self.processing_times, 50)

    @property
    def p90_time(self) -> float | None:
        return percentile(self.processing_times, 90)

    @property
    def late_share(self) -> float | None:
        return share(self.late, self.finished)

    @property
    def online_share(self) -> float | None:
        return share(self.online, self.received)

    @property
    def supplement_share(self) -> float | None:
        return share(self.supplement_dossiers, self.received)

    @property
    def refusal_share(self) -> float | None:
        return share(self.refused + self.rejected, self.received)

    @property
    def mean_rating(self) -> float | None:
        return round(self.rating_total_sum / self.ratings, 2) if self.ratings else None

    @property
    def satisfied_share(self) -> float | None:
        return share(self.satisfied, self.ratings)

    @property
    def score(self) -> float:
        """The ranking rule (docs/review.md): the mean of five signals in [0, 1] — late share, supplement
        share, refusal share, PAKN per dossier (at most 1) and dissatisfaction (1 − mean rating / 18) —
        each counted only when there are records for it. No dossiers and no PAKN: 0."""
        signals = [s for s in (self.late_share, self.supplement_share, self.refusal_share) if s is not None]
        if self.received or self.pakn:
            signals.append(min(1.0, self.pakn / self.received) if self.received else 1.0)
        if self.ratings:
            signals.append(1 - self.rating_total_sum / self.ratings / RATING_MAX)
        return round(sum(signals) / len(signals), 4) if signals else 0.0

    def as_json(self) -> dict:
        def num(x):
            return float(x) if isinstance(x, Decimal) else x

        return {
            "code": self.code,
            "name": self.name,
            "time_unit": self.time_unit,
            "legal_time": num(self.legal_time),
            "committed_time": num(self.committed_time),
            "dossiers": self.received,
            "online_share": self.online_share,
            "finished": self.finished,
            "processing_time_median": self.median_time,
            "processing_time_p90": self.p90_time,
            "late": self.late,
            "late_share": self.late_share,
            "supplement_dossiers": self.supplement_dossiers,
            "supplement_share": self.supplement_share,
            "missing_papers": [{"paper": k, "count": n} for k, n in self.missing_papers],
            "refused": self.refused,
            "rejected": self.rejected,
            "refusal_reasons": [{"reason": k, "count": n} for k, n in self.refusal_reasons],
            "pakn": self.pakn,
            "pakn_subjects": [{"subject": k, "count": n} for k, n in self.pakn_subjects],
            "ratings": self.ratings,
            "mean_rating": self.mean_rating,
            "score": self.score,
        }


# ------------------------------------------------------------------------------------------- the records


def procedures_of(*, agency: Agency, start: date, end: date) -> QuerySet[Procedure]:
    """The agency's procedures with a version valid at some moment of the period (in force, or since retired)."""
    versions = ProcedureVersion.objects.filter(agency=agency).exclude(status=ProcedureVersion.Status.DRAFT)
    versions = versions.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=start)
    )
    return Procedure.objects.filter(pk__in=versions.values("procedure_id")).order_by("code")


Procedures = Procedure | Iterable[Procedure] | QuerySet[Procedure]


def _of(lookup: str, procedure: Procedures) -> Q:
    """`lookup` is the procedure, or one of the procedures (a list, or a queryset used as a subquery)."""
    return Q(**{lookup: procedure}) if isinstance(procedure, Procedure) else Q(**{f"{lookup}__in": procedure})


def dossiers_received(*, agency: Agency, procedure: Procedures, start: date, end: date, versions=None) -> QuerySet[Dossier]:
    """Dossiers of the procedure(s) received (accepted or refused at reception) in the period, by reception moment."""
    lo, hi = _bounds(start, end)
    qs = Dossier.objects.filter(
        _of("procedure_version__procedure", procedure), agency=agency, received_at__gte=lo, received_at__lt=hi
    )
    if versions is not None:
        qs = qs.filter(procedure_version__in=versions)
    return qs.exclude(status=Status.SUBMITTED).order_by("received_at", "id")


def dossiers_finished(*, agency: Agency, procedure: Procedures, start: date, end: date, versions=None) -> QuerySet[Dossier]:
    """Dossiers of the procedure(s) decided in the period (as the CCHC report counts them: finished_at)."""
    lo, hi = _bounds(start, end)
    qs = Dossier.objects.filter(
        _of("procedure_version__procedure", procedure),
        agency=agency,
        status__in=FINISHED_STATUSES,
        finished_at__gte=lo,
        finished_at__lt=hi,
        accepted_at__isnull=False,
    )
    if versions is not None:
        qs = qs.filter(procedure_version__in=versions)
    return qs.select_related("procedure_version").order_by("finished_at", "id")


def processing_time(cal: Calendar, dossier: Dossier, paused_seconds: int) -> float:
    """Actual processing time of a decided dossier in its procedure's unit: office time from acceptance to
    decision, less the time it was paused."""
    seconds = max(0, cal.working_seconds_between(dossier.accepted_at, dossier.finished_at) - paused_seconds)
    return round(seconds / unit_seconds(dossier.procedure_version), 4)


def paused_seconds_of(dossier_ids) -> dict[int, int]:
    """Closed pauses' office seconds per dossier; `dossier_ids` is a list or a queryset of ids (a subquery)."""
    rows = (
        Pause.objects.filter(dossier_id__in=dossier_ids, ended_at__isnull=False)
        .values("dossier_id")
        .annotate(s=Sum("working_seconds"))
    )
    return {r["dossier_id"]: r["s"] or 0 for r in rows}


def supplement_requests_of(received: QuerySet[Dossier]) -> QuerySet[SupplementRequest]:
    return SupplementRequest.objects.filter(dossier__in=received.values("id")).order_by("requested_at", "id")


def feedback_of(*, agency: Agency, procedure: Procedures, start: date, end: date) -> QuerySet[Feedback]:
    """PAKN about the procedure(s) received in the period (refused ones included: the citizen still raised it)."""
    lo, hi = _bounds(start, end)
    return Feedback.objects.filter(_of("procedure", procedure), agency=agency, received_at__gte=lo, received_at__lt=hi).order_by(
        "received_at", "id"
    )


def ratings_of(*, agency: Agency, procedure: Procedures, start: date, end: date) -> QuerySet[SatisfactionRating]:
    lo, hi = _bounds(start, end)
    return SatisfactionRating.objects.filter(
        _of("dossier__procedure_version__procedure", procedure), agency=agency, submitted_at__gte=lo, submitted_at__lt=hi
    ).order_by("submitted_at", "id")


def _reason(text: str) -> str:
    """Reasons and papers are grouped as typed, trimmed, with whitespace collapsed."""
    return " ".join((text or "").split())


# ----------------------------------------------------------------------------------------- the evidence

_PROCEDURE = "procedure_version__procedure_id"


def evidence_of(
    *, agency: Agency, procedures: Iterable[Procedure], start: date, end: date, versions=None, top: int = 5
) -> dict[int, Evidence]:
    """Every figure of each procedure over [start, end] (local dates, inclusive), by procedure id, in a number
    of queries that does not depend on how many procedures (grouped counts; the rows whose text is grouped —
    reasons, papers, PAKN subjects — and the decided dossiers, whose office time is computed here, read once for
    all). `procedures` is a list or a queryset (then used as a subquery); `versions` restricts the dossiers to
    some versions (the before/after of a proposal)."""
    procs = procedures if isinstance(procedures, QuerySet) else list(procedures)
    listed = list(procs)
    if not listed:
        return {}
    shown_qs = (
        ProcedureVersion.objects.filter(procedure__in=procs, agency=agency)
        .exclude(status=ProcedureVersion.Status.DRAFT)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
    )
    if versions is not None:
        shown_qs = shown_qs.filter(pk__in=[v.pk for v in versions])
    shown: dict[int, list[ProcedureVersion]] = {}
    for v in shown_qs.order_by("procedure_id", "-number"):
        shown.setdefault(v.procedure_id, []).append(v)
    fallback: dict[int, ProcedureVersion] = {}
    missing = [p.pk for p in listed if p.pk not in shown]
    if missing:  # no version shown: the procedure's latest version of any agency or status, for its name
        for v in ProcedureVersion.objects.filter(procedure__in=missing).order_by("procedure_id", "-number"):
            fallback.setdefault(v.procedure_id, v)
    out: dict[int, Evidence] = {}
    for p in listed:
        latest = shown[p.pk][0] if p.pk in shown else fallback.get(p.pk)
        out[p.pk] = Evidence(
            code=p.code,
            name=latest.name if latest else "",
            versions=sorted(v.number for v in shown.get(p.pk, [])),
            time_unit=latest.get_time_unit_display() if latest else "",
            legal_time=latest.legal_time if latest else None,
            committed_time=latest.committed_time if latest else None,
            start=start,
            end=end,
        )

    received = dossiers_received(agency=agency, procedure=procs, start=start, end=end, versions=versions)
    refused_q, rejected_q = Q(status=Status.REFUSED), ~Q(status=Status.REFUSED) & Q(outcome=Outcome.REJECTED)
    counts = (
        received.order_by()
        .values(_PROCEDURE)
        .annotate(
            n=Count("id"),
            online=Count("id", filter=Q(channel=Channel.ONLINE)),
            supplemented=Count("id", filter=Q(supplement_count__gt=0)),
            refused=Count("id", filter=refused_q),
            rejected=Count("id", filter=rejected_q),
        )
    )
    for r in counts:
        ev = out[r[_PROCEDURE]]
        ev.received, ev.online, ev.supplement_dossiers = r["n"], r["online"], r["supplemented"]
        ev.refused, ev.rejected = r["refused"], r["rejected"]
    reasons: dict[int, Counter[str]] = {pk: Counter() for pk in out}
    for pk, note in received.filter(refused_q | rejected_q).values_list(_PROCEDURE, "outcome_note"):
        reasons[pk][_reason(note)] += 1
    papers: dict[int, Counter[str]] = {pk: Counter() for pk in out}
    for pk, items in supplement_requests_of(received).values_list("dossier__" + _PROCEDURE, "items"):
        out[pk].supplement_requests += 1
        # One paper asked twice in one request counts once.
        papers[pk].update({_reason(str(i)) for i in (items or []) if _reason(str(i))})

    finished = dossiers_finished(agency=agency, procedure=procs, start=start, end=end, versions=versions).only(
        "id", "accepted_at", "finished_at", "timeliness", "procedure_version__procedure", "procedure_version__time_unit"
    )
    paused = paused_seconds_of(finished.order_by().values("id"))
    cal = Calendar()
    times: dict[int, list[float]] = {pk: [] for pk in out}
    for d in finished:
        ev = out[d.procedure_version.procedure_id]
        ev.finished += 1
        ev.late += d.timeliness == Timeliness.LATE
        times[d.procedure_version.procedure_id].append(processing_time(cal, d, paused.get(d.pk, 0)))

    subjects: dict[int, Counter[str]] = {pk: Counter() for pk in out}
    categories = dict(Feedback._meta.get_field("category").choices)
    for pk, category, title in feedback_of(agency=agency, procedure=procs, start=start, end=end).values_list(
        "procedure_id", "category", "title"
    ):
        out[pk].pakn += 1
        subjects[pk][_reason(title) or str(categories.get(category, category))] += 1

    rated = (
        ratings_of(agency=agency, procedure=procs, start=start, end=end)
        .order_by()
        .values(procedure_pk=F("dossier__" + _PROCEDURE))
        .annotate(n=Count("id"), total_sum=Sum("total"), satisfied=Count("id", filter=~Q(overall="khong_hai_long")))
    )
    for r in rated:
        ev = out[r["procedure_pk"]]
        ev.ratings, ev.rating_total_sum, ev.satisfied = r["n"], r["total_sum"] or 0, r["satisfied"]

    for pk, ev in out.items():
        ev.refusal_reasons = reasons[pk].most_common(top)
        ev.missing_papers = papers[pk].most_common(top)
        ev.pakn_subjects = subjects[pk].most_common(top)
        ev.processing_times = sorted(times[pk])
    return out


def procedure_evidence(*, agency: Agency, procedure: Procedure, start: date, end: date, versions=None, top: int = 5) -> Evidence:
    """Every figure of one procedure over [start, end]: `evidence_of` with that one procedure."""
    return evidence_of(agency=agency, procedures=[procedure], start=start, end=end, versions=versions, top=top)[procedure.pk]


def agency_evidence(*, agency: Agency, start: date, end: date) -> list[Evidence]:
    """Every procedure of the agency in the period, ranked: highest score first, then most dossiers, then code."""
    procedures = procedures_of(agency=agency, start=start, end=end)
    rows = list(evidence_of(agency=agency, procedures=procedures, start=start, end=end).values())
    rows.sort(key=lambda e: (-e.score, -e.received, e.code))
    return rows


# Each figure's records (the page a figure links to): key → (title, what it lists).
RECORD_KEYS = {
    "received": gettext_lazy("Hồ sơ tiếp nhận trong kỳ"),
    "online": gettext_lazy("Hồ sơ nộp trực tuyến"),
    "finished": gettext_lazy("Hồ sơ đã giải quyết trong kỳ (thời gian xử lý thực tế)"),
    "late": gettext_lazy("Hồ sơ giải quyết trễ hạn"),
    "supplement": gettext_lazy("Hồ sơ phải bổ sung"),
    "refused": gettext_lazy("Hồ sơ bị từ chối tiếp nhận hoặc không chấp thuận"),
    "pakn": gettext_lazy("Phản ánh, kiến nghị về thủ tục"),
    "ratings": gettext_lazy("Đánh giá mức độ hài lòng"),
}


@dataclass
class Records:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    links: list[tuple[str, dict] | None] = field(default_factory=list)  # (url name, kwargs) of each row's own page


def _vn(dt) -> str:
    return f"{timezone.localtime(dt):%d/%m/%Y}" if dt else ""


def figure_records(*, agency: Agency, procedure: Procedure, start: date, end: date, key: str) -> Records:
    """The records behind one figure, computed with the same querysets as the figure (the row count is it)."""
    if key not in RECORD_KEYS:
        raise NotFoundError(_("Không có số liệu này."))
    title = f"{RECORD_KEYS[key]} — {procedure.code} ({start:%d/%m/%Y}–{end:%d/%m/%Y})"
    dossier_cols = [_("Mã hồ sơ"), _("Nộp/nhận lúc"), _("Hình thức nộp"), _("Trạng thái"), _("Số lần bổ sung"), _("Ghi chú")]
    if key in ("received", "online", "supplement", "refused"):
        qs = dossiers_received(agency=agency, procedure=procedure, start=start, end=end)
        if key == "online":
            qs = qs.filter(channel=Channel.ONLINE)
        elif key == "supplement":
            qs = qs.filter(supplement_count__gt=0)
        elif key == "refused":
            qs = qs.filter(Q(status=Status.REFUSED) | Q(outcome=Outcome.REJECTED))
        rec = Records(title, dossier_cols)
        for d in qs:
            rec.rows.append(
                [
                    d.code,
                    _vn(d.received_at),
                    d.get_channel_display(),
                    d.get_status_display(),
                    str(d.supplement_count),
                    d.outcome_note,
                ]
            )
            rec.links.append(("dossiers:detail", {"code": d.code}))
        return rec
    if key in ("finished", "late"):
        finished = list(dossiers_finished(agency=agency, procedure=procedure, start=start, end=end))
        if key == "late":
            finished = [d for d in finished if d.timeliness == Timeliness.LATE]
        paused = paused_seconds_of([d.pk for d in finished])
        cal = Calendar()
        rec = Records(
            title,
            [
                _("Mã hồ sơ"),
                _("Tiếp nhận"),
                _("Hoàn thành"),
                _("Hạn"),
                _("Tạm dừng (giờ)"),
                _("Thời gian xử lý thực tế"),
                _("Tiến độ"),
            ],
        )
        for d in finished:
            rec.rows.append(
                [
                    d.code,
                    _vn(d.accepted_at),
                    _vn(d.finished_at),
                    _vn(d.due_at),
                    f"{paused.get(d.pk, 0) / 3600:.1f}".replace(".", ","),
                    f"{processing_time(cal, d, paused.get(d.pk, 0)):.2f}".replace(".", ","),
                    d.get_timeliness_display(),
                ]
            )
            rec.links.append(("dossiers:detail", {"code": d.code}))
        return rec
    if key == "pakn":
        rec = Records(title, [_("Mã"), _("Tiếp nhận"), _("Tiêu đề"), _("Nội dung liên quan"), _("Trạng thái")])
        for f in feedback_of(agency=agency, procedure=procedure, start=start, end=end):
            rec.rows.append([f.code, _vn(f.received_at), f.title, f.get_category_display(), f.get_status_display()])
            rec.links.append(("feedback:detail", {"code": f.code}))
        return rec
    rec = Records(title, [_("Hồ sơ"), _("Đánh giá lúc"), _("Mức độ hài lòng"), _("Tổng điểm (tối đa 18)"), _("Góp ý")])
    for r in ratings_of(agency=agency, procedure=procedure, start=start, end=end).select_related("dossier"):
        rec.rows.append([r.dossier.code, _vn(r.submitted_at), r.get_overall_display(), str(r.total), r.comment])
        rec.links.append(("dossiers:detail", {"code": r.dossier.code}))
    return rec


# ----------------------------------------------------------------------------------------- compliance cost


def cost_parameters(*, year: int) -> CostParameters | None:
    """The parameters of the year, else of the latest earlier year (the method's figures are published late)."""
    return CostParameters.objects.filter(year__lte=year).order_by("-year").first()


def _vnd(x: Decimal) -> int:
    return int(x.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class Cost:
    hours: Decimal
    hourly_value: Decimal
    time_vnd: int
    money_vnd: int
    per_dossier_vnd: int
    dossiers_per_year: int
    per_year_vnd: int

    def as_json(self) -> dict:
        return {
            "hours": float(self.hours),
            "hourly_value_vnd": float(round(self.hourly_value, 2)),
            "time_vnd": self.time_vnd,
            "money_vnd": self.money_vnd,
            "per_dossier_vnd": self.per_dossier_vnd,
            "dossiers_per_year": self.dossiers_per_year,
            "per_year_vnd": self.per_year_vnd,
        }


def compliance_cost(*, estimate: CostEstimate, parameters: CostParameters, dossiers_from_records: int) -> Cost:
    """Circular 02/2017's compliance cost of one dossier: (hours preparing + travelling + waiting) × the
    hourly value of time, plus travel money, fees and charges, and the cost of obtaining papers; a year's
    cost is that times the dossiers of a year (typed in, else counted from records)."""
    hours = estimate.prepare_hours + estimate.travel_hours + estimate.wait_hours
    hourly = parameters.hourly_value
    time_vnd = _vnd(hours * hourly)
    money = estimate.travel_vnd + estimate.fees_vnd + estimate.papers_vnd + estimate.other_vnd
    per_dossier = time_vnd + money
    n = estimate.dossiers_per_year if estimate.dossiers_per_year is not None else dossiers_from_records
    return Cost(hours, hourly, time_vnd, money, per_dossier, n, per_dossier * n)


@dataclass
class Saving:
    current: Cost
    proposed: Cost
    per_dossier_vnd: int
    per_year_vnd: int
    percent: float | None


def cost_saving(current: Cost, proposed: Cost) -> Saving:
    """The saving of the proposed procedure, per dossier and per year (at the current number of dossiers)."""
    per_dossier = current.per_dossier_vnd - proposed.per_dossier_vnd
    percent = round(per_dossier * 100 / current.per_dossier_vnd, 2) if current.per_dossier_vnd else None
    return Saving(current, proposed, per_dossier, per_dossier * current.dossiers_per_year, percent)


def item_costs(*, item: ReviewItem) -> dict:
    """{parameters, current, proposed, saving} of a review item (None where the inputs are missing)."""
    plan = item.plan
    params = cost_parameters(year=plan.year)
    n = dossiers_received(
        agency=plan.agency, procedure=item.procedure, start=date(plan.year - 1, 1, 1), end=date(plan.year - 1, 12, 31)
    ).count()
    out = {
        "parameters": params,
        "current": None,
        "proposed": None,
        "saving": None,
        "records_year": plan.year - 1,
        "records_count": n,
    }
    if params is None:
        return out
    estimates = {e.variant: e for e in item.costs.all()}
    for variant in (CostEstimate.Variant.CURRENT, CostEstimate.Variant.PROPOSED):
        if variant in estimates:
            out[str(variant)] = compliance_cost(estimate=estimates[variant], parameters=params, dossiers_from_records=n)
    if out["current"] and out["proposed"]:
        out["saving"] = cost_saving(out["current"], out["proposed"])
    return out


# ----------------------------------------------------------------------------------------- plans


def plans_for(*, user) -> QuerySet[ReviewPlan]:
    return scope_for(user).readable(ReviewPlan.objects.select_related("agency"), "agency").order_by("-year", "agency__name")


def plan_get(*, pk: int, user, act: bool = False) -> ReviewPlan:
    from motcua.core.tenancy import ensure_can_act

    plan = plans_for(user=user).filter(pk=pk).first()
    if plan is None:
        raise NotFoundError(_("Không tìm thấy kế hoạch rà soát."))
    if act:
        ensure_can_act(user, plan.agency_id)
    return plan


def item_get(*, pk: int, user, act: bool = False) -> ReviewItem:
    from motcua.core.tenancy import ensure_can_act

    qs = scope_for(user).readable(
        ReviewItem.objects.select_related("plan__agency", "procedure", "unit", "responsible"), "plan__agency"
    )
    item = qs.filter(pk=pk).first()
    if item is None:
        raise NotFoundError(_("Không tìm thấy thủ tục được rà soát."))
    if act:
        ensure_can_act(user, item.plan.agency_id)
    return item


def reminders_due(*, today: date, within_days: int, agency: Agency | None = None) -> QuerySet[ReviewItem]:
    """Items not done whose deadline is within `within_days` calendar days (or past), not yet reminded today."""
    qs = ReviewItem.objects.exclude(status=ReviewItem.Status.DONE).filter(deadline__lte=today + timedelta(days=within_days))
    qs = qs.filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today))
    if agency is not None:
        qs = qs.filter(plan__agency=agency)
    return qs.select_related("plan__agency", "procedure", "unit", "responsible").order_by("deadline", "id")


# ----------------------------------------------------------------------------------------- results


def proposal_before_after(*, proposal: Proposal, start: date, end: date) -> dict | None:
    """Measured on the dossiers of the two versions (the reviewed one and the one the decision put in
    force), each over [start, end]: median processing time and the cut in %. None before adoption."""
    if proposal.new_version_id is None or proposal.new_version_id == proposal.version_id:
        return None  # not adopted yet, or adopted at the procedure's first publication: no "before"
    agency = proposal.item.plan.agency
    procedure = proposal.item.procedure
    before = procedure_evidence(agency=agency, procedure=procedure, start=start, end=end, versions=[proposal.version])
    after = procedure_evidence(agency=agency, procedure=procedure, start=start, end=end, versions=[proposal.new_version])
    cut = None
    if before.median_time and after.median_time is not None:
        cut = round((before.median_time - after.median_time) * 100 / before.median_time, 1)
    legal_cut = None
    old, new = proposal.version.effective_time, proposal.new_version.effective_time
    if old and new is not None:
        legal_cut = float(round((Decimal(old) - Decimal(new)) * 100 / Decimal(old), 1))
    return {"before": before, "after": after, "measured_cut_percent": cut, "time_cut_percent": legal_cut}


SIMPLIFICATION_KINDS = ("planned", "reviewed", "proposed", "adopted", "cut_20")


def simplification_items(*, agency: Agency, year: int, kind: str) -> list[ReviewItem]:
    """The review items of the agency's plan of `year` behind one result: `planned` (every item), `reviewed`
    (done), `proposed` (proposal sent or decided), `adopted`, `cut_20` (adopted, and the new version cuts the
    time by at least 20 %: the catalog's `cut_reaches_threshold`, the one rule). Each item carries `.proposal_row`
    (its proposal or None)."""
    if kind not in SIMPLIFICATION_KINDS:
        raise NotFoundError(_("Không có số liệu này."))
    items = list(
        ReviewItem.objects.filter(plan__agency=agency, plan__year=year)
        .select_related("plan", "procedure", "unit")
        .order_by("procedure__code", "id")
    )
    proposals = {
        p.item_id: p for p in Proposal.objects.filter(item__in=items).select_related("version", "new_version", "decision")
    }
    for item in items:
        item.proposal_row = proposals.get(item.pk)

    def keep(item) -> bool:
        p = item.proposal_row
        if kind == "planned":
            return True
        if kind == "reviewed":
            return item.status == ReviewItem.Status.DONE
        if kind == "proposed":
            return p is not None and p.status != Proposal.Status.DRAFT
        adopted = p is not None and p.status == Proposal.Status.ADOPTED
        return adopted and (kind == "adopted" or p.new_version.cut_reaches_threshold)

    return [i for i in items if keep(i)]


def simplification_results(*, agency: Agency, year: int) -> dict:
    """The period's simplification results, from records (the counts of `simplification_items`), and the yearly
    cost saved by the adopted proposals whose current and proposed costs were both estimated. Counted as the
    records stand now (an answer recorded after the year counts for the year's plan)."""
    out = {kind: len(simplification_items(agency=agency, year=year, kind=kind)) for kind in SIMPLIFICATION_KINDS}
    saved = 0
    for item in simplification_items(agency=agency, year=year, kind="adopted"):
        costs = item_costs(item=item)
        if costs["saving"]:
            saved += costs["saving"].per_year_vnd
    out["cost_saved_per_year_vnd"] = saved
    return out


def agency_review_json(*, agency: Agency, year: int) -> dict:
    """What `manage.py procedure_review` prints: per procedure (ranked), its evidence over the year and its
    compliance cost per dossier and per year. The cost is the current-procedure estimate of the review item
    of that procedure in a plan of the agency (the latest plan up to the next year: a review of year N+1
    costs the records of year N); `cost` is null where nothing was estimated yet."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    params = cost_parameters(year=year)
    estimates = {
        e.item.procedure_id: e
        for e in CostEstimate.objects.filter(
            variant=CostEstimate.Variant.CURRENT, item__plan__agency=agency, item__plan__year__lte=year + 1
        )
        .select_related("item")
        .order_by("item__plan__year")
    }
    procedures = {p.code: p for p in procedures_of(agency=agency, start=start, end=end)}
    out = []
    for rank, ev in enumerate(agency_evidence(agency=agency, start=start, end=end), start=1):
        row = {"rank": rank, **ev.as_json(), "cost": None}
        estimate = estimates.get(procedures[ev.code].pk)
        if estimate is not None and params is not None:
            row["cost"] = compliance_cost(estimate=estimate, parameters=params, dossiers_from_records=ev.received).as_json()
        out.append(row)
    return {
        "agency": agency.short_name,
        "year": year,
        "ranking_rule": "mean of late, supplement and refusal shares, PAKN per dossier (max 1) and 1 - mean rating/18",
        "cost_parameters": (
            {
                "year": params.year,
                "income_per_year_vnd": params.income_per_year_vnd,
                "hourly_value_vnd": float(round(params.hourly_value, 2)),
            }
            if params
            else None
        ),
        "procedures": out,
    }
