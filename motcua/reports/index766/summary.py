"""The Decision 766 index's monthly summary (issue 20 item 5; docs/index766.md "Summaries").

`IndexMonth` holds, per agency (not rolled up), calendar month and procedure version, each FLOW and SNAPSHOT rule's
counts (rules.SUMMARY_KIND), measured by the rules' own code (`measure.measure_grouped`) over a one-month Slice. A
period's closed months are read from it: a FLOW rule's counts summed over them, a SNAPSHOT rule's those of the last
one; the current month (and whatever follows it in the period) is measured live over the rest of the period, and
the LIVE rules (the catalogue's, PAKN, ratings) over the whole period, as before. Freshness: dossiers.summaries
(a dossier written since a month was computed makes it recomputed before the read), plus the catalogue: a procedure
version written since then (its online class decides `dossiers_online`'s base) makes every month recomputed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from time import perf_counter

from django.db.models import Q, Sum

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers import statistics, summaries
from motcua.dossiers.summaries import bounds, closed_months, ensure_fresh, month_end, next_month

from .measure import measure_all, measure_grouped
from .models import IndexMonth
from .rules import FLOW, RULES, SNAPSHOT, Slice, summary_kind

SUMMARY = "index766"  # its name in dossiers.summaries
SUMMARISED = [r for r in RULES if summary_kind(r)]


def _catalog_changed(since) -> bool:
    return ProcedureVersion.objects.filter(updated_at__gt=since).exists()


def refresh_month(month: date, agency_ids: list[int]) -> None:
    """The summary's rows of one closed month for the agencies (each on its own: not rolled up)."""
    lo, hi = bounds(month)
    s = Slice(agency_ids=frozenset(agency_ids), start=month, end=month_end(month), lo=lo, hi=hi, now=hi)
    counted = measure_grouped(SUMMARISED, s, ("agency_id", "procedure_version_id"))
    IndexMonth.objects.filter(month=month, agency_id__in=agency_ids).delete()
    IndexMonth.objects.bulk_create(
        [
            IndexMonth(agency_id=a, month=month, procedure_version_id=v, code=code, total=c["total"], earned=c["earned"])
            for (a, v), codes in counted.items()
            for code, c in codes.items()
            if c["total"]
        ],
        batch_size=2000,
    )


def ensure(agency_ids, months: list[date]) -> int:
    """Recompute the agency-months of the summary that are missing or stale (dossiers.summaries.ensure_fresh)."""
    return ensure_fresh(SUMMARY, agency_ids, months, refresh_month, also_changed=_catalog_changed)


def measure(rules, s: Slice) -> dict[str, dict[str, int]]:
    """measure_all(rules, s), reading the summary for the period's closed months (module doc)."""
    closed = closed_months(s.start, s.end, s.now)
    kept = [r for r in rules if summary_kind(r)]
    if not closed or not kept:
        return measure_all(rules, s)
    out = measure_all([r for r in rules if not summary_kind(r)], s)
    ensure(s.agency_ids, closed)
    rows = IndexMonth.objects.filter(agency_id__in=sorted(s.agency_ids), month__gte=closed[0], month__lte=closed[-1])
    if s.field:
        rows = rows.filter(procedure_version__field__code=s.field)
    if s.procedure:
        rows = rows.filter(procedure_version__procedure__code=s.procedure)
    flows = [r.code for r in kept if summary_kind(r) == FLOW]
    snapshots = [r.code for r in kept if summary_kind(r) == SNAPSHOT]
    rest_start = next_month(closed[-1])
    rest = None
    if rest_start <= s.end:
        rest = measure_all(kept, replace(s, start=rest_start, lo=bounds(rest_start)[0]))
    # One query: the flows summed over the closed months, the snapshots of the last one (unless the rest has them).
    wanted = Q(code__in=flows) | (Q(code__in=snapshots, month=closed[-1]) if rest is None else Q(pk__in=[]))
    counted = {r.code: {"total": 0, "earned": 0} for r in kept}
    for row in rows.filter(wanted).order_by().values("code").annotate(total=Sum("total"), earned=Sum("earned")):
        counted[row["code"]] = {"total": row["total"], "earned": row["earned"]}
    if rest is not None:
        for code in flows:
            counted[code] = {k: counted[code][k] + rest[code][k] for k in ("total", "earned")}
        for code in snapshots:
            counted[code] = rest[code]
    out.update(counted)
    return out


SUMMARIES = {statistics.SUMMARY: statistics.refresh_month, SUMMARY: refresh_month}


def rebuild(*, agency_ids: list[int], months: list[date], only: str | None = None, stdout=None) -> dict[str, float]:
    """Recompute both monthly summaries (the statistics table's and this one; or `only` one of them) for every month
    given, whatever their marks say (`manage.py refresh_summaries`: after a bulk load, or to build them at once
    instead of at first read). Returns the seconds each took."""
    chosen = {k: v for k, v in SUMMARIES.items() if only in (None, k)}
    spent = {name: 0.0 for name in chosen}
    for month in months:
        for name, refresh in chosen.items():
            started = perf_counter()
            summaries.refresh_month(name, month, agency_ids, refresh)
            spent[name] += perf_counter() - started
        if stdout is not None:
            stdout.write(f"{month:%Y-%m}: {', '.join(f'{k} {v:.1f} s' for k, v in spent.items())} (cumulative)")
    return spent
