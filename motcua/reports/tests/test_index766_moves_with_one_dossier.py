"""A change to one dossier moves exactly the indicators it should, at once (the index is computed from the
records on every read: there is no stored summary to wait for)."""

import pytest

from motcua.dossiers.tests.factories import aware
from motcua.dossiers.transitions import dossier_decide
from motcua.reports.index766.engine import compute
from motcua.reports.index766.periods import parse_period

from .index766_data import NOW, PERIOD, _fee, _file, build

pytestmark = pytest.mark.django_db


def snapshot(agency) -> dict[str, tuple[int, int, float]]:
    result = compute(agency=agency, period=parse_period(PERIOD), now=NOW)
    return {i["code"]: (i["earned"], i["records"], i["score"]) for g in result["groups"] for i in g["indicators"]}


def moved(before: dict, after: dict) -> dict:
    return {code: (before[code], after[code]) for code in before if before[code] != after[code]}


def test_deciding_an_overdue_dossier_late_moves_the_finished_and_running_indicators_only():
    data = build()
    before, before_b = snapshot(data.a.agency), snapshot(data.b.agency)
    # d5 (running, past its deadline of 27/3) is decided on 30/3: late.
    dossier_decide(dossier=data.dossiers["d5"], actor=data.a.leader, outcome="approved", at=aware(2026, 3, 30, 10))
    changes = moved(before, snapshot(data.a.agency))
    assert set(changes) == {"dossiers_on_time", "open_within_deadline", "dossiers_digitised", "results_electronic"}
    assert changes["dossiers_on_time"][1][:2] == (3, 7)  # one more finished, not on time
    assert changes["open_within_deadline"][1][:2] == (1, 1)  # no longer running past its deadline
    assert changes["dossiers_digitised"][1][:2] == (1, 7)  # one more finished, not digitised
    assert changes["results_electronic"][1][:2] == (2, 7)
    assert snapshot(data.b.agency) == before_b  # B's own index (below A) does not move


def test_an_electronic_result_on_one_dossier_moves_one_indicator():
    data = build()
    before_a, before_b = snapshot(data.a.agency), snapshot(data.b.agency)
    _file(data.dossiers["d2"], "result")  # d2 has no digitised papers: digitisation stays as it was
    changes = moved(before_a, snapshot(data.a.agency))
    assert set(changes) == {"results_electronic"}
    assert changes["results_electronic"][0][:2] == (2, 6) and changes["results_electronic"][1][:2] == (3, 6)
    assert snapshot(data.b.agency) == before_b  # the sub-agency's index is not touched by its parent's dossier


def test_a_dossier_of_the_sub_agency_moves_the_parent_roll_up_too():
    data = build()
    before_a, before_b = snapshot(data.a.agency), snapshot(data.b.agency)
    _file(data.dossiers["b1"], "result")
    assert set(moved(before_b, snapshot(data.b.agency))) == {"results_electronic"}
    assert set(moved(before_a, snapshot(data.a.agency))) == {"results_electronic"}


def test_a_fee_paid_online_counts_when_the_dossier_is_decided_and_a_second_fee_in_cash_loses_it():
    data = build()
    before = snapshot(data.a.agency)
    # d5 (running) pays a fee online: nothing moves while it runs (the rule counts decided dossiers)…
    d5 = _fee(data.a, data.dossiers["d5"], aware(2026, 3, 30, 9), paid_online=True)
    assert moved(before, snapshot(data.a.agency)) == {}
    # …then it is decided: online payment gains one dossier with a fee, paid online.
    dossier_decide(dossier=d5, actor=data.a.leader, outcome="approved", at=aware(2026, 3, 30, 14))
    after = snapshot(data.a.agency)
    assert before["online_payment"][:2] == (2, 3) and after["online_payment"][:2] == (3, 4)
    # d6 pays a first fee online, a second in cash at the desk: decided, it has a fee not all paid online.
    d6 = _fee(data.a, data.dossiers["d6"], aware(2026, 3, 30, 10), paid_online=True)
    d6 = _fee(data.a, d6, aware(2026, 3, 30, 13, 45), paid_online=False)
    dossier_decide(dossier=d6, actor=data.a.leader, outcome="approved", at=aware(2026, 3, 31, 10))
    assert snapshot(data.a.agency)["online_payment"][:2] == (3, 5)
