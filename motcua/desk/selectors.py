"""Reads of the desk: which slips a dossier has, the worklists officers live in, the leaders' view of
their units' load, the tracking book (BM.06) and the statistics table.

Dossiers are read (never written) through the dossiers app's models. Every figure here is a query over
records, so it can be recomputed and checked (tests do exactly that)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Case, CharField, Count, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from motcua.catalog.models import Field, ProcedureVersion
from motcua.core.errors import NotFoundError, PermissionDeniedError
from motcua.core.models import Agency, Unit
from motcua.core.roles import Role, user_has_role
from motcua.core.selectors import agency_descendant_ids
from motcua.core.text import normalize
from motcua.dossiers.models import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    PAUSED_STATUSES,
    RUNNING_STATUSES,
    Channel,
    Dossier,
    DossierEvent,
    DossierFile,
    DossierStep,
    Pause,
    Status,
    SupplementRequest,
    Timeliness,
)
from motcua.dossiers.search import dossier_search_q
from motcua.workcalendar.selectors import Calendar

from .models import DossierSlip, SlipKind

# ============================================================================ slips


def dossier_for_slips(*, pk: int | None = None, code: str | None = None) -> Dossier:
    """A dossier with everything the slips print, in a handful of queries."""
    qs = Dossier.objects.select_related(
        "agency__parent", "receiving_agency", "procedure_version__procedure", "procedure_version__field", "created_by",
    ).prefetch_related(
        "procedure_version__components", "papers",
        Prefetch("files", queryset=DossierFile.objects.select_related("component").order_by("id")),
        Prefetch("events", queryset=DossierEvent.objects.select_related("actor").order_by("at", "id")),
        Prefetch("steps", queryset=DossierStep.objects.select_related("unit", "agency", "giver", "receiver", "assignee").order_by("seq")),
        Prefetch("supplement_requests",
                 queryset=SupplementRequest.objects.select_related("requested_by").order_by("requested_at", "id")),
        "extension",
    )
    dossier = qs.filter(pk=pk).first() if pk is not None else qs.filter(code=code).first()
    if dossier is None:
        raise NotFoundError("Không tìm thấy hồ sơ.")
    return dossier


def slip_available(dossier: Dossier, kind: str) -> bool:
    """Whether the records hold what the slip prints."""
    if kind in (SlipKind.BM01, SlipKind.BM05):
        return dossier.accepted_at is not None
    if kind == SlipKind.BM02:
        return dossier.supplement_requests.exists()
    if kind == SlipKind.BM03:
        return dossier.status == Status.REFUSED
    if kind == SlipKind.BM04:
        return _has_extension(dossier)
    return False


def _has_extension(dossier: Dossier) -> bool:
    try:
        return dossier.extension is not None
    except Dossier.extension.RelatedObjectDoesNotExist:
        return False


def slip_kinds_available(dossier: Dossier) -> list[tuple[str, str]]:
    """(kind, label) of the slips that can be printed now, for the dossier page."""
    return [(k, label) for k, label in SlipKind.choices if slip_available(dossier, k)]


def slips_issued(*, dossier: Dossier) -> QuerySet[DossierSlip]:
    return DossierSlip.objects.filter(dossier=dossier).select_related("created_by").order_by("kind", "-number")


def user_may_see_dossier(user, dossier: Dossier) -> bool:
    """Staff of the desk, the processing units and leaders, of the dossier's own agency."""
    if not user_has_role(user, Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER):
        return False
    from motcua.core.tenancy import scope_for

    return scope_for(user).can_read(dossier.agency_id)


def ensure_may_see_dossier(user, dossier: Dossier) -> None:
    if not user_may_see_dossier(user, dossier):
        raise PermissionDeniedError("Bạn không có quyền xem hồ sơ này.")


# ============================================================================ worklists


class Bucket:
    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    DUE_SOON = "due_soon"
    LATER = "later"
    PAUSED = "paused"
    NO_DUE = "no_due"


BUCKET_LABELS = {
    Bucket.OVERDUE: "Quá hạn",
    Bucket.DUE_TODAY: "Đến hạn hôm nay",
    Bucket.DUE_SOON: "Đến hạn trong 2 ngày làm việc tới",
    Bucket.LATER: "Còn hạn",
    Bucket.PAUSED: "Tạm dừng (chờ bổ sung, nghĩa vụ tài chính)",
    Bucket.NO_DUE: "Chưa có hạn",
}

BUCKET_CSS = {Bucket.OVERDUE: "late", Bucket.DUE_TODAY: "warn", Bucket.DUE_SOON: "warn", Bucket.LATER: "ok",
              Bucket.PAUSED: "", Bucket.NO_DUE: ""}

SOON_WORKING_DAYS = 2


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
        return cls(now=now, today=today, tomorrow_start=midnight(today + timedelta(days=1)), soon_last_day=soon_last,
                   soon_end=midnight(soon_last + timedelta(days=1)))

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


def user_agency(user) -> Agency | None:
    """The agency whose desk the user works at (core.tenancy). A user of no agency who does not read every
    agency is refused (403): the desk's selectors read every agency when given none."""
    from motcua.core.tenancy import agency_for, scope_for

    agency = agency_for(user)
    if agency is None and not scope_for(user).read_all and Agency.objects.exists():
        raise PermissionDeniedError("Tài khoản của bạn chưa thuộc cơ quan nào.")
    return agency


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
        # ... and the running dossiers whose open step is held at a one-stop desk (reception, return).
        at_desk = DossierStep.objects.filter(handed_over_at__isnull=True, unit__is_one_stop_desk=True).values("dossier_id")
        return qs.filter(Q(status__in=DESK_STATUSES) | Q(status__in=RUNNING_STATUSES, pk__in=at_desk))
    return qs.filter(status__in=OPEN_STATUSES)


def worklist(*, user, scope: str = Scope.MINE, bucket: str = "", field_id: int | None = None, procedure: str = "",
             status: str = "", q: str = "", now: datetime | None = None, limit: int = 500) -> Worklist:
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
        qs = qs.select_related("dossier", "dossier__procedure_version__procedure", "dossier__procedure_version__field",
                               "unit", "assignee")
    else:
        qs = _base_dossiers(scope, agency).annotate(bucket=bucket_expression(th, due="due_at", status="status"))
        prefix = ""
        qs = qs.select_related("procedure_version__procedure", "procedure_version__field", "agency")
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
    return Worklist(scope=scope, by_step=by_step, thresholds=th, counts=counts, total=total, items=items[:limit],
                    truncated=truncated,
                    filters={"bucket": bucket, "field": field_id, "procedure": procedure, "status": status, "q": q})


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
    open_rows = (DossierStep.objects.filter(unit__agency=agency, handed_over_at__isnull=True, dossier__status__in=OPEN_STATUSES)
                 .annotate(bucket=bucket_expression(th, due="due_at", status="dossier__status"))
                 .order_by().values("unit_id", "bucket").annotate(n=Count("pk")))
    for row in open_rows:
        load = units[row["unit_id"]]
        load.open += row["n"]
        if row["bucket"] in (Bucket.OVERDUE, Bucket.DUE_TODAY, Bucket.DUE_SOON, Bucket.PAUSED):
            setattr(load, row["bucket"], getattr(load, row["bucket"]) + row["n"])
    start_dt, end_dt = period_bounds(start, end)
    done_rows = (DossierStep.objects.filter(unit__agency=agency, handed_over_at__gte=start_dt, handed_over_at__lt=end_dt)
                 .order_by().values("unit_id", "timeliness").annotate(n=Count("pk")))
    for row in done_rows:
        load = units[row["unit_id"]]
        load.done += row["n"]
        attr = {Timeliness.EARLY: "done_early", Timeliness.ON_TIME: "done_on_time", Timeliness.LATE: "done_late"}.get(row["timeliness"])
        if attr:
            setattr(load, attr, getattr(load, attr) + row["n"])
    return list(units.values())


# ============================================================================ periods


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in local time: the period includes both dates."""
    if end < start:
        raise NotFoundError("Kỳ báo cáo không hợp lệ: ngày kết thúc trước ngày bắt đầu.")
    return (timezone.make_aware(datetime.combine(start, time.min)),
            timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)))


# ============================================================================ tracking book (BM.06)


@dataclass
class BookRow:
    seq: int
    dossier: Dossier
    paused_times: int

    @property
    def appointment(self):
        return self.dossier.original_due_at

    @property
    def new_appointment(self):
        return self.dossier.due_at if self.dossier.extended else None


@dataclass
class BookSection:
    field_id: int
    field_name: str
    rows: list[BookRow] = field(default_factory=list)


def tracking_book(*, agency: Agency | None, start: date, end: date, field_id: int | None = None) -> list[BookSection]:
    """Sổ theo dõi hồ sơ (BM.06): the dossiers received (accepted) in [start, end], per field, in the order
    they were received: code, procedure, applicant, channel, received, appointment (and new date),
    decided, returned, delivery, status and timeliness."""
    start_dt, end_dt = period_bounds(start, end)
    qs = (Dossier.objects.filter(accepted_at__gte=start_dt, accepted_at__lt=end_dt)
          .select_related("procedure_version__field", "procedure_version__procedure", "agency")
          .order_by("procedure_version__field__name", "accepted_at", "code"))
    if agency is not None:
        qs = qs.filter(agency=agency)
    if field_id:
        qs = qs.filter(procedure_version__field_id=field_id)
    pauses = dict(Pause.objects.filter(dossier__in=qs.values("pk")).order_by().values("dossier_id")
                  .annotate(n=Count("pk")).values_list("dossier_id", "n"))
    sections: dict[int, BookSection] = {}
    for d in qs:
        f = d.procedure_version.field
        section = sections.setdefault(f.pk, BookSection(field_id=f.pk, field_name=f.name))
        section.rows.append(BookRow(seq=len(section.rows) + 1, dossier=d, paused_times=pauses.get(d.pk, 0)))
    return list(sections.values())


# ============================================================================ statistics table

GROUP_KEYS = {
    "agency": ("agency_id", "Cơ quan"),
    "field": ("procedure_version__field_id", "Lĩnh vực"),
    "procedure": ("procedure_version__procedure_id", "Thủ tục hành chính"),
}

# Order matters: templates/desk/statistics.html groups these columns under two-level headings.
STAT_COLUMNS: list[tuple[str, str]] = [
    ("received_total", "Tổng số hồ sơ"),
    ("carried_over", "Kỳ trước chuyển sang"),
    ("new_total", "Mới tiếp nhận trong kỳ"),
    ("new_online", "Mới — trực tuyến"),
    ("new_counter", "Mới — trực tiếp"),
    ("new_postal", "Mới — bưu chính công ích"),
    ("finished_total", "Đã giải quyết"),
    ("finished_early", "Đã giải quyết — trước hạn"),
    ("finished_on_time", "Đã giải quyết — đúng hạn"),
    ("finished_late", "Đã giải quyết — trễ hạn"),
    ("finished_late_766", "Trễ hạn theo QĐ 766 (gồm cả hồ sơ bổ sung quá 1 lần)"),
    ("processing_total", "Đang giải quyết"),
    ("processing_within", "Đang giải quyết — trong hạn"),
    ("processing_late", "Đang giải quyết — quá hạn"),
    ("paused", "Tạm dừng (bổ sung, nghĩa vụ tài chính)"),
    ("closed_other", "Rút, dừng xử lý, từ chối"),
]
STAT_KEYS = [k for k, _ in STAT_COLUMNS]


@dataclass
class StatRow:
    key: tuple
    labels: dict[str, str]
    values: dict[str, int]


@dataclass
class StatisticsTable:
    start: date
    end: date
    as_of: datetime
    group_by: tuple[str, ...]
    rows: list[StatRow]
    total: dict[str, int]
    columns: list[tuple[str, str]] = field(default_factory=lambda: list(STAT_COLUMNS))


def statistics_table(*, agency: Agency | None, start: date, end: date, group_by=("field", "procedure"),
                     now: datetime | None = None) -> StatisticsTable:
    """Received (carried over / new by channel), finished (early / on time / late), still processing
    (within / past the appointment), paused, and otherwise closed — for [start, end], grouped by any of
    agency, field, procedure. One conditional aggregation query.

    Definitions (docs/desk.md): a dossier is received when accepted (accepted_at); it ends at
    finished_at (decision, refusal, withdrawal or stop). Carried over: accepted before the period and not
    ended before it. Open at the end of the period: paused when a pause covers that moment, else
    past deadline when its appointment is before min(end of period, now). The figures balance:
    carried_over + new = finished + processing + paused + closed_other."""
    group_by = tuple(group_by)
    unknown = [g for g in group_by if g not in GROUP_KEYS]
    if unknown:
        raise NotFoundError(f"Không nhóm được theo: {', '.join(unknown)}")
    start_dt, end_dt = period_bounds(start, end)
    now = now or timezone.now()
    as_of = min(end_dt, now)

    accepted_before_end = Q(accepted_at__isnull=False, accepted_at__lt=end_dt)
    not_ended_before_start = Q(finished_at__isnull=True) | Q(finished_at__gte=start_dt)
    qs = Dossier.objects.filter(accepted_before_end & not_ended_before_start)
    if agency is not None:
        # An agency's figures include the agencies below it (a province's, every department and commune).
        qs = qs.filter(agency_id__in=agency_descendant_ids(agency))
    carried = Q(accepted_at__lt=start_dt)
    new = Q(accepted_at__gte=start_dt)
    ended_in = Q(finished_at__isnull=False, finished_at__lt=end_dt)
    finished = ended_in & Q(status__in=FINISHED_STATUSES)
    closed_other = ended_in & ~Q(status__in=FINISHED_STATUSES)
    open_at_end = Q(finished_at__isnull=True) | Q(finished_at__gte=end_dt)
    within = Q(due_at__isnull=True) | Q(due_at__gte=as_of)
    past = Q(due_at__lt=as_of)
    aggregates = {
        "carried_over": Count("pk", filter=carried),
        "new_total": Count("pk", filter=new),
        "new_online": Count("pk", filter=new & Q(channel=Channel.ONLINE)),
        "new_counter": Count("pk", filter=new & Q(channel=Channel.COUNTER)),
        "new_postal": Count("pk", filter=new & Q(channel=Channel.POSTAL)),
        "finished_total": Count("pk", filter=finished),
        "finished_early": Count("pk", filter=finished & Q(timeliness=Timeliness.EARLY)),
        "finished_on_time": Count("pk", filter=finished & Q(timeliness=Timeliness.ON_TIME)),
        "finished_late": Count("pk", filter=finished & Q(timeliness=Timeliness.LATE)),
        "finished_late_766": Count("pk", filter=finished & (Q(timeliness=Timeliness.LATE) | Q(supplement_count__gt=1))),
        "processing_within": Count("pk", filter=open_at_end & within),  # paused ones removed below
        "processing_late": Count("pk", filter=open_at_end & past),
        "closed_other": Count("pk", filter=closed_other),
    }
    # Two plain queries, grouped by the dossier's own columns (agency, procedure version) so that the
    # dossier table is scanned once without joins or per-row subqueries; versions are rolled up to
    # fields/procedures here. The second counts the open dossiers a pause covers at the end of the period.
    data = list(qs.order_by().values("agency_id", "procedure_version_id").annotate(**aggregates))
    pause_cover = Pause.objects.filter(started_at__lt=end_dt).filter(Q(ended_at__isnull=True) | Q(ended_at__gte=end_dt))
    paused_rows = (qs.filter(open_at_end, pk__in=pause_cover.values("dossier_id")).order_by()
                   .values("agency_id", "procedure_version_id")
                   .annotate(paused=Count("pk"), paused_within=Count("pk", filter=within), paused_past=Count("pk", filter=past)))
    paused = {(r["agency_id"], r["procedure_version_id"]): r for r in paused_rows}
    for item in data:
        p = paused.get((item["agency_id"], item["procedure_version_id"]))
        item["paused"] = p["paused"] if p else 0
        if p:
            item["processing_within"] -= p["paused_within"]
            item["processing_late"] -= p["paused_past"]
    summed = [*aggregates, "paused"]
    version_keys = {pk: {"agency": None, "field": field_id, "procedure": procedure_id} for pk, field_id, procedure_id in
                    ProcedureVersion.objects.filter(pk__in={item["procedure_version_id"] for item in data})
                    .values_list("pk", "field_id", "procedure_id")}
    grouped: dict[tuple, dict[str, int]] = {}
    for item in data:
        ids = dict(version_keys[item["procedure_version_id"]], agency=item["agency_id"])
        key = tuple(ids[g] for g in group_by)
        acc = grouped.setdefault(key, {k: 0 for k in summed})
        for k in summed:
            acc[k] += item[k]
    labels = _group_labels(group_by, list(grouped))
    rows = []
    total = {k: 0 for k in STAT_KEYS}
    for key, values in grouped.items():
        values["received_total"] = values["carried_over"] + values["new_total"]
        values["processing_total"] = values["processing_within"] + values["processing_late"]
        values = {k: values[k] for k in STAT_KEYS}
        rows.append(StatRow(key=key, labels={g: labels[g].get(key[i], "") for i, g in enumerate(group_by)}, values=values))
        for k in STAT_KEYS:
            total[k] += values[k]
    rows.sort(key=lambda r: tuple(normalize(r.labels[g]) for g in group_by))
    return StatisticsTable(start=start, end=end, as_of=as_of, group_by=group_by, rows=rows, total=total)


def _group_labels(group_by: tuple[str, ...], keys: list[tuple]) -> dict[str, dict]:
    labels: dict[str, dict] = defaultdict(dict)
    ids = {g: {key[i] for key in keys} for i, g in enumerate(group_by)}
    if "agency" in group_by:
        labels["agency"] = dict(Agency.objects.filter(pk__in=ids["agency"]).values_list("pk", "name"))
    if "field" in group_by:
        labels["field"] = dict(Field.objects.filter(pk__in=ids["field"]).values_list("pk", "name"))
    if "procedure" in group_by:
        for pid, code, name in (ProcedureVersion.objects.filter(procedure_id__in=ids["procedure"])
                                .order_by("procedure_id", "number").values_list("procedure_id", "procedure__code", "name")):
            labels["procedure"][pid] = f"{code} — {name}"  # the newest version's name wins
    return labels
