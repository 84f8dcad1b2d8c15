"""Reads of the reform app (views, the CCHC report and other apps use these)."""

from collections import OrderedDict
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum

from motcua.core.models import Agency
from motcua.core.roles import Role, user_has_role
from motcua.core.selectors import filter_given
from motcua.core.tenancy import scope_for
from motcua.workcalendar.selectors import Calendar

from .models import (
    AREA_ORDER,
    Area,
    CriteriaSet,
    EnforcementMonitoring,
    Inspection,
    JobPosition,
    LegalDraft,
    QualitySystem,
    Recommendation,
    ReformPlan,
    ReformTask,
    SelfScore,
    StaffQuota,
    TrainingCourse,
    TrainingParticipant,
)

OPEN_TASK = [ReformTask.Status.NOT_STARTED, ReformTask.Status.IN_PROGRESS]
OPEN_RECOMMENDATION = [Recommendation.Status.OPEN, Recommendation.Status.IN_PROGRESS]


# ---------------------------------------------------------------- plans and tasks


def plans_for(*, agency: Agency | None = None, year: int | None = None) -> QuerySet[ReformPlan]:
    qs = ReformPlan.objects.select_related("agency", "parent")
    if agency is not None:
        qs = qs.filter(Q(agency=agency) | Q(kind=ReformPlan.Kind.PROVINCE))
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def latest_year(*, agency: Agency, until: int) -> int | None:
    """The latest year that has reform records of the agency (plans, drafts, monitoring, staffing,
    training, inspections) up to `until` (the current year): the pages and the report open there instead of
    on an empty current year. None when the agency has none."""
    years = [
        ReformPlan.objects.filter(agency=agency).aggregate(y=Max("year"))["y"],
        LegalDraft.objects.filter(agency=agency).aggregate(y=Max("year"))["y"],
        EnforcementMonitoring.objects.filter(agency=agency).aggregate(y=Max("year"))["y"],
        StaffQuota.objects.filter(unit__agency=agency).aggregate(y=Max("year"))["y"],
        TrainingCourse.objects.filter(plan__agency=agency).aggregate(y=Max("plan__year"))["y"],
        Inspection.objects.filter(agency=agency).aggregate(y=Max("year"))["y"],
    ]
    years = [y for y in years if y is not None and y <= until]
    return max(years) if years else None


def province_plan(*, year: int) -> ReformPlan | None:
    return ReformPlan.objects.filter(kind=ReformPlan.Kind.PROVINCE, year=year).order_by("issued_on").first()


def tasks_for(
    *, agency: Agency, year: int | None = None, area: str | None = None, status: str | None = None
) -> QuerySet[ReformTask]:
    qs = ReformTask.objects.select_related("plan", "owner_unit").filter(plan__agency=agency)
    return filter_given(qs, plan__year=year, area=area or None, status=status or None)


def task_reminders(*, agency: Agency, today: date, within_working_days: int = 5) -> dict[str, QuerySet[ReformTask]]:
    """Tasks still open whose deadline is within the next `within_working_days` working days (due soon)
    or already past (overdue)."""
    horizon = Calendar().add_working_days(today, within_working_days)
    open_tasks = tasks_for(agency=agency).filter(status__in=OPEN_TASK)
    return {
        "due_soon": open_tasks.filter(deadline__gte=today, deadline__lte=horizon).order_by("deadline"),
        "overdue": open_tasks.filter(deadline__lt=today).order_by("deadline"),
    }


def task_completion_by_area(*, agency: Agency, year: int, on: date | None = None) -> list[dict]:
    """Per area: tasks assigned (not cancelled), done, done on time, and the completion rate. With `on`
    (a report's period end), "done" means completed on or before that day: a task finished later was not
    done then."""
    done = Q(status=ReformTask.Status.DONE)
    if on is not None:
        done &= Q(completed_on__lte=on)
    rows = (
        tasks_for(agency=agency, year=year)
        .exclude(status=ReformTask.Status.CANCELLED)
        .values("area")
        .annotate(total=Count("id"), done=Count("id", filter=done))
    )
    by_area = {r["area"]: r for r in rows}
    result = []
    for code in AREA_ORDER:
        if code not in by_area:
            continue
        total, done = by_area[code]["total"], by_area[code]["done"]
        result.append(
            {
                "area": code,
                "label": Area(code).label,
                "total": total,
                "done": done,
                "percent": round(done * 100 / total, 1) if total else 0.0,
            }
        )
    return result


def recommendation_status_on(rec: Recommendation, on: date) -> str:
    """The recommendation's status as it was at the end of day `on` (closed_on / started_on compared with
    it): a recommendation closed after a report's period shows as not done in that report."""
    if rec.closed_on is not None and rec.closed_on <= on:
        return Recommendation.Status.CLOSED
    if rec.started_on is not None and rec.started_on <= on:
        return Recommendation.Status.IN_PROGRESS
    return Recommendation.Status.OPEN


def legal_draft_stage_on(draft: LegalDraft, on: date) -> tuple[str, date | None]:
    """(stage, its date) of a legal draft as it was at the end of day `on`: the last stage reached by then."""
    stage, when = LegalDraft.Stage.REGISTERED, draft.registered_on
    for code in LegalDraft.Stage.values:
        reached = getattr(draft, f"{code}_on", None)
        if reached is not None and reached <= on:
            stage, when = code, reached
    return stage, when


# ---------------------------------------------------------------- institutional reform


def legal_drafts(*, agency: Agency, year: int | None = None) -> QuerySet[LegalDraft]:
    qs = LegalDraft.objects.filter(agency=agency)
    return qs.filter(year=year) if year is not None else qs


def enforcement_entries(*, agency: Agency, year: int | None = None) -> QuerySet[EnforcementMonitoring]:
    qs = EnforcementMonitoring.objects.filter(agency=agency)
    return qs.filter(year=year) if year is not None else qs


# ---------------------------------------------------------------- organisation and staffing


def staffing_summary(*, agency: Agency, year: int) -> dict:
    """Per unit: people needed by job positions, quota assigned, quota filled; totals; shortage =
    needed − assigned (what the agency asks the province for), vacancies = assigned − filled."""
    needed = dict(
        JobPosition.objects.filter(unit__agency=agency).values("unit").annotate(n=Sum("headcount")).values_list("unit", "n")
    )
    quotas = {q.unit_id: q for q in StaffQuota.objects.filter(unit__agency=agency, year=year).select_related("unit")}
    rows = []
    for unit in agency.units.order_by("name"):
        q = quotas.get(unit.pk)
        if q is None and unit.pk not in needed:
            continue
        row = {"unit": unit, "needed": needed.get(unit.pk, 0), "assigned": q.assigned if q else 0, "filled": q.filled if q else 0}
        row["shortage"] = max(row["needed"] - row["assigned"], 0)
        row["vacant"] = row["assigned"] - row["filled"]
        rows.append(row)
    totals = {k: sum(r[k] for r in rows) for k in ("needed", "assigned", "filled", "shortage", "vacant")}
    return {"rows": rows, "totals": totals, "positions": JobPosition.objects.filter(unit__agency=agency).count()}


def training_summary(*, agency: Agency, year: int) -> dict:
    courses = TrainingCourse.objects.filter(plan__agency=agency, plan__year=year)
    participants = TrainingParticipant.objects.filter(course__in=courses)
    return {
        "plans": list(agency.training_plans.filter(year=year)),
        "courses": courses.count(),
        "planned": courses.aggregate(n=Sum("planned_participants"))["n"] or 0,
        "participants": participants.count(),
        "completed": participants.filter(completed=True).count(),
    }


def training_participants(*, agency: Agency, year: int) -> QuerySet[TrainingParticipant]:
    return TrainingParticipant.objects.filter(course__plan__agency=agency, course__plan__year=year).select_related("course")


def quality_system(*, agency: Agency) -> QualitySystem | None:
    return QualitySystem.objects.filter(agency=agency).first()


# ---------------------------------------------------------------- inspections


def inspections_for(*, agency: Agency | None = None, year: int | None = None) -> QuerySet[Inspection]:
    qs = Inspection.objects.select_related("agency").prefetch_related("members")
    if agency is not None:
        qs = qs.filter(agency=agency)
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def recommendations_for_agency(*, agency: Agency | None = None, status: str | None = None) -> QuerySet[Recommendation]:
    qs = Recommendation.objects.select_related("inspection", "inspection__agency", "owner_unit").filter(
        addressee=Recommendation.Addressee.AGENCY
    )
    if agency is not None:
        qs = qs.filter(inspection__agency=agency)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("deadline", "id")


def recommendations_overdue(*, today: date, agency: Agency | None = None) -> QuerySet[Recommendation]:
    """Recommendations to the agency, not closed, whose deadline has passed."""
    return recommendations_for_agency(agency=agency).filter(status__in=OPEN_RECOMMENDATION, deadline__lt=today)


def recommendations_escalated(*, agency: Agency | None = None, open_only: bool = False) -> QuerySet[Recommendation]:
    """Recommendations the inspection team escalated to the province (listed apart from the agency's)."""
    qs = Recommendation.objects.select_related("inspection", "inspection__agency").filter(
        addressee=Recommendation.Addressee.PROVINCE
    )
    if agency is not None:
        qs = qs.filter(inspection__agency=agency)
    if open_only:
        qs = qs.filter(status__in=OPEN_RECOMMENDATION)
    return qs.order_by("inspection__inspected_on", "order")


# ---------------------------------------------------------------- self-assessment


def criteria_set_for(*, year: int) -> CriteriaSet | None:
    return CriteriaSet.objects.filter(year=year).order_by("id").first()


def self_assessment(*, criteria_set: CriteriaSet, agency: Agency) -> dict:
    """The tree with the agency's scores; a parent's score is the sum of its leaves; totals per area."""
    criteria = list(criteria_set.criteria.all())
    scores = {s.criterion_id: s for s in SelfScore.objects.filter(criterion__criteria_set=criteria_set, agency=agency)}
    children: dict[int | None, list] = {}
    for c in criteria:
        children.setdefault(c.parent_id, []).append(c)

    def total(c) -> Decimal | None:
        kids = children.get(c.pk)
        if not kids:
            return scores[c.pk].score if c.pk in scores else None
        parts = [total(k) for k in kids]
        known = [p for p in parts if p is not None]
        return sum(known, Decimal(0)) if known else None

    rows = [{"criterion": c, "leaf": c.pk not in children, "score": total(c), "self_score": scores.get(c.pk)} for c in criteria]
    areas: OrderedDict[str, dict] = OrderedDict()
    for row in rows:
        c = row["criterion"]
        if c.parent_id is not None:
            continue
        key = c.area or ""
        entry = areas.setdefault(
            key, {"area": key, "label": Area(key).label if key else "Khác", "max": Decimal(0), "score": Decimal(0)}
        )
        entry["max"] += c.max_points
        entry["score"] += row["score"] or 0
    grand_max = sum((a["max"] for a in areas.values()), Decimal(0))
    grand_score = sum((a["score"] for a in areas.values()), Decimal(0))
    leaves = [r for r in rows if r["leaf"]]
    return {
        "rows": rows,
        "areas": list(areas.values()),
        "max": grand_max,
        "score": grand_score,
        "scored": sum(1 for r in leaves if r["self_score"]),
        "leaves": len(leaves),
    }


def reminder_digest(*, agency: Agency, today: date, within_working_days: int = 5) -> list[dict]:
    """Per owner unit: its tasks due soon, its overdue tasks and its overdue recommendations, with the
    e-mail addresses of the unit's staff (reminders before and after deadlines). Units with nothing
    to remind are left out."""
    reminders = task_reminders(agency=agency, today=today, within_working_days=within_working_days)
    overdue_recs = recommendations_overdue(agency=agency, today=today)
    by_unit: dict[int, dict] = {}

    def entry(unit) -> dict:
        return by_unit.setdefault(unit.pk, {"unit": unit, "due_soon": [], "overdue": [], "recommendations": []})

    for task in reminders["due_soon"]:
        entry(task.owner_unit)["due_soon"].append(task)
    for task in reminders["overdue"]:
        entry(task.owner_unit)["overdue"].append(task)
    for rec in overdue_recs:
        entry(rec.owner_unit)["recommendations"].append(rec)
    for item in by_unit.values():
        item["emails"] = sorted({u.email for u in item["unit"].staff.filter(is_active=True) if u.email})
    return sorted(by_unit.values(), key=lambda x: x["unit"].name)


def can_inspect(user, agency_id) -> bool:
    """An inspection team member (Role.INSPECTOR) whose scope reads the agency (the province's team, core.tenancy)
    acts on that agency's inspections and recommendations; everyone else needs to act for the agency."""
    scope = scope_for(user)
    return scope.can_act(agency_id) or (user_has_role(user, Role.INSPECTOR) and scope.can_read(agency_id))
