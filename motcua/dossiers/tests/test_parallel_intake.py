"""Concurrent intakes on PostgreSQL: each thread has its own connection; codes never collide."""

import threading

import pytest
from django.db import connection

from motcua.core.testing import requires_postgres
from motcua.dossiers.models import DailySequence, Dossier

from .factories import APPLICANT, World

pytestmark = pytest.mark.django_db(transaction=True)


def _run_in_threads(n, target):
    barrier = threading.Barrier(n)
    results, errors = [], []
    lock = threading.Lock()

    def work(i):
        try:
            barrier.wait(timeout=30)
            value = target(i)
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
    for t in threads:
        t.join(timeout=120)
    return results, errors


@requires_postgres
def test_100_parallel_intakes_get_100_distinct_codes():
    from motcua.dossiers.services import dossier_receive

    world = World()

    def intake(i):
        applicant = dict(APPLICANT, full_name=f"Người nộp {i}")
        return dossier_receive(actor=world.officer, procedure_code=world.code, channel="counter", applicant=applicant).code

    codes, errors = _run_in_threads(100, intake)
    assert errors == []
    assert len(codes) == 100 and len(set(codes)) == 100
    assert Dossier.objects.filter(agency=world.agency).count() == 100
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert numbers == list(range(1, 101))  # gapless: the counter is incremented inside each intake's transaction
    assert DailySequence.objects.get(agency=world.agency).last == 100


@requires_postgres
def test_parallel_posts_with_the_same_idempotency_key_create_one_dossier():
    from motcua.dossiers.services import dossier_receive

    world = World()

    def intake(i):
        return dossier_receive(actor=world.officer, procedure_code=world.code, channel="counter",
                               applicant=dict(APPLICANT), idempotency_key="same-key-1").code

    codes, errors = _run_in_threads(10, intake)
    assert errors == []
    assert len(set(codes)) == 1
    assert Dossier.objects.filter(agency=world.agency).count() == 1
