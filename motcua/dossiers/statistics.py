"""The statistics table of the one-stop desk: received, finished, processing, paused and otherwise closed dossiers of
a period, grouped by agency, field or procedure (docs/desk.md). It lives with the dossiers (moved from
`desk/selectors/statistics.py`, which re-exports it) so that the desk and the reports' periodic forms
(docs/periodic-reports.md) read the one table: the desk and the reports may not import each other."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone

from motcua.catalog.models import Field, ProcedureVersion
from motcua.core.errors import NotFoundError
from motcua.core.models import Agency
from motcua.core.selectors import agency_descendant_ids
from motcua.core.text import normalize

from .models import FINISHED_STATUSES, Channel, Dossier, Pause, StatMonth, Timeliness
from .summaries import bounds, closed_months, ensure_fresh, next_month


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in local time: the period includes both dates."""
    if end < start:
        raise NotFoundError("Kỳ báo cáo không hợp lệ: ngày kết thúc trước ngày bắt đầu.")
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


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


# The per-(agency, procedure version) figures of a window, as `window_figures` returns them: the flows of the window
# (summed over months), the dossiers carried over at its start, the open and paused ones at its end.
FLOW_FIELDS = [
    "new_total",
    "new_online",
    "new_counter",
    "new_postal",
    "finished_total",
    "finished_early",
    "finished_on_time",
    "finished_late",
    "finished_late_766",
    "closed_other",
]
START_FIELDS = ["carried_over"]
END_FIELDS = ["processing_within", "processing_late", "paused"]
FIGURES = START_FIELDS + FLOW_FIELDS + END_FIELDS
SUMMARY = "statistics"  # its name in dossiers.summaries


def statistics_table(
    *,
    agency: Agency | None,
    start: date,
    end: date,
    group_by=("field", "procedure"),
    now: datetime | None = None,
    summary: bool = True,
) -> StatisticsTable:
    """Received (carried over / new by channel), finished (early / on time / late), still processing
    (within / past the appointment), paused, and otherwise closed — for [start, end], grouped by any of
    agency, field, procedure.

    Definitions (docs/desk.md): a dossier is received when accepted (accepted_at); it ends at
    finished_at (decision, refusal, withdrawal or stop). Carried over: accepted before the period and not
    ended before it. Open at the end of the period: paused when a pause covers that moment, else
    past deadline when its appointment is before min(end of period, now). The figures balance:
    carried_over + new = finished + processing + paused + closed_other.

    A month-aligned window (a month, quarter, year: the desk's and the periodic form's usual periods) reads its
    closed months from the monthly summary (`StatMonth`, kept exact by dossiers.summaries) and computes the
    current month live; any other window, or `summary=False`, is counted from the dossiers (`window_figures`)."""
    group_by = tuple(group_by)
    unknown = [g for g in group_by if g not in GROUP_KEYS]
    if unknown:
        raise NotFoundError(f"Không nhóm được theo: {', '.join(unknown)}")
    start_dt, end_dt = period_bounds(start, end)
    now = now or timezone.now()
    as_of = min(end_dt, now)
    # An agency's figures include the agencies below it (a province's, every department and commune).
    agency_ids = None if agency is None else sorted(agency_descendant_ids(agency))
    closed = closed_months(start, end, now) if summary else []
    if closed:
        data = _summarised_figures(agency_ids, closed, end, end_dt, as_of)
    else:
        data = window_figures(agency_ids=agency_ids, start_dt=start_dt, end_dt=end_dt, as_of=as_of)
    version_keys = {
        pk: {"agency": None, "field": field_id, "procedure": procedure_id}
        for pk, field_id, procedure_id in ProcedureVersion.objects.filter(pk__in={v for _a, v in data}).values_list(
            "pk", "field_id", "procedure_id"
        )
    }
    grouped: dict[tuple, dict[str, int]] = {}
    for (agency_id, version_id), item in data.items():
        ids = dict(version_keys[version_id], agency=agency_id)
        key = tuple(ids[g] for g in group_by)
        acc = grouped.setdefault(key, {k: 0 for k in FIGURES})
        for k in FIGURES:
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


def window_figures(
    *, agency_ids: list[int] | None, start_dt: datetime, end_dt: datetime, as_of: datetime
) -> dict[tuple[int, int], dict[str, int]]:
    """{(agency id, procedure version id): FIGURES} of the window [start_dt, end_dt), counted from the dossiers: one
    conditional aggregation, grouped by the dossier's own columns (agency, procedure version) so that the dossier
    table is scanned once without joins or per-row subqueries, and a second query counting the open dossiers a pause
    covers at the end of the window. Only the keys with a dossier received (carried over or new) appear."""
    accepted_before_end = Q(accepted_at__isnull=False, accepted_at__lt=end_dt)
    not_ended_before_start = Q(finished_at__isnull=True) | Q(finished_at__gte=start_dt)
    qs = Dossier.objects.filter(accepted_before_end & not_ended_before_start)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
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
    data = {
        (r.pop("agency_id"), r.pop("procedure_version_id")): dict(r, paused=0)
        for r in qs.order_by().values("agency_id", "procedure_version_id").annotate(**aggregates)
    }
    pause_cover = Pause.objects.filter(started_at__lt=end_dt).filter(Q(ended_at__isnull=True) | Q(ended_at__gte=end_dt))
    paused_rows = (
        qs.filter(open_at_end, pk__in=pause_cover.values("dossier_id"))
        .order_by()
        .values("agency_id", "procedure_version_id")
        .annotate(paused=Count("pk"), paused_within=Count("pk", filter=within), paused_past=Count("pk", filter=past))
    )
    for p in paused_rows:
        item = data[(p["agency_id"], p["procedure_version_id"])]
        item["paused"] = p["paused"]
        item["processing_within"] -= p["paused_within"]
        item["processing_late"] -= p["paused_past"]
    return data


def refresh_month(month: date, agency_ids: list[int]) -> None:
    """The summary's rows of one closed month for the agencies: `window_figures` of the month, judged at its end."""
    lo, hi = bounds(month)
    rows = window_figures(agency_ids=agency_ids, start_dt=lo, end_dt=hi, as_of=hi)
    StatMonth.objects.filter(month=month, agency_id__in=agency_ids).delete()
    StatMonth.objects.bulk_create(
        [StatMonth(agency_id=a, month=month, procedure_version_id=v, **values) for (a, v), values in rows.items()],
        batch_size=1000,
    )


def _summarised_figures(
    agency_ids: list[int] | None, closed: list[date], end: date, end_dt: datetime, as_of: datetime
) -> dict[tuple[int, int], dict[str, int]]:
    """`window_figures` of [closed[0], end] from the summary's closed months and the rest counted live: the flows
    summed, the carried over of the first month, the open and paused of the last month (or of the live rest)."""
    ids = agency_ids if agency_ids is not None else list(Agency.objects.values_list("pk", flat=True))
    ensure_fresh(SUMMARY, ids, closed, refresh_month)
    rows = StatMonth.objects.filter(agency_id__in=ids, month__gte=closed[0], month__lte=closed[-1]).order_by()
    data: dict[tuple[int, int], dict[str, int]] = {}
    for r in rows.values("agency_id", "procedure_version_id").annotate(**{k: Sum(k) for k in FLOW_FIELDS}):
        data[(r.pop("agency_id"), r.pop("procedure_version_id"))] = dict(r, **{k: 0 for k in START_FIELDS + END_FIELDS})
    for r in rows.filter(month=closed[0]).values("agency_id", "procedure_version_id", *START_FIELDS):
        data[(r.pop("agency_id"), r.pop("procedure_version_id"))].update(r)
    rest_start = next_month(closed[-1])
    if rest_start <= end:
        rest_dt = bounds(rest_start)[0]
        live = window_figures(agency_ids=ids, start_dt=rest_dt, end_dt=end_dt, as_of=as_of)
        for key, values in live.items():
            item = data.setdefault(key, {k: 0 for k in FIGURES})
            for k in FLOW_FIELDS + END_FIELDS:
                item[k] += values[k]
    else:
        for r in rows.filter(month=closed[-1]).values("agency_id", "procedure_version_id", *END_FIELDS):
            data[(r.pop("agency_id"), r.pop("procedure_version_id"))].update(r)
    # As counted from the dossiers: only the keys with a dossier received in the window.
    return {key: v for key, v in data.items() if v["carried_over"] + v["new_total"]}


def _group_labels(group_by: tuple[str, ...], keys: list[tuple]) -> dict[str, dict]:
    labels: dict[str, dict] = defaultdict(dict)
    ids = {g: {key[i] for key in keys} for i, g in enumerate(group_by)}
    if "agency" in group_by:
        labels["agency"] = dict(Agency.objects.filter(pk__in=ids["agency"]).values_list("pk", "name"))
    if "field" in group_by:
        labels["field"] = dict(Field.objects.filter(pk__in=ids["field"]).values_list("pk", "name"))
    if "procedure" in group_by:
        for pid, code, name in (
            ProcedureVersion.objects.filter(procedure_id__in=ids["procedure"])
            .order_by("procedure_id", "number")
            .values_list("procedure_id", "procedure__code", "name")
        ):
            labels["procedure"][pid] = f"{code} — {name}"  # the newest version's name wins
    return labels
