"""The statistics table of an agency counts the dossiers of every agency below it: the province's
figures are the sum of its departments' and communes', a department's include its communes', and an
agency without children counts only its own (the Board's figures are unchanged by the hierarchy)."""

from datetime import date

import pytest

from motcua.core.models import Agency, AgencyLevel
from motcua.desk.selectors.statistics import statistics_table
from motcua.dossiers.tests.factories import World, aware, receive

pytestmark = pytest.mark.django_db

START, END = date(2026, 3, 1), date(2026, 3, 31)
NOW = aware(2026, 4, 1, 9, 0)


def _new(agency) -> int:
    return statistics_table(agency=agency, start=START, end=END, group_by=("agency",), now=NOW).total["new_total"]


def test_statistics_roll_up_the_hierarchy():
    province = Agency.objects.create(name="Ủy ban nhân dân tỉnh", short_name="UBNDT", code="H15", level=AgencyLevel.PROVINCE)
    board, dept, commune = World(), World(), World()
    Agency.objects.filter(pk__in=[board.agency.pk, dept.agency.pk]).update(parent=province)
    Agency.objects.filter(pk=commune.agency.pk).update(parent=dept.agency, level=AgencyLevel.COMMUNE)
    for world, n in ((board, 2), (dept, 1), (commune, 3)):
        for i in range(n):
            receive(world, at=aware(2026, 3, 10 + i, 9, 0))
    receive(board, at=aware(2026, 4, 10, 9, 0))  # outside the period
    province.refresh_from_db()
    assert _new(province) == 6
    assert _new(dept.agency) == 4
    assert _new(commune.agency) == 3
    assert _new(board.agency) == 2
    rows = statistics_table(agency=province, start=START, end=END, group_by=("agency",), now=NOW).rows
    assert sorted(r.values["new_total"] for r in rows) == [1, 2, 3]  # one row per agency, summed in the total
