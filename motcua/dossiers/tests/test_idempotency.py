"""Idempotent creation: a repeated POST with the same Idempotency-Key returns the first dossier."""

import pytest

from motcua.dossiers.models import Dossier

from .factories import World

pytestmark = pytest.mark.django_db

BODY = {
    "procedure": None,
    "channel": "counter",
    "applicant": {
        "kind": "individual",
        "full_name": "Trần Thị Bình",
        "id_number": "031185001234",
        "phone": "0987654321",
        "email": "binh@example.vn",
        "address": "Hải Phòng",
    },
}


def _post(client, body, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/v1/dossiers/", body, content_type="application/json", **headers)


def test_same_key_returns_the_first_dossier(client):
    world = World()
    client.force_login(world.officer)
    body = dict(BODY, procedure=world.code)
    first = _post(client, body, "k-123")
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["status"] == "accepted" and data["status_code"] == 2
    assert data["code"].startswith(f"{world.agency.code}-")
    assert data["received_at"] and data["due_at"]
    assert data["lookup_secret"]
    again = _post(client, body, "k-123")
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["code"] == data["code"]
    assert "lookup_secret" not in again.json()
    assert Dossier.objects.count() == 1


def test_other_key_or_no_key_creates_a_new_dossier(client):
    world = World()
    client.force_login(world.officer)
    body = dict(BODY, procedure=world.code)
    codes = {
        _post(client, body, "a").json()["code"],
        _post(client, body, "b").json()["code"],
        _post(client, body).json()["code"],
        _post(client, body).json()["code"],
    }
    assert len(codes) == 4


def test_the_key_is_scoped_to_its_creator(client):
    world = World()
    body = dict(BODY, procedure=world.code)
    client.force_login(world.officer)
    first = _post(client, body, "shared").json()["code"]
    other = World().officer
    other.unit = world.units["MC"]
    other.save()
    client.force_login(other)
    second = _post(client, body, "shared").json()["code"]
    assert first != second


def test_get_by_code_and_list_filters(client):
    world = World()
    client.force_login(world.officer)
    code = _post(client, dict(BODY, procedure=world.code)).json()["code"]
    online = _post(client, dict(BODY, procedure=world.code, channel="online")).json()
    assert online["status_code"] == 1 and online["due_at"] is None
    detail = client.get(f"/api/v1/dossiers/{code}/")
    assert detail.status_code == 200 and detail.json()["code"] == code
    assert client.get("/api/v1/dossiers/NOPE-000000-0000/").status_code == 404
    listed = client.get("/api/v1/dossiers/?status=submitted").json()
    assert [d["code"] for d in listed["results"]] == [online["code"]]
    assert client.get("/api/v1/dossiers/?overdue=true").json()["count"] == 0
    assert client.get("/api/v1/dossiers/?channel=counter").json()["count"] == 1


def test_intake_field_errors_are_400(client):
    world = World()
    client.force_login(world.officer)
    bad = dict(BODY, procedure=world.code, applicant=dict(BODY["applicant"], id_number="12345", email="x@"))
    response = _post(client, bad)
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert "id_number" in fields and "email" in fields
    assert _post(client, dict(BODY, procedure="9.999999")).status_code == 404
    assert _post(client, {"channel": "fax"}).status_code == 400


def test_only_one_stop_officers_take_in_dossiers(client):
    world = World()
    client.force_login(world.specialist)
    assert _post(client, dict(BODY, procedure=world.code)).status_code == 403
    client.force_login(world.clerk)
    assert client.get("/api/v1/dossiers/").status_code == 403
    client.logout()
    assert client.get("/api/v1/dossiers/").status_code in (401, 403)


def test_token_authentication(client):
    from rest_framework.authtoken.models import Token

    world = World()
    token = Token.objects.create(user=world.officer)
    response = client.post(
        "/api/v1/dossiers/",
        dict(BODY, procedure=world.code),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 201


def test_list_filters_by_national_status_code(client):
    world = World()
    client.force_login(world.officer)
    _post(client, dict(BODY, procedure=world.code))
    online = _post(client, dict(BODY, procedure=world.code, channel="online")).json()["code"]
    assert [d["code"] for d in client.get("/api/v1/dossiers/?status=1").json()["results"]] == [online]
    assert client.get("/api/v1/dossiers/?status=1,2").json()["count"] == 2
