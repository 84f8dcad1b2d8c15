"""While a period runs, the index forecasts its end: the records so far, plus what is already lost though not
yet counted — a running dossier past its deadline can no longer finish on time, a PAKN past its resolve
deadline can no longer be answered on time. A period that is over has no forecast."""

import pytest

from motcua.core.transitions import Applicant
from motcua.dossiers.tests.factories import World, aware, receive
from motcua.dossiers.transitions import dossier_decide
from motcua.feedback.services import feedback_submit
from motcua.reports.index766.engine import compute
from motcua.reports.index766.periods import parse_period

from .index766_data import NOW, ensure_weights

pytestmark = pytest.mark.django_db


def test_the_forecast_adds_the_running_dossiers_past_due_and_the_overdue_pakn():
    ensure_weights()
    world = World(committed="5")
    d = receive(world, at=aware(2026, 3, 2, 9))
    dossier_decide(dossier=d, actor=world.leader, outcome="approved", at=aware(2026, 3, 3, 10))  # early
    receive(world, at=aware(2026, 3, 2, 9))  # running, due 9/3: past due on 12/3
    receive(world, at=aware(2026, 3, 11, 9))  # running, due 18/3: not yet
    feedback_submit(  # received 2/2, resolve due 11/3 over Tết: past due on 12/3, never answered
        kind="phan_anh",
        category="procedure",
        content="Chậm trả lời.",
        submitter_name="Trần Thị Bình",
        submitter_phone="0912345679",
        agency=world.agency,
        received_at=aware(2026, 2, 2, 9),
        actor=Applicant(via="unverified"),
    )
    result = compute(agency=world.agency, period=parse_period("2026-03"), now=aware(2026, 3, 12, 10))
    ind = {i["code"]: i for g in result["groups"] for i in g["indicators"]}
    assert (ind["dossiers_on_time"]["earned"], ind["dossiers_on_time"]["records"], ind["dossiers_on_time"]["score"]) == (
        1,
        1,
        14.0,
    )
    assert ind["dossiers_on_time"]["forecast"] == {"value": 50.0, "score": 7.0, "records": 2, "already_lost": 1}
    assert ind["pakn_on_time"]["records"] == 0
    assert ind["pakn_on_time"]["forecast"] == {"value": 0.0, "score": 0.0, "records": 1, "already_lost": 1}
    assert ind["ratings_satisfied"]["forecast"]["already_lost"] == 0
    assert result["forecast_total"] == pytest.approx(result["total"] - 7.0)

    over = compute(agency=world.agency, period=parse_period("2026-03"), now=NOW)
    assert over["forecast_total"] is None
    assert all(i["forecast"] is None for g in over["groups"] for i in g["indicators"])
