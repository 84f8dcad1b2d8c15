#!/usr/bin/env python3
"""A 10,000,000-dossier bench database in about an hour: a generated sample multiplied with set-based SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_10m \\
        .venv/bin/python bench/amplify.py [--dossiers 10000000] [--events 100000000] [--sample 30000] \\
        [--since 2025-12-09] [--years 10] [--min-free-gb 25] [--chunk 300000]

What it does (each step is skipped when already done, so a stopped run is started again with the same command):

1. Prepares the database as bench/run.py does (its helpers: `ensure_database`, `Context.manage`): creates it if
   missing, `migrate`, `seed_demo`, then `generate_dossiers` for a base sample received over ONE year (from
   --since to today): --sample dossiers for the demo's first agency and a tenth of that for each of the two other
   agencies with timed procedures (their staff, units and procedures stay theirs). The generator writes what the
   services write (dossiers/tests/test_generator_matches_services.py) at ~1,100 dossiers/s here.
2. Multiplies the sample with `INSERT … SELECT` over a table of copies (`bench_amplify_copy`: copy number, agency,
   a shift of whole years): every copy of a row gets a fresh primary key (`id + copy × M`, M above every id of the
   sample), every timestamp and date column moved by the copy's shift (the applicant's birth date excepted), a
   fresh unique dossier code (`AGENCY-YYMMDD-N` with the shifted day and N = copy × 10000 + the sample's number of
   the day: never a number the daily sequence gives below 10,000 intakes a day), a fresh lookup secret hash and
   idempotency key; the children (steps, pauses, supplement requests — their pause remapped —, extensions,
   satisfaction ratings, timeline events, audit rows of the dossier) follow their dossier's copy. Copies of the
   sample's own year (shift 0) take every dossier, open ones included; copies of the nine earlier years take only
   the dossiers done with (refused, withdrawn, stopped, returned: a dossier received in 2017 is not still open), as
   many copies as needed for each year to hold a tenth of --dossiers, each agency in proportion to its sample. The
   copies spread over ten years (the earliest days of the first copy year fall in December of the year before).
   Not copied: files, received papers, slips, postal orders, payments (the generator writes none), PAKN
   (feedback is not a dossier's child; the demo's few items stay as they are).
3. Events: the sample has ~7 timeline events per dossier; to reach --events the copy of the events adds a second
   copy of a fraction of each copied dossier's events (same action and moment, fresh id), said in the output.
4. Audit: one copy of each copied dossier's audit rows while the disk keeps --min-free-gb free after the audit
   table's indexes (estimated) and the table holds fewer than --audit-max-rows; the rest is not copied, said in the
   output. The amplified rows cannot continue
   the keyed hash chain (their hash is a SHA-256 of the original's and the copy number, unique but not
   verifiable): a bench database's audit chain does not verify past the sample (`verify_audit` fails there).
5. Before each bulk insert the tables' secondary indexes and unique constraints are dropped (their definitions
   kept in `bench_amplify_index`); after it they are built again, each build timed (printed and kept in that
   table: a maintenance figure of docs/benchmarks.md), then `VACUUM (ANALYZE)` of the tables, timed. The inserts
   run with `session_replication_role = replica` (foreign keys are not checked row by row: the copies refer to
   copies of the same dossier by construction, which motcua/dossiers/tests/test_bench_amplifier_keeps_constraints.py
   checks) and commit one chunk of copies at a time.
6. `touch /tmp/<database>.dossiers-ready` (/tmp/motcua_10m.dossiers-ready) once dossiers, steps, pauses,
   supplement requests, extensions and ratings are complete, indexed and analyzed; `touch /tmp/<database>.ready`
   when events, audit, indexes and the vacuum are done too.

Only a local PostgreSQL database is accepted. The bench_amplify_* tables stay in the database (the plan of the
copies; drop them with the database).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import shutil
import sys
import time
import urllib.parse
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import run  # noqa: E402 - the benchmark harness's helpers (bench/run.py)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/motcua_10m"
# Dossiers copied into the earlier years: those done with. Not "decided": a decided dossier waits at the desk for
# its result to be returned, and copies of it in every past year would pile up in the desk's worklist (the first
# motcua_10m, built before this line, holds 42,543 such copies for the first agency: docs/benchmarks.md).
CLOSED_STATUSES = ("refused", "withdrawn", "stopped", "returned")
DOSSIER = "dossiers_dossier"
# The dossier's children copied with it (the first phase), then the timeline and the audit log.
DOSSIER_SIDE = (
    DOSSIER,
    "dossiers_dossierstep",
    "dossiers_pause",
    "dossiers_supplementrequest",
    "dossiers_extension",
    "feedback_satisfactionrating",
)
EVENTS = "dossiers_dossierevent"
AUDIT = "core_auditlog"
ALL_TABLES = (*DOSSIER_SIDE, EVENTS, AUDIT)
NOT_SHIFTED = {"applicant_birth_date"}
CODE_TAIL = r"-(\d{6})-(\d+)$"
# Estimated bytes of the audit table's indexes per row (five b-trees, one on a 64-character hash).
AUDIT_INDEX_BYTES_PER_ROW = 260


def log(message: str) -> None:
    run.log(message)


# ------------------------------------------------------------------------------------------- plan of the copies


def setup(cur, *, since: dt.date) -> None:
    """The sample (dossiers received since `since`) and the id offsets, computed once (kept for a restart)."""
    cur.execute(
        "CREATE TABLE IF NOT EXISTS bench_amplify_sample "
        "(id bigint PRIMARY KEY, agency_id bigint NOT NULL, closed boolean NOT NULL)"
    )
    cur.execute("CREATE TABLE IF NOT EXISTS bench_amplify_offset (tbl text PRIMARY KEY, m bigint NOT NULL)")
    cur.execute(
        "CREATE TABLE IF NOT EXISTS bench_amplify_copy (c integer PRIMARY KEY, agency_id bigint NOT NULL, "
        "shift interval NOT NULL, closed_only boolean NOT NULL)"
    )
    cur.execute("CREATE TABLE IF NOT EXISTS bench_amplify_progress (phase text PRIMARY KEY, done integer NOT NULL)")
    cur.execute(
        "CREATE TABLE IF NOT EXISTS bench_amplify_index (name text PRIMARY KEY, tbl text NOT NULL, ddl text NOT NULL, "
        "seconds double precision)"
    )
    cur.execute("SELECT count(*) FROM bench_amplify_sample")
    if cur.fetchone()[0]:
        return
    cur.execute(
        "INSERT INTO bench_amplify_sample SELECT id, agency_id, status = ANY(%s) FROM dossiers_dossier WHERE received_at >= %s",
        [list(CLOSED_STATUSES), since],
    )
    cur.execute(
        "SELECT count(*) FROM bench_amplify_sample s JOIN dossiers_dossier d ON d.id = s.id WHERE d.code !~ %s", [CODE_TAIL]
    )
    if cur.fetchone()[0]:
        raise run.BenchError("a sample dossier's code does not end in -YYMMDD-N")
    cur.execute(
        "SELECT coalesce(max(substring(d.code from '-(\\d+)$')::int), 0) FROM bench_amplify_sample s "
        "JOIN dossiers_dossier d ON d.id = s.id"
    )
    if cur.fetchone()[0] >= 10000:
        raise run.BenchError("a sample day has 10,000 dossiers or more: the copies' numbers would collide")
    for table in ALL_TABLES:
        cur.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
        cur.execute("INSERT INTO bench_amplify_offset VALUES (%s, %s)", [table, cur.fetchone()[0]])


def plan_copies(cur, *, dossiers: int, years: int) -> int:
    """The copies: per agency, the sample's year holds a `years`-th of `dossiers` in proportion to the agency's
    sample (every dossier copied), and each of the `years - 1` earlier years as many (closed dossiers copied).
    Returns the number of copies."""
    cur.execute("SELECT count(*) FROM bench_amplify_copy")
    if cur.fetchone()[0]:
        cur.execute("SELECT max(c) FROM bench_amplify_copy")
        return cur.fetchone()[0]
    cur.execute("SELECT agency_id, count(*), sum(closed::int) FROM bench_amplify_sample GROUP BY 1 ORDER BY 1")
    groups = cur.fetchall()
    total = sum(n for _a, n, _c in groups)
    copies: list[tuple[int, int, int, bool]] = []
    c = 0
    for shift in range(years):
        for agency, n, closed in groups:
            per_year = dossiers * n / total / years
            if shift == 0:
                count = max(round(per_year / n) - 1, 0)  # the sample is one copy of its year already
            else:
                count = round(per_year / closed) if closed else 0
            for _ in range(count):
                c += 1
                copies.append((c, agency, -shift, shift > 0))
    explicit_copies(cur, copies)
    return c


def explicit_copies(cur, copies: list[tuple[int, int, int, bool]]) -> None:
    """(copy number ≥ 1, agency, shift in years, closed dossiers only) rows of bench_amplify_copy."""
    for c, agency, years, closed_only in copies:
        cur.execute(
            "INSERT INTO bench_amplify_copy VALUES (%s, %s, make_interval(years => %s), %s)", [c, agency, years, closed_only]
        )


# --------------------------------------------------------------------------------------------------- copying


def _columns(cur, table: str) -> list[tuple[str, str]]:
    cur.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = %s AND is_generated = 'NEVER' ORDER BY ordinal_position",
        [table],
    )
    return cur.fetchall()


def _offsets(cur) -> dict[str, int]:
    cur.execute("SELECT tbl, m FROM bench_amplify_offset")
    return dict(cur.fetchall())


def _code(expr: str) -> str:
    """The copy's code: the same agency prefix, the shifted day, copy × 10000 + the day's number."""
    return (
        f"regexp_replace({expr}, '{CODE_TAIL}', '') || '-' || "
        f"to_char(to_date(substring({expr} from '-(\\d{{6}})-\\d+$'), 'YYMMDD') + c.shift, 'YYMMDD') || '-' || "
        f"(c.c * 10000 + substring({expr} from '-(\\d+)$')::int)::text"
    )


def _fresh_hash(expr: str) -> str:
    return f"CASE WHEN {expr} = '' THEN '' ELSE encode(sha256(convert_to({expr} || '/' || c.c, 'UTF8')), 'hex') END"


def _select_list(table: str, columns: list[tuple[str, str]], m: dict[str, int], pad: bool = False) -> list[str]:
    out = []
    for name, kind in columns:
        if name == "id":
            # The padding's second copy of an event takes ids above every copy's (g = 1).
            out.append(f"t.id + (c.c + g.g * {m['__copies']}) * {m[table]}" if pad else f"t.id + c.c * {m[table]}")
        elif name == "dossier_id":
            out.append(f"t.dossier_id + c.c * {m[DOSSIER]}")
        elif table == "dossiers_supplementrequest" and name == "pause_id":
            out.append(f"t.pause_id + c.c * {m['dossiers_pause']}")
        elif kind == "timestamp with time zone" and name not in NOT_SHIFTED:
            out.append(f"t.{name} + c.shift")
        elif kind == "date" and name not in NOT_SHIFTED:
            out.append(f"(t.{name} + c.shift)::date")
        elif table == DOSSIER and name == "code":
            out.append(_code("t.code"))
        elif table == DOSSIER and name == "lookup_secret_hash":
            out.append(_fresh_hash("t.lookup_secret_hash"))
        elif table == DOSSIER and name == "idempotency_key":
            out.append("CASE WHEN t.idempotency_key = '' THEN '' ELSE t.idempotency_key || '-' || c.c END")
        elif table == AUDIT and name == "object_id":
            out.append(f"(s.id + c.c * {m[DOSSIER]})::text")
        elif table == AUDIT and name == "object_repr":
            out.append(f"CASE WHEN t.object_repr ~ '{CODE_TAIL}' THEN {_code('t.object_repr')} ELSE t.object_repr END")
        elif table == AUDIT and name in ("hash", "prev_hash"):
            out.append(_fresh_hash(f"t.{name}"))
        else:
            out.append(f"t.{name}")
    return out


def copy_sql(cur, table: str, lo: int, hi: int, *, pad_permille: int = 0) -> str:
    """INSERT … SELECT of copies lo..hi of `table`'s rows belonging to the sample's dossiers."""
    m = _offsets(cur)
    cur.execute("SELECT coalesce(max(c), 0) + 1 FROM bench_amplify_copy")
    m["__copies"] = cur.fetchone()[0]
    columns = _columns(cur, table)
    pad = table == EVENTS and pad_permille > 0
    select = ", ".join(_select_list(table, columns, m, pad))
    if table == DOSSIER:
        source = "dossiers_dossier t JOIN bench_amplify_sample s ON s.id = t.id"
    elif table == AUDIT:
        source = "core_auditlog t JOIN bench_amplify_sample s ON t.object_type = 'dossiers.dossier' AND t.object_id = s.id::text"
    else:
        source = f"{table} t JOIN bench_amplify_sample s ON s.id = t.dossier_id"
    padding = ""
    if pad:
        # g = 0: every event; g = 1: a second copy of about pad_permille ‰ of them (event ids spread evenly).
        padding = f" JOIN generate_series(0, 1) g(g) ON g.g * 1000 + t.id % 1000 < 1000 + {pad_permille}"
    return (
        f"INSERT INTO {table} ({', '.join(name for name, _k in columns)}) SELECT {select} FROM {source} "
        f"JOIN bench_amplify_copy c ON c.agency_id = s.agency_id AND (s.closed OR NOT c.closed_only){padding} "
        f"WHERE c.c BETWEEN {int(lo)} AND {int(hi)}"
    )


def copy_rows(cur, tables, lo: int, hi: int, *, pad_permille: int = 0) -> int:
    """Returns the number of rows written."""
    written = 0
    for table in tables:
        cur.execute(copy_sql(cur, table, lo, hi, pad_permille=pad_permille))
        written += cur.rowcount
    return written


def advance_sequences(cur, tables) -> None:
    for table in tables:
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))")


# --------------------------------------------------------------------------------------------------- indexes


def drop_indexes(cur, tables) -> None:
    """Drops every index but the primary key of `tables` (constraints with their index), keeping its DDL."""
    cur.execute(
        "SELECT i.indexrelid::regclass::text, t.relname, con.conname, "
        "CASE WHEN con.oid IS NULL THEN pg_get_indexdef(i.indexrelid) "
        "ELSE format('ALTER TABLE %%I ADD CONSTRAINT %%I %%s', t.relname, con.conname, pg_get_constraintdef(con.oid)) END "
        "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
        "LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.contype IN ('u', 'x') "
        "WHERE t.relname = ANY(%s) AND NOT i.indisprimary AND t.relnamespace = current_schema()::regnamespace",
        [list(tables)],
    )
    for index, table, constraint, ddl in cur.fetchall():
        cur.execute(
            "INSERT INTO bench_amplify_index (name, tbl, ddl) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING", [index, table, ddl]
        )
        if constraint:
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"')
        else:
            cur.execute(f'DROP INDEX "{index}"')


def build_indexes(cur, tables) -> list[tuple[str, str, float]]:
    """Builds the dropped indexes of `tables` again, timing each; returns (table, index, seconds)."""
    cur.execute(
        "SELECT name, tbl, ddl FROM bench_amplify_index WHERE tbl = ANY(%s) AND seconds IS NULL ORDER BY tbl, name",
        [list(tables)],
    )
    done = []
    for name, table, ddl in cur.fetchall():
        t0 = time.monotonic()
        cur.execute(ddl)
        seconds = time.monotonic() - t0
        cur.execute("UPDATE bench_amplify_index SET seconds = %s WHERE name = %s", [seconds, name])
        log(f"  index {name} on {table}: {seconds:.1f} s")
        done.append((table, name, seconds))
    return done


# ------------------------------------------------------------------------------------------------------ runs


def free_gb(path: str = "/work") -> float:
    return shutil.disk_usage(path).free / 1e9


def _progress(cur, phase: str) -> int:
    cur.execute("SELECT done FROM bench_amplify_progress WHERE phase = %s", [phase])
    row = cur.fetchone()
    return row[0] if row else 0


def _set_progress(cur, phase: str, done: int) -> None:
    cur.execute(
        "INSERT INTO bench_amplify_progress VALUES (%s, %s) ON CONFLICT (phase) DO UPDATE SET done = excluded.done", [phase, done]
    )


def _chunks(cur, start: int, copies: int, rows_per_chunk: int, per_copy_sql: str) -> list[tuple[int, int]]:
    """Ranges of copy numbers holding about rows_per_chunk rows each (per_copy_sql: rows of copy %s)."""
    cur.execute(per_copy_sql)
    sizes = dict(cur.fetchall())
    ranges, lo, rows = [], start + 1, 0
    for c in range(start + 1, copies + 1):
        rows += sizes.get(c, 0)
        if rows >= rows_per_chunk or c == copies:
            ranges.append((lo, c))
            lo, rows = c + 1, 0
    return ranges


PER_COPY_DOSSIERS = (
    "SELECT c.c, count(*) FROM bench_amplify_copy c JOIN bench_amplify_sample s ON s.agency_id = c.agency_id "
    "AND (s.closed OR NOT c.closed_only) GROUP BY 1"
)


def phase(conn, name: str, tables, copies: int, rows_per_chunk: int, *, pad_permille: int = 0, stop=None) -> int:
    """Copies the tables chunk by chunk (one transaction each, the progress in it); returns the last copy done.
    `stop(done_copy, rows_written)` may end the phase early (the audit's budget)."""
    with conn.cursor() as cur:
        done = _progress(cur, name)
        if done >= copies:
            return done
        ranges = _chunks(cur, done, copies, rows_per_chunk, PER_COPY_DOSSIERS)
    t0, written = time.monotonic(), 0
    for lo, hi in ranges:
        if stop is not None and stop(lo - 1, written):
            break
        with conn.transaction(), conn.cursor() as cur:
            cur.execute("SET LOCAL session_replication_role = replica")
            written += copy_rows(cur, tables, lo, hi, pad_permille=pad_permille)
            _set_progress(cur, name, hi)
        done = hi
        elapsed = time.monotonic() - t0
        log(f"  {name}: copies up to {hi}/{copies} ({elapsed:.0f} s, {free_gb():.0f} GB free)")
    return done


def vacuum(conn, tables) -> list[tuple[str, float]]:
    out = []
    for table in tables:
        t0 = time.monotonic()
        conn.execute(f"VACUUM (ANALYZE) {table}")
        out.append((table, time.monotonic() - t0))
        log(f"  VACUUM (ANALYZE) {table}: {out[-1][1]:.1f} s")
    return out


def count(conn, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def prepare(database_url: str, args) -> None:
    """Database, schema, demo and the base sample, through bench/run.py's helpers."""
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-amplify-" + "x" * 50,
            "AUDIT_HMAC_KEY": os.environ.get("AUDIT_HMAC_KEY") or "bench-amplify-audit-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SETTINGS_MODULE": "motcua.settings",
            "LOG_LEVEL": "WARNING",
        }
    )
    ctx = run.Context(args=args, env=env, workdir=Path("/tmp"), run_id="amplify")
    run.ensure_database(database_url)
    ctx.manage("migrate", "--noinput", "-v", "0")
    ctx.manage("seed_demo", capture=True)
    import psycopg

    with psycopg.connect(database_url) as conn:
        have = conn.execute("SELECT count(*) FROM dossiers_dossier WHERE received_at >= %s", [args.since]).fetchone()[0]
        if have >= args.sample:
            log(f"sample present: {have:,} dossiers received since {args.since}")
            return
        agencies = [
            r[0]
            for r in conn.execute(
                "SELECT a.code FROM core_agency a "
                "WHERE EXISTS (SELECT 1 FROM catalog_procedureversion v WHERE v.agency_id = a.id) "
                "AND EXISTS (SELECT 1 FROM core_user u JOIN core_unit n ON n.id = u.unit_id WHERE n.agency_id = a.id) "
                "ORDER BY a.id"
            )
        ]
    for i, code in enumerate(agencies):
        n = args.sample if i == 0 else max(args.sample // 10, 1)
        ctx.manage(
            "generate_dossiers",
            "--count",
            str(n),
            "--since",
            str(args.since),
            "--agency",
            code,
            "--seed",
            str(10 + i),
            "--batch",
            "10000",
            timeout=3600,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=10_000_000)
    parser.add_argument("--events", type=int, default=100_000_000)
    parser.add_argument("--sample", type=int, default=30_000, help="dossiers of the first agency's sample")
    parser.add_argument("--since", type=dt.date.fromisoformat, default=dt.date.today() - dt.timedelta(days=364))
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--min-free-gb", type=float, default=25.0)
    parser.add_argument("--chunk", type=int, default=300_000, help="dossiers per transaction")
    parser.add_argument(
        "--audit-max-rows", type=int, default=0, help="stop copying audit rows past this many (0: the disk decides)"
    )
    args = parser.parse_args(argv)
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    if urllib.parse.urlsplit(database_url).hostname not in {"127.0.0.1", "localhost", "::1"}:
        print("only a local PostgreSQL (127.0.0.1)", file=sys.stderr)
        return 2
    prepare(database_url, args)
    name = urllib.parse.urlsplit(database_url).path.lstrip("/")
    ready_dossiers, ready_all = Path(f"/tmp/{name}.dossiers-ready"), Path(f"/tmp/{name}.ready")
    import psycopg

    started = time.monotonic()
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute("SET max_parallel_maintenance_workers = 1")
        conn.execute("SET TimeZone = 'Asia/Ho_Chi_Minh'")  # whole years of local time: the codes' days stay right
        with conn.transaction(), conn.cursor() as cur:
            setup(cur, since=args.since)
            copies = plan_copies(cur, dossiers=args.dossiers, years=args.years)
        sample = count(conn, "bench_amplify_sample")
        log(f"sample {sample:,} dossiers, {copies} copies planned; {free_gb():.0f} GB free on /work")

        # -- 1. the dossier side
        if _progress(conn.cursor(), "dossiers") < copies:
            with conn.transaction(), conn.cursor() as cur:
                drop_indexes(cur, DOSSIER_SIDE)
            t0 = time.monotonic()
            phase(conn, "dossiers", DOSSIER_SIDE, copies, args.chunk)
            log(f"dossier side copied in {time.monotonic() - t0:.0f} s")
        with conn.cursor() as cur:
            advance_sequences(cur, DOSSIER_SIDE)
            build_indexes(cur, DOSSIER_SIDE)
        if not ready_dossiers.exists():
            vacuum(conn, DOSSIER_SIDE)
            ready_dossiers.touch()
        log(f"dossiers: {count(conn, DOSSIER):,} — {ready_dossiers}")

        # -- 2. the timeline, padded to --events
        have_events = count(conn, EVENTS)
        if _progress(conn.cursor(), "events") < copies:
            expected = conn.execute(
                "SELECT coalesce(sum(e.n), 0) FROM bench_amplify_copy c "
                "JOIN bench_amplify_sample s ON s.agency_id = c.agency_id "
                "AND (s.closed OR NOT c.closed_only) "
                "JOIN (SELECT dossier_id, count(*) n FROM dossiers_dossierevent GROUP BY 1) e "
                "ON e.dossier_id = s.id WHERE c.c > %s",
                [_progress(conn.cursor(), "events")],
            ).fetchone()[0]
            pad = max(0, min(1000, math.ceil(((args.events - have_events) / expected - 1) * 1000))) if expected else 0
            log(f"events: {have_events:,} now, {expected:,} to copy, padding {pad / 10:.1f} % more (second copies)")
            with conn.transaction(), conn.cursor() as cur:
                drop_indexes(cur, [EVENTS])
            t0 = time.monotonic()
            phase(conn, "events", [EVENTS], copies, args.chunk, pad_permille=pad)
            log(f"events copied in {time.monotonic() - t0:.0f} s")
        with conn.cursor() as cur:
            advance_sequences(cur, [EVENTS])
            build_indexes(cur, [EVENTS])

        # -- 3. the audit log, within the disk budget
        if _progress(conn.cursor(), "audit") < copies and not _progress(conn.cursor(), "audit-stopped"):
            with conn.transaction(), conn.cursor() as cur:
                drop_indexes(cur, [AUDIT])

            before = count(conn, AUDIT)

            def stop(done: int, written: int) -> bool:
                rows = before + written
                need = args.min_free_gb + rows * AUDIT_INDEX_BYTES_PER_ROW / 1e9 + 3  # + one chunk
                if free_gb() < need or (args.audit_max_rows and rows >= args.audit_max_rows):
                    log(f"audit: stopped after copy {done} ({rows:,} rows): {free_gb():.0f} GB free, {need:.0f} GB needed")
                    with conn.cursor() as cur:
                        _set_progress(cur, "audit-stopped", max(done, 1))
                    return True
                return False

            t0 = time.monotonic()
            phase(conn, "audit", [AUDIT], copies, args.chunk, stop=stop)
            log(f"audit copied in {time.monotonic() - t0:.0f} s")
        with conn.cursor() as cur:
            advance_sequences(cur, [AUDIT])
            build_indexes(cur, [AUDIT])
        vacuum(conn, [EVENTS, AUDIT])
        ready_all.touch()
        for table in ALL_TABLES:
            size = conn.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", [table]).fetchone()[0]
            log(f"  {table}: {count(conn, table):,} rows, {size}")
        log(f"done in {time.monotonic() - started:.0f} s — {ready_all}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except run.BenchError as err:
        print(f"amplify: {err}", file=sys.stderr)
        sys.exit(1)
