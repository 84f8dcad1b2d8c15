"""The worklists officers live in (by due-date bucket), the staff home page's counts and the leaders' view of
their units' load."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import NotFoundError, PermissionDeniedError
from motcua.core.models import Agency, Unit
from motcua.core.roles import Role, user_has_role
from motcua.dossiers.models import (
    OPEN_STATUSES,
    PAUSED_STATUSES,
    RUNNING_STATUSES,
    Dossier,
    DossierStep,
    PostalOrder,
    Status,
    Timeliness,
)
from motcua.dossiers.search import dossier_search_q
from motcua.workcalendar.selectors import Calendar

from .access import user_agency
from .periods import period_bounds


class Bucket:
    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    DUE_SOON = "due_soon"
    LATER = "later"
    PAUSED = "paused"
    NO_DUE = "no_due"


BUCKET_LABELS = {
    Bucket.OVERDUE: _("Quá hạn"),
    Bucket.DUE_TODAY: _("Đến hạn hôm nay"),
    Bucket.DUE_SOON: _("Đến hạn trong 2 ngày làm việc tới"),
    Bucket.LATER: _("Còn hạn"),
    Bucket.PAUSED: _("Tạm dừng (chờ bổ sung, nghĩa vụ tài chính)"),
    Bucket.NO_DUE: _("Chưa có hạn"),
}

BUCKET_CSS = {
    Bucket.OVERDUE: "late",
    Bucket.DUE_TODAY: "warn",
    Bucket.DUE_SOON: "warn",
    Bucket.LATER: "ok",
    Bucket.PAUSED: "",
    Bucket.NO_DUE: "",
}

SOON_WORKING_DAYS = 2
POSTAL_FAILED_LABEL = gettext_noop("Bưu chính phát không thành công, kết quả chuyển hoàn")
POSTAL_PICKUP_FAILED_LABEL = gettext_noop("Bưu chính không thu gom được hồ sơ")


class Scope:
    MINE = "mine"
    UNIT = "unit"
    DESK = "desk"
    AGENCY = "agency"


SCOPE_LABELS = {
    Scope.MINE: "Việc của tôi",
    Scope.UNIT: "Hàng đợi của đơn vị",
    Scope.DESK: "Bộ phận Một cửa",
    Scope.AGENCY: "Toàn cơ quan",
}
SCOPE_ROLES = {
    Scope.MINE: (Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER),
    Scope.UNIT: (Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER),
    Scope.DESK: (Role.ONE_STOP_OFFICER, Role.LEADER),
    Scope.AGENCY: (Role.LEADER,),
}
# What the desk waits for: acceptance of online dossiers, the applicant's additions or payment,
# and the return of decided results (and running dossiers whose open step is at a one-stop desk).
DESK_STATUSES = (Status.SUBMITTED, Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUIRED, Status.DECIDED)


@dataclass(frozen=True)
class Thresholds:
    """The moments that split due dates into buckets, from the working-day calendar."""

    now: datetime
    today: date
    tomorrow_start: datetime
    soon_last_day: date
    soon_end: datetime

    @classmethod
    def at(cls, now: datetime | None = None, cal: Calendar | None = None) -> Thresholds:
        now = now or timezone.now()
        cal = cal or Calendar()
        today = timezone.localdate(now)
        soon_last = cal.add_working_days(today, SOON_WORKING_DAYS)
        midnight = lambda d: timezone.make_aware(datetime.combine(d, time.min))  # noqa: E731
        return cls(
            now=now,
            today=today,
            tomorrow_start=midnight(today + timedelta(days=1)),
            soon_last_day=soon_last,
            soon_end=midnight(soon_last + timedelta(days=1)),
        )

    def bucket(self, due_at: datetime | None, *, paused: bool = False) -> str:
        """The same rule as `bucket_expression`, for one value."""
        if paused:
            return Bucket.PAUSED
        if due_at is None:
            return Bucket.NO_DUE
        if due_at < self.now:
            return Bucket.OVERDUE
        if due_at < self.tomorrow_start:
            return Bucket.DUE_TODAY
        if due_at < self.soon_end:
            return Bucket.DUE_SOON
        return Bucket.LATER


def bucket_expression(th: Thresholds, *, due: str, status: str) -> Case:
    return Case(
        When(**{f"{status}__in": PAUSED_STATUSES}, then=Value(Bucket.PAUSED)),
        When(**{f"{due}__isnull": True}, then=Value(Bucket.NO_DUE)),
        When(**{f"{due}__lt": th.now}, then=Value(Bucket.OVERDUE)),
        When(**{f"{due}__lt": th.tomorrow_start}, then=Value(Bucket.DUE_TODAY)),
        When(**{f"{due}__lt": th.soon_end}, then=Value(Bucket.DUE_SOON)),
        default=Value(Bucket.LATER),
        output_field=CharField(),
    )


@dataclass
class Worklist:
    scope: str
    by_step: bool  # True: rows are open steps (due = the step's due); False: rows are dossiers
    thresholds: Thresholds
    counts: dict[str, int]
    total: int
    items: list
    filters: dict
    truncated: bool = False


def scopes_for(user) -> list[str]:
    return [s for s in (Scope.MINE, Scope.UNIT, Scope.DESK, Scope.AGENCY) if user_has_role(user, *SCOPE_ROLES[s])]


def default_scope(user) -> str:
    """The tab a worklist opens on: the desk's queue for one-stop officers (new online submissions wait
    there for acceptance), else the user's first."""
    scopes = scopes_for(user)
    if user_has_role(user, Role.ONE_STOP_OFFICER) and Scope.DESK in scopes:
        return Scope.DESK
    return scopes[0]


@dataclass(frozen=True)
class HomeCounts:
    waiting: int  # online submissions waiting for acceptance
    due_soon: int  # running, due today or within SOON_WORKING_DAYS working days
    overdue: int  # running, past the appointment


def home_counts(*, agency: Agency | None, now: datetime | None = None) -> HomeCounts:
    """The staff home page's figures for one agency, in one query (buckets as the worklists count them)."""
    if agency is None:
        return HomeCounts(0, 0, 0)
    th = Thresholds.at(now)
    running = Q(status__in=(Status.ACCEPTED, Status.PROCESSING))
    agg = Dossier.objects.filter(agency=agency).aggregate(
        waiting=Count("pk", filter=Q(status=Status.SUBMITTED)),
        due_soon=Count("pk", filter=running & Q(due_at__gte=th.now, due_at__lt=th.soon_end)),
        overdue=Count("pk", filter=running & Q(due_at__lt=th.now)),
    )
    return HomeCounts(**agg)


def _base_steps(scope: str, user, agency: Agency | None) -> QuerySet[DossierStep]:
    qs = DossierStep.objects.filter(handed_over_at__isnull=True, dossier__status__in=OPEN_STATUSES)
    if scope == Scope.MINE:
        return qs.filter(assignee=user)
    if user.unit_id is None:
        return qs.none()
    return qs.filter(unit_id=user.unit_id)


def _base_dossiers(scope: str, agency: Agency | None) -> QuerySet[Dossier]:
    qs = Dossier.objects.all()
    if agency is not None and scope == Scope.AGENCY:
        # Inter-agency dossiers (liên thông) of other agencies while one of this agency's steps is open.
        at_step = DossierStep.objects.filter(agency=agency, handed_over_at__isnull=True).values("dossier_id")
        qs = qs.filter(Q(agency=agency) | Q(pk__in=at_step))
    elif agency is not None:
        qs = qs.filter(agency=agency)
    if scope == Scope.DESK:
        # ... and the running dossiers whose open step is held at a one-stop desk (reception, return), and the
        # results the postal operator could not deliver, back at the desk (dossiers.postal). Both sets are small
        # (open steps, unresolved failures) and read first by their own indexes: as IN (subquery) arms of the OR
        # they made PostgreSQL read the whole dossier table (15 s at 10 million dossiers, docs/benchmarks.md);
        # as lists of ids the OR is a union of index scans (status, primary key).
        at_desk = DossierStep.objects.filter(
            handed_over_at__isnull=True, unit__is_one_stop_desk=True, dossier__status__in=RUNNING_STATUSES
        )
        returned = PostalOrder.objects.filter(state=PostalOrder.State.FAILED, resolved_at__isnull=True)
        if agency is not None:
            at_desk = at_desk.filter(dossier__agency=agency)
            returned = returned.filter(dossier__agency=agency)
        ids = {*at_desk.values_list("dossier_id", flat=True), *returned.values_list("dossier_id", flat=True)}
        return qs.filter(Q(status__in=DESK_STATUSES) | Q(pk__in=sorted(ids)))
    return qs.filter(status__in=OPEN_STATUSES)


ROW_COLUMNS = (  # of the dossier (by its prefix from a step)
    "code",
    "status",
    "applicant_name",
    "due_at",
    "agency_id",
    "procedure_version__name",
    "procedure_version__procedure__code",
    "procedure_version__field__name",
)
STEP_COLUMNS = ("seq", "name", "due_at", "received_at", "unit__name", "assignee__username")


def worklist(
    *,
    user,
    scope: str = Scope.MINE,
    bucket: str = "",
    field_id: int | None = None,
    procedure: str = "",
    status: str = "",
    q: str = "",
    now: datetime | None = None,
    limit: int = 500,
) -> Worklist:
    """The rows of a worklist with counts per bucket (counts ignore the bucket filter, honour the others).

    mine / unit: the open internal steps held by the user / the user's unit, due = the step's due moment;
    desk: dossiers waiting for the desk (acceptance, additions, payment, return of the result);
    agency (leaders): every open dossier of the agency, due = the appointment."""
    if scope not in SCOPE_LABELS:
        raise NotFoundError("Không có danh sách này.")
    if not user_has_role(user, *SCOPE_ROLES[scope]):
        raise PermissionDeniedError("Vai trò của bạn không xem được danh sách này.")
    th = Thresholds.at(now)
    agency = user_agency(user)
    by_step = scope in (Scope.MINE, Scope.UNIT)
    if by_step:
        qs = _base_steps(scope, user, agency).annotate(bucket=bucket_expression(th, due="due_at", status="dossier__status"))
        prefix = "dossier__"
        qs = qs.select_related(
            "dossier", "dossier__procedure_version__procedure", "dossier__procedure_version__field", "unit", "assignee"
        )
    else:
        qs = _base_dossiers(scope, agency).annotate(bucket=bucket_expression(th, due="due_at", status="status"))
        prefix = ""
        qs = qs.select_related("procedure_version__procedure", "procedure_version__field", "agency")
    # Only the columns the worklist page and API show, not the whole rows of the five tables (the procedure
    # version's legal texts and JSON among them) turned into objects for every row; a column not listed here is
    # fetched on access, one query per row (desk/tests/test_worklist_queries.py counts them).
    qs = qs.only(*(prefix + name for name in ROW_COLUMNS), *(STEP_COLUMNS if by_step else ()))
    if field_id:
        qs = qs.filter(**{f"{prefix}procedure_version__field_id": field_id})
    if procedure:
        qs = qs.filter(**{f"{prefix}procedure_version__procedure__code": procedure})
    if status:
        qs = qs.filter(**{f"{prefix}status": status})
    if q:
        qs = qs.filter(dossier_search_q(q, prefix=prefix))  # the one staff search (dossiers.search)
    counts = {b: 0 for b in BUCKET_LABELS}
    for row in qs.order_by().values("bucket").annotate(n=Count("pk")):
        counts[row["bucket"]] = row["n"]
    if bucket:
        qs = qs.filter(bucket=bucket)
    total = sum(counts.values()) if not bucket else counts.get(bucket, 0)
    items = list(qs.order_by("due_at", "pk")[: limit + 1])
    truncated = len(items) > limit
    for item in items:
        item.bucket_label = BUCKET_LABELS[item.bucket]
        item.bucket_css = BUCKET_CSS[item.bucket]
    if scope == Scope.DESK:
        returned = dict(
            PostalOrder.objects.filter(
                dossier_id__in=[i.pk for i in items], state=PostalOrder.State.FAILED, resolved_at__isnull=True
            ).values_list("dossier_id", "kind")
        )
        for item in items:
            if item.pk in returned:  # the state to act on, whatever the appointment's bucket
                pickup = returned[item.pk] == PostalOrder.Kind.PICKUP
                item.bucket_label = gettext(POSTAL_PICKUP_FAILED_LABEL if pickup else POSTAL_FAILED_LABEL)
                item.bucket_css = "late"
    return Worklist(
        scope=scope,
        by_step=by_step,
        thresholds=th,
        counts=counts,
        total=total,
        items=items[:limit],
        truncated=truncated,
        filters={"bucket": bucket, "field": field_id, "procedure": procedure, "status": status, "q": q},
    )


@dataclass
class UnitLoad:
    unit: Unit
    open: int = 0
    overdue: int = 0
    due_today: int = 0
    due_soon: int = 0
    paused: int = 0
    done: int = 0
    done_early: int = 0
    done_on_time: int = 0
    done_late: int = 0

    @property
    def late_rate(self) -> float | None:
        return round(self.done_late * 100 / self.done, 1) if self.done else None


def unit_load(*, agency: Agency, start: date, end: date, now: datetime | None = None) -> list[UnitLoad]:
    """Per unit of the agency: open steps by bucket now, and steps finished in [start, end] by timeliness."""
    th = Thresholds.at(now)
    units = {u.pk: UnitLoad(unit=u) for u in Unit.objects.filter(agency=agency).order_by("name")}
    open_rows = (
        DossierStep.objects.filter(unit__agency=agency, handed_over_at__isnull=True, dossier__status__in=OPEN_STATUSES)
        .annotate(bucket=bucket_expression(th, due="due_at", status="dossier__status"))
        .order_by()
        .values("unit_id", "bucket")
        .annotate(n=Count("pk"))
    )
    for row in open_rows:
        load = units[row["unit_id"]]
        load.open += row["n"]
        if row["bucket"] in (Bucket.OVERDUE, Bucket.DUE_TODAY, Bucket.DUE_SOON, Bucket.PAUSED):
            setattr(load, row["bucket"], getattr(load, row["bucket"]) + row["n"])
    start_dt, end_dt = period_bounds(start, end)
    done_rows = (
        DossierStep.objects.filter(unit__agency=agency, handed_over_at__gte=start_dt, handed_over_at__lt=end_dt)
        .order_by()
        .values("unit_id", "timeliness")
        .annotate(n=Count("pk"))
    )
    for row in done_rows:
        load = units[row["unit_id"]]
        load.done += row["n"]
        attr = {Timeliness.EARLY: "done_early", Timeliness.ON_TIME: "done_on_time", Timeliness.LATE: "done_late"}.get(
            row["timeliness"]
        )
        if attr:
            setattr(load, attr, getattr(load, attr) + row["n"])
    return list(units.values())
