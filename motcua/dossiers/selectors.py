"""Reads of the one-stop desk: dossier by code, lists, worklists, timeline and the figures reports need."""

from __future__ import annotations

import functools
import hmac
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from motcua.catalog.models import Procedure, ProcedureVersion, ProcessStep
from motcua.catalog.public_cache import catalog_version
from motcua.catalog.selectors import procedure_version_in_force
from motcua.core.errors import NotFoundError
from motcua.core.memo import Memo
from motcua.core.models import Agency, Unit

from . import postal
from .lookup_secret import lookup_secret_hash
from .machine import ACTION_LABELS
from .models import (
    FINISHED_STATUSES,
    RUNNING_STATUSES,
    Channel,
    Dossier,
    DossierEvent,
    DossierStep,
    Pause,
    Status,
    Timeliness,
)
from .search import dossier_search_q

# What every intake reads of the catalog, kept per process (core.memo): changed by publication decisions,
# read hundreds of times a second. The day is part of the key, so a version taking effect at midnight
# is picked up exactly.
_intake_memo = Memo("dossiers.intake", ProcedureVersion, Procedure, ProcessStep, Agency, Unit)


def first_process_step(version: ProcedureVersion) -> ProcessStep | None:
    """The first step of the version's internal process (unit loaded), where a dossier is received."""
    return ProcessStep.objects.filter(version=version).select_related("unit").order_by("order").first()


def intake_reference(*, code: str, on: date) -> tuple[ProcedureVersion, ProcessStep | None]:
    """The version of procedure `code` in force on `on` (agency, field and procedure loaded) and the first
    step of its internal process (unit loaded), or NotFoundError."""

    def load():
        version = procedure_version_in_force(code=code, on=on)
        return version, first_process_step(version)

    # The catalog version (catalog.public_cache) changes with every catalog write, bulk imports included,
    # and is shared by the server processes when the cache is (CACHE_URL=redis://…).
    return _intake_memo.get((catalog_version(), code, on), load)


def _base() -> QuerySet[Dossier]:
    return Dossier.objects.select_related("agency", "procedure_version__procedure", "procedure_version__field")


def dossier_get(*, code: str, agency_id: int | None = None) -> Dossier:
    """One query: the dossier with its agency, procedure version, procedure and field. With
    `agency_id`, only a dossier of that agency is found (staff see their own agency)."""
    qs = _base().filter(code=code)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    try:
        return qs.get()  # code is unique: no ORDER BY/LIMIT, which made PostgreSQL walk the primary key
    except Dossier.DoesNotExist:
        raise NotFoundError(f"Không tìm thấy hồ sơ {code}.") from None


def dossier_has_step_of(*, dossier: Dossier, scope) -> bool:
    """Whether a step of the dossier belongs to an agency the scope (core.tenancy.Scope) may read:
    the staff of the other agencies of an inter-agency dossier see it from their step on."""
    if scope.read_all:
        return True
    return DossierStep.objects.filter(dossier=dossier, agency_id__in=sorted(scope.read_ids)).exists()


# Dossier columns the API's JSON does not show (each timestamp costs a parse); any other is read.
_READ_SKIPPED = {
    "created_at",
    "updated_at",
    "note",
    "outcome_note",
    "result_file",
    "return_address",
    "search_text",
    "lookup_secret_hash",
    "idempotency_key",
    "created_by_id",
}
# Columns of the related rows the API's JSON needs (dossier_data).
_READ_RELATED = {
    "a": (Agency, {"id", "code", "name"}),
    "v": (ProcedureVersion, {"id", "number", "name", "procedure_id"}),
    "p": (Procedure, {"id", "code"}),
}


@functools.cache
def _read_plan() -> tuple[str, dict[str, tuple[type, list[str]]]]:
    """The API read's SQL, built once per process from the models (no column name written twice), and
    for each table alias its model and the attribute names of its selected columns, in the model's
    field order (what Model.from_db expects)."""
    plan: dict[str, tuple[type, list[str]]] = {
        "d": (Dossier, [f.attname for f in Dossier._meta.concrete_fields if f.attname not in _READ_SKIPPED])
    }
    for alias, (model, wanted) in _READ_RELATED.items():
        plan[alias] = (model, [f.attname for f in model._meta.concrete_fields if f.attname in wanted])
    columns = ", ".join(
        f'{alias}."{model._meta.get_field(name).column}"' for alias, (model, names) in plan.items() for name in names
    )
    table = {alias: model._meta.db_table for alias, (model, _) in plan.items()}
    sql = (
        f'SELECT {columns} FROM "{table["d"]}" d'
        f' JOIN "{table["a"]}" a ON a."id" = d."agency_id"'
        f' JOIN "{table["v"]}" v ON v."id" = d."procedure_version_id"'
        f' JOIN "{table["p"]}" p ON p."id" = v."procedure_id"'
        ' WHERE d."code" = %s'
    )
    return sql, plan


def dossier_read(*, code: str, agency_id: int | None = None) -> Dossier:
    """The API's read by code (the hot path: ≥ 1,000 req/s is the goal): one hand-written statement on
    the unique code, with only the columns the JSON needs — building the ORM query cost more than running
    it. The objects hold just those columns (any other is fetched on access, one query each). With
    `agency_id`, only that agency's dossier is found."""
    sql, plan = _read_plan()
    params: list = [code]
    if agency_id is not None:
        sql += ' AND d."agency_id" = %s'
        params.append(agency_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        raise NotFoundError(f"Không tìm thấy hồ sơ {code}.")
    objects, at = {}, 0
    for alias, (model, names) in plan.items():
        values = row[at : at + len(names)]
        at += len(names)
        objects[alias] = model.from_db(connection.alias, names, _converted(model, names, values))
    dossier, version = objects["d"], objects["v"]
    version.procedure = objects["p"]
    dossier.agency = objects["a"]
    dossier.procedure_version = version
    return dossier


def _converted(model, names, values) -> list:
    """Values as the ORM would give them (SQLite returns datetimes and dates as text)."""
    out = []
    for name, value in zip(names, values, strict=True):
        for convert in _converters(model, name):
            value = convert(value, model._meta.get_field(name), connection)
        out.append(value)
    return out


@functools.cache
def _converters(model, name) -> list:
    field = model._meta.get_field(name)
    return connection.ops.get_db_converters(field.get_col(model._meta.db_table)) + field.get_db_converters(connection)


def dossier_lookup(*, code: str, secret: str) -> Dossier | None:
    """Public lookup: the dossier when the secret printed on the receipt matches (constant-time compare)."""
    dossier = _base().filter(code=code.strip()).first()
    if dossier is None or not dossier.lookup_secret_hash:
        return None
    if not hmac.compare_digest(dossier.lookup_secret_hash, lookup_secret_hash(secret.strip().upper())):
        return None
    return dossier


def overdue_q(now: datetime | None = None) -> Q:
    """Running (not paused, not finished) and past its due moment."""
    return Q(status__in=RUNNING_STATUSES, due_at__lt=now or timezone.now())


def late_766_q() -> Q:
    """Decision 766: finished late, or asked to supplement more than once, counts as late."""
    return Q(timeliness=Timeliness.LATE) | Q(supplement_count__gt=1, status__in=FINISHED_STATUSES)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def dossier_list(
    *,
    agency: Agency | None = None,
    status: str | list[str] | None = None,
    overdue: bool | None = None,
    channel: str | None = None,
    procedure: str | None = None,
    start: date | None = None,
    end: date | None = None,
    q: str | None = None,
    now: datetime | None = None,
) -> QuerySet[Dossier]:
    """Dossiers filtered by status (one or several), overdue, channel, procedure code and the period of
    reception [start, end] (local dates, inclusive); newest first."""
    qs = _base()
    if agency is not None:
        qs = qs.filter(agency=agency)
    if status:
        qs = qs.filter(status__in=[status] if isinstance(status, str) else status)
    if overdue is True:
        qs = qs.filter(overdue_q(now))
    elif overdue is False:
        qs = qs.exclude(overdue_q(now))
    if channel:
        qs = qs.filter(channel=channel)
    if procedure:
        qs = qs.filter(procedure_version__procedure__code=procedure)
    if start:
        qs = qs.filter(received_at__gte=_day_start(start))
    if end:
        qs = qs.filter(received_at__lt=_day_start(end + timedelta(days=1)))
    if q:
        q = q.strip()
        qs = qs.filter(dossier_search_q(q))
    return qs.order_by("-received_at", "-id")


# ---------------------------------------------------------------------------------------------
# timeline


def dossier_timeline(*, dossier: Dossier) -> list[DossierEvent]:
    """Timeline events, each with Vietnamese `label` and `status_label` attributes."""
    postal_labels = {k: gettext(v) for k, v in postal.EVENT_LABELS.items()}
    labels = {str(k): v for k, v in ACTION_LABELS.items()} | {"receive": gettext("Nộp / tiếp nhận hồ sơ")} | postal_labels
    statuses = dict(Status.choices)
    events = list(DossierEvent.objects.filter(dossier=dossier).select_related("actor").order_by("at", "id"))
    for e in events:
        e.label = labels.get(e.action, e.action)
        e.status_label = statuses.get(e.status_to, e.status_to)
    return events


def dossier_steps(*, dossier: Dossier) -> list[DossierStep]:
    """The handover log (BM.05): one row per step instance."""
    return list(
        DossierStep.objects.filter(dossier=dossier).select_related("unit", "assignee", "giver", "receiver").order_by("seq")
    )


# ---------------------------------------------------------------------------------------------
# figures


def dossier_counts(*, agency: Agency | None, start: date, end: date, now: datetime | None = None) -> dict:
    """Statistics of a period [start, end] (local dates, inclusive), in one query:

    - received: carried_over (accepted before the period, still open at its start) and new in the
      period by channel (counter, online, postal) and in total;
    - finished in the period (decided): early, on_time, late, total, and late_766 (late, or asked to
      supplement more than once — Decision 766);
    - at the end of the period: processing within / past the deadline, and paused;
    - also: refused, withdrawn, stopped in the period."""
    lo, hi = _day_start(start), _day_start(end + timedelta(days=1))
    ref = min(now or timezone.now(), hi)
    qs = Dossier.objects.all()
    if agency is not None:
        qs = qs.filter(agency=agency)
    open_pause = Pause.objects.filter(dossier=OuterRef("pk"), started_at__lt=hi).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=hi)
    )
    qs = qs.annotate(paused_at_end=Exists(open_pause))
    new = Q(accepted_at__gte=lo, accepted_at__lt=hi)
    finished = Q(status__in=FINISHED_STATUSES, finished_at__gte=lo, finished_at__lt=hi)
    open_at_end = Q(accepted_at__lt=hi) & (Q(finished_at__isnull=True) | Q(finished_at__gte=hi))
    in_period = Q(finished_at__gte=lo, finished_at__lt=hi)
    agg = qs.aggregate(
        carried_over=Count("pk", filter=Q(accepted_at__lt=lo) & (Q(finished_at__isnull=True) | Q(finished_at__gte=lo))),
        new_total=Count("pk", filter=new),
        new_counter=Count("pk", filter=new & Q(channel=Channel.COUNTER)),
        new_online=Count("pk", filter=new & Q(channel=Channel.ONLINE)),
        new_postal=Count("pk", filter=new & Q(channel=Channel.POSTAL)),
        finished_total=Count("pk", filter=finished),
        finished_early=Count("pk", filter=finished & Q(timeliness=Timeliness.EARLY)),
        finished_on_time=Count("pk", filter=finished & Q(timeliness=Timeliness.ON_TIME)),
        finished_late=Count("pk", filter=finished & Q(timeliness=Timeliness.LATE)),
        finished_late_766=Count("pk", filter=finished & late_766_q()),
        processing_within=Count("pk", filter=open_at_end & Q(paused_at_end=False) & Q(due_at__gte=ref)),
        processing_late=Count("pk", filter=open_at_end & Q(paused_at_end=False) & Q(due_at__lt=ref)),
        paused=Count("pk", filter=open_at_end & Q(paused_at_end=True)),
        refused=Count("pk", filter=in_period & Q(status="refused")),
        withdrawn=Count("pk", filter=in_period & Q(status="withdrawn")),
        stopped=Count("pk", filter=in_period & Q(status="stopped")),
    )
    return {
        "received": {
            "carried_over": agg["carried_over"],
            "total": agg["new_total"],
            "by_channel": {"counter": agg["new_counter"], "online": agg["new_online"], "postal": agg["new_postal"]},
        },
        "finished": {
            "total": agg["finished_total"],
            "early": agg["finished_early"],
            "on_time": agg["finished_on_time"],
            "late": agg["finished_late"],
            "late_766": agg["finished_late_766"],
        },
        "processing": {"within_deadline": agg["processing_within"], "past_deadline": agg["processing_late"]},
        "paused": agg["paused"],
        "refused": agg["refused"],
        "withdrawn": agg["withdrawn"],
        "stopped": agg["stopped"],
    }
