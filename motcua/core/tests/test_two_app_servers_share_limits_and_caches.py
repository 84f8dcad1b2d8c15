"""Two app servers (two gunicorn processes on two ports) over one PostgreSQL database and one Redis cache, as
docs/operations.md "Several app servers" deploys them: a rate limit counted on one holds on the other, and a
catalog change made through one is in the very next answer of the other's public cache (the cache and the
catalog version it is keyed by live in Redis, not in a process).

PostgreSQL only: both servers must reach the test database itself (committed rows of a transactional test); the
SQLite test database lives in the test process's memory. Redis as `.ci/run` starts it (127.0.0.1:6379)."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection

from motcua.core.models import Agency, Unit
from motcua.core.roles import Role
from motcua.core.testing import make_staff, requires_postgres, wait_until
from motcua.core.transitions import SYSTEM

REPO = Path(__file__).resolve().parents[3]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
REDIS_DB = int(os.environ.get("MOTCUA_TEST_REDIS_DB", "13"))  # a database of its own, emptied by the test
PASSWORD = "mat-khau-thu-12345"  # noqa: S105 - a throwaway account of the test database
SEARCH = "/thu-tuc/?" + urlencode({"q": "dau tu"})

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis():
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379 (.ci/run starts it): the shared cache under test")
    return client


class Server:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, dict]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, response.read().decode("utf-8", "replace"), dict(response.getheaders())
        finally:
            conn.close()

    def csrf(self, path: str) -> str:
        status, _body, _headers = self.request("GET", path)
        assert status == 200, path
        return self.cookies["csrftoken"]


def _start(port: int, env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [GUNICORN, "motcua.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}", "--timeout", "60"],
        cwd=REPO,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


@pytest.fixture
def servers(transactional_db, tmp_path):
    cache = _redis()
    cache.flushdb()
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "motcua.test_settings",
        "DEBUG": "0",
        "DATABASE_URL": f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}",
        "CACHE_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "MOTCUA_VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": "test-only-two-servers",
        "BEHIND_PROXY": "0",
        "MOTCUA_PUBLIC_CACHE_SECONDS": "600",  # far longer than the test: only the shared version can refresh it
    }
    (tmp_path / "var").mkdir()
    procs = []
    try:
        ports = [_free_port(), _free_port()]
        for i, port in enumerate(ports):
            procs.append(_start(port, env, tmp_path / f"gunicorn-{i}.log"))
        for i, (proc, port) in enumerate(zip(procs, ports, strict=True)):
            log = tmp_path / f"gunicorn-{i}.log"

            def healthy(proc=proc, port=port, log=log) -> bool:
                assert proc.poll() is None, log.read_text()[-3000:]
                try:
                    return Server(port).request("GET", "/healthz")[0] == 200
                except OSError:
                    return False

            wait_until(healthy, timeout=180, interval=0.3, message=lambda log=log: "gunicorn: " + log.read_text()[-3000:])
        yield Server(ports[0]), Server(ports[1]), cache
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        cache.flushdb()
        connection.close()


@requires_postgres
def test_a_rate_limit_counted_on_one_server_holds_on_the_other(servers, settings):
    a, b, _cache = servers
    limit = settings.PORTAL_LOOKUP_MAX_FAILURES
    statuses = []
    for i in range(limit + 4):
        server = a if i % 2 == 0 else b  # alternate: each server alone has seen only half the failures
        token = server.csrf("/tra-cuu/")
        body = {"csrfmiddlewaretoken": token, "ma": f"H15.50-260101-{i:04d}", "xac_minh": "042095001234"}
        statuses.append(server.request("POST", "/tra-cuu/", body)[0])
    assert statuses == [200] * limit + [429] * 4, statuses


def _catalog_with_a_decision_to_apply():
    from motcua.catalog import services

    agency = Agency.objects.create(name="Ban Quản lý Khu kinh tế tỉnh", short_name="BQL", code="H15.50")
    unit = Unit.objects.create(agency=agency, name="Văn phòng", short_name="VP")
    field = services.field_get_or_create(actor=SYSTEM, code="DT", name="Đầu tư tại Việt Nam")

    def procedure(code: str, name: str):
        data = {"name": name, "field": field, "agency": agency, "legal_time": Decimal("15"), "online_level": 4}
        return services.procedure_create(actor=SYSTEM, code=code, data=data)

    first = procedure("1.009664", "Thủ tục cấp Giấy chứng nhận đăng ký đầu tư")
    decision = services.decision_create(
        actor=SYSTEM, agency=agency, number="1/QĐ-UBND", signed_on=date(2020, 1, 1), effective_on=date(2020, 1, 2)
    )
    services.decision_item_add(actor=SYSTEM, decision=decision, action="new", procedure=first.procedure, version=first)
    services.decision_apply(actor=SYSTEM, decision=decision)
    second = procedure("1.009729", "Đầu tư theo hình thức góp vốn, mua cổ phần")
    pending = services.decision_create(
        actor=SYSTEM, agency=agency, number="9/QĐ-UBND", signed_on=date(2021, 1, 1), effective_on=date(2021, 1, 4)
    )
    services.decision_item_add(actor=SYSTEM, decision=pending, action="new", procedure=second.procedure, version=second)
    editor = make_staff("quantri-danhmuc", Role.ADMINISTRATOR, unit=unit, password=PASSWORD)
    return pending, editor


def _found(body: str) -> int:
    match = re.search(r"Tìm thấy (\d+) thủ tục", body)
    assert match, body[:2000]
    return int(match.group(1))


@requires_postgres
def test_a_catalog_change_through_one_server_is_in_the_next_cached_answer_of_the_other(servers):
    a, b, cache = servers
    pending, editor = _catalog_with_a_decision_to_apply()

    status, body, _ = b.request("GET", SEARCH)
    assert status == 200 and _found(body) == 1
    assert _found(b.request("GET", SEARCH)[1]) == 1
    assert any(b"catalog" in key for key in cache.keys("*")), "B's answer is kept in the shared cache"

    token = a.csrf("/staff/login/")
    status, _body, headers = a.request(
        "POST", "/staff/login/", {"csrfmiddlewaretoken": token, "username": editor.username, "password": PASSWORD}
    )
    assert status == 302, _body[:2000]
    token = a.cookies["csrftoken"]
    status, _body, headers = a.request(
        "POST", f"/staff/danh-muc/quyet-dinh/{pending.pk}/ap-dung/", {"csrfmiddlewaretoken": token}
    )
    assert status == 302 and headers["Location"].endswith(f"/staff/danh-muc/quyet-dinh/{pending.pk}/"), _body[:2000]

    status, body, _ = b.request("GET", SEARCH)
    assert status == 200 and _found(body) == 2 and "/thu-tuc/1.009729/" in body
