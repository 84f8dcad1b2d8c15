"""The Decision 766 index, the statistics table and the periodic form over a large database (issue 20 item 5): each
read through the monthly summaries beside the naive computation of the same run (the same code counting every
record: `use_summary=False` / `summary=False`), for a province's year (the province office, rolled up) and for one
agency's year. Medians over --runs, with the number of queries, the latency of one `SELECT 1` and the load average
measured in the same run. Writes nothing but the summaries' own tables (the summaries are built for the months read
when missing; `--rebuild` rebuilds the year's months first and times it).

Usage:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_10m DEBUG=1 \\
        .venv/bin/python bench/index766_scale.py [--year 2025] [--runs 3] [--agency SHORT] [--rebuild]
Prints the figures (record them in bench/results/ and docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")


def measure(label: str, func, runs: int) -> float:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as q:
            started = time.perf_counter()
            func()
            samples.append(time.perf_counter() - started)
        queries = len(q)
    median = statistics.median(samples)
    shown = ", ".join(f"{s:.3f}" for s in samples)
    print(f"| {label} | {median:.3f} s | {shown} | {queries} |", flush=True)
    return median


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--agency", default=None, help="the one agency (short name); default: the busiest leaf")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the year's summary months first (timed)")
    parser.add_argument("--parts", default="index,stats,form,change", help="which scenarios (comma-separated)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from motcua.core.models import Agency
    from motcua.core.selectors import agency_descendant_ids, province_office
    from motcua.dossiers.models import Dossier, SummaryMonth
    from motcua.dossiers.statistics import statistics_table
    from motcua.dossiers.summaries import months_between
    from motcua.reports.index766.engine import compute
    from motcua.reports.index766.periods import parse_period
    from motcua.reports.index766.summary import rebuild
    from motcua.reports.periodic import periodic_report, report_file

    year, runs, parts = args.year, args.runs, set(args.parts.split(","))
    period = parse_period(str(year))
    top = province_office()
    if args.agency:
        one = Agency.objects.get(short_name=args.agency)
    else:
        busiest = (
            Dossier.objects.filter(received_at__year=year).values("agency_id").annotate(n=Count("pk")).order_by("-n").first()
        )
        one = Agency.objects.get(pk=busiest["agency_id"]) if busiest else top
    print(
        f"{connection.vendor}, {Agency.objects.count()} agencies, {Dossier.objects.count()} dossiers "
        f"({Dossier.objects.filter(received_at__year=year).count()} received in {year}), "
        f"now {timezone.localtime():%Y-%m-%d %H:%M}"
    )
    print(f"province: {top.short_name} ({len(agency_descendant_ids(top))} agencies rolled up); one agency: {one.short_name}")
    print(f"load average before: {os.getloadavg()}")
    months = [m for m in months_between(period.start, period.end) if m < timezone.localdate().replace(day=1)]
    if args.rebuild:
        ids = list(Agency.objects.values_list("pk", flat=True))
        started = time.perf_counter()
        spent = rebuild(agency_ids=ids, months=months)
        print(
            f"rebuild of {len(months)} months × {len(ids)} agencies: {time.perf_counter() - started:.1f} s "
            f"(statistics {spent['statistics']:.1f} s, index {spent['index766']:.1f} s)"
        )

    def select_one():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    print()
    print("| scenario | median | runs | queries |")
    print("|---|---|---|---|")
    measure("baseline SELECT 1", select_one, max(runs, 10))
    results = {}
    start, end = period.start, period.end
    group_by = ("field", "procedure")
    for who, agency in (("province", top), ("agency", one)):
        if "index" in parts:
            results[who, "index", "summary"] = measure(
                f"index {agency.short_name} {year} — summary", lambda a=agency: compute(agency=a, period=period), runs
            )
            results[who, "index", "naive"] = measure(
                f"index {agency.short_name} {year} — naive",
                lambda a=agency: compute(agency=a, period=period, use_summary=False),
                runs,
            )
        if "stats" in parts:
            results[who, "stats", "summary"] = measure(
                f"statistics by field, procedure {agency.short_name} {year} — summary",
                lambda a=agency: statistics_table(agency=a, start=start, end=end, group_by=group_by),
                runs,
            )
            results[who, "stats", "naive"] = measure(
                f"statistics by field, procedure {agency.short_name} {year} — naive",
                lambda a=agency: statistics_table(agency=a, start=start, end=end, group_by=group_by, summary=False),
                runs,
            )
    if "form" in parts:
        results["form", "summary"] = measure(
            f"periodic form {top.short_name} {year} — summary", lambda: periodic_report(agency=top, period=period), runs
        )
        results["form", "naive"] = measure(
            f"periodic form {top.short_name} {year} — naive",
            lambda: periodic_report(agency=top, period=period, summary=False),
            runs,
        )
        measure(
            f"periodic form {top.short_name} {year} + XLSX + DOCX — summary",
            lambda: [report_file(periodic_report(agency=top, period=period), fmt) for fmt in ("xlsx", "docx")],
            runs,
        )

    # A read right after one dossier of the agency changed: its agency-month is recomputed first. Simulated by
    # dropping the marks of the agency's last closed month of the year (the summaries' own rows only: no dossier is
    # written here), which makes the next read recompute exactly what a change to a dossier of that month would.
    last = months[-1]
    names = [n for n, part in (("index766", "index"), ("statistics", "stats")) if part in parts]

    def after_change():
        SummaryMonth.objects.filter(agency=one, month=last, summary__in=names).delete()
        if "index" in parts:
            compute(agency=one, period=period)
        if "stats" in parts:
            statistics_table(agency=one, start=start, end=end, group_by=group_by)

    if "change" in parts:
        measure(f"{' + '.join(names)} {one.short_name} {year} after a change in {last:%Y-%m}", after_change, runs)
    print()
    for key in sorted(k for k in results if k[-1] == "summary"):
        s, n = results[key], results[(*key[:-1], "naive")]
        print(f"{' '.join(key[:-1])}: summary {s:.3f} s vs naive {n:.3f} s = {s / n:.3f} × naive")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
