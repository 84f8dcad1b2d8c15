"""Pages and API of the desk: the slip PDF is printed from the dossier's link with role and agency
checks and stored with the dossier; worklist, book and statistics pages render (XLSX too); the JSON
API returns the selectors' figures."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from motcua.core.testing import make_staff
from motcua.desk.models import DossierSlip
from motcua.desk.selectors.worklists import worklist
from motcua.dossiers.tests.factories import World, aware, receive
from motcua.dossiers.transitions import dossier_forward

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = World()
    d1 = receive(w, at=aware(2026, 4, 23, 9))
    dossier_forward(dossier=d1, actor=w.officer, to_user=w.specialist, at=aware(2026, 4, 23, 10))
    receive(w, at=aware(2026, 4, 24, 9))
    w.first = d1
    return w


def test_slip_pdf_is_printed_and_stored(client, world):
    url = reverse("desk:slip-pdf", args=[world.first.code, "bm01"])
    assert url == f"/mot-cua/ho-so/{world.first.code}/phieu/bm01.pdf"
    client.force_login(world.officer)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    slip = DossierSlip.objects.get(dossier=world.first, kind="bm01")
    assert slip.sha256 == response["X-Content-SHA256"] and slip.created_by == world.officer
    assert slip.file.read() == body
    # printing again stores nothing new
    client.get(url)
    assert DossierSlip.objects.filter(dossier=world.first).count() == 1
    page = client.get(reverse("desk:slips", args=[world.first.code]))
    assert page.status_code == 200
    assert reverse("desk:slip-pdf", args=[world.first.code, "bm05"]).encode() in page.content
    assert reverse("desk:slip-pdf", args=[world.first.code, "bm03"]).encode() not in page.content  # not refused


def test_slip_role_and_agency_checks(client, world):
    url = reverse("desk:slip-pdf", args=[world.first.code, "bm01"])
    assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(world.clerk)
    assert client.get(url).status_code == 403
    stranger = World().officer  # an officer of another agency
    client.force_login(stranger)
    assert client.get(url).status_code == 403
    client.force_login(world.specialist)
    assert client.get(reverse("desk:slip-pdf", args=[world.first.code, "bm03"])).status_code == 409  # nothing to print
    assert client.get(reverse("desk:slip-pdf", args=[world.first.code, "bm09"])).status_code == 404
    assert not DossierSlip.objects.exists()


def test_pages_render_for_their_roles(client, world):
    client.force_login(world.leader)
    for name in ("desk:worklist", "desk:unit-load", "desk:book", "desk:statistics"):
        response = client.get(reverse(name), {"start": "2026-04-01", "end": "2026-04-30"})
        assert response.status_code == 200, name
    page = client.get(reverse("desk:worklist"), {"scope": "agency"}).content.decode()
    assert world.first.code in page and "Quá hạn" in page
    book = client.get(reverse("desk:book"), {"start": "2026-04-01", "end": "2026-04-30"}).content.decode()
    assert world.first.code in book and "Đầu tư tại Việt Nam" in book
    xlsx = client.get(reverse("desk:book"), {"start": "2026-04-01", "end": "2026-04-30", "format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(BytesIO(xlsx.getvalue())).sheetnames == ["Đầu tư tại Việt Nam"]
    stats = client.get(reverse("desk:statistics"), {"start": "2026-04-01", "end": "2026-04-30", "format": "xlsx"})
    assert load_workbook(BytesIO(stats.getvalue())).active.max_row >= 7
    assert client.get(reverse("desk:statistics"), {"start": "2026-04-30", "end": "2026-04-01"}).status_code == 400
    client.force_login(world.specialist)
    assert client.get(reverse("desk:book")).status_code == 403
    assert client.get(reverse("desk:unit-load")).status_code == 403


def test_api_returns_the_selector_figures(client, world):
    client.force_login(world.specialist)
    data = client.get("/api/v1/desk/worklist/", {"scope": "mine"}).json()
    wl = worklist(user=world.specialist, scope="mine")
    assert data["counts"] == wl.counts and data["total"] == 1
    assert data["results"][0]["code"] == world.first.code and data["results"][0]["bucket"] == "overdue"
    assert client.get("/api/v1/desk/worklist/", {"scope": "agency"}).status_code == 403
    assert client.get("/api/v1/desk/statistics/").status_code == 403
    client.force_login(world.leader)
    stats = client.get("/api/v1/desk/statistics/", {"start": "2026-04-01", "end": "2026-04-30"}).json()
    assert stats["total"]["new_total"] == 2 and stats["total"]["new_counter"] == 2
    assert stats["rows"][0]["group"]["field"]["label"] == "Đầu tư tại Việt Nam"
    book = client.get("/api/v1/desk/book/", {"start": "2026-04-01", "end": "2026-04-30"}).json()
    assert [r["code"] for r in book["sections"][0]["rows"]][0] == world.first.code
    slips = client.get(f"/api/v1/desk/dossiers/{world.first.code}/slips/").json()
    assert {s["kind"] for s in slips["available"]} == {"bm01", "bm05"}
    load = client.get("/api/v1/desk/unit-load/", {"start": "2026-04-01", "end": "2026-04-30"}).json()
    assert {u["short_name"]: u["open"] for u in load["units"]} == {"MC": 1, "QLDT": 1, "VP": 0}
    inspector = make_staff("thanhtra", "inspector")
    client.force_login(inspector)
    assert client.get("/api/v1/desk/statistics/").status_code == 200
    assert client.get("/api/v1/desk/book/").status_code == 403
