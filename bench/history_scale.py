#!/usr/bin/env python3
"""History that stays fast (issue 21 item 3): the hot paths and the maintenance measured on the 10,000,000-dossier
bench database that bench/amplify.py builds, to decide whether the dossier, event, step and audit tables need
partitioning by year.

Usage:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_10m \\
        .venv/bin/python bench/history_scale.py [--runs 30] [--parts sizes,hot,vacuum,index,archive] \\
        [--paths api,page,lookup,worklist,worklist-mine,timeline,intake,audit] [--with-events] \\
        [--vacuum-tables dossiers_dossier,...] [--archive-agency H15.12] [--archive-year 2018] [--province-archive]

Prints, in one run (markdown, to paste into bench/results/): the machine's state (a `SELECT 1` round trip, the load
average), each big table's rows and size (`pg_total_relation_size`), then
- hot paths, each the median (and p90) ms of --runs calls on different dossiers picked at random over the ten
  years, and the plan of every statement of one call (EXPLAIN (ANALYZE, BUFFERS) of each SELECT it ran: node types,
  indexes, buffers; a sequential scan of a big table is flagged): the API read by code (`GET /api/v1/dossiers/{code}/`
  through Django's test client, as a one-stop officer), the staff dossier page, the public lookup
  (`portal.selectors.dossier_lookup` + `dossier_public_view`), the officer's worklist page (`/mot-cua/viec/`), the
  timeline (`dossier_timeline`), one counter intake through `dossier_receive` and one audit append through
  `audit_record` (each in a transaction rolled back: the shared database keeps its rows);
- maintenance (--parts vacuum,index,archive): per big table the UPDATE of 1 % of its rows (a column set to its own
  value: the data stays the same, the rows get new versions) and the VACUUM (not FULL) after it; the audit log is
  append-only (a trigger refuses UPDATE), so its VACUUM follows no update; CREATE INDEX CONCURRENTLY of a typical
  index on events and on dossiers (dropped after); the index builds bench/amplify.py timed (bench_amplify_index);
  the year's archive (`dossiers.archive.write_archive`) of one agency and, with --province-archive, of the whole
  province, and the purge of that year (`dossiers.archive.purge`) INSIDE A TRANSACTION ROLLED BACK: the statements
  run and are timed, nothing is deleted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/motcua_10m")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-history-scale-" + "x" * 40)
os.environ.setdefault("AUDIT_HMAC_KEY", "bench-history-scale-audit-" + "x" * 40)
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
os.environ.setdefault("LOG_LEVEL", "WARNING")

BIG_TABLES = (
    "dossiers_dossier",
    "dossiers_dossierstep",
    "dossiers_pause",
    "dossiers_supplementrequest",
    "dossiers_extension",
    "dossiers_dossierevent",
    "core_auditlog",
)
# Tables whose sequential scan in a hot path is a finding (the rest are small reference tables).
FLAGGED = set(BIG_TABLES) | {"feedback_satisfactionrating", "dossiers_dossierfile", "dossiers_receivedpaper"}


class Rollback(Exception):
    pass


def out(line: str = "") -> None:
    print(line, flush=True)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def select1(runs: int = 20) -> float:
    from django.db import connection

    samples = []
    with connection.cursor() as cur:
        for _ in range(runs):
            t0 = time.perf_counter()
            cur.execute("SELECT 1")
            cur.fetchone()
            samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def machine_state(label: str) -> None:
    load = os.getloadavg()
    out(
        f"- {label}: `SELECT 1` {select1() * 1000:.3f} ms (median of 20), "
        f"load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}"
    )


def table_sizes() -> None:
    from django.db import connection

    out("| table | rows (estimate) | total size | of which indexes |")
    out("|---|---:|---:|---:|")
    with connection.cursor() as cur:
        for table in BIG_TABLES:
            cur.execute(
                "SELECT c.reltuples::bigint, pg_size_pretty(pg_total_relation_size(c.oid)), "
                "pg_size_pretty(pg_indexes_size(c.oid)) FROM pg_class c WHERE c.relname = %s",
                [table],
            )
            rows, total, indexes = cur.fetchone()
            out(f"| {table} | {rows:,} | {total} | {indexes} |")


# ----------------------------------------------------------------------------------------------------- plans


def _walk(node: dict, found: list[str], flags: list[str]) -> None:
    kind = node.get("Node Type", "")
    rel = node.get("Relation Name")
    index = node.get("Index Name")
    if rel or index:
        desc = kind + (f" {index}" if index else "") + (f" on {rel}" if rel else "")
        found.append(desc)
        if kind == "Seq Scan" and rel in FLAGGED:
            flags.append(f"SEQ SCAN {rel} ({node.get('Actual Rows', '?')} rows)")
    for child in node.get("Plans", []):
        _walk(child, found, flags)


def explain(sqls: list[str]) -> tuple[str, list[str]]:
    """Plan shape of each SELECT: '; '-joined scan nodes per statement, and the flagged sequential scans."""
    from django.db import connection

    shapes, flags = [], []
    with connection.cursor() as cur:
        for sql in sqls:
            if not sql.lstrip().upper().startswith("SELECT") or "FOR UPDATE" in sql.upper():
                continue
            cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
            plan = cur.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            top = plan[0]["Plan"]
            nodes: list[str] = []
            _walk(top, nodes, flags)
            hit, read = top.get("Shared Hit Blocks", 0), top.get("Shared Read Blocks", 0)
            took = plan[0].get("Execution Time", 0)
            shapes.append(f"{', '.join(nodes) or top['Node Type']} [{took:.2f} ms, buffers hit {hit} read {read}]")
    return shapes, flags


HOT_PATHS = ("api", "page", "lookup", "worklist", "worklist-mine", "timeline", "intake", "audit")
SELECTED = set(HOT_PATHS)


def hot_path(key: str, label: str, func, args_list: list, *, plans: bool = True) -> dict | None:
    """Median and p90 ms of func(arg) over args_list, and the plans of the statements of one more call."""
    if key not in SELECTED:
        return None
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples = []
    for arg in args_list[1:]:
        t0 = time.perf_counter()
        func(arg)
        samples.append(time.perf_counter() - t0)
    with CaptureQueriesContext(connection) as captured:
        func(args_list[0])
    sqls = [q["sql"] for q in captured.captured_queries]
    shapes, flags = explain(sqls) if plans else ([], [])
    samples.sort()
    result = {
        "label": label,
        "median": statistics.median(samples),
        "p90": samples[int(len(samples) * 0.9) - 1] if len(samples) >= 10 else samples[-1],
        "queries": len(sqls),
        "shapes": shapes,
        "flags": flags,
    }
    out(
        f"| {label} | {ms(result['median'])} | {ms(result['p90'])} | {len(samples)} | {result['queries']} | "
        f"{'; '.join(flags) if flags else 'no sequential scan of a big table'} |"
    )
    return result


def random_codes(n: int, agency_id: int, seed: int = 21, with_events: bool = False) -> list[str]:
    """Codes of n dossiers of the agency at random over the whole table (ids drawn at random, then looked up);
    with_events: only dossiers that have timeline events (a bench database whose event copy was stopped early
    has none for its oldest copies)."""
    from django.db import connection

    rng = random.Random(seed)
    with connection.cursor() as cur:
        cur.execute("SELECT min(id), max(id) FROM dossiers_dossier")
        lo, hi = cur.fetchone()
        codes: list[str] = []
        while len(codes) < n:
            ids = [rng.randint(lo, hi) for _ in range(n * 4)]
            events = " AND EXISTS (SELECT 1 FROM dossiers_dossierevent e WHERE e.dossier_id = d.id)" if with_events else ""
            cur.execute(f"SELECT code FROM dossiers_dossier d WHERE id = ANY(%s) AND agency_id = %s{events}", [ids, agency_id])
            codes += [r[0] for r in cur.fetchall()]
    rng.shuffle(codes)
    return codes[:n]


def hot_paths(runs: int, with_events: bool = False) -> list[dict]:
    from django.db import transaction
    from django.test import Client

    from motcua.catalog.selectors import procedure_versions_in_force
    from motcua.core.models import User
    from motcua.core.roles import Role
    from motcua.core.services import audit_record
    from motcua.dossiers import selectors
    from motcua.dossiers.intake import dossier_receive
    from motcua.dossiers.models import Dossier
    from motcua.portal import selectors as portal

    officer = (
        User.objects.filter(is_active=True, is_superuser=False, groups__name=Role.ONE_STOP_OFFICER, unit__isnull=False)
        .select_related("unit")
        .order_by("id")
        .first()
    )
    agency_id = officer.unit.agency_id
    client = Client()
    client.force_login(officer)
    codes = random_codes(runs + 1, agency_id, with_events=with_events)
    procedure = (
        procedure_versions_in_force().filter(channel_counter=True, agency_id=agency_id).order_by("procedure__code").first()
    ).procedure.code
    out(f"Officer `{officer.username}` of agency {agency_id}; {len(codes)} dossiers at random over the ten years per path.")
    out()
    out("| hot path | median ms | p90 ms | runs | queries | plans |")
    out("|---|---:|---:|---:|---:|---|")

    def get(path: str) -> None:
        response = client.get(path, HTTP_ACCEPT="application/json,text/html")
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code}")

    results = [
        hot_path("api", "API read by code `GET /api/v1/dossiers/{code}/`", lambda c: get(f"/api/v1/dossiers/{c}/"), codes),
        hot_path("page", "staff dossier page `/staff/dossiers/{code}/`", lambda c: get(f"/staff/dossiers/{c}/"), codes),
    ]
    proofs = dict(Dossier.objects.filter(code__in=codes).values_list("code", "applicant_id_number"))

    def lookup(code: str) -> None:
        d = portal.dossier_lookup(code=code, proof=proofs[code] or "000000000000")
        if d is not None:
            portal.dossier_public_view(dossier=d)

    results.append(hot_path("lookup", "public lookup by code (selector + public view)", lookup, codes))
    results.append(
        hot_path(
            "worklist", "worklist page `/mot-cua/viec/` (officer, default scope: desk)", lambda _c: get("/mot-cua/viec/"), codes
        )
    )
    results.append(
        hot_path(
            "worklist-mine",
            "worklist page `/mot-cua/viec/?scope=mine` (the officer's open steps)",
            lambda _c: get("/mot-cua/viec/?scope=mine"),
            codes,
        )
    )
    dossiers = {c: selectors.dossier_get(code=c) for c in codes}
    results.append(
        hot_path("timeline", "timeline `dossier_timeline`", lambda c: selectors.dossier_timeline(dossier=dossiers[c]), codes)
    )
    applicant = {
        "kind": "individual",
        "full_name": "Nguyễn Văn An",
        "id_number": "001090012345",
        "phone": "0912345678",
        "address": "Số 1 đường Trần Phú",
    }

    def intake(_c) -> None:
        try:
            with transaction.atomic():
                dossier_receive(actor=officer, procedure_code=procedure, channel="counter", applicant=dict(applicant))
                raise Rollback
        except Rollback:
            pass

    results.append(hot_path("intake", "counter intake `dossier_receive` (rolled back)", intake, codes, plans=False))

    def append(c) -> None:
        try:
            with transaction.atomic():
                audit_record(actor=officer, action="bench.history_scale", object_type="bench", object_id=c, object_repr=c)
                raise Rollback
        except Rollback:
            pass

    results.append(hot_path("audit", "audit append `audit_record` (rolled back)", append, codes, plans=False))
    out()
    out("Plans (EXPLAIN (ANALYZE, BUFFERS) of each SELECT of one call):")
    out()
    for r in results:
        if r is not None and r["shapes"]:
            out(f"- {r['label']}:")
            for shape in r["shapes"]:
                out(f"  - {shape}")
    return results


# ------------------------------------------------------------------------------------------------ maintenance


def timed_sql(sql: str) -> float:
    from django.db import connection

    with connection.cursor() as cur:
        t0 = time.monotonic()
        cur.execute(sql)
        return time.monotonic() - t0


UPDATES = {
    "dossiers_dossier": "note = note",
    "dossiers_dossierstep": "note = note",
    "dossiers_pause": "working_seconds = working_seconds",
    "dossiers_dossierevent": "note = note",
}


def vacuums(tables: list[str]) -> None:
    from django.db import connection

    out("| table | UPDATE of 1 % of rows | rows | VACUUM after it |")
    out("|---|---:|---:|---:|")
    for table, assignment in UPDATES.items():
        if table not in tables:
            continue
        with connection.cursor() as cur:
            t0 = time.monotonic()
            cur.execute(f"UPDATE {table} SET {assignment} WHERE id % 100 = 7")
            updated, t_update = cur.rowcount, time.monotonic() - t0
        t_vacuum = timed_sql(f"VACUUM {table}")
        out(f"| {table} | {t_update:.1f} s | {updated:,} | {t_vacuum:.1f} s |")
    if "core_auditlog" in tables:
        out(f"| core_auditlog | (append-only: no UPDATE) | 0 | {timed_sql('VACUUM core_auditlog'):.1f} s |")
    for table in tables:
        timed_sql(f"ANALYZE {table}")
    out()


def index_builds() -> None:
    from django.db import connection

    for table, columns in (
        ("dossiers_dossierevent", "dossier_id, at"),
        ("dossiers_dossier", "procedure_version_id, received_at"),
    ):
        name = f"bench_history_{table}_tmp"
        timed_sql(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
        seconds = timed_sql(f"CREATE INDEX CONCURRENTLY {name} ON {table} ({columns})")
        with connection.cursor() as cur:
            cur.execute("SELECT pg_size_pretty(pg_relation_size(%s::regclass))", [name])
            size = cur.fetchone()[0]
        timed_sql(f"DROP INDEX CONCURRENTLY {name}")
        out(f"- CREATE INDEX CONCURRENTLY on {table} ({columns}): {seconds:.0f} s, {size} (dropped after)")
    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('bench_amplify_index') IS NOT NULL")
        if cur.fetchone()[0]:
            cur.execute("SELECT tbl, name, seconds FROM bench_amplify_index WHERE seconds IS NOT NULL ORDER BY tbl, seconds DESC")
            rows = cur.fetchall()
            out(
                "- index builds after the bulk load (bench/amplify.py, plain CREATE INDEX, maintenance_work_mem 1GB): "
                f"{len(rows)} indexes"
            )
            for tbl, name, seconds in rows:
                out(f"  - {tbl}.{name}: {seconds:.0f} s")
    out()


def archive_year(year: int, agency_code: str | None) -> None:
    from django.db import transaction

    from motcua.core.models import Agency
    from motcua.core.transitions import SYSTEM
    from motcua.dossiers import archive

    agency = Agency.objects.get(code=agency_code) if agency_code else None
    who = agency_code or "the whole province"
    with tempfile.TemporaryDirectory(prefix="motcua-history-") as tmp:
        path = Path(tmp) / f"archive-{year}.tar.gz"
        t0 = time.monotonic()
        manifest = archive.write_archive(year=year, to=path, agency=agency)
        t_write = time.monotonic() - t0
        size = path.stat().st_size
        t0 = time.monotonic()
        archive.read_manifest(path)
        t_read = time.monotonic() - t0
        rows = sum(manifest["counts"].values())
        out(
            f"- archive of {year}, {who}: {manifest['counts'].get('dossiers.dossier', 0):,} dossiers, {rows:,} rows, "
            f"written in {t_write:.0f} s ({size / 1e6:.0f} MB), read back and checked in {t_read:.0f} s"
        )
        t0 = time.monotonic()
        try:
            with transaction.atomic():
                archive.purge(archive=path, actor=SYSTEM)
                t_purge = time.monotonic() - t0
                raise Rollback
        except Rollback:
            pass
        out(f"- purge of that year, {who}: {t_purge:.0f} s for its statements, then ROLLED BACK (nothing deleted)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parts = ("sizes", "hot", "vacuum", "index", "archive")
    parser.add_argument("--parts", default=",".join(parts), help=f"comma-separated, of {', '.join(parts)} (default: all)")
    parser.add_argument("--with-events", action="store_true", help="draw only dossiers that have timeline events")
    parser.add_argument("--paths", default=",".join(HOT_PATHS), help="hot paths measured (default: all)")
    parser.add_argument("--vacuum-tables", default=",".join([*UPDATES, "core_auditlog"]))
    parser.add_argument("--archive-year", type=int, default=2018)
    parser.add_argument("--archive-agency", default="H15.12")
    parser.add_argument("--province-archive", action="store_true")
    args = parser.parse_args(argv)
    SELECTED.clear()
    SELECTED.update(args.paths.split(","))
    import django

    django.setup()
    from django.db import connection

    out(f"## History at scale — {time.strftime('%Y-%m-%d %H:%M %Z')}, database {connection.settings_dict['NAME']}")
    out()
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        version = cur.fetchone()[0]
        settings = []
        for name in ("shared_buffers", "max_wal_size", "autovacuum", "maintenance_work_mem", "work_mem"):
            cur.execute(f"SHOW {name}")
            settings.append(f"{name} {cur.fetchone()[0]}")
    out(f"- PostgreSQL {version} ({', '.join(settings)}); {os.cpu_count()} cores shared with other work")
    machine_state("before")
    out()
    chosen = set(args.parts.split(","))
    if "sizes" in chosen:
        table_sizes()
        out()
    if "hot" in chosen:
        hot_paths(args.runs, with_events=args.with_events)
        out()
        machine_state("after the hot paths")
        out()
    connection.ensure_connection()
    connection.connection.autocommit = True  # VACUUM and CREATE INDEX CONCURRENTLY run outside a transaction
    if "vacuum" in chosen:
        vacuums(args.vacuum_tables.split(","))
        machine_state("after the updates and vacuums")
        out()
    if "index" in chosen:
        index_builds()
    if "archive" in chosen:
        archive_year(args.archive_year, args.archive_agency)
        if args.province_archive:
            archive_year(args.archive_year, None)
        machine_state("after the archive")
    return 0


if __name__ == "__main__":
    sys.exit(main())
