"""DVCQG sync throughput: messages per second the integration outbox delivers to the fake national portal, next
to the intake rate of the same run (dossiers received per second through `dossier_receive`, each queuing one
message), and the intake rate with the portal not configured (the cost of building the message).

Phases, on one throwaway database:
1. intake of N counter dossiers with NATIONAL_PORTAL_URL unset (baseline: nothing queued);
2. intake of N counter dossiers with it set (one message each, queued in the intake's transaction);
3. delivery of those N messages by `deliver_due` (one worker, as `run_worker` does) to the fake portal over HTTP;
4. PostgreSQL only: intake of N more dossiers at full speed while a worker thread delivers, then the backlog at
   the end of the intake and the time to empty it (does the outbox keep up?).

Usage:  .venv/bin/python bench/integration_sync.py [--dossiers 500] [--no-write]
        DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python bench/integration_sync.py

The data goes into a throwaway test database (SQLite in memory by default; with DATABASE_URL, Django's
test_<name> database, dropped at the end). Appends to bench/results/integration-sync-<date>.txt unless --no-write.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.test_settings")


class _FakeProcess:
    """`manage.py fake_national_portal` in a process of its own (its schema checks do not share our CPU time
    slice the way a thread would)."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "manage.py", "fake_national_portal", "--port", str(self.port)]
        command += ["--client-id", "bench", "--client-secret", "bench-secret"]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                self.received()
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.2)

    def received(self) -> list:
        with urllib.request.urlopen(f"{self.url}/_received", timeout=10) as answer:
            return json.load(answer)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def _intake(world, n: int) -> float:
    from motcua.dossiers.tests.factories import receive

    started = time.perf_counter()
    for _ in range(n):
        receive(world, channel="counter")
    return time.perf_counter() - started


def _deliver_all() -> tuple[float, int]:
    from motcua.integrations.services import deliver_due

    started, delivered = time.perf_counter(), 0
    while True:
        done = deliver_due(limit=500)
        delivered += done["delivered"]
        if not any(done.values()):
            return time.perf_counter() - started, delivered


def _concurrent(world, n: int) -> str:
    """Intake at full speed while a worker thread delivers; the backlog when the intake ends."""
    from django.db import connection

    from motcua.integrations.models import IntegrationMessage
    from motcua.integrations.services import deliver_due

    stop = threading.Event()
    delivered = [0]

    def worker():
        try:
            while not stop.is_set():
                done = deliver_due(limit=100)
                delivered[0] += done["delivered"]
                if not any(done.values()):
                    time.sleep(0.05)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    took = _intake(world, n)
    backlog = IntegrationMessage.objects.exclude(status="delivered").count()
    started = time.perf_counter()
    while IntegrationMessage.objects.exclude(status="delivered").exists():
        time.sleep(0.05)
    drained = time.perf_counter() - started
    stop.set()
    thread.join()
    return (
        f"concurrent: intake {n} in {took:.2f} s ({n / took:.1f} dossiers/s) with a worker delivering; "
        f"backlog when the intake ended {backlog} messages, emptied {drained:.2f} s later"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dossiers", type=int, default=500)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    portal = _FakeProcess()
    lines = []
    n = args.dossiers
    try:
        from motcua.dossiers.tests.factories import World

        world = World()
        settings.NATIONAL_PORTAL_CLIENT_ID, settings.NATIONAL_PORTAL_CLIENT_SECRET = "bench", "bench-secret"
        settings.INTEGRATION_BACKOFF_SECONDS = 0
        _intake(world, min(n, 50))  # warm-up: caches, prepared statements, first imports
        # Alternating rounds (off, on, on, off, ...), the median of each: the machine's load changes during a run.
        rounds, per_round = 6, max(n // 6, 1)
        times: dict[str, list[float]] = {"off": [], "on": []}
        for r in range(rounds):
            for mode in ("off", "on") if r % 2 == 0 else ("on", "off"):
                settings.NATIONAL_PORTAL_URL = portal.url if mode == "on" else ""
                times[mode].append(_intake(world, per_round) / per_round)
        off, on = statistics.median(times["off"]), statistics.median(times["on"])
        queued = rounds * per_round
        lines.append(
            f"intake without the portal: {1000 * off:.2f} ms per dossier ({1 / off:.1f} dossiers/s), "
            f"median of {rounds} alternating rounds of {per_round}"
        )
        lines.append(
            f"intake with the portal: {1000 * on:.2f} ms per dossier ({1 / on:.1f} dossiers/s, "
            f"{(on / off - 1) * 100:+.0f} % time per intake), {queued} messages queued"
        )
        n, with_sync = queued, on * queued
        settings.NATIONAL_PORTAL_URL = portal.url
        took, delivered = _deliver_all()
        assert delivered == n == len(portal.received()), (delivered, n, len(portal.received()))
        lines.append(
            f"delivery: {delivered} messages to the fake portal in {took:.2f} s ({delivered / took:.1f} messages/s, "
            "one worker, HTTP keep-alive)"
        )
        lines.append(f"ratio delivery/intake: {(delivered / took) / (n / with_sync):.2f}")
        if connection.vendor == "postgresql":
            lines.append(_concurrent(world, n))
        for line in lines:
            print(line, flush=True)
    finally:
        portal.stop()
        connection.creation.destroy_test_db(old_name, verbosity=0)

    header = (
        f"# integration sync — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {connection.vendor}, {platform.python_version()}, "
        f"load {os.getloadavg()[0]:.2f}, {os.cpu_count()} CPUs"
    )
    report = "\n".join([header, *lines])
    print(report)
    if not args.no_write:
        out = ROOT / "bench" / "results" / f"integration-sync-{date.today():%Y-%m-%d}.txt"
        with out.open("a") as fh:
            fh.write(report + "\n\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
