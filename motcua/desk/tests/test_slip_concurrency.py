"""Two desks printing the same slip at the same moment store it once (PostgreSQL, real threads)."""

import threading
from pathlib import Path

import pytest
from django.db import connection

from motcua.core.testing import requires_postgres
from motcua.desk.models import DossierSlip
from motcua.desk.services import slip_issue
from motcua.dossiers.tests.factories import World, aware, receive


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_prints_store_one_slip():
    w = World()
    d = receive(w, at=aware(2026, 4, 27, 9))
    barrier = threading.Barrier(4)
    results, errors = [], []

    def work():
        try:
            barrier.wait()
            results.append(slip_issue(dossier=d, kind="bm05", actor=w.officer).pk)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(results)) == 1
    assert DossierSlip.objects.filter(dossier=d, kind="bm05").count() == 1
    slip = DossierSlip.objects.get(dossier=d, kind="bm05")
    folder = Path(slip.file.path).parent
    assert [p.name for p in folder.iterdir()] == [f"{slip.sha256}.pdf"]  # no duplicate files from the race
