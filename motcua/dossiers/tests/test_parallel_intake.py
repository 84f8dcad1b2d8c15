"""Concurrent intakes on PostgreSQL: each thread has its own connection; codes never collide."""

import threading

import pytest
from django.db import OperationalError, connection

from motcua.core.testing import requires_postgres, wait_until
from motcua.dossiers.intake import dossier_receive
from motcua.dossiers.models import DailySequence, Dossier
from motcua.dossiers.transitions import dossier_decide

from .factories import APPLICANT, World

pytestmark = pytest.mark.django_db(transaction=True)


def _free_connection_slots() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int"
            " - count(*) FROM pg_stat_activity"
        )
        return cursor.fetchone()[0]


def _connect_with_patience() -> None:
    """Open this thread's own connection; the server is shared with other test runs, so a
    "too many clients" refusal (before any intake work) is waited out, up to a deadline, rather than failed."""

    def connected() -> bool:
        try:
            connection.ensure_connection()
        except OperationalError as exc:
            if "too many clients" not in str(exc):
                raise
            return False
        return True

    wait_until(connected, timeout=90, interval=0.2, message="no free PostgreSQL connection slot")


def _run_in_threads(n, target):
    """n threads, each with its own database connection, released together. At most as many hold a
    connection at once as the server has free slots (PostgreSQL's default max_connections is 100,
    shared with other processes)."""
    slots = threading.BoundedSemaphore(max(10, min(n, _free_connection_slots() - 5)))
    start = threading.Event()
    results, errors = [], []
    lock = threading.Lock()
    active = [0, 0]  # now, peak

    def work(i):
        try:
            start.wait(timeout=30)
            with slots:
                _connect_with_patience()
                with lock:
                    active[0] += 1
                    active[1] = max(active[1], active[0])
                try:
                    value = target(i)
                finally:
                    with lock:
                        active[0] -= 1
                    connection.close()
            with lock:
                results.append(value)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            with lock:
                errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    start.set()
    for t in threads:
        t.join(timeout=180)
    return results, errors, active[1]


@requires_postgres
def test_100_parallel_intakes_get_100_distinct_codes():
    world = World()

    def intake(i):
        applicant = dict(APPLICANT, full_name=f"Người nộp {i}")
        return dossier_receive(actor=world.officer, procedure_code=world.code, channel="counter", applicant=applicant).code

    codes, errors, peak = _run_in_threads(100, intake)
    assert errors == []
    assert peak >= 10  # really concurrent
    print(f"100 intakes, peak {peak} concurrent connections")
    assert len(codes) == 100 and len(set(codes)) == 100
    assert Dossier.objects.filter(agency=world.agency).count() == 100
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert numbers == list(range(1, 101))  # gapless: the counter is incremented inside each intake's transaction
    assert DailySequence.objects.get(agency=world.agency).last == 100


@requires_postgres
def test_parallel_posts_with_the_same_idempotency_key_create_one_dossier():
    world = World()

    def intake(i):
        return dossier_receive(
            actor=world.officer,
            procedure_code=world.code,
            channel="counter",
            applicant=dict(APPLICANT),
            idempotency_key="same-key-1",
        ).code

    codes, errors, _ = _run_in_threads(10, intake)
    assert errors == []
    assert len(set(codes)) == 1
    assert Dossier.objects.filter(agency=world.agency).count() == 1


@requires_postgres
def test_concurrent_transitions_on_one_dossier_let_exactly_one_through():
    from motcua.core.errors import TransitionNotAllowed

    from .factories import receive

    world = World()
    dossier = receive(world)

    def decide(i):
        try:
            dossier_decide(dossier=dossier, actor=world.leader, outcome="approved")
            return "ok"
        except TransitionNotAllowed:
            return "409"

    outcomes, errors, _ = _run_in_threads(10, decide)
    assert errors == []
    assert sorted(outcomes) == ["409"] * 9 + ["ok"]
    dossier.refresh_from_db()
    assert dossier.status == "decided"
    assert dossier.events.filter(action="decide").count() == 1
