"""Issue 20 item 5: a paper of the applicant's store reused into a dossier of a closed month (papers.paper_reuse, a
file row and a reuse row: no dossier column changes) moves the index's reuse indicator at the next read though the
month is read from the summary — the service marks the dossier changed (its updated_at). No freshness margin."""

from datetime import date

import pytest

from motcua.dossiers.tests.factories import aware
from motcua.papers.services import consent_record, paper_reuse
from motcua.papers.tests.conftest import media, receive_for, stored, world  # noqa: F401  (fixtures)
from motcua.reports.index766.engine import compute
from motcua.reports.index766.periods import parse_period

from .index766_data import ensure_weights

pytestmark = pytest.mark.django_db

NOW = aware(2026, 12, 1)


def reuse_counts(agency, *, use_summary=True) -> dict[str, tuple[int, int]]:
    result = compute(agency=agency, period=parse_period("2026-03"), now=NOW, use_summary=use_summary)
    return {i["code"]: (i["earned"], i["records"]) for g in result["groups"] for i in g["indicators"]}


def test_a_paper_reused_into_a_dossier_of_a_closed_month_moves_data_reused_at_the_next_read(world, stored, settings):  # noqa: F811
    settings.MOTCUA_SUMMARY_MARGIN_SECONDS = 0
    ensure_weights()
    _first, paper = stored
    later = receive_for(world, received_at=aware(2026, 3, 2, 9), components=[c.pk for c in world.version.components.all()])
    before = reuse_counts(world.agency)
    assert before == reuse_counts(world.agency, use_summary=False)
    consent_record(actor=world.officer, dossier=later)
    paper_reuse(actor=world.officer, dossier=later, paper=paper, component=world.version.components.get(order=2))
    after = reuse_counts(world.agency)
    assert after == reuse_counts(world.agency, use_summary=False)
    assert {k for k in before if before[k] != after[k]} == {"data_reused"}
    assert after["data_reused"] == (before["data_reused"][0] + 1, before["data_reused"][1])
    assert date(2026, 3, 2) == later.received_at.date()
