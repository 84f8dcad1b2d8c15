"""The staff dossier page (dossiers.panels) links a decided dossier to the issue page, then shows the issued
result's number and its verification link; an undecided dossier shows no panel."""

import pytest

from motcua.dossiers.tests.factories import receive
from motcua.results.services import result_issue

from .conftest import Upload, decision_pdf

pytestmark = pytest.mark.django_db


def test_panel_links_to_issue_then_shows_the_result(world, dossier, client):
    client.force_login(world.leader)
    page = client.get(f"/staff/dossiers/{dossier.code}/").content.decode()
    assert f"/staff/results/{dossier.code}/" in page and 'id="eresult-issue"' in page
    result = result_issue(actor=world.leader, dossier=dossier, source=Upload(decision_pdf()))
    page = client.get(f"/staff/dossiers/{dossier.code}/").content.decode()
    assert result.label in page and f"/ket-qua/xac-minh/{result.token}/" in page
    assert 'id="eresult-issue"' not in page


def test_no_panel_before_the_decision(world, client):
    d = receive(world, channel="counter")
    client.force_login(world.leader)
    page = client.get(f"/staff/dossiers/{d.code}/").content.decode()
    assert 'id="ket-qua-dien-tu"' not in page
