#!/usr/bin/env python3
"""A province's mixed load with locust, on PostgreSQL with a streaming replica and an S3-compatible object store,
next to a hello-world baseline driven the same way in the same run (docs/benchmarks.md, issue 21).

    .venv/bin/python bench/province_load.py [--users 240] [--duration 120] [--dossiers 200000] [--no-replica]
        [--no-object-store]

Prepares the benchmark database as bench/run.py does (migrate, demo, national catalogue, generated dossiers,
VACUUM ANALYZE), then starts — each stopped again before it exits —
- a replica of the local PostgreSQL (scripts/pg-replica, as root) on a free port: DATABASE_REPLICA_URL;
- moto's S3 server on a free port with a bucket: AWS_STORAGE_BUCKET_NAME and friends;
- gunicorn with the app and gunicorn with bench/hello_wsgi.py (same options), Redis as the shared cache;
then runs locust headless (bench/locust_province.py): `--users` people, each making one visit a second, first
against the hello-world, then against the app. Reports requests per second, p50/p95/p99, failures, per kind of
request and in total, and appends them to bench/results/YYYY-MM-DD-province-load.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402 - the benchmark harness's helpers (bench/run.py)

ROOT = run.ROOT
LOCUSTFILE = run.BENCH_DIR / "locust_province.py"


def lookup_pairs(ctx: run.Context, n: int = 5000) -> list[list[str]]:
    """(code, proof) of dossiers, the proof being the applicant's ID number or tax code, as a citizen types it."""
    code = (
        "from motcua.dossiers.models import Dossier\n"
        f"rows = Dossier.objects.exclude(applicant_id_number='', applicant_tax_code='').order_by('?')[:{n}]"
        ".values_list('code', 'applicant_id_number', 'applicant_tax_code')\n"
        "out([[c, i or t] for c, i, t in rows])\n"
    )
    return ctx.django(code, timeout=900)


def procedure_codes(ctx: run.Context, n: int = 2000) -> list[str]:
    code = (
        "from motcua.catalog.selectors import procedure_versions_in_force\n"
        f"out(list(procedure_versions_in_force().order_by('?').values_list('procedure__code', flat=True)[:{n}]))\n"
    )
    return ctx.django(code)


class Moto:
    """moto's standalone S3 server on a free port, with the bucket created."""

    def __init__(self, workdir: Path):
        self.port = run.free_port()
        self.log = workdir / "moto.log"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Moto:
        with open(self.log, "w") as out:
            self.proc = subprocess.Popen(
                [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(self.port)],
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                self.client().create_bucket(Bucket="motcua-bench")
                return self
            except Exception:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.__exit__()
                    raise run.BenchError(f"moto_server did not start: {self.log.read_text()[-1000:]}") from None
                time.sleep(0.5)

    def client(self):
        import boto3

        return boto3.client(
            "s3", endpoint_url=self.url, aws_access_key_id="bench", aws_secret_access_key="bench", region_name="us-east-1"
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return {
            "AWS_STORAGE_BUCKET_NAME": "motcua-bench",
            "AWS_S3_ENDPOINT_URL": self.url,
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_S3_REGION_NAME": "us-east-1",
        }

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class Replica:
    """A streaming replica of the local server (scripts/pg-replica; needs root)."""

    def __init__(self, database_url: str, workdir: Path):
        self.port = run.free_port()
        self.dir = Path(f"/tmp/motcua-bench-replica-{os.getpid()}")
        parts = urllib.parse.urlsplit(database_url)
        self.url = urllib.parse.urlunsplit(
            (parts.scheme, f"{parts.username or 'postgres'}@127.0.0.1:{self.port}", parts.path, "", "")
        )
        self.env = {**os.environ, "PGHOST": parts.hostname or "127.0.0.1", "PGPORT": str(parts.port or 5432)}
        self.env["PGUSER"] = parts.username or "postgres"

    def __enter__(self) -> Replica:
        run.log(f"making a streaming replica on 127.0.0.1:{self.port} (pg_basebackup of the whole server)")
        subprocess.run(
            [str(ROOT / "scripts" / "pg-replica"), "start", str(self.port), str(self.dir)], env=self.env, check=True, timeout=3600
        )
        return self

    def __exit__(self, *exc) -> None:
        subprocess.run([str(ROOT / "scripts" / "pg-replica"), "remove", str(self.dir)], env=self.env, timeout=300, check=False)


def run_locust(ctx: run.Context, base: str, classes: list[str], users: int, duration: int, label: str, data_file: Path) -> dict:
    prefix = ctx.workdir / f"locust-{label}"
    cmd = [
        str(Path(sys.executable).parent / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users // 10)),
        "--run-time",
        f"{duration}s",
        "--host",
        base,
        "--csv",
        str(prefix),
        "--only-summary",
        "--stop-timeout",
        "10",
        *classes,
    ]
    env = {**os.environ, "PROVINCE_LOAD_DATA": str(data_file)}
    run.log(f"locust {label}: {users} users × 1 visit/s for {duration} s")
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=duration + 300, check=False)
    (ctx.workdir / f"locust-{label}.log").write_text(proc.stdout + proc.stderr)
    with open(f"{prefix}_stats.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    failures = []
    if Path(f"{prefix}_failures.csv").exists():
        with open(f"{prefix}_failures.csv", newline="") as fh:
            failures = list(csv.DictReader(fh))
    return {"rows": rows, "failures": failures}


def _num(row: dict, key: str) -> float:
    try:
        return float(row.get(key) or 0)
    except ValueError:
        return 0.0


def table(result: dict) -> str:
    lines = ["| request | req/s | p50 ms | p95 ms | p99 ms | failures |", "|---|---:|---:|---:|---:|---:|"]
    for row in result["rows"]:
        lines.append(
            f"| {row['Type']} {row['Name']} | {_num(row, 'Requests/s'):.1f} | {_num(row, '50%'):.0f} | "
            f"{_num(row, '95%'):.0f} | {_num(row, '99%'):.0f} | {int(_num(row, 'Failure Count'))} |"
        )
    return "\n".join(lines)


def total(result: dict) -> dict:
    row = next(r for r in result["rows"] if r["Name"] == "Aggregated")
    return {
        "rps": _num(row, "Requests/s"),
        "p50": _num(row, "50%"),
        "p95": _num(row, "95%"),
        "p99": _num(row, "99%"),
        "failures": int(_num(row, "Failure Count")),
        "requests": int(_num(row, "Request Count")),
    }


def _line(label: str, t: dict) -> str:
    return (
        f"| {label} | {t['rps']:.1f} | {t['p50']:.0f} | {t['p95']:.0f} | {t['p99']:.0f} | {t['failures']} | {t['requests']:,} |"
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--users", type=int, default=240, help="simulated people, one visit a second each (default 240)")
    p.add_argument("--duration", type=int, default=120, help="seconds of load per server (default 120)")
    p.add_argument("--dossiers", type=int, default=200_000, help="dossiers in the database (default 200,000)")
    p.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--worker-class", default="gthread")
    p.add_argument("--no-replica", action="store_true", help="no read replica")
    p.add_argument("--no-object-store", action="store_true", help="files on local disk instead of moto's S3")
    p.add_argument("--min-procedures", type=int, default=5000)
    p.add_argument("--generate-timeout", type=int, default=7200)
    p.add_argument("--no-record", action="store_true")
    args = p.parse_args(argv)

    database_url = os.environ.get("DATABASE_URL", run.DEFAULT_DATABASE_URL)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "AUDIT_HMAC_KEY": os.environ.get("AUDIT_HMAC_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "LOG_LEVEL": "WARNING",
        "CACHE_URL": "redis://127.0.0.1:6379/13",
        # Plain HTTP on 127.0.0.1 (TLS ends at nginx in production): Secure cookies would never come back.
        "SECURE_COOKIES": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    started = dt.datetime.now().astimezone()
    with tempfile.TemporaryDirectory(prefix="motcua-province-") as tmp:
        ctx = run.Context(args=args, env=env, workdir=Path(tmp), run_id=started.strftime("%Y%m%d%H%M%S"))
        run.ensure_database(database_url)
        ctx.manage("migrate", "--noinput", "-v", "0")
        ctx.manage("seed_demo", capture=True)
        run.ensure_national_catalog(ctx)
        count = run.ensure_dossiers(ctx)
        run.vacuum_analyze(database_url)
        username, token = run.ensure_staff_token(ctx)
        procedures = run.intake_procedure_codes(ctx, username)
        data = {
            "queries": run.SEARCH_QUERIES,
            "procedures": procedure_codes(ctx),
            "lookups": lookup_pairs(ctx),
            "dossiers": run.sample_dossier_codes(ctx, username),
            "intake_bodies": run.intake_bodies(procedures, n=2000),
            "token": token,
        }
        data_file = ctx.workdir / "data.json"
        data_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        machine = run.machine_description(database_url)
        load_before = os.getloadavg()
        replica = Replica(database_url, ctx.workdir) if not args.no_replica else None
        moto = Moto(ctx.workdir) if not args.no_object_store else None
        try:
            if replica:
                replica.__enter__()
                ctx.env["DATABASE_REPLICA_URL"] = replica.url
            if moto:
                moto.__enter__()
                ctx.env.update(moto.env())
            with run.Server(ctx, "hello_wsgi:application", "hello") as hello:
                baseline = run_locust(ctx, hello.base, ["Hello"], args.users, args.duration, "hello", data_file)
            with run.Server(ctx, "motcua.wsgi", "app") as app:
                measured = run_locust(ctx, app.base, ["Citizen", "Officer"], args.users, args.duration, "app", data_file)
        finally:
            if moto:
                moto.__exit__()
            if replica:
                replica.__exit__()
        load_after = os.getloadavg()

    b, m = total(baseline), total(measured)
    setup = (
        f"PostgreSQL{' + streaming replica' if replica else ''}, "
        f"{'moto S3 object store' if moto else 'local disk'}, Redis cache, gunicorn {args.workers} {args.worker_class} workers"
    )
    verdict = "met" if m["rps"] >= 235 and m["p95"] < 100 and m["failures"] == 0 else "NOT met"
    report = "\n".join(
        [
            f"## Province load, {started:%d/%m/%Y %H:%M %Z}",
            "",
            f"- Machine: {machine}; load average before {load_before[0]:.2f}, after {load_after[0]:.2f}",
            f"- Set-up: {setup}; {count:,} dossiers; {args.users} locust users × 1 visit/s, {args.duration} s each",
            f"- Command: `.venv/bin/python bench/province_load.py {' '.join(argv if argv is not None else sys.argv[1:])}`",
            "",
            "| server | req/s | p50 ms | p95 ms | p99 ms | failures | requests |",
            "|---|---:|---:|---:|---:|---:|---:|",
            _line("hello-world (baseline)", b),
            _line("motcua (mixed)", m),
            "",
            f"Goal (issue 21): ≥ 235 req/s, p95 < 100 ms, no failure → **{verdict}**.",
            "",
            "Per kind of request (motcua):",
            "",
            table(measured),
            "",
            *(
                [
                    "Failures:",
                    "",
                    *[f"- {f['Method']} {f['Name']}: {f['Error']} × {f['Occurrences']}" for f in measured["failures"]],
                    "",
                ]
                if measured["failures"]
                else []
            ),
        ]
    )
    print(report)
    if not args.no_record:
        path = run.RESULTS_DIR / f"{started:%Y-%m-%d}-province-load.md"
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(report + "\n")
        run.log(f"recorded in {path}")
    return 0 if verdict == "met" else 1


if __name__ == "__main__":
    sys.exit(main())
