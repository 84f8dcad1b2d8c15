"""Issue 20 item 5: the Decision 766 index, the statistics table and the periodic form read closed months from the
monthly summaries (reports/index766/summary.py, dossiers/summaries.py); what they answer is exactly what the same
code answers counted from the records (`use_summary=False` / `summary=False`), for a year, a half, a quarter and a
month, rolled up or not, with a field or a procedure, with the period over or still running — on generated
dossiers (the bulk generator) and on the index's hand-checked records."""

from datetime import date

import pytest

from motcua.dossiers.generate import generate_dossiers
from motcua.dossiers.models import Dossier, StatMonth, SummaryMonth
from motcua.dossiers.statistics import statistics_table
from motcua.dossiers.tests.factories import World, aware, make_version
from motcua.reports.index766.engine import compute
from motcua.reports.index766.models import IndexMonth
from motcua.reports.index766.periods import parse_period
from motcua.reports.periodic import periodic_report

from .index766_data import NOW as HAND_NOW
from .index766_data import PERIOD as HAND_PERIOD
from .index766_data import build, ensure_weights

pytestmark = pytest.mark.django_db

PERIODS = ["2025", "2025-H2", "2025-Q2", "2025-05", "2025-12"]
RUNNING = aware(2025, 12, 20, 10)  # December in progress: the year's last month is counted live
OVER = aware(2026, 2, 3, 10)  # every month of 2025 is over


@pytest.fixture
def generated():
    ensure_weights()
    a = World(committed="10")
    make_version(a.agency, units=a.units, committed="3", legal="5")
    b = World(committed="5")
    b.agency.parent = a.agency
    b.agency.save(update_fields=["parent"])
    generate_dossiers(agency=a.agency, count=400, years=[2025], now=RUNNING, seed=5, batch=200)
    generate_dossiers(agency=b.agency, count=200, years=[2025], now=RUNNING, seed=6, batch=200)
    return a, b


def table_rows(table):
    return [(r.key, r.labels, r.values) for r in table.rows], table.total


@pytest.mark.parametrize("now", [RUNNING, OVER], ids=["december-running", "year-over"])
def test_the_index_through_the_summary_equals_the_records(generated, now):
    a, b = generated
    for agency in (a.agency, b.agency):
        for key in PERIODS:
            period = parse_period(key)
            raw = compute(agency=agency, period=period, now=now, use_summary=False)
            assert compute(agency=agency, period=period, now=now) == raw, (agency, key)
            assert raw["groups"][1]["indicators"][0]["records"] or key == "2025-12"  # there is something to count
    for filters in ({"field": a.version.field.code}, {"procedure": a.version.procedure.code}):
        for key in ("2025", "2025-Q3"):
            period = parse_period(key)
            raw = compute(agency=a.agency, period=period, now=now, use_summary=False, **filters)
            assert compute(agency=a.agency, period=period, now=now, **filters) == raw, (filters, key)
    assert IndexMonth.objects.filter(agency=b.agency).exists()  # read from the summary, not around it


@pytest.mark.parametrize("now", [RUNNING, OVER], ids=["december-running", "year-over"])
def test_the_statistics_table_through_the_summary_equals_the_records(generated, now):
    a, b = generated
    windows = [(parse_period(k).start, parse_period(k).end) for k in PERIODS] + [(date(2025, 3, 15), date(2025, 8, 14))]
    for agency in (a.agency, b.agency, None):
        for group_by in (("field", "procedure"), ("agency",), ()):
            for start, end in windows:
                kwargs = {"agency": agency, "start": start, "end": end, "group_by": group_by, "now": now}
                raw = statistics_table(**kwargs, summary=False)
                assert table_rows(statistics_table(**kwargs)) == table_rows(raw), (agency, group_by, start)
    year = statistics_table(agency=a.agency, start=date(2025, 1, 1), end=date(2025, 12, 31), group_by=(), now=now)
    accepted = Dossier.objects.filter(accepted_at__gte=aware(2025, 1, 1), accepted_at__lt=aware(2026, 1, 1)).count()
    assert year.total["new_total"] == accepted > 0 and year.total["finished_total"] > 0  # something to count
    assert StatMonth.objects.filter(agency=b.agency).exists()


def test_the_periodic_form_through_the_summary_equals_the_records(generated):
    a, _b = generated
    for key in ("2025-Q3", "2025-H2", "2025"):
        period = parse_period(key)
        for cutoff in (None, 15):
            fast = periodic_report(agency=a.agency, period=period, cutoff_day=cutoff, now=OVER)
            raw = periodic_report(agency=a.agency, period=period, cutoff_day=cutoff, now=OVER, summary=False)
            assert (fast.by_field, fast.by_agency, fast.total, fast.desk_rows) == (
                raw.by_field,
                raw.by_agency,
                raw.total,
                raw.desk_rows,
            )


def test_the_hand_checked_index_through_the_summary_equals_the_records():
    data = build()
    for agency in (data.a.agency, data.b.agency):
        for key in (HAND_PERIOD, "2026-01", "2026-02", "2026-03", "2026-H1", "2026"):
            period = parse_period(key)
            raw = compute(agency=agency, period=period, now=HAND_NOW, use_summary=False)
            assert compute(agency=agency, period=period, now=HAND_NOW) == raw, (agency, key)
    assert SummaryMonth.objects.filter(summary="index766", agency=data.b.agency).count() == 11  # Jan–Nov 2026
