"""20 results issued at the same time for 20 decided dossiers of one agency, each thread on its own
PostgreSQL connection: numbers 1..20, no gap, no repeat (the counter row is locked while a number is taken
and stays locked until the signed result is stored). PostgreSQL only: SQLite has no row locks and refuses
concurrent writers."""

import pytest
from django.db import connections

from motcua.core.testing import requires_postgres, run_at_once
from motcua.dossiers.tests.factories import World
from motcua.results.models import ElectronicResult, ResultCounter
from motcua.results.services import result_issue

from .conftest import Upload, decided, decision_pdf, with_identities

N = 20


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_issuances_number_one_to_twenty(pki_env, site):
    world = with_identities(World(), pki_env)
    dossiers = [decided(world) for _ in range(N)]
    sources = [decision_pdf(f"Quyết định {i}") for i in range(N)]
    connections.close_all()
    errors, backends = run_at_once(
        N, lambda i: result_issue(actor=world.leader, dossier=dossiers[i], source=Upload(sources[i])), timeout=300
    )
    assert errors == []
    assert backends == N
    rows = list(ElectronicResult.objects.filter(agency=world.agency).values_list("number", "label", "dossier_id"))
    assert sorted(n for n, _, _ in rows) == list(range(1, N + 1))
    assert len({label for _, label, _ in rows}) == N
    assert sorted(d for _, _, d in rows) == sorted(d.pk for d in dossiers)
    assert ResultCounter.objects.get(agency=world.agency).last_number == N
