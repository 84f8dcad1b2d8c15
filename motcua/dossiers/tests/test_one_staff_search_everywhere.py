"""One staff search: the dossier list page, the worklist and the API's ?q= find the same dossiers for
the same text — without diacritics, by any part of the code, by the applicant's number — and only in
the user's agency."""

import pytest

from motcua.dossiers.intake import dossier_receive
from motcua.dossiers.models import Dossier

from .factories import APPLICANT, World, aware, receive

pytestmark = pytest.mark.django_db

QUERIES = ["tran thi binh", "TRẦN THỊ BÌNH", "binh", "261202", "001190054321"]


@pytest.fixture
def world_with_binh():
    world = World()
    applicant = dict(APPLICANT, full_name="Trần Thị Bình", id_number="001190054321")
    binh = dossier_receive(
        actor=world.officer, procedure_code=world.code, channel="counter", applicant=applicant, received_at=aware(2026, 12, 2, 9)
    )
    other = receive(world, at=aware(2026, 11, 20, 9))  # Nguyễn Văn An, 20/11/2026
    assert "261202" in binh.code and "261202" not in other.code
    return world, binh, other


def _codes_on_page(html: str, *dossiers: Dossier) -> set[str]:
    return {d.code for d in dossiers if d.code in html}


def test_list_page_worklist_and_api_find_the_same_dossier(client, world_with_binh):
    world, binh, other = world_with_binh
    client.force_login(world.officer)
    for q in QUERIES:
        page = client.get("/staff/dossiers/", {"q": q})
        assert page.status_code == 200
        assert _codes_on_page(page.content.decode(), binh, other) == {binh.code}, q
        worklist = client.get("/mot-cua/viec/", {"scope": "mine", "q": q})
        assert worklist.status_code == 200
        assert _codes_on_page(worklist.content.decode(), binh, other) == {binh.code}, q
        api = client.get("/api/v1/dossiers/", {"q": q})
        assert api.status_code == 200
        assert [d["code"] for d in api.json()["results"]] == [binh.code], q


def test_every_word_must_match(client, world_with_binh):
    world, binh, other = world_with_binh
    client.force_login(world.officer)
    assert client.get("/api/v1/dossiers/", {"q": "binh nguyen"}).json()["results"] == []
    both = {d["code"] for d in client.get("/api/v1/dossiers/", {"q": world.agency.code}).json()["results"]}
    assert both == {binh.code, other.code}


def test_another_agency_finds_nothing(client, world_with_binh):
    world, binh, other = world_with_binh
    stranger = World()
    client.force_login(stranger.officer)
    for q in QUERIES:
        assert client.get("/api/v1/dossiers/", {"q": q}).json()["results"] == []
        assert binh.code not in client.get("/staff/dossiers/", {"q": q}).content.decode()
        assert binh.code not in client.get("/mot-cua/viec/", {"scope": "desk", "q": q}).content.decode()
