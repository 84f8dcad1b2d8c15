"""The API maps the recommendation rules to HTTP: closing without evidence 400, closing twice 409,
skipping a drafting stage 409; overdue and escalated views."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from motcua.core.models import User
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.core.transitions import SYSTEM
from motcua.reform import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(office):
    client = APIClient()
    client.force_authenticate(make_staff("lanhdao", Role.LEADER, unit=office))
    return client


def test_close_needs_evidence_400_then_closes_then_409(api, make_recommendation):
    rec = make_recommendation(deadline=date(2021, 10, 15))
    r = api.post(f"/api/v1/cchc/recommendations/{rec.pk}/close/", {"note": "Đã xong"}, format="json")
    assert r.status_code == 400 and "evidence" in r.json()["fields"]
    r = api.post(
        f"/api/v1/cchc/recommendations/{rec.pk}/evidence/", {"description": "Kế hoạch", "reference": "56/KH-BQL"}, format="json"
    )
    assert r.status_code == 201
    r = api.post(f"/api/v1/cchc/recommendations/{rec.pk}/close/", {"note": "Đã xong", "on": "2021-10-20"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "closed" and r.json()["closed_on"] == "2021-10-20"
    r = api.post(f"/api/v1/cchc/recommendations/{rec.pk}/close/", {"note": "lại"}, format="json")
    assert r.status_code == 409


def test_overdue_and_escalated_views(api, make_recommendation):
    late = make_recommendation(deadline=date(2021, 10, 15))
    escalated = make_recommendation("Thiếu biên chế", escalated=True, area="organisation")
    ids = [x["id"] for x in api.get("/api/v1/cchc/recommendations/?view=overdue").json()["results"]]
    assert ids == [late.pk]
    ids = [x["id"] for x in api.get("/api/v1/cchc/recommendations/?view=escalated").json()["results"]]
    assert ids == [escalated.pk]


def test_skipping_a_drafting_stage_is_409(api, agency):
    draft = services.legal_draft_register(
        actor=SYSTEM, agency=agency, year=2021, title="Quy chế", registered_on=date(2021, 1, 20)
    )
    r = api.post(f"/api/v1/cchc/legal-drafts/{draft.pk}/advance/", {"stage": "issued", "on": "2021-02-01"}, format="json")
    assert r.status_code == 409
    r = api.post(f"/api/v1/cchc/legal-drafts/{draft.pk}/advance/", {"stage": "drafting", "on": "2021-02-01"}, format="json")
    assert r.status_code == 200 and r.json()["stage"] == "drafting"


def test_desk_officer_cannot_read(agency, office):
    client = APIClient()
    client.force_authenticate(make_staff("motcua", Role.ONE_STOP_OFFICER, unit=office))
    assert client.get("/api/v1/cchc/recommendations/").status_code == 403
    assert User.objects.count() == 1
