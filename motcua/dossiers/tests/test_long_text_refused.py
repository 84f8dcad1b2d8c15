"""Free text has a length limit per field: a 1 MB note or reason is refused with a field error — 400
with the field named in the API, the Vietnamese message beside the field in the staff form — and
nothing is written."""

import json

import pytest
from rest_framework.authtoken.models import Token

from motcua.core.models import AuditLog
from motcua.core.validators import NOTE_MAX
from motcua.dossiers.models import Dossier

from .factories import APPLICANT, World, receive

pytestmark = pytest.mark.django_db

ONE_MB = "a" * (1024 * 1024)


def _intake(world, **extra):
    return {"procedure": world.code, "channel": "counter", "applicant": dict(APPLICANT), **extra}


@pytest.mark.parametrize("by_token", [True, False], ids=["token", "session"])
def test_a_1_mb_note_at_intake_is_a_400_field_error(client, by_token):
    world = World()
    headers = {}
    if by_token:
        headers["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=world.officer).key}"
    else:
        client.force_login(world.officer)
    response = client.post(
        "/api/v1/dossiers/", json.dumps(_intake(world, note=ONE_MB)), content_type="application/json", **headers
    )
    assert response.status_code == 400
    assert response.json()["fields"]["note"] == [f"Tối đa {NOTE_MAX} ký tự."]
    assert not Dossier.objects.exists()
    at_limit = client.post(
        "/api/v1/dossiers/", json.dumps(_intake(world, note="ư" * NOTE_MAX)), content_type="application/json", **headers
    )
    assert at_limit.status_code == 201, at_limit.content


def test_a_1_mb_reason_for_an_action_is_a_400_field_error_and_nothing_changes(client):
    world = World()
    dossier = receive(world, channel="online")
    client.force_login(world.officer)
    url = f"/api/v1/dossiers/{dossier.code}/actions/refuse/"
    response = client.post(url, {"reason": ONE_MB}, content_type="application/json")
    assert response.status_code == 400
    assert "reason" in response.json()["fields"]
    dossier.refresh_from_db()
    assert dossier.status == "submitted"
    assert not AuditLog.objects.filter(action="dossier.refuse").exists()
    items = client.post(
        f"/api/v1/dossiers/{dossier.code}/actions/request_supplement/", {"items": ["x" * 501]}, content_type="application/json"
    )
    assert items.status_code == 400 and "items" in items.json()["fields"]


def test_a_1_mb_note_in_the_staff_intake_form_is_shown_beside_the_field(client):
    world = World()
    client.force_login(world.officer)
    data = {
        "procedure": world.code,
        "channel": "counter",
        "kind": "individual",
        "full_name": "Lê Thị Cúc",
        "id_number": "001190012345",
        "birth_date": "1990-04-02",
        "result_delivery": "counter",
        "note": ONE_MB,
    }
    response = client.post(f"/staff/dossiers/new/?procedure={world.code}", data)
    assert response.status_code in (200, 400)
    assert f"Tối đa {NOTE_MAX} ký tự (đã nhập {len(ONE_MB)} ký tự)." in response.content.decode()
    assert not Dossier.objects.exists()
