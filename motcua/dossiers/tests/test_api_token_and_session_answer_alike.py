"""The dossier API has one path per request, whoever asks: a token client and a signed-in staff member get
the same bytes from the same code (one builder of the representation, one parser per body), and what the
view declares — authentication, permissions, throttles — applies to both."""

import json

import pytest
from django.http import QueryDict
from rest_framework import permissions, throttling
from rest_framework.authtoken.models import Token
from rest_framework.renderers import JSONRenderer

from motcua.core.errors import ValidationFailed
from motcua.dossiers import api
from motcua.dossiers.machine import Action
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_get

from .factories import APPLICANT, World, receive

pytestmark = pytest.mark.django_db


def _as_token(client, user):
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=user).key}"
    return client


def _as_session(client, user):
    client.force_login(user)
    return client


SIGN_IN = {"token": _as_token, "session": _as_session}


def test_a_read_gives_the_same_bytes_and_headers_by_token_and_by_session(client, django_user_model):
    world = World()
    code = receive(world).code
    by_token = _as_token(client, world.officer).get(f"/api/v1/dossiers/{code}/")
    client.defaults.pop("HTTP_AUTHORIZATION")
    by_session = _as_session(client, world.officer).get(f"/api/v1/dossiers/{code}/")
    assert by_token.status_code == by_session.status_code == 200
    assert by_token.content == by_session.content
    for header in ("Content-Type", "Allow"):
        assert by_token[header] == by_session[header]
    assert by_token.content == JSONRenderer().render(api.DossierOutSerializer(dossier_get(code=code)).data)


@pytest.mark.parametrize("way", ["token", "session"])
def test_an_intake_answers_the_representation_of_the_stored_dossier(client, way):
    world = World()
    SIGN_IN[way](client, world.officer)
    body = {"procedure": world.code, "channel": "counter", "applicant": dict(APPLICANT)}
    response = client.post(
        "/api/v1/dossiers/",
        json.dumps(body, ensure_ascii=False),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=f"{way}-1",
    )
    assert response.status_code == 201, response.content
    answer = response.json()
    secret = answer.pop("lookup_secret")
    assert secret and answer == api.DossierOutSerializer(dossier_get(code=answer["code"])).data
    assert response.content == JSONRenderer().render({**answer, "lookup_secret": secret})
    assert response["Location"] == f"/api/v1/dossiers/{answer['code']}/"
    again = client.post(
        "/api/v1/dossiers/",
        json.dumps(body, ensure_ascii=False),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=f"{way}-1",
    )
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.content == JSONRenderer().render(answer)


def test_the_list_and_the_read_show_a_dossier_alike(client):
    world = World()
    code = receive(world).code
    _as_session(client, world.officer)
    listed = client.get("/api/v1/dossiers/").json()["results"]
    assert listed == [client.get(f"/api/v1/dossiers/{code}/").json()]


def test_the_documented_fields_are_the_represented_ones():
    world = World()
    dossier = receive(world)
    dossier.authorised_name = "Lê Văn Cường"
    body = api.dossier_data(dossier)

    def declared(serializer):
        return {
            name: declared(field) if isinstance(field, api.serializers.Serializer) else None
            for name, field in serializer.fields.items()
        }

    def shape(value):
        return {k: shape(v) if isinstance(v, dict) else None for k, v in value.items()}

    documented = declared(api.DossierOutSerializer())
    assert documented.pop("lookup_secret") is None  # only in the intake's answer
    assert documented == shape(body)


BAD_ACTIONS = [
    (Action.REQUIRE_PAYMENT, {"amount_vnd": "một trăm"}, "amount_vnd"),
    (Action.RETURN_TO_STEP, {"seq": "hai"}, "seq"),
    (Action.EXTEND, {"new_due_at": "ngày mai", "reason": "Chờ ý kiến"}, "new_due_at"),
    (Action.EXTEND, {"new_due_at": "9999-12-31", "reason": "Chờ ý kiến"}, "new_due_at"),
    (Action.FORWARD, {"to_unit": "KHONGCO"}, "to_unit"),
    (Action.FORWARD, {"to_user": "khong-co-ai"}, "to_user"),
    (Action.REFUSE, {"reason": "x" * (api.NOTE_MAX + 1)}, "reason"),
    (Action.REQUEST_SUPPLEMENT, {"items": "\n".join(f"Giấy tờ {i}" for i in range(api.SUPPLEMENT_ITEMS_MAX + 1))}, "items"),
    (Action.REQUEST_SUPPLEMENT, {"items": "x" * (api.SUPPLEMENT_ITEM_MAX + 1)}, "items"),
]


@pytest.mark.parametrize("action, data, field", BAD_ACTIONS)
def test_an_invalid_action_body_gets_the_same_field_errors_from_a_form_and_from_json(client, action, data, field):
    world = World()
    dossier = receive(world)
    form = QueryDict(mutable=True)
    form.update(data)
    with pytest.raises(ValidationFailed) as from_form:
        api.action_arguments(action, form, world.agency.pk)
    with pytest.raises(ValidationFailed) as from_json:
        api.action_arguments(action, dict(data), world.agency.pk)
    assert list(from_form.value.fields) == [field]
    assert from_form.value.fields == from_json.value.fields
    _as_session(client, world.boss)
    response = client.post(f"/api/v1/dossiers/{dossier.code}/actions/{action}/", data, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["fields"] == from_json.value.fields
    assert Dossier.objects.get(pk=dossier.pk).status == dossier.status


def test_a_form_and_json_give_the_service_the_same_arguments():
    world = World()
    lines = "Bản sao hợp đồng\n\nBản vẽ mặt bằng"
    form = QueryDict(mutable=True)
    form.update({"items": lines, "note": "Bổ sung trong 5 ngày", "csrfmiddlewaretoken": "x"})
    as_form = api.action_arguments(Action.REQUEST_SUPPLEMENT, form, world.agency.pk)
    as_json = api.action_arguments(Action.REQUEST_SUPPLEMENT, {"items": lines, "note": "Bổ sung trong 5 ngày"}, world.agency.pk)
    assert as_form == as_json == {"items": ["Bản sao hợp đồng", "Bản vẽ mặt bằng"], "note": "Bổ sung trong 5 ngày"}
    assert api.action_arguments(Action.REQUEST_SUPPLEMENT, {"items": ["A", "B"]}, world.agency.pk)["items"] == ["A", "B"]
    forward = api.action_arguments(Action.FORWARD, {"to_unit": "QLDT", "amount_vnd": "bỏ qua"}, world.agency.pk)
    assert forward == {"note": "", "to_unit": world.units["QLDT"]}  # a field the action does not take is ignored


def _read_and_intake(client, world, code):
    read = client.get(f"/api/v1/dossiers/{code}/")
    intake = client.post(
        "/api/v1/dossiers/",
        {"procedure": world.code, "channel": "counter", "applicant": APPLICANT},
        content_type="application/json",
    )
    return read, intake


class _Refused(throttling.BaseThrottle):
    def allow_request(self, request, view):
        return False

    def wait(self):
        return 30


class _Nobody(permissions.BasePermission):
    message = "Tạm dừng."

    def has_permission(self, request, view):
        return False


@pytest.mark.parametrize("way", ["token", "session"])
def test_a_throttle_added_to_the_views_holds_for_every_caller(client, monkeypatch, way):
    world = World()
    code = receive(world).code
    SIGN_IN[way](client, world.officer)
    for view in (api.DossierDetailView, api.DossierListView):
        monkeypatch.setattr(view, "throttle_classes", [_Refused])
    read, intake = _read_and_intake(client, world, code)
    assert read.status_code == intake.status_code == 429
    assert read["Retry-After"] == "30"
    assert Dossier.objects.count() == 1


@pytest.mark.parametrize("way", ["token", "session"])
def test_a_permission_added_to_the_views_holds_for_every_caller(client, monkeypatch, way):
    world = World()
    code = receive(world).code
    SIGN_IN[way](client, world.officer)
    for view in (api.DossierDetailView, api.DossierListView):
        monkeypatch.setattr(view, "permission_classes", [*view.permission_classes, _Nobody])
    read, intake = _read_and_intake(client, world, code)
    assert read.status_code == intake.status_code == 403
    assert read.json()["detail"] == "Tạm dừng."
    assert Dossier.objects.count() == 1


def test_the_remembered_content_negotiation_answers_each_accept_header_as_drf_does(client):
    world = World()
    code = receive(world).code
    _as_token(client, world.officer)
    for _ in range(2):  # the second answer comes from the memory
        assert client.get(f"/api/v1/dossiers/{code}/", HTTP_ACCEPT="application/xml").status_code == 406
        page = client.get(f"/api/v1/dossiers/{code}/", HTTP_ACCEPT="text/html")
        assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
        assert client.get(f"/api/v1/dossiers/{code}/?format=json", HTTP_ACCEPT="text/html")["Content-Type"] == "application/json"
        assert client.get(f"/api/v1/dossiers/{code}/", HTTP_ACCEPT="*/*")["Content-Type"] == "application/json"
