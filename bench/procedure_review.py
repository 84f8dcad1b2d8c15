"""Cost of the review ranking (issue 22): `review.selectors.agency_review_json`, what `manage.py procedure_review`
prints, on an existing database (the demo, or a generated one). The figure is the median of --runs in one
process (Django's start-up excluded), with the number of queries of the last run.

Usage:  DATABASE_URL=sqlite:////tmp/demo.sqlite3 DEBUG=1 \\
        .venv/bin/python bench/procedure_review.py --agency BQL --year 2021 [--runs 5]
Prints the figures (nothing written: record them in docs/review.md with the date).
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agency", required=True)
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.core.models import Agency
    from motcua.review.selectors import agency_review_json

    agency = Agency.objects.get(short_name=args.agency)
    samples, queries, procedures = [], 0, 0
    for _ in range(args.runs):
        with CaptureQueriesContext(connection) as q:
            started = time.perf_counter()
            data = agency_review_json(agency=agency, year=args.year)
            samples.append(time.perf_counter() - started)
        queries, procedures = len(q), len(data["procedures"])
    print(
        f"agency_review_json {args.agency} {args.year} on {connection.vendor}: {procedures} procedures, "
        f"median {statistics.median(samples):.3f} s over {args.runs} runs, {queries} queries"
    )


if __name__ == "__main__":
    main()
