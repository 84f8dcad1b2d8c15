"""Cost of the Decision 766 dashboards (issue 20 item 3) and the periodic form (item 4) on an existing database
(the demo, or a generated one): the province office's monthly history of a year, the ranking of every agency for the
year, 12 months × every agency, and the periodic form of the year with its XLSX and DOCX. Each figure is the median of
--runs, with the number of queries (the queries do not depend on the records: see docs/index766.md). Besides them, in
the same run, the time of one plain `SELECT 1` round trip (the machine's and the database's latency at that moment).

Usage:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db with seed_demo> DEBUG=1 \\
        .venv/bin/python bench/index766_dashboards.py [--year 2026] [--runs 3]
Prints the figures (nothing written: record them in docs/index766.md with the date and the load average).
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


def measure(label: str, func, runs: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as q:
            started = time.perf_counter()
            func()
            samples.append(time.perf_counter() - started)
        queries = len(q)
    print(f"{label}: median {statistics.median(samples):.3f} s over {runs} runs, {queries} queries")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=None)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from motcua.core.models import Agency
    from motcua.core.selectors import agency_tree, province_office
    from motcua.dossiers.models import Dossier
    from motcua.reports.index766.history import monthly_history, province_ranking
    from motcua.reports.index766.periods import parse_period
    from motcua.reports.periodic import periodic_report, report_file

    year = args.year or timezone.localdate().year
    top = province_office()
    agencies = [a for a, _depth in agency_tree()]
    print(f"{connection.vendor}, {Agency.objects.count()} agencies, {Dossier.objects.count()} dossiers, year {year}")
    print(f"load average {os.getloadavg()}")

    def select_one():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    measure("baseline SELECT 1", select_one, max(args.runs, 10))
    measure(f"history of {top.short_name}", lambda: monthly_history(agency=top, year=year), args.runs)
    period = parse_period(str(year))
    measure(f"ranking of {len(agencies)} agencies", lambda: province_ranking(agencies=agencies, period=period), args.runs)
    measure(f"12 months x {len(agencies)} agencies", lambda: [monthly_history(agency=a, year=year) for a in agencies], 1)

    def form():
        report = periodic_report(agency=top, period=period)
        report_file(report, "xlsx")
        report_file(report, "docx")

    measure("periodic form + XLSX + DOCX", form, args.runs)


if __name__ == "__main__":
    main()
