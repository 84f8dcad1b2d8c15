"""The index is counted in the database (one aggregate query per indicator): the number of queries is the same
for one dossier as for many — no loop over records in Python."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.tests.factories import World, aware, receive
from motcua.dossiers.transitions import dossier_decide
from motcua.reports.index766.engine import compute
from motcua.reports.index766.periods import parse_period

from .index766_data import NOW, ensure_weights

pytestmark = pytest.mark.django_db


def queries(agency, *, use_summary: bool = False) -> int:
    with CaptureQueriesContext(connection) as ctx:
        compute(agency=agency, period=parse_period("2026-03"), now=NOW, use_summary=use_summary)
    return len(ctx.captured_queries)


def add(world, n):
    for _ in range(n):
        d = receive(world, at=aware(2026, 3, 2, 9))
        dossier_decide(dossier=d, actor=world.leader, outcome="approved", at=aware(2026, 3, 4, 10))


def test_the_number_of_queries_does_not_depend_on_the_number_of_records():
    ensure_weights()
    world = World(committed="5")
    add(world, 1)
    few = queries(world.agency)
    add(world, 12)
    assert queries(world.agency) == few
    assert few <= 14  # 9 aggregates, the weights (3), the agency tree (one query per level)


def test_through_the_summary_the_number_of_queries_does_not_depend_on_the_number_of_records_either():
    # March is over at NOW: its dossier indicators come from the monthly summary, recomputed when a dossier changed
    # (here every read follows new dossiers): a fixed number of grouped queries, not one per record.
    ensure_weights()
    world = World(committed="5")
    add(world, 1)
    few = queries(world.agency, use_summary=True)
    add(world, 12)
    assert queries(world.agency, use_summary=True) == few
