"""Persistent PostgreSQL connections: checked without a round trip while healthy, replaced when the server
has closed them (motcua/core/postgresql/base.py)."""

import time
from unittest import mock

import psycopg
import pytest
from django.db import close_old_connections, connection

from motcua.core.postgresql.base import DatabaseWrapper
from motcua.core.testing import requires_postgres

pytestmark = pytest.mark.django_db(transaction=True)


def _request(client, path="/healthz"):
    """A request as the server makes it: Django's test client skips the request_started handler that
    keeps or drops the persistent connection and re-arms its health check."""
    close_old_connections()
    return client.get(path)


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _terminate(pid: int) -> None:
    """End the backend and wait (at most 10 s) until it is gone, so its goodbye has reached our socket."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 10
        while other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
            assert time.monotonic() < deadline, f"backend {pid} still running"
            time.sleep(0.02)


@requires_postgres
def test_a_healthy_persistent_connection_is_not_asked_select_1(client):
    assert connection.health_check_enabled
    _request(client)
    pid = _backend_pid()
    with mock.patch.object(DatabaseWrapper, "is_usable", autospec=True, return_value=True) as real_check:
        for _ in range(3):
            assert _request(client).status_code == 200
            assert connection.health_check_done  # checked, without asking the server
    assert real_check.call_count == 0
    assert _backend_pid() == pid  # the same connection served every request


@requires_postgres
def test_a_connection_the_server_closed_is_replaced_before_the_request_uses_it(client):
    assert _request(client).status_code == 200
    pid = _backend_pid()
    _terminate(pid)
    response = _request(client)
    assert response.status_code == 200, response.content
    assert response.json()["database"] == "ok"
    assert _backend_pid() != pid


@requires_postgres
def test_a_statement_run_five_times_is_prepared_on_the_server():
    with connection.cursor() as cursor:
        for n in range(6):
            cursor.execute("SELECT %s::int + 41", [n])
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement = 'SELECT $1::int + 41'")
        assert cursor.fetchone()[0] == 1
