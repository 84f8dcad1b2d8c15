"""The worker (`manage.py run_worker`, a real process) is killed with SIGKILL while the portal holds a message
it has taken: the message stays "sending". A new worker takes it back once its lease is over and sends it
again with the same message ID: the portal recognises the copy, so every message is taken exactly once, in
order per dossier, and none is lost.

Runs on the suite's database: on PostgreSQL the test database itself (committed rows of a transactional test),
on SQLite a migrated file of its own (the test database lives in memory)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from motcua.core.testing import wait_until
from motcua.integrations.fakes.national_portal import FakeNationalPortal

from .support import LIFECYCLE_CODES

pytestmark = pytest.mark.django_db(transaction=True)

REPO = Path(__file__).resolve().parents[3]
PYTHON = str(Path(sys.executable))
DOSSIERS = 3

SETUP = (
    "from motcua.dossiers.tests.factories import World\n"
    "from motcua.integrations.tests.support import full_lifecycle\n"
    "world = World()\n"
    f"print(' '.join(full_lifecycle(world).code for _ in range({DOSSIERS})))\n"
)
REPORT = (
    "import json\n"
    "from motcua.integrations.models import IntegrationMessage as M\n"
    "print(json.dumps([[str(m.message_id), m.key, m.sequence, m.status, m.attempts] "
    "for m in M.objects.order_by('key', 'sequence')]))\n"
)


def _database_url(tmp_path) -> tuple[str, bool]:
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}", False
    return f"sqlite:///{tmp_path / 'worker.sqlite3'}", True


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory):
    if connection.vendor != "sqlite":
        return None
    folder = tmp_path_factory.mktemp("sqlite-template")
    path = folder / "template.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "motcua.test_settings", "DATABASE_URL": f"sqlite:///{path}"}
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=REPO, env=env, check=True, timeout=600)
    return path


@pytest.fixture
def fake():
    portal = FakeNationalPortal(port=0, client_id="motcua-worker", client_secret="bi-mat-worker").start()
    yield portal
    portal.control(hold_seconds=0)
    portal.stop()


def _env(url: str, tmp_path, portal) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "motcua.test_settings",
        "DATABASE_URL": url,
        "MOTCUA_VAR_DIR": str(tmp_path / "var"),
        "NATIONAL_PORTAL_URL": portal.url,
        "NATIONAL_PORTAL_CLIENT_ID": "motcua-worker",
        "NATIONAL_PORTAL_CLIENT_SECRET": "bi-mat-worker",
        "NATIONAL_PORTAL_TIMEOUT": "120",  # longer than the hold: the worker is still waiting when it is killed
        "INTEGRATION_SENDING_LEASE_SECONDS": "2",
        "INTEGRATION_BACKOFF_SECONDS": "0",
        "AUDIT_CHECKPOINT_MINUTES": "0",
    }
    env.pop("CACHE_URL", None)
    return env


def _shell(env, code: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def _worker(env, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, "manage.py", "run_worker", "--interval", "0.1"],
        cwd=REPO,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def test_a_worker_killed_mid_delivery_loses_nothing_and_duplicates_nothing(tmp_path, sqlite_template, fake):
    url, copy = _database_url(tmp_path)
    if copy:
        shutil.copyfile(sqlite_template, tmp_path / "worker.sqlite3")
    (tmp_path / "var").mkdir()
    env = _env(url, tmp_path, fake)
    codes = _shell(env, SETUP).split()
    total = DOSSIERS * len(LIFECYCLE_CODES)
    log = tmp_path / "worker.log"

    first = _worker(env, log)
    try:
        wait_until(lambda: len(fake.received) >= 5, timeout=120, message=lambda: log.read_text()[-3000:])
        fake.control(hold_seconds=60)  # the next message is taken, and its answer held back
        wait_until(lambda: fake.holding >= 1, timeout=60, message=lambda: log.read_text()[-3000:])
        taken_before_kill = len(fake.received)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == -signal.SIGKILL
    held_id = fake.received[-1]["message_id"]
    statuses = {row[0]: row[3] for row in json.loads(_shell(env, REPORT))}
    assert statuses[held_id] == "sending"  # taken by the portal, not known to us
    assert taken_before_kill < total

    fake.control(hold_seconds=0)
    second = _worker(env, log)
    try:
        wait_until(lambda: len(fake.received) >= total, timeout=180, message=lambda: log.read_text()[-3000:])

        def all_delivered():
            rows = json.loads(_shell(env, REPORT))
            return rows if all(row[3] == "delivered" for row in rows) else None

        rows = wait_until(all_delivered, timeout=60, interval=0.5, message=lambda: log.read_text()[-3000:])
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(timeout=30)
        except subprocess.TimeoutExpired:
            second.kill()
            second.wait()

    received = fake.received
    assert len(rows) == total == len(received)
    assert sorted(e["message_id"] for e in received) == sorted(row[0] for row in rows)  # none lost, none extra
    assert len({e["message_id"] for e in received}) == total  # each taken once
    by_id = {e["message_id"]: e for e in received}
    # Sent again after the kill (with those of its batch whose delivery was not recorded yet): the portal
    # recognised each copy by its message ID and took nothing twice.
    assert by_id[held_id]["deliveries"] == 2
    assert all(e["deliveries"] <= 2 for e in received)
    for code in codes:
        assert [e["status_code"] for e in received if e["dossier_code"] == code] == LIFECYCLE_CODES
    assert not any(e["out_of_order"] for e in received)
    held_row = next(row for row in rows if row[0] == held_id)
    assert held_row[4] == 2  # two attempts: the killed one and the one that completed
    assert all(row[4] <= 2 for row in rows)
