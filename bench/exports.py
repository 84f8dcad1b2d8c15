"""Register and tracking-book exports (XLSX): the time to write the file next to the time to fetch the same
rows and build the same cell values without a spreadsheet (the same-run baseline), on generated data.

Usage:  .venv/bin/python bench/exports.py [--rows 10000] [--dossiers 10000] [--runs 3] [--no-write]
        DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python bench/exports.py

The data goes into a throwaway test database (SQLite in memory by default; with DATABASE_URL, Django's
test_<name> database, dropped at the end). Writes bench/results/exports-<date>.txt unless --no-write.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.test_settings")


def _timed(func, runs: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = func()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), result


def _registers(n: int):
    from zoneinfo import ZoneInfo

    from motcua.core import demo as core_demo
    from motcua.core.models import Unit
    from motcua.documents.models import DocumentType, IncomingDocument, Register, RegisterKind

    agency = core_demo.seed()
    register = Register.objects.create(agency=agency, kind=RegisterKind.INCOMING, name="Sổ văn bản đến (bench)")
    units = list(Unit.objects.filter(agency=agency))
    types = list(DocumentType.objects.all())
    vn = ZoneInfo("Asia/Ho_Chi_Minh")
    start = datetime(2021, 1, 4, 8, 0, tzinfo=vn)
    docs = [
        IncomingDocument(
            register=register,
            year=2021,
            number=i + 1,
            received_at=start + timedelta(minutes=50 * i),
            sender=f"Sở Kế hoạch và Đầu tư {i % 17}",
            sender_symbol=f"{i + 1}/SKHĐT-ĐKKD",
            sender_date=date(2021, 1, 1) + timedelta(days=i % 360),
            doc_type=types[i % len(types)],
            summary=f"V/v góp ý hồ sơ dự án đầu tư số {i + 1} tại Khu công nghiệp",
            is_electronic=i % 3 != 0,
            lead_unit=units[i % len(units)],
        )
        for i in range(n)
    ]
    IncomingDocument.objects.bulk_create(docs, batch_size=2000)
    through = IncomingDocument.coordinating_units.through
    made = IncomingDocument.objects.filter(register=register).values_list("pk", flat=True)
    through.objects.bulk_create(
        [through(incomingdocument_id=pk, unit_id=units[(pk + 1) % len(units)].pk) for pk in made if pk % 2 == 0], batch_size=2000
    )
    return register


def _register_values(register) -> int:
    """The baseline: the export's rows and cell values (the same function), without the spreadsheet."""
    from motcua.documents.exports import register_book_values

    return sum(1 for _ in register_book_values(register=register, year=2021))


def _register_file(register) -> int:
    from motcua.core import xlsx
    from motcua.documents.exports import register_book

    return len(xlsx.to_bytes(register_book(register=register, year=2021)))


def _bench_register(args) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    register = _registers(args.rows)
    base, rows = _timed(lambda: _register_values(register), args.runs)
    export, size = _timed(lambda: _register_file(register), args.runs)
    with CaptureQueriesContext(connection) as captured:
        _register_file(register)
    return (
        f"incoming register, {rows:,} rows: export {export:.2f} s ({size / 1024:.0f} KiB, "
        f"{len(captured.captured_queries)} queries); baseline (same rows and values, no XLSX) {base:.2f} s"
    )


def _bench_book(args) -> str:
    from motcua.catalog import demo as catalog_demo
    from motcua.core import xlsx
    from motcua.core.models import Agency
    from motcua.desk import exports as desk_exports
    from motcua.desk import selectors as desk_selectors
    from motcua.dossiers.generate import generate_dossiers

    agency = Agency.objects.order_by("id").first()
    catalog_demo.seed(agency=agency, stdout=io.StringIO())
    generate_dossiers(agency=agency, count=args.dossiers, years=[2021], seed=2021, events=False)
    start, end = date(2021, 1, 1), date(2021, 12, 31)
    base, sections = _timed(lambda: desk_selectors.tracking_book(agency=agency, start=start, end=end), args.runs)

    def book_file():
        found = desk_selectors.tracking_book(agency=agency, start=start, end=end)
        return len(xlsx.to_bytes(desk_exports.book(found, agency_name=agency.name, start=start, end=end)))

    export, size = _timed(book_file, args.runs)
    n = sum(len(s.rows) for s in sections)
    return (
        f"tracking book (BM.06), {n:,} dossiers in {len(sections)} fields: export {export:.2f} s "
        f"({size / 1024:.0f} KiB); baseline (the book's selector alone) {base:.2f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000, help="incoming documents in the register")
    parser.add_argument("--dossiers", type=int, default=10_000, help="dossiers in the tracking book's year")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    lines = []
    try:
        lines.append(_bench_register(args))
        print(lines[-1], flush=True)
        if args.dossiers:
            lines.append(_bench_book(args))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    header = (
        f"# exports — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {connection.vendor}, {platform.python_version()}, "
        f"load {os.getloadavg()[0]:.2f}, median of {args.runs} runs"
    )
    report = "\n".join([header, *lines])
    print(report)
    if not args.no_write:
        out = ROOT / "bench" / "results" / f"exports-{date.today():%Y-%m-%d}.txt"
        with out.open("a") as fh:
            fh.write(report + "\n\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
