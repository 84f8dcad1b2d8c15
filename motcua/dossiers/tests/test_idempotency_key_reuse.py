"""An Idempotency-Key sent again with another body is refused with 422 and nothing is written; the
same body (whatever its key order or spacing) still gets the first dossier."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from motcua.core.models import AuditLog
from motcua.dossiers.models import Dossier

from .factories import APPLICANT, World

pytestmark = pytest.mark.django_db


def _body(world, **extra):
    return {"procedure": world.code, "channel": "counter", "applicant": dict(APPLICANT), **extra}


def _post(client, body, *, key, token=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key}
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    data = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return client.post("/api/v1/dossiers/", data, content_type="application/json", **headers)


def _counts():
    return Dossier.objects.count(), AuditLog.objects.filter(action="dossier.receive").count()


@pytest.mark.parametrize("by_token", [True, False], ids=["token", "session"])
def test_same_key_and_same_body_replays_the_first_dossier(client, by_token):
    world = World()
    token = Token.objects.create(user=world.officer) if by_token else None
    if not by_token:
        client.force_login(world.officer)
    body = _body(world, note="Nộp kèm bản gốc")
    first = _post(client, body, key="k-1", token=token)
    assert first.status_code == 201, first.content
    # The same request written differently: keys in another order, spaces after separators.
    reordered = json.dumps(dict(reversed(list(body.items()))), ensure_ascii=False, indent=2)
    again = _post(client, reordered, key="k-1", token=token)
    assert again.status_code == 200, again.content
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["code"] == first.json()["code"]
    assert _counts() == (1, 1)
    stored = Dossier.objects.get().idempotency_fingerprint
    assert len(stored) == 64 and stored != "0" * 64


@pytest.mark.parametrize("by_token", [True, False], ids=["token", "session"])
@pytest.mark.parametrize(
    "change",
    [
        {"note": "Một ghi chú khác"},
        {"channel": "postal", "postal_tracking": "EE123456789VN"},
        {"applicant": {**APPLICANT, "full_name": "Người khác hẳn"}},
    ],
    ids=["note", "channel", "applicant"],
)
def test_same_key_with_another_body_is_422_and_writes_nothing(client, by_token, change):
    world = World()
    token = Token.objects.create(user=world.officer) if by_token else None
    if not by_token:
        client.force_login(world.officer)
    first = _post(client, _body(world), key="k-2", token=token)
    assert first.status_code == 201, first.content
    before = _counts()
    other = _post(client, _body(world, **change), key="k-2", token=token)
    assert other.status_code == 422, other.content
    body = other.json()
    assert body["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in body["detail"]
    assert "Replayed" not in " ".join(other.headers)
    assert _counts() == before == (1, 1)
    assert Dossier.objects.get().applicant_name == APPLICANT["full_name"]


def test_a_dossier_stored_before_fingerprints_is_still_replayed(client):
    world = World()
    token = Token.objects.create(user=world.officer)
    first = _post(client, _body(world), key="cu", token=token)
    Dossier.objects.update(idempotency_fingerprint="")  # as rows written before the column existed
    again = _post(client, _body(world, note="khác"), key="cu", token=token)
    assert again.status_code == 200 and again.json()["code"] == first.json()["code"]


def test_another_officer_may_use_the_same_key_for_another_body(client):
    world = World()
    first = _post(client, _body(world), key="chung", token=Token.objects.create(user=world.officer))
    other = World().officer
    other.unit = world.units["MC"]
    other.save()
    second = _post(client, _body(world, note="khác"), key="chung", token=Token.objects.create(user=other))
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["code"] != second.json()["code"]


def test_the_reuse_check_costs_no_statement_on_a_new_key(client):
    world = World()
    token = Token.objects.create(user=world.officer)
    assert _post(client, _body(world), key="nong-0", token=token).status_code == 201  # token, references remembered
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    with CaptureQueriesContext(connection) as plain:
        response = client.post("/api/v1/dossiers/", json.dumps(_body(world)), content_type="application/json", **headers)
        assert response.status_code == 201
    with CaptureQueriesContext(connection) as keyed:
        assert _post(client, _body(world), key="nong-1", token=token).status_code == 201
    assert len(keyed.captured_queries) == len(plain.captured_queries)
