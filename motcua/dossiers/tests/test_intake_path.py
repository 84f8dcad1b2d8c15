"""Intake by an API client with a token (the hot write path, through DRF's request cycle like every other
request): the same answer as a signed-in officer's, DRF's answers to errors, and a bounded number of statements."""

import json

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.renderers import JSONRenderer

from motcua.core.models import AuditLog
from motcua.dossiers.models import DailySequence, Dossier, DossierEvent, DossierStep
from motcua.notifications.models import Message

from .factories import APPLICANT, World, receive

pytestmark = pytest.mark.django_db


def _body(world, **extra):
    return {"procedure": world.code, "channel": "counter", "applicant": dict(APPLICANT), **extra}


def _post(client, body, token=None, key=None, content_type="application/json"):
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}"} if token else {}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    data = body if isinstance(body, str | bytes) else json.dumps(body, ensure_ascii=False)
    return client.post("/api/v1/dossiers/", data, content_type=content_type, **headers)


def test_a_token_intake_answers_as_drf_does(client):
    world = World()
    token = Token.objects.create(user=world.officer)
    fast = _post(client, _body(world), token, key="k-1")
    client.force_login(world.officer)  # a session user takes DRF's way
    slow = _post(client, _body(world), key="k-2")
    assert fast.status_code == slow.status_code == 201
    assert fast.json().keys() == slow.json().keys()
    assert fast.content == JSONRenderer().render(fast.json())  # DRF's bytes for the same data
    for header in ("Content-Type", "Allow"):
        assert fast[header] == slow[header]
    assert fast["Vary"] == "Accept"
    assert fast["Location"] == f"/api/v1/dossiers/{fast.json()['code']}/"
    dossier = Dossier.objects.get(code=fast.json()["code"])
    assert dossier.created_by == world.officer and dossier.status == "accepted"
    assert fast.json()["due_at"] and fast.json()["lookup_secret"]


def test_a_token_intake_writes_the_whole_record(client):
    world = World()
    token = Token.objects.create(user=world.officer)
    code = _post(client, _body(world), token).json()["code"]
    dossier = Dossier.objects.get(code=code)
    step = DossierStep.objects.get(dossier=dossier)
    assert step.seq == 1 and step.assignee == world.officer and step.due_at <= dossier.due_at
    assert DossierEvent.objects.get(dossier=dossier).action == "receive"
    assert Message.objects.filter(object_type="dossiers.dossier", object_id=str(dossier.pk)).count() == 2  # mail, SMS
    entry = AuditLog.objects.get(action="dossier.receive", object_id=str(dossier.pk))
    assert entry.actor_id == world.officer.pk and entry.changes["procedure"] == world.code


def test_a_repeated_key_gets_the_first_dossier(client):
    world = World()
    token = Token.objects.create(user=world.officer)
    first = _post(client, _body(world), token, key="lap-lai")
    again = _post(client, _body(world), token, key="lap-lai")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["code"] == first.json()["code"] and "lookup_secret" not in again.json()
    assert Dossier.objects.count() == 1


def test_a_repeat_that_no_longer_passes_the_checks_still_gets_the_first_dossier(client):
    world = World()
    token = Token.objects.create(user=world.officer)
    first = _post(client, _body(world), token, key="truoc-khi-doi")
    world.version.channel_counter = False
    world.version.save()  # as the admin saves it: the per-process catalog memory forgets the version
    assert _post(client, _body(world), token).status_code == 400  # a new intake is refused now
    again = _post(client, _body(world), token, key="truoc-khi-doi")
    assert again.status_code == 200 and again.json()["code"] == first.json()["code"]
    assert Dossier.objects.count() == 1


@pytest.mark.parametrize(
    "body, field",
    [
        ({"channel": "counter", "applicant": APPLICANT}, "procedure"),
        ({"procedure": None, "channel": "fax", "applicant": APPLICANT}, "channel"),
        ({"procedure": None, "channel": "counter", "applicant": {**APPLICANT, "id_number": "12345"}}, "id_number"),
        ({"procedure": None, "channel": "counter", "applicant": APPLICANT, "components": [float("nan")]}, None),
    ],
)
def test_a_token_intake_with_bad_data_gets_drfs_field_errors_and_writes_nothing(client, body, field):
    world = World()
    token = Token.objects.create(user=world.officer)
    if "procedure" in body:
        body = {**body, "procedure": world.code}
    response = _post(client, json.dumps(body, ensure_ascii=False), token)
    assert response.status_code == 400, response.content
    if field:
        assert field in json.dumps(response.json(), ensure_ascii=False)
    assert not Dossier.objects.exists() and not AuditLog.objects.filter(action="dossier.receive").exists()


def test_a_token_intake_leaves_refusals_to_drf(client):
    world = World()
    clerk = _post(client, _body(world), Token.objects.create(user=world.clerk))
    assert clerk.status_code == 403 and "detail" in clerk.json()
    bad_token = client.post(
        "/api/v1/dossiers/", json.dumps(_body(world)), content_type="application/json", HTTP_AUTHORIZATION="Token khong-hop-le"
    )
    assert bad_token.status_code in (401, 403)
    officer = Token.objects.create(user=world.officer)
    assert _post(client, "{không phải JSON", officer).status_code == 400
    unknown = _post(client, _body(world, procedure="9.999999"), officer)
    assert unknown.status_code in (400, 404) and unknown.json()
    assert not Dossier.objects.exists()


def test_a_token_intake_runs_three_statements_on_postgresql(client, django_assert_num_queries):
    world = World()
    token = Token.objects.create(user=world.officer)
    assert _post(client, _body(world), token).status_code == 201  # token, roles and references remembered
    # Around them the test's savepoint and its release. PostgreSQL: [daily number, dossier], [audit head
    # lock] (the entry's HMAC is computed in Python, with a key the database never sees), [first step,
    # event, messages, audit entry, head update]. SQLite: one statement each.
    with django_assert_num_queries(5 if connection.vendor == "postgresql" else 10):
        assert _post(client, _body(world), token).status_code == 201


@pytest.mark.parametrize("last, suffix", [(0, "0001"), (41, "0042"), (9998, "9999"), (9999, "10000")])
def test_the_code_carries_the_next_number_of_the_day_in_four_digits_or_more(last, suffix):
    world = World()
    today = timezone.localdate()
    if last:
        DailySequence.objects.create(agency=world.agency, date=today, last=last)
    dossier = receive(world)
    assert dossier.code == f"{world.agency.code}-{today:%y%m%d}-{suffix}"
    assert Dossier.objects.get(pk=dossier.pk).code == dossier.code
    assert DailySequence.objects.get(agency=world.agency, date=today).last == last + 1
