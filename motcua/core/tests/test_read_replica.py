"""The read replica (motcua/core/replica.py) against a real streaming replica of the test server: a second
PostgreSQL cluster made with pg_basebackup on another port by scripts/pg-replica, started here.

To tell which server answered, the replica's replay is paused: a row written on the primary afterwards exists
only there. Reads run in a fresh context (contextvars), as each request does."""

import contextvars
import os
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection, connections
from django.http import HttpResponse
from django.test import RequestFactory

from motcua.core import replica
from motcua.core.models import Agency

ROOT = Path(__file__).resolve().parents[3]
# Rows are committed (the replica only sees committed data); the flush at the end of each test skips the mirror.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", replica.REPLICA])
SCRIPT = ROOT / "scripts" / "pg-replica"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def replica_cluster(django_db_setup, django_db_blocker):
    """The cluster, and the `replica` alias as settings.py sets it when DATABASE_REPLICA_URL is given (a mirror of
    the test database for the test runner, so a test's flush leaves the read-only copy alone)."""
    if connection.vendor != "postgresql":
        pytest.skip("a streaming replica is a PostgreSQL feature: these tests run on PostgreSQL")
    if os.geteuid() != 0:
        pytest.skip("making a replica cluster needs root here (runs as the postgres user); CI runs as root")
    port, data = _free_port(), Path(f"/tmp/motcua-test-replica-{os.getpid()}")
    env = {**os.environ, "PGHOST": connection.settings_dict["HOST"] or "127.0.0.1"}
    env["PGPORT"] = str(connection.settings_dict["PORT"] or 5432)
    env["PGUSER"] = connection.settings_dict["USER"] or "postgres"
    subprocess.run([SCRIPT, "start", str(port), str(data)], check=True, env=env, capture_output=True, timeout=300)
    connections.settings[replica.REPLICA] = {
        **connections["default"].settings_dict,
        "HOST": "127.0.0.1",
        "PORT": port,
        "OPTIONS": {**connections["default"].settings_dict["OPTIONS"], "connect_timeout": 2},
        "TEST": {**connections["default"].settings_dict["TEST"], "MIRROR": "default"},
    }
    try:
        yield {"port": port, "dir": data, "env": env}
    finally:
        connections[replica.REPLICA].close()
        del connections[replica.REPLICA]
        del connections.settings[replica.REPLICA]
        subprocess.run([SCRIPT, "remove", str(data)], env=env, capture_output=True, timeout=120)


@pytest.fixture
def with_replica(replica_cluster, settings):
    subprocess.run([SCRIPT, "up", str(replica_cluster["dir"])], env=replica_cluster["env"], capture_output=True)
    settings.DATABASE_ROUTERS = ["motcua.core.replica.ReplicaRouter"]
    settings.MOTCUA_REPLICA_CHECK_SECONDS = 0
    settings.MOTCUA_REPLICA_MAX_LAG_SECONDS = 3600
    replica.forget_health()
    yield replica_cluster
    _replica_sql("select pg_wal_replay_resume()", quiet=True)
    connections[replica.REPLICA].close()
    replica.forget_health()


def _replica_sql(sql: str, *, quiet: bool = False):
    try:
        with connections[replica.REPLICA].cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()
    except Exception:
        if not quiet:
            raise
        connections[replica.REPLICA].close()


def _agency() -> Agency:
    tag = uuid.uuid4().hex[:8]
    return Agency.objects.create(name=f"Sở thử {tag}", short_name=tag, code=f"T.{tag}")


def _wait_until_replayed(pk: int) -> None:
    for _ in range(200):
        if _replica_sql(f"select count(*) from core_agency where id = {int(pk)}")[0]:
            return
        time.sleep(0.05)
    raise AssertionError("the replica never replayed the row")


def _seen(pk: int, *, tolerant: bool) -> bool:
    """Whether a read (lag-tolerant or not) finds the agency, in a fresh context as a new request would."""

    def read():
        if tolerant:
            return replica.read_tolerant(lambda: Agency.objects.filter(pk=pk).exists())
        return Agency.objects.filter(pk=pk).exists()

    return contextvars.Context().run(read)


def _pause_replay() -> None:
    _replica_sql("select pg_wal_replay_pause()")


def test_lag_tolerant_reads_come_from_the_replica_and_the_others_from_the_primary(with_replica):
    before = _agency()
    _wait_until_replayed(before.pk)
    _pause_replay()
    after = _agency()

    assert _seen(before.pk, tolerant=True)
    assert not _seen(after.pk, tolerant=True), "a lag-tolerant read went to the primary"
    assert _seen(after.pk, tolerant=False)


def test_once_the_replica_catches_up_it_serves_the_new_rows(with_replica):
    _pause_replay()
    row = _agency()
    assert not _seen(row.pk, tolerant=True)
    _replica_sql("select pg_wal_replay_resume()")
    _wait_until_replayed(row.pk)
    assert _seen(row.pk, tolerant=True)


def test_a_replica_lagging_past_the_limit_is_left_for_the_primary(with_replica, settings):
    _pause_replay()
    row = _agency()  # received by the replica, not replayed: it lags from now on
    time.sleep(0.2)
    assert not _seen(row.pk, tolerant=True)

    settings.MOTCUA_REPLICA_MAX_LAG_SECONDS = 0.1
    replica.forget_health()
    assert _seen(row.pk, tolerant=True)


def test_a_write_inside_a_lag_tolerant_block_is_read_back_from_the_primary(with_replica):
    _pause_replay()

    def write_then_read():
        with replica.lag_tolerant():
            row = _agency()
            return Agency.objects.filter(pk=row.pk).exists()

    assert contextvars.Context().run(write_then_read)


def test_a_client_that_has_just_posted_reads_its_own_writes(with_replica):
    _pause_replay()
    row = _agency()

    @replica.lag_tolerant_view
    def page(request):
        return HttpResponse("có" if Agency.objects.filter(pk=row.pk).exists() else "không")

    def serve(request):
        middleware = replica.ReadYourWritesMiddleware(lambda r: page(r) if r.method == "GET" else HttpResponse("ok"))
        return contextvars.Context().run(middleware, request)

    factory = RequestFactory()
    assert serve(factory.get("/")).content.decode() == "không"  # a client that wrote nothing: the replica

    posted = serve(factory.post("/"))
    pin = posted.cookies[replica.PIN_COOKIE]
    assert int(pin["max-age"]) == 10 and pin["httponly"]
    again = factory.get("/")
    again.COOKIES[replica.PIN_COOKIE] = pin.value
    assert serve(again).content.decode() == "có"

    expired = factory.get("/")
    expired.COOKIES[replica.PIN_COOKIE] = str(int(time.time()) - 1)
    assert serve(expired).content.decode() == "không"

    forged = factory.get("/")
    forged.COOKIES[replica.PIN_COOKIE] = "\x00'; drop"
    assert serve(forged).content.decode() == "không"  # nonsense is ignored, no error


def test_with_the_replica_stopped_reads_fall_back_to_the_primary(with_replica):
    row = _agency()
    _seen(row.pk, tolerant=True)  # opens the connection to the replica
    subprocess.run([SCRIPT, "stop", str(with_replica["dir"])], env=with_replica["env"], check=True)
    replica.forget_health()
    assert _seen(row.pk, tolerant=True)
    assert replica.healthy() is False


def test_a_replica_that_dies_between_two_checks_costs_a_retry_on_the_primary_not_an_error(with_replica, settings):
    row = _agency()
    _wait_until_replayed(row.pk)
    assert _seen(row.pk, tolerant=True)  # healthy, remembered for a long time below
    settings.MOTCUA_REPLICA_CHECK_SECONDS = 3600
    subprocess.run([SCRIPT, "stop", str(with_replica["dir"])], env=with_replica["env"], check=True)

    assert _seen(row.pk, tolerant=True)
    assert replica.healthy() is False  # marked down by the failure, not by a new check
