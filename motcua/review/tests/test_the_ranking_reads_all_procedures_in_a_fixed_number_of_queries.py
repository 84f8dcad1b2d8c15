"""The ranking computes the evidence of all the agency's procedures with a number of queries that does not grow
with the number of procedures (no query per procedure), and each procedure's figures in the ranking are its own:
the ones known by construction, and the same as the review page's evidence of that one procedure."""

import dataclasses
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.models import Channel, Outcome, Status
from motcua.dossiers.tests.factories import make_agency, make_units, make_version
from motcua.feedback.models import SatisfactionRating
from motcua.review import selectors

from .data import CRITERIA, PAPERS, REASONS, _dossier, _feedback, at, decided, supplemented

pytestmark = pytest.mark.django_db

YEAR = (date(2021, 1, 1), date(2021, 12, 31))
MONDAY = date(2021, 3, 1)  # decided dossiers: accepted Monday 07:30, decided j weekdays later at 07:30


def _agency_with(n: int):
    """An agency with n procedures whose records differ by procedure (and one procedure without records).
    Returns the agency and, per procedure code, the figures known by construction."""
    agency = make_agency()
    units = make_units(agency)
    expected = {}
    for i in range(n):
        version = make_version(agency, units=units)
        k = i % 4 + 1  # decided dossiers of this procedure
        exp = {"received": k, "finished": k, "late": 0, "refused": 0, "pakn": 0, "times": []}
        for j in range(1, k + 1):
            late = i % 2 == 0 and j == 1
            d = decided(
                agency,
                version,
                accepted_at=at(MONDAY, 7, 30),
                finished_at=at(MONDAY + timedelta(days=j), 7, 30),
                late=late,
                channel=Channel.ONLINE if j == 2 else Channel.COUNTER,
                outcome=Outcome.APPROVED,
                supplement_count=1 if j == 1 else 0,
            )
            exp["late"] += late
            if j == 1:  # paused one office hour for a supplement, rated 9/18
                supplemented(d, at=at(MONDAY, 7, 30), hours=1, items=[PAPERS[i % 4]])
                SatisfactionRating.objects.create(
                    dossier=d, agency=agency, overall="hai_long", submitted_at=d.finished_at, **{c: 1 for c in CRITERIA}
                )
            exp["times"].append(round(j - 1 / 7.5, 4) if j == 1 else float(j))
        if i % 3 == 0:
            _dossier(agency, version, status=Status.REFUSED, received_at=at(date(2021, 4, 5), 8, 0), outcome_note=REASONS[0])
            exp["received"] += 1
            exp["refused"] += 1
        if i % 2 == 1:
            _feedback(agency, version.procedure, f"Phản ánh thủ tục {i}", at(date(2021, 8, 2), 9, 0))
            exp["pakn"] += 1
        exp["paper"] = PAPERS[i % 4]
        expected[version.procedure.code] = exp
    empty = make_version(agency, units=units)
    expected[empty.procedure.code] = None
    return agency, expected


def _ranking_queries(agency) -> tuple[list, int]:
    selectors.agency_evidence(agency=agency, start=YEAR[0], end=YEAR[1])  # per-process memories (days off) warmed
    with CaptureQueriesContext(connection) as queries:
        ranking = selectors.agency_evidence(agency=agency, start=YEAR[0], end=YEAR[1])
    return ranking, len(queries)


def test_the_ranking_queries_do_not_grow_with_the_number_of_procedures():
    small, _ = _agency_with(3)
    large, _ = _agency_with(30)
    ranking3, queries3 = _ranking_queries(small)
    ranking30, queries30 = _ranking_queries(large)
    assert (len(ranking3), len(ranking30)) == (4, 31)
    assert queries30 == queries3
    assert queries3 < 30  # one query per procedure (the N+1 this replaced) would be at least 31 for the large agency


def test_each_procedures_ranked_figures_are_its_own_and_equal_the_single_procedure_evidence():
    agency, expected = _agency_with(30)
    ranking = selectors.agency_evidence(agency=agency, start=YEAR[0], end=YEAR[1])
    procedures = {p.code: p for p in selectors.procedures_of(agency=agency, start=YEAR[0], end=YEAR[1])}
    assert {ev.code for ev in ranking} == set(expected)
    for ev in ranking:
        single = selectors.procedure_evidence(agency=agency, procedure=procedures[ev.code], start=YEAR[0], end=YEAR[1])
        assert dataclasses.asdict(ev) == dataclasses.asdict(single), ev.code
        exp = expected[ev.code]
        if exp is None:
            assert (ev.received, ev.finished, ev.pakn, ev.ratings, ev.score) == (0, 0, 0, 0, 0.0)
            continue
        assert ev.received == exp["received"], ev.code
        assert ev.finished == exp["finished"] and ev.late == exp["late"], ev.code
        assert ev.processing_times == pytest.approx(sorted(exp["times"]), abs=1e-4), ev.code
        assert ev.online == (1 if exp["finished"] >= 2 else 0), ev.code
        assert ev.supplement_dossiers == 1 and ev.supplement_requests == 1, ev.code
        assert ev.missing_papers == [(exp["paper"], 1)], ev.code
        assert ev.refused == exp["refused"] and ev.rejected == 0, ev.code
        assert ev.refusal_reasons == ([(REASONS[0], 1)] if exp["refused"] else []), ev.code
        assert ev.pakn == exp["pakn"], ev.code
        assert (ev.ratings, ev.rating_total_sum, ev.satisfied) == (1, 9, 1), ev.code
    scores = [(-ev.score, -ev.received, ev.code) for ev in ranking]
    assert scores == sorted(scores)
