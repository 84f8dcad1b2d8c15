"""The worklist reads only the columns it shows (worklists.ROW_COLUMNS, STEP_COLUMNS): its page and its API make
as many queries for five dossiers as for one — a column shown but not read would cost one query per row — and
show every value they showed before, for each scope."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from motcua.dossiers.tests.factories import World
from motcua.dossiers.transitions import dossier_forward

from .helpers import receive_as

pytestmark = pytest.mark.django_db
PAGE = "/mot-cua/viec/"


def _receive(w: World, n: int, forward: bool) -> list:
    out = []
    for i in range(n):
        at = timezone.now() - timedelta(hours=3, minutes=i)
        dossier = receive_as(w, w.version, at=at, name=f"Người nộp số {i}")
        if forward:
            dossier = dossier_forward(dossier=dossier, actor=w.officer, to_user=w.specialist, at=at + timedelta(minutes=30))
        out.append(dossier)
    return out


def _count(fn) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        result = fn()
    return len(queries.captured_queries), result


@pytest.mark.parametrize(("scope", "who", "forward"), [("mine", "specialist", True), ("desk", "officer", False)])
def test_five_rows_cost_the_queries_of_one(scope, who, forward):
    w = World(committed="10")
    user = getattr(w, who)
    api = APIClient()
    api.force_authenticate(user)
    page = APIClient()
    page.force_login(user)
    _receive(w, 1, forward)
    api.get("/api/v1/desk/worklist/", {"scope": scope})  # the per-process memories (calendar, token) filled first
    page.get(PAGE, {"scope": scope})
    one_api, _ = _count(lambda: api.get("/api/v1/desk/worklist/", {"scope": scope}))
    one_page, _ = _count(lambda: page.get(PAGE, {"scope": scope}))
    dossiers = _receive(w, 4, forward)
    five_api, response = _count(lambda: api.get("/api/v1/desk/worklist/", {"scope": scope}))
    assert response.status_code == 200 and len(response.json()["results"]) == 5
    assert five_api == one_api
    five_page, shown = _count(lambda: page.get(PAGE, {"scope": scope}))
    assert shown.status_code == 200 and five_page == one_page
    body = shown.content.decode()
    for d in dossiers:
        assert d.code in body and d.applicant_name in body
    assert w.version.name in body and d.get_status_display() in body
    if forward:
        assert w.units["QLDT"].name in body
    row = next(r for r in response.json()["results"] if r["code"] == dossiers[0].code)
    assert row["applicant_name"] == "Người nộp số 0"
    assert row["procedure"] == {"code": w.version.procedure.code, "name": w.version.name}
    assert row["field"] == w.version.field.name and row["status"] == dossiers[0].status
    assert row["status_code"] == dossiers[0].status_code and row["due_at"]
    if forward:
        assert row["step"]["assignee"] == w.specialist.get_username()
        assert row["step"]["unit"] == w.units["QLDT"].name and row["step"]["received_at"] and row["step"]["due_at"]
