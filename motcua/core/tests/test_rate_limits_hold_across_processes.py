"""The documented limits hold under the documented production command: gunicorn with four worker processes,
DEBUG off, default settings (no shared cache). Requests from one address are sent concurrently, so they land
on several workers; exactly the limit is answered, the rest get 429.

Runs on the database the suite runs on: on PostgreSQL the server uses the test database itself (committed rows
of a transactional test), on SQLite a migrated file of its own (the test database lives in memory)."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection

from motcua.core.testing import wait_until
from motcua.core.transitions import SYSTEM

REPO = Path(__file__).resolve().parents[3]
PYTHON = str(Path(sys.executable))
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(tmp_path) -> tuple[str, bool]:
    """(DATABASE_URL for the server, whether it still needs migrating)."""
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}", False
    return f"sqlite:///{tmp_path / 'server.sqlite3'}", True


def _env(url, var_dir) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "motcua.test_settings",
        "DEBUG": "0",
        "DATABASE_URL": url,
        "MOTCUA_VAR_DIR": str(var_dir),
        "SECRET_KEY": "test-only-multi-process",
        "BEHIND_PROXY": "0",
    }
    env.pop("CACHE_URL", None)  # the default settings: per-process cache
    return env


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory):
    """SQLite: one migrated file with an agency, copied for each test (migrating takes a while)."""
    if connection.vendor != "sqlite":
        return None
    folder = tmp_path_factory.mktemp("sqlite-template")
    path = folder / "template.sqlite3"
    env = _env(f"sqlite:///{path}", folder)
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=REPO, env=env, check=True, timeout=300)
    subprocess.run(
        [
            PYTHON,
            "manage.py",
            "shell",
            "-c",
            "from motcua.core.services import agency_create; from motcua.core.transitions import SYSTEM; "
            "agency_create(actor=SYSTEM, name='Ban Quản lý Khu kinh tế', "
            "short_name='BQL', code='H15.50')",
        ],
        cwd=REPO,
        env=env,
        check=True,
        timeout=120,
    )
    return path


@pytest.fixture
def server(transactional_db, tmp_path, sqlite_template):
    url, needs_migrate = _database_url(tmp_path)
    env = _env(url, tmp_path / "var")
    (tmp_path / "var").mkdir()
    if needs_migrate:
        shutil.copyfile(sqlite_template, tmp_path / "server.sqlite3")
    else:
        from motcua.core.services import agency_create

        agency_create(actor=SYSTEM, name="Ban Quản lý Khu kinh tế", short_name="BQL", code="H15.50")
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    proc = subprocess.Popen(
        [GUNICORN, "motcua.wsgi", "-w", "4", "-b", f"127.0.0.1:{port}", "--timeout", "60"],
        cwd=REPO,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )

    def healthy() -> bool:
        assert proc.poll() is None, log.read_text()[-3000:]
        try:
            return _request(port, "GET", "/healthz")[0] == 200
        except OSError:
            return False

    try:
        wait_until(healthy, timeout=180, interval=0.3, message=lambda: "gunicorn did not start: " + log.read_text()[-3000:])
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        connection.close()


def _request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace"), response.getheader("Set-Cookie") or ""
    finally:
        conn.close()


def _csrf(port) -> str:
    status, body, cookie = _request(port, "GET", "/tra-cuu/")
    assert status == 200
    return re.search(r"csrftoken=([A-Za-z0-9]+)", cookie).group(1)


def _concurrently(n, send, threads=12):
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(send, range(n)))


def test_sixty_failed_lookups_from_one_address_get_exactly_ten_answers(server):
    token = _csrf(server)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={token}"}

    def send(i):
        body = urlencode({"csrfmiddlewaretoken": token, "ma": f"H15.50-260101-{i:04d}", "xac_minh": "042095001234"})
        return _request(server, "POST", "/tra-cuu/", body, headers)[0]

    statuses = _concurrently(60, send)
    assert statuses.count(200) == 10, statuses
    assert statuses.count(429) == 50, statuses


def test_open311_accepts_exactly_thirty_posts_per_hour_from_one_address(server):
    headers = {"Content-Type": "application/x-www-form-urlencoded"}

    def send(i):
        body = urlencode(
            {
                "service_code": "procedure",
                "description": f"Phản ánh số {i}: thời gian chờ quá lâu.",
                "email": f"dan{i}@example.vn",
                "first_name": "An",
                "last_name": "Nguyễn",
            }
        )
        return _request(server, "POST", "/open311/v2/requests.json", body, headers)[0]

    statuses = _concurrently(45, send, threads=4)
    assert statuses.count(429) == 15, statuses
    if connection.vendor == "postgresql":
        assert statuses.count(201) == 30, statuses
    else:
        # SQLite has one writer at a time across processes: a POST that cannot get the write lock is told to come
        # back later (503 with Retry-After) and still counted; none gets through beyond the limit.
        assert statuses.count(201) + statuses.count(503) == 30, statuses
        assert statuses.count(201) >= 1, statuses
