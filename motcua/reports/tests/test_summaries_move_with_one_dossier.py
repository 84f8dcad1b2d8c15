"""Issue 20 item 5: a change to one dossier moves exactly the indicators and figures it should, at the next read,
though the period's months are read from the monthly summaries — with no freshness margin (each read trusts the
marks fully: only the check on the changed dossier makes the month recomputed). And the summary is what is read:
a write that bypasses the services (no updated_at) is not seen until `refresh_summaries`."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from motcua.dossiers.models import Dossier, SummaryMonth, Timeliness
from motcua.dossiers.statistics import statistics_table
from motcua.dossiers.tests.factories import aware
from motcua.dossiers.transitions import dossier_decide
from motcua.reports.index766.engine import compute
from motcua.reports.index766.periods import parse_period

from .index766_data import NOW, PERIOD, build

pytestmark = pytest.mark.django_db

START, END = date(2026, 1, 1), date(2026, 3, 31)


@pytest.fixture(autouse=True)
def no_margin(settings):
    settings.MOTCUA_SUMMARY_MARGIN_SECONDS = 0


def index(agency, *, use_summary=True) -> dict[str, tuple[int, int, float]]:
    result = compute(agency=agency, period=parse_period(PERIOD), now=NOW, use_summary=use_summary)
    return {i["code"]: (i["earned"], i["records"], i["score"]) for g in result["groups"] for i in g["indicators"]}


def stats(agency, *, summary=True) -> dict[str, int]:
    return statistics_table(agency=agency, start=START, end=END, group_by=(), now=NOW, summary=summary).total


def marks(agency) -> dict[tuple[str, date], object]:
    return {(m.summary, m.month): m.computed_at for m in SummaryMonth.objects.filter(agency=agency)}


def moved(before: dict, after: dict) -> dict:
    return {k: (before[k], after[k]) for k in before if before[k] != after[k]}


def test_deciding_a_running_dossier_late_moves_exactly_its_indicators_and_figures_at_the_next_read():
    data = build()
    a, b = data.a.agency, data.b.agency
    before, before_b, stats_before = index(a), index(b), stats(a)
    marks_a, marks_b = marks(a), marks(b)
    assert {m for _s, m in marks_a} == {date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)}
    assert index(a) == before and marks(a) == marks_a  # nothing changed: nothing recomputed

    # d5 (received 20/3, running past its deadline of 27/3) is decided on 30/3: late.
    dossier_decide(dossier=data.dossiers["d5"], actor=data.a.leader, outcome="approved", at=aware(2026, 3, 30, 10))
    after = index(a)
    changes = moved(before, after)
    assert set(changes) == {"dossiers_on_time", "open_within_deadline", "dossiers_digitised", "results_electronic"}
    assert changes["dossiers_on_time"][1][:2] == (3, 7)  # one more finished, not on time
    assert changes["open_within_deadline"][1][:2] == (1, 1)  # no longer running past its deadline
    assert after == index(a, use_summary=False)
    figures = moved(stats_before, stats(a))
    assert figures == {
        "finished_total": (stats_before["finished_total"], stats_before["finished_total"] + 1),
        "finished_late": (stats_before["finished_late"], stats_before["finished_late"] + 1),
        "finished_late_766": (stats_before["finished_late_766"], stats_before["finished_late_766"] + 1),
        "processing_total": (stats_before["processing_total"], stats_before["processing_total"] - 1),
        "processing_late": (stats_before["processing_late"], stats_before["processing_late"] - 1),
    }
    assert stats(a) == stats(a, summary=False)

    # Only what the dossier can move was recomputed: A's March (the month it was received in), not A's January
    # and February, nor anything of B (B's own index did not move).
    now_a = marks(a)
    assert [k for k in marks_a if now_a[k] != marks_a[k]] == [("index766", date(2026, 3, 1)), ("statistics", date(2026, 3, 1))]
    assert index(b) == before_b and marks(b) == marks_b


def test_a_write_around_the_services_is_not_seen_until_the_summaries_are_refreshed():
    data = build()
    a = data.a.agency
    before, stats_before = index(a), stats(a)
    # d2 (finished late in the quarter) rewritten on time by a bulk update that leaves updated_at alone.
    Dossier.objects.filter(pk=data.dossiers["d2"].pk).update(timeliness=Timeliness.ON_TIME)
    assert index(a) == before and stats(a) == stats_before  # read from the summary: it does not know
    assert index(a, use_summary=False) != before  # the records moved
    call_command("refresh_summaries", "--from", "2026-01", stdout=StringIO())
    assert index(a) == index(a, use_summary=False) != before
    assert stats(a) == stats(a, summary=False) != stats_before
