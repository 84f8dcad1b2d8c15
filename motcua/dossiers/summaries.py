"""Monthly summaries kept exact (issue 20 item 5; docs/index766.md "Summaries"): the statistics table
(statistics.py) and the Decision 766 index (reports/index766/summary.py) read the closed calendar months of a
month-aligned period from rows holding each agency-month's figures, and compute the current month live.

The rows are filled by the very code the raw path runs, for one month and every agency asked at once; this module
only decides which agency-months must be (re)computed before a read, and records when they were:

- an agency-month never computed is computed;
- an agency-month is stale when a dossier of the agency was written (`Dossier.updated_at`, set by every dossier
  service, the plain-INSERT intake included) after the month was computed and was received before the month's end
  (a dossier received later cannot count in it). One indexed query (`dossier_agency_updated`) per read tells;
- `computed_at` is the moment the computation started minus the margin (`MOTCUA_SUMMARY_MARGIN_SECONDS`, 10 s by
  default), so a dossier written by a transaction that had not committed when the month was read (its
  `updated_at` is set before its commit) is found again at the next read; a writing transaction longer than the
  margin is the one case a read may miss until that dossier's next write or `refresh_summaries`.

A month is always computed on the primary (core.replica.on_primary); a lag-tolerant read may read the marks and the
rows from the replica, as lagging as the raw path's reads there. So a change to a dossier moves the figures of the
next read at once. Bulk loads (the generator, imports) and the
deletion of dossiers (archive_year) do not go through the services: after them, `manage.py refresh_summaries`."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from motcua.core.replica import on_primary

from .models import Dossier, SummaryMonth


def margin() -> timedelta:
    return timedelta(seconds=settings.MOTCUA_SUMMARY_MARGIN_SECONDS)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def next_month(month: date) -> date:
    return month_end(month) + timedelta(days=1)


def bounds(month: date) -> tuple[datetime, datetime]:
    """[first moment of the month, first moment of the next) in local time, as the periods' lo and hi."""
    return (
        timezone.make_aware(datetime.combine(month, time.min)),
        timezone.make_aware(datetime.combine(next_month(month), time.min)),
    )


def months_between(first: date, last: date) -> list[date]:
    """The first days of the months from `first`'s to `last`'s, both included."""
    out, m = [], month_start(first)
    while m <= last:
        out.append(m)
        m = next_month(m)
    return out


def closed_months(start: date, end: date, now: datetime) -> list[date]:
    """The months of a month-aligned window [start, end] that are over at `now` (the summaries hold only those);
    [] when the window does not start on a first day or end on a last day, or no month of it is over."""
    if start.day != 1 or end != month_end(end):
        return []
    current = month_start(timezone.localtime(now).date())
    return [m for m in months_between(start, end) if m < current]


def ensure_fresh(
    summary: str,
    agency_ids: Iterable[int],
    months: list[date],
    refresh: Callable[[date, list[int]], None],
    *,
    also_changed: Callable[[datetime], bool] | None = None,
) -> int:
    """(Re)compute, with `refresh(month, agency_ids)` (which replaces the summary's rows of those agencies for the
    month), every agency-month of `agency_ids` × `months` never computed or stale (module doc). `also_changed(since)`:
    whether something besides the dossiers that the summary reads changed since (then every month is stale).
    Returns the number of agency-months recomputed."""
    ids = sorted(set(agency_ids))
    if not ids or not months:
        return 0
    marks = {
        (a, m): at
        for a, m, at in SummaryMonth.objects.filter(summary=summary, agency_id__in=ids, month__in=months).values_list(
            "agency_id", "month", "computed_at"
        )
    }
    oldest = min(marks.values(), default=timezone.now())
    changed = {
        r["agency_id"]: (r["first"], r["last"])
        for r in Dossier.objects.filter(agency_id__in=ids, updated_at__gt=oldest)
        .order_by()
        .values("agency_id")
        .annotate(first=Min("received_at"), last=Max("updated_at"))
    }
    everything = also_changed is not None and also_changed(oldest)
    todo: dict[date, list[int]] = {}
    for m in months:
        hi = bounds(m)[1]
        for a in ids:
            at = marks.get((a, m))
            seen = changed.get(a)
            if at is None or everything or (seen is not None and seen[1] > at and seen[0] < hi):
                todo.setdefault(m, []).append(a)
    for m, agencies in todo.items():
        refresh_month(summary, m, agencies, refresh)
    return sum(len(a) for a in todo.values())


def refresh_month(summary: str, month: date, agency_ids: list[int], refresh: Callable[[date, list[int]], None]) -> None:
    """Recompute one month of the agencies and mark it computed, in one transaction. Two readers refreshing the
    same agency-month at once: the second one's marks collide with the first's, and the first one's rows stand."""
    computed_at = timezone.now() - margin()
    try:
        # Computed from the primary even inside a lag-tolerant read (core.replica): marked computed at this moment,
        # the month must count every change committed before it, not a lagging replica's view.
        with on_primary(), transaction.atomic():
            if connection.vendor == "postgresql":
                # The month's few aggregates run once: compiling them (JIT) took a third of their time at 10 million
                # dossiers (docs/benchmarks.md), so not for this transaction.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL jit = off")
            refresh(month, agency_ids)
            SummaryMonth.objects.filter(summary=summary, agency_id__in=agency_ids, month=month).delete()
            SummaryMonth.objects.bulk_create(
                [SummaryMonth(summary=summary, agency_id=a, month=month, computed_at=computed_at) for a in agency_ids]
            )
    except IntegrityError:
        pass  # another process computed the same agency-month at the same time; its rows are as fresh


def forget(summary: str | None = None, *, agency_ids: Iterable[int] | None = None) -> int:
    """Drop the marks (of one summary, of some agencies): the next read recomputes those months. Used after
    writes that bypass the services (bulk loads, archive_year's deletions)."""
    qs = SummaryMonth.objects.all()
    if summary:
        qs = qs.filter(summary=summary)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    return qs.delete()[0]
