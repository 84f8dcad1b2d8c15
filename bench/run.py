#!/usr/bin/env python3
"""motcua benchmark harness.

    .venv/bin/python bench/run.py [--scenario NAME ...] [--duration S] [--connections C]
    make bench BENCH_ARGS="--scenario healthz --duration 20"

For each scenario: prepares the PostgreSQL database (create, migrate, load the scenario's data), then
measures, in the same run and under the same gunicorn configuration, a bare WSGI hello-world
(bench/hello_wsgi.py) and the application, each driven by wrk for a fixed time on 127.0.0.1.
Prints a table and appends it to bench/results/YYYY-MM-DD.md; raw wrk outputs go to bench/results/*.raw
(git-ignored). Every loop is bounded and every process it starts is stopped before it exits.
See docs/benchmarks.md for the method and the recorded figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
LUA_DIR = BENCH_DIR / "lua"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench"
NATIONAL_CATALOG = Path("motcua") / "catalog" / "data" / "national-catalog-2026-07.jsonl.gz"

# Realistic searches of the public catalogue: without and with diacritics, upper case, phrases, a code.
SEARCH_QUERIES = [
    "dau tu",
    "đầu tư",
    "ĐẦU TƯ",
    "giấy phép xây dựng",
    "giay phep xay dung",
    "1.009664",
    "đăng ký đầu tư",
    "chứng nhận đăng ký đầu tư",
    "lao động nước ngoài",
    "giấy phép lao động",
    "môi trường",
    "bảo vệ môi trường",
    "doanh nghiệp",
    "thành lập doanh nghiệp",
    "khu công nghiệp",
    "xuất xứ hàng hóa",
    "cấp lại",
    "điều chỉnh",
    "thẩm định",
    "phòng cháy chữa cháy",
    "đất đai",
    "hộ kinh doanh",
    "văn phòng đại diện",
    "quy hoạch",
]


# --------------------------------------------------------------------------------------------------- utils


def log(message: str) -> None:
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {message}", flush=True)


class BenchError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Context:
    args: argparse.Namespace
    env: dict[str, str]
    workdir: Path
    run_id: str
    app_root: Path = ROOT
    cache: dict = field(default_factory=dict)

    def manage(self, *argv: str, timeout: float = 3600, capture: bool = False) -> str:
        """Runs `manage.py ARGV` against the benchmark database (DEBUG off, generated SECRET_KEY)."""
        cmd = [sys.executable, str(self.app_root / "manage.py"), *argv]
        shown = " ".join(argv) if argv[0] != "shell" else "shell (Django snippet)"
        log(f"$ manage.py {shown}")
        proc = subprocess.run(
            cmd,
            cwd=self.app_root,
            env=self.env,
            timeout=timeout,
            text=True,
            stdout=subprocess.PIPE if capture else None,
            stderr=None,
            check=False,
        )
        if proc.returncode != 0:
            raise BenchError(f"manage.py {' '.join(argv)} failed with exit code {proc.returncode}")
        return proc.stdout or ""

    def django(self, code: str, timeout: float = 600):
        """Runs Python code with Django set up (the benchmark's settings); the code calls `out(value)` once
        and django() returns that value (passed as one JSON line, so nothing else on stdout can interfere)."""
        prelude = "import json\ndef out(value):\n    print('BENCH_OUT ' + json.dumps(value))\n"
        stdout = self.manage("shell", "--no-imports", "-c", prelude + code, timeout=timeout, capture=True)
        for line in stdout.splitlines():
            if line.startswith("BENCH_OUT "):
                return json.loads(line[len("BENCH_OUT ") :])
        raise BenchError(f"no result from the Django snippet:\n{code}\n{stdout[-1000:]}")


def ensure_database(database_url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(database_url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise BenchError("the benchmark runs on PostgreSQL: DATABASE_URL must be postgres://…")
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            log(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def vacuum_analyze(database_url: str) -> None:
    """After bulk loads, what autovacuum does soon after in production: the visibility map and the rows' commit
    hints set once (not by the first requests that read them), fresh planner statistics. A server with
    autovacuum off (some CI images) would otherwise never do it. Cheap when nothing changed: VACUUM skips
    the pages it already marked all-visible."""
    import psycopg

    t0 = time.monotonic()
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    log(f"VACUUM (ANALYZE) done in {time.monotonic() - t0:.1f} s")


# Server settings that move the write scenarios (docs/operations.md): recorded with every run.
POSTGRES_SETTINGS = ("shared_buffers", "max_wal_size", "synchronous_commit", "autovacuum", "jit")


def postgres_version(database_url: str) -> str:
    """The server's version and the settings that matter here, e.g. "15.19 (shared_buffers 2GB, ...)"."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        settings = ", ".join(f"{name} {conn.execute(f'SHOW {name}').fetchone()[0]}" for name in POSTGRES_SETTINGS)
    return f"{version} ({settings})"


# ------------------------------------------------------------------------------------------------ gunicorn


class Server:
    """A gunicorn process on 127.0.0.1; always stopped (TERM, then KILL of its own process group)."""

    def __init__(self, ctx: Context, app: str, label: str):
        self.ctx, self.app, self.label = ctx, app, label
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.log_path = ctx.workdir / f"gunicorn-{label}.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        a = self.ctx.args
        cmd = [
            str(Path(sys.executable).parent / "gunicorn"),
            self.app,
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(a.workers),
            "--worker-class",
            a.worker_class,
            "--log-level",
            "warning",
            "--backlog",
            "2048",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
        ]
        if a.worker_class == "gthread":
            cmd += ["--threads", str(a.threads)]
        return cmd

    def __enter__(self) -> Server:
        env = dict(self.ctx.env)
        # The caller's PYTHONPATH comes last: e.g. a directory holding a dependency that an old commit
        # (--commit) still imports but requirements.txt no longer installs (docs/benchmarks.md, "Older commits").
        env["PYTHONPATH"] = os.pathsep.join(
            [str(BENCH_DIR), str(self.ctx.app_root), *filter(None, [os.environ.get("PYTHONPATH")])]
        )
        with open(self.log_path, "w") as out:
            self.proc = subprocess.Popen(
                self.command(), cwd=self.ctx.app_root, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            self.wait_ready()
        except BaseException:
            self.__exit__()  # a server that never answered is stopped too (no __exit__ after a failed __enter__)
            raise
        return self

    def wait_ready(self, timeout: float = 180) -> None:
        url = self.base + ("/healthz" if self.app.startswith("motcua") else "/")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"gunicorn ({self.label}) exited: see {self.log_path}\n{self.log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)
        raise BenchError(f"gunicorn ({self.label}) did not answer {url} within {timeout:.0f} s")

    def __exit__(self, *exc) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=15)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=5)


# ----------------------------------------------------------------------------------------------------- wrk


@dataclass
class Load:
    """What wrk sends: a path (the URL), a Lua script, and the lines the script rotates over."""

    path: str
    script: str = "get.lua"
    lines: list[str] = field(default_factory=list)
    random: bool = False
    token: str = ""
    accept: str = "text/html,application/json"  # a browser's Accept; API scenarios send an API client's
    expect_status: int = 200
    # Optional: a sanity request made before the measurement (method, path, body) -> checked by `check`.
    probe: tuple[str, str, bytes | None] | None = None
    check: Callable[[int, bytes], str | None] | None = None
    # Optional: called after the measurement with the number of requests sent to the app; returns a note.
    verify: Callable[[int], str] | None = None


@dataclass
class Measure:
    requests: int
    seconds: float
    errors: dict[str, int]
    latency_us: dict[str, float]
    raw_path: Path
    app_cpu_s: float = 0.0  # CPU time of the gunicorn workers during the run
    db_cpu_s: float = 0.0  # CPU time of the PostgreSQL backends of the benchmark database during the run

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def ms(self, key: str) -> float:
        return self.latency_us[key] / 1000.0

    def cpu_ms_per_request(self) -> tuple[float, float]:
        """(app, database) CPU milliseconds per request: unlike req/s, hardly affected by other work on the machine."""
        if not self.requests:
            return 0.0, 0.0
        return self.app_cpu_s * 1000 / self.requests, self.db_cpu_s * 1000 / self.requests


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_cpu_seconds(pid: int) -> float:
    """utime + stime of one process from /proc (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def child_pids(parent: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == parent:
                    pids.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return pids


def database_backend_pids(database_url: str) -> list[int]:
    import psycopg

    name = urllib.parse.urlsplit(database_url).path.lstrip("/")
    with psycopg.connect(database_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
            [name],
        ).fetchall()
    return [r[0] for r in rows]


class CpuMeter:
    """CPU time used during a run by the server's workers and by the database's backends (same machine)."""

    def __init__(self, server_pid: int | None, database_url: str | None):
        self.server_pid, self.database_url = server_pid, database_url

    def snapshot(self) -> tuple[dict[int, float], dict[int, float]]:
        app = {pid: process_cpu_seconds(pid) for pid in child_pids(self.server_pid)} if self.server_pid else {}
        db = {pid: process_cpu_seconds(pid) for pid in database_backend_pids(self.database_url)} if self.database_url else {}
        return app, db

    @staticmethod
    def delta(before: dict[int, float], after: dict[int, float]) -> float:
        return sum(max(0.0, cpu - before.get(pid, 0.0)) for pid, cpu in after.items())


def run_wrk(ctx: Context, base: str, load: Load, label: str, duration: int, meter: CpuMeter | None = None) -> Measure:
    a = ctx.args
    env = dict(os.environ)
    env["BENCH_LUA_DIR"] = str(LUA_DIR)
    env["BENCH_RUN_ID"] = f"{ctx.run_id}-{label}"
    env["BENCH_RANDOM"] = "1" if load.random else "0"
    env["BENCH_TOKEN"] = load.token
    env["BENCH_ACCEPT"] = load.accept
    lines_file = ""
    if load.lines:
        lines_path = ctx.workdir / f"lines-{label}.txt"
        lines_path.write_text("\n".join(load.lines) + "\n", encoding="utf-8")
        lines_file = str(lines_path)
    env["BENCH_LINES"] = lines_file
    cmd = [
        "wrk",
        "--threads",
        str(a.threads_wrk),
        "--connections",
        str(a.connections),
        "--duration",
        f"{duration}s",
        "--timeout",
        "10s",
        "--script",
        str(LUA_DIR / load.script),
        base + load.path,
    ]
    before = meter.snapshot() if meter else ({}, {})
    proc = subprocess.run(cmd, env=env, text=True, capture_output=True, timeout=duration + 60, check=False)
    after = meter.snapshot() if meter else ({}, {})
    stamp = dt.datetime.now().strftime("%Y-%m-%dT%H%M%S")
    raw_path = (ctx.workdir if label.endswith("warmup") else RESULTS_DIR) / f"{stamp}-{label}.raw"
    raw_path.write_text(f"$ {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}", encoding="utf-8")
    if proc.returncode != 0:
        raise BenchError(f"wrk failed ({proc.returncode}): {proc.stderr.strip()}")
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            data = json.loads(line[len("BENCH_JSON ") :])
            return Measure(
                requests=data["requests"],
                seconds=data["duration_us"] / 1e6,
                errors=data["errors"],
                latency_us=data["latency_us"],
                raw_path=raw_path,
                app_cpu_s=CpuMeter.delta(before[0], after[0]),
                db_cpu_s=CpuMeter.delta(before[1], after[1]),
            )
    raise BenchError(f"wrk printed no BENCH_JSON line; see {raw_path}")


def probe(base: str, load: Load) -> None:
    """One request before measuring: proves the scenario does what it claims (status, content)."""
    if load.probe is None:
        method, path, body = "GET", load.path if not load.lines else load.lines[0], None
    else:
        method, path, body = load.probe
    headers = {"Accept": load.accept}  # what wrk will send
    if load.token:
        headers["Authorization"] = f"Token {load.token}"
    if body is not None:
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(base + path, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            status, content = resp.status, resp.read()
    except urllib.error.HTTPError as err:
        status, content = err.code, err.read()
    if status != load.expect_status:
        raise BenchError(f"probe {method} {path} → {status} (expected {load.expect_status}): {content[:500]!r}")
    if load.check is not None:
        problem = load.check(status, content)
        if problem:
            raise BenchError(f"probe {method} {path}: {problem}")


# ----------------------------------------------------------------------------------------------- scenarios


@dataclass
class Scenario:
    name: str
    description: str
    goal: str
    prepare: Callable[[Context], Load]
    judge: Callable[[Measure], bool] | None = None


def prepare_healthz(ctx: Context) -> Load:
    def check(status: int, content: bytes) -> str | None:
        data = json.loads(content)
        return None if data == {"status": "ok", "database": "ok"} else f"unexpected body {data}"

    return Load(path="/healthz", check=check)


def _count(ctx: Context, model_path: str, filter_code: str = "") -> int:
    module, name = model_path.rsplit(".", 1)
    return int(ctx.django(f"from {module} import {name}\nout({name}.objects{filter_code}.count())"))


def ensure_national_catalog(ctx: Context) -> int:
    count = _count(ctx, "motcua.catalog.models.Procedure")
    if count < ctx.args.min_procedures:
        if not (ctx.app_root / NATIONAL_CATALOG).exists():
            raise BenchError(f"{NATIONAL_CATALOG} is missing (catalog app not ready)")
        t0 = time.monotonic()
        ctx.manage("import_national_catalog", str(NATIONAL_CATALOG))
        log(f"national catalogue imported in {time.monotonic() - t0:.0f} s")
        count = _count(ctx, "motcua.catalog.models.Procedure")
    log(f"{count} procedures in the catalogue")
    return count


def search_paths(prefix: str, param: str) -> list[str]:
    return [f"{prefix}?{urllib.parse.urlencode({param: q})}" for q in SEARCH_QUERIES]


def prepare_catalog_search(ctx: Context) -> Load:
    ensure_national_catalog(ctx)
    paths = search_paths("/thu-tuc/", "q")

    def check(status: int, content: bytes) -> str | None:
        text = content.decode("utf-8", "replace").lower()
        return None if "đầu tư" in text else "the page for 'dau tu' does not show any 'đầu tư' procedure"

    return Load(path="/thu-tuc/", lines=paths, probe=("GET", paths[0], None), check=check)


def prepare_catalog_search_api(ctx: Context) -> Load:
    ensure_national_catalog(ctx)
    paths = search_paths("/api/v1/procedures/", "search")

    def check(status: int, content: bytes) -> str | None:
        data = json.loads(content)
        results = data.get("results", data) if isinstance(data, dict) else data
        if not results:
            return "no result for 'dau tu'"
        return None

    return Load(path="/api/v1/procedures/", lines=paths, accept="application/json", probe=("GET", paths[0], None), check=check)


def ensure_staff_token(ctx: Context) -> tuple[str, str]:
    """A one-stop officer with a DRF token (seed_demo creates the agency and one user per role).
    Returns (username, token key)."""
    if "staff" in ctx.cache:
        return ctx.cache["staff"]
    code = (
        "from motcua.core.models import User\n"
        "from motcua.core.roles import Role\n"
        "from rest_framework.authtoken.models import Token\n"
        "u = User.objects.filter(is_active=True, is_superuser=False, groups__name=Role.ONE_STOP_OFFICER)"
        ".order_by('id').first()\n"
        "t, _ = Token.objects.get_or_create(user=u)\n"
        "out([u.username, t.key])\n"
    )
    username, key = ctx.django(code)
    log(f"API token of one-stop officer {username}")
    ctx.cache["staff"] = (username, key)
    return username, key


def dossier_count(ctx: Context) -> int:
    return _count(ctx, "motcua.dossiers.models.Dossier")


def ensure_dossiers(ctx: Context) -> int:
    target = ctx.args.dossiers
    count = dossier_count(ctx)
    if count < target:
        missing = target - count
        t0 = time.monotonic()
        # A different seed for every top-up, so a second batch is not a copy of the first.
        ctx.manage("generate_dossiers", "--count", str(missing), "--seed", str(2021 + count), timeout=ctx.args.generate_timeout)
        log(f"generated {missing} dossiers in {time.monotonic() - t0:.0f} s")
        count = dossier_count(ctx)
    log(f"{count} dossiers in the database")
    ctx.env["BENCH_DOSSIER_COUNT"] = str(count)
    return count


def sample_dossier_codes(ctx: Context, username: str, n: int = 20000) -> list[str]:
    """Random codes of dossiers the officer may read (those of the officer's agency)."""
    # TABLESAMPLE reads a random fraction of the table's pages: fast on 1,000,000 rows, spread over all of it.
    code = (
        "from django.db import connection\n"
        "from motcua.core.models import User\n"
        "from motcua.dossiers.models import Dossier\n"
        f"n = {n}\n"
        f"u = User.objects.select_related('unit').get(username={username!r})\n"
        "agency_id = u.unit.agency_id if u.unit_id else None\n"
        "table = Dossier._meta.db_table\n"
        "total = Dossier.objects.count()\n"
        "pct = min(100.0, max(0.01, 100.0 * n * 2 / max(total, 1)))\n"
        "where = 'WHERE agency_id = %s' if agency_id else 'WHERE %s IS NULL'\n"
        "with connection.cursor() as c:\n"
        "    c.execute(f'SELECT code FROM {table} TABLESAMPLE SYSTEM (%s) {where} LIMIT %s', [pct, agency_id, n])\n"
        "    codes = [r[0] for r in c.fetchall()]\n"
        "    if len(codes) < min(n, total) // 2:\n"
        "        c.execute(f'SELECT code FROM {table} {where} ORDER BY random() LIMIT %s', [agency_id, n])\n"
        "        codes = [r[0] for r in c.fetchall()]\n"
        "out(codes)\n"
    )
    codes = ctx.django(code)
    if not codes:
        raise BenchError("no dossier code to read")
    log(f"{len(codes)} random dossier codes sampled")
    return codes


def prepare_dossier_read(ctx: Context) -> Load:
    username, token = ensure_staff_token(ctx)
    ensure_dossiers(ctx)
    codes = sample_dossier_codes(ctx, username)
    paths = [f"/api/v1/dossiers/{urllib.parse.quote(c)}/" for c in codes]

    def check(status: int, content: bytes) -> str | None:
        data = json.loads(content)
        return None if data.get("code") == codes[0] else f"read returned {str(data)[:200]}"

    return Load(
        path="/api/v1/dossiers/",
        lines=paths,
        random=True,
        token=token,
        accept="application/json",
        probe=("GET", paths[0], None),
        check=check,
    )


def intake_procedure_codes(ctx: Context, username: str) -> list[str]:
    """Codes of procedures in force that take dossiers at the counter, preferably of the officer's agency."""
    code = (
        "from motcua.catalog.selectors import procedure_versions_in_force\n"
        "from motcua.core.models import User\n"
        f"u = User.objects.select_related('unit').get(username={username!r})\n"
        "qs = procedure_versions_in_force().filter(channel_counter=True)\n"
        "mine = qs.filter(agency_id=u.unit.agency_id) if u.unit_id else qs.none()\n"
        "qs = mine if mine.exists() else qs\n"
        "out(list(qs.order_by('procedure__code').values_list('procedure__code', flat=True)[:60]))\n"
    )
    return ctx.django(code)


def citizen_id(i: int) -> str:
    """12-digit citizen ID: province code, century/sex digit, year of birth, 6 random digits."""
    provinces = ["001", "079", "048", "031", "092", "046", "038", "040", "052", "075"]
    province = provinces[i % len(provinces)]
    year = 1960 + (i * 7) % 45
    sex_century = ("0" if year < 2000 else "2") if i % 2 == 0 else ("1" if year < 2000 else "3")
    return f"{province}{sex_century}{year % 100:02d}{(i * 7919) % 1_000_000:06d}"


FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Quốc", "Ngọc", "Hữu", "Đức"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Linh", "Nam", "Phương", "Quân", "Thảo"]


def intake_bodies(procedures: list[str], n: int = 500) -> list[str]:
    bodies = []
    for i in range(n):
        name = f"{FAMILY[i % len(FAMILY)]} {MIDDLE[(i // 3) % len(MIDDLE)]} {GIVEN[(i // 7) % len(GIVEN)]}"
        body = {
            "procedure": procedures[i % len(procedures)],
            "channel": "counter",
            "applicant": {
                "kind": "individual",
                "full_name": name,
                "id_number": citizen_id(i),
                "phone": f"09{(i * 104729) % 100_000_000:08d}",
                "email": f"congdan{i}@example.vn",
                "address": f"Số {i % 300 + 1}, đường Hùng Vương, phường Quảng Phú, tỉnh Quảng Ngãi",
            },
        }
        bodies.append(json.dumps(body, ensure_ascii=False))
    return bodies


def prepare_dossier_intake(ctx: Context) -> Load:
    username, token = ensure_staff_token(ctx)
    ensure_dossiers(ctx)
    procedures = intake_procedure_codes(ctx, username)
    if not procedures:
        raise BenchError("no procedure to receive a dossier for")
    bodies = intake_bodies(procedures)
    before = dossier_count(ctx)

    def check(status: int, content: bytes) -> str | None:
        data = json.loads(content)
        missing = [k for k in ("code", "status", "status_code", "received_at", "due_at") if k not in data]
        return f"201 without {missing}" if missing else None

    def verify(sent: int) -> str:
        created = dossier_count(ctx) - before
        # wrk counts the responses it read before stopping; a few requests still in flight may complete after.
        return (
            f"dossier_intake: {created:,} dossiers created in the database for {sent:,} responses counted by wrk "
            f"(probe, warm-up and measured runs; in-flight requests at each stop may add up to "
            f"{ctx.args.connections} per run)" + ("" if created >= sent else " — FEWER dossiers than responses")
        )

    # The probe body is the first line; wrk then sends all of them, each with a new Idempotency-Key.
    return Load(
        path="/api/v1/dossiers/",
        script="post_json.lua",
        lines=bodies,
        token=token,
        expect_status=201,
        probe=("POST", "/api/v1/dossiers/", bodies[0].encode("utf-8")),
        check=check,
        verify=verify,
    )


def median_run(runs: list[Measure]) -> Measure:
    return sorted(runs, key=lambda m: m.rps)[(len(runs) - 1) // 2]


def at_least_rps(limit: float) -> Callable[[Measure], bool]:
    return lambda m: m.rps >= limit and m.error_count == 0


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in [
        Scenario("healthz", "GET /healthz (Django + SELECT 1 on PostgreSQL)", "none (yardstick)", prepare_healthz),
        Scenario(
            "catalog_search",
            "GET /thu-tuc/?q=… public search page, 24 queries rotated, national catalogue",
            "p95 < 20 ms",
            prepare_catalog_search,
            lambda m: m.ms("p95") < 20 and m.error_count == 0,
        ),
        Scenario(
            "catalog_search_api",
            "GET /api/v1/procedures/?search=…, 24 queries rotated, national catalogue",
            "p95 < 20 ms",
            prepare_catalog_search_api,
            lambda m: m.ms("p95") < 20 and m.error_count == 0,
        ),
        Scenario(
            "dossier_intake",
            "POST /api/v1/dossiers/ (counter intake, staff token)",
            "≥ 400 req/s",
            prepare_dossier_intake,
            at_least_rps(400),
        ),
        Scenario(
            "dossier_read",
            "GET /api/v1/dossiers/{code}/ over random existing codes (staff token)",
            "≥ 1,000 req/s and p99 < 50 ms",
            prepare_dossier_read,
            lambda m: m.rps >= 1000 and m.ms("p99") < 50 and m.error_count == 0,
        ),
    ]
}
HELLO = Load(path="/")


# ----------------------------------------------------------------------------------------------- reporting


def machine_description(database_url: str) -> str:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{mem_kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        mem = "? RAM"
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem}, Linux {platform.release()}, Python {platform.python_version()}, "
        f"PostgreSQL {postgres_version(database_url)}"
    )


def git(*argv: str) -> str:
    try:
        return subprocess.run(["git", *argv], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def export_commit(rev: str, dest: Path) -> str:
    """Extracts `rev` (git archive) into dest, so the benchmark measures a commit and not a working tree
    that other people may be editing. Returns the short commit id."""
    commit = git("rev-parse", "--short", f"{rev}^{{commit}}")
    if not commit:
        raise BenchError(f"unknown git revision {rev}")
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=ROOT, capture_output=True, timeout=300, check=False)
    if archive.returncode != 0:
        raise BenchError(f"git archive {commit} failed: {archive.stderr.decode(errors='replace')}")
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, timeout=300, check=True)
    # Compiled once here: the servers run with PYTHONDONTWRITEBYTECODE, so otherwise each worker compiles every
    # module it imports at start (more than a minute on a busy 2-core machine).
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j", "0", str(dest / "motcua")],
        timeout=600,
        check=False,
        stdout=subprocess.DEVNULL,
    )
    return commit


def describe_code(args: argparse.Namespace, commit: str) -> str:
    if args.commit:
        return f"commit {commit} (exported with git archive)"
    dirty = " + uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else ""
    return f"working tree at commit {git('rev-parse', '--short', 'HEAD') or '?'}{dirty}"


def table(rows: list[tuple[str, str, Measure, str]]) -> str:
    head = (
        "| scenario | server | req/s | p50 ms | p95 ms | p99 ms | errors | CPU ms/req (app + db) | goal |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---|\n"
    )
    body = ""
    for scenario, server, m, goal in rows:
        app_cpu, db_cpu = m.cpu_ms_per_request()
        body += (
            f"| {scenario} | {server} | {m.rps:,.0f} | {m.ms('p50'):.1f} | {m.ms('p95'):.1f} | {m.ms('p99'):.1f} | "
            f"{m.error_count} | {app_cpu:.2f} + {db_cpu:.2f} | {goal} |\n"
        )
    return head + body


def write_results(ctx: Context, header: str, rows: list[tuple[str, str, Measure, str]], notes: list[str]) -> Path:
    path = RESULTS_DIR / f"{dt.date.today():%Y-%m-%d}.md"
    with open(path, "a", encoding="utf-8") as f:
        f.write(header + "\n" + table(rows) + "\n")
        for note in notes:
            f.write(f"- {note}\n")
        f.write("\n")
    return path


# ---------------------------------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scenario", action="append", choices=sorted(SCENARIOS), help="repeatable; default: healthz")
    p.add_argument("--duration", type=int, default=15, help="seconds of measurement per server (default 15)")
    p.add_argument("--warmup", type=int, default=3, help="seconds of unmeasured load before each measurement")
    p.add_argument("--repeat", type=int, default=3, help="alternate baseline/app runs this many times (median)")
    p.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    p.add_argument("--threads-wrk", type=int, default=2, help="wrk threads (default 2)")
    p.add_argument("--workers", type=int, default=4, help="gunicorn workers, 2–4 on a 2-core machine (default 4)")
    p.add_argument(
        "--worker-class",
        choices=["sync", "gthread"],
        default="gthread",
        help="gthread keeps connections alive (default); sync closes them after each response",
    )
    p.add_argument("--threads", type=int, default=1, help="threads per gthread worker (default 1)")
    p.add_argument("--dossiers", type=int, default=1_000_000, help="dossiers the dossier scenarios need (default 1,000,000)")
    p.add_argument(
        "--min-procedures",
        type=int,
        default=5000,
        help="import the national catalogue when fewer procedures exist (default 5000)",
    )
    p.add_argument("--generate-timeout", type=int, default=3600, help="seconds allowed to generate dossiers")
    p.add_argument(
        "--app-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for the app, e.g. DB_CONN_MAX_AGE=0",
    )
    p.add_argument(
        "--commit",
        metavar="REV",
        help="measure this git revision (exported to a temporary directory) instead of the working tree, e.g. --commit HEAD",
    )
    p.add_argument("--no-record", action="store_true", help="do not append to bench/results/")
    args = p.parse_args(argv)
    if args.duration < 1 or args.duration > 600:
        p.error("--duration must be between 1 and 600 seconds")
    if not 1 <= args.connections <= 1000:
        p.error("--connections must be between 1 and 1000")
    if not 1 <= args.repeat <= 10:
        p.error("--repeat must be between 1 and 10")
    args.scenario = args.scenario or ["healthz"]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    if urllib.parse.urlsplit(database_url).hostname not in {"127.0.0.1", "localhost", "::1"}:
        print("the benchmark only runs against a local PostgreSQL (127.0.0.1)", file=sys.stderr)
        return 2
    RESULTS_DIR.mkdir(exist_ok=True)
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "AUDIT_HMAC_KEY": os.environ.get("AUDIT_HMAC_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SETTINGS_MODULE": "motcua.settings",
            "LOG_LEVEL": "WARNING",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    for item in args.app_env:
        key, _, value = item.partition("=")
        env[key] = value
    started = dt.datetime.now().astimezone()
    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as tmp:
        ctx = Context(args=args, env=env, workdir=Path(tmp), run_id=started.strftime("%Y%m%d%H%M%S"))
        commit = ""
        if args.commit:
            ctx.app_root = Path(tmp) / "src"
            commit = export_commit(args.commit, ctx.app_root)
            log(f"measuring commit {commit} exported to {ctx.app_root}")
        code_description = describe_code(args, commit)
        ensure_database(database_url)
        ctx.manage("migrate", "--noinput", "-v", "0")
        # The demo first, always: its catalog gives the Board the timed procedures the dossier generator
        # needs, and it skips codes already loaded, so it must run before the national import.
        ctx.manage("seed_demo", capture=True)
        machine = machine_description(database_url)
        if "shared_buffers 128MB" in machine:
            log(
                "note: PostgreSQL runs with its default shared_buffers (128MB); with a million dossiers the "
                "write scenarios then evict dirty pages in the request path (docs/operations.md, PostgreSQL)"
            )
        load_before = os.getloadavg()
        rows: list[tuple[str, str, Measure, str]] = []
        notes: list[str] = []
        for name in args.scenario:
            scenario = SCENARIOS[name]
            log(f"scenario {name}: {scenario.description}")
            load = scenario.prepare(ctx)
            vacuum_analyze(database_url)
            # Both servers run side by side with the same gunicorn settings (an idle server costs nothing);
            # wrk alternates baseline and app, `--repeat` times, and the median run (by req/s) is reported.
            with Server(ctx, "hello_wsgi:application", "hello") as hello, Server(ctx, "motcua.wsgi:application", "app") as app:
                probe(app.base, load)
                sent = 1
                if args.warmup:
                    run_wrk(ctx, hello.base, HELLO, f"{name}-hello-warmup", args.warmup)
                    sent += run_wrk(ctx, app.base, load, f"{name}-app-warmup", args.warmup).requests
                hello_runs, app_runs = [], []
                hello_meter = CpuMeter(hello.proc.pid, None)
                app_meter = CpuMeter(app.proc.pid, database_url)
                for r in range(args.repeat):
                    hello_runs.append(run_wrk(ctx, hello.base, HELLO, f"{name}-hello-{r + 1}", args.duration, hello_meter))
                    app_runs.append(run_wrk(ctx, app.base, load, f"{name}-app-{r + 1}", args.duration, app_meter))
                    sent += app_runs[-1].requests
                    log(
                        f"  run {r + 1}/{args.repeat}: hello-world {hello_runs[-1].rps:,.0f} req/s, "
                        f"{name} {app_runs[-1].rps:,.0f} req/s, p95 {app_runs[-1].ms('p95'):.1f} ms, "
                        f"p99 {app_runs[-1].ms('p99'):.1f} ms"
                    )
            baseline, measured = median_run(hello_runs), median_run(app_runs)
            if load.verify is not None:
                notes.append(load.verify(sent))
                log("  " + notes[-1])
            if args.repeat > 1:
                notes.append(
                    f"{name}: req/s of each run — hello-world "
                    f"{', '.join(f'{m.rps:,.0f}' for m in hello_runs)}; motcua "
                    f"{', '.join(f'{m.rps:,.0f}' for m in app_runs)} (median run reported)"
                )
            verdict = "n/a" if scenario.judge is None else ("met" if scenario.judge(measured) else "NOT met")
            log(
                f"  {name}: {measured.rps:,.0f} req/s, p95 {measured.ms('p95'):.1f} ms, "
                f"p99 {measured.ms('p99'):.1f} ms, errors {measured.error_count} → goal {scenario.goal}: {verdict}"
            )
            rows.append((name, "hello-world (baseline)", baseline, ""))
            rows.append((name, "motcua", measured, f"{scenario.goal}: {verdict}"))
            if measured.error_count:
                notes.append(f"{name}: wrk errors {measured.errors}")
            if "BENCH_DOSSIER_COUNT" in ctx.env and name.startswith("dossier"):
                notes.append(f"{name}: {int(ctx.env['BENCH_DOSSIER_COUNT']):,} dossiers in the database")
        load_after = os.getloadavg()
    gunicorn = f"gunicorn {args.workers} {args.worker_class} workers" + (
        f" × {args.threads} threads" if args.worker_class == "gthread" else ""
    )
    header = (
        f"## {started:%Y-%m-%d %H:%M %Z} — {code_description}\n\n"
        f"- machine: {machine}\n"
        f"- command: `bench/run.py {' '.join(argv if argv is not None else sys.argv[1:])}`\n"
        f"- {gunicorn}; wrk {args.threads_wrk} threads, {args.connections} connections, "
        f"{args.duration} s measured after {args.warmup} s warm-up, {args.repeat} run(s) each; DEBUG off; "
        f"DB_CONN_MAX_AGE={env.get('DB_CONN_MAX_AGE', '600 (default)')}\n"
        f"- load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f} (machine shared with other work)\n"
    )
    print()
    print(header)
    print(table(rows))
    for note in notes:
        print(f"- {note}")
    if not args.no_record:
        path = write_results(ctx, header, rows, notes)
        log(f"results appended to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as err:
        print(f"bench: {err}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
