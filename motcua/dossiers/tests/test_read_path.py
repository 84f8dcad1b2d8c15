"""Reading a dossier by code is one query (the hot path of the API), and the lean read says the same as the full one."""

from datetime import date

import pytest
from rest_framework.authtoken.models import Token

from motcua.core.transitions import SYSTEM
from motcua.dossiers.api import dossier_data
from motcua.dossiers.intake import dossier_receive
from motcua.dossiers.selectors import dossier_get

from .factories import APPLICANT, World, receive

pytestmark = pytest.mark.django_db


def test_dossier_by_code_is_one_query(django_assert_num_queries):
    world = World()
    code = receive(world).code
    with django_assert_num_queries(1):
        d = dossier_get(code=code)
        assert d.procedure_version.procedure.code == world.code
        assert d.agency.code == world.agency.code


def test_api_read_by_code_is_one_query_once_the_token_is_remembered(client, django_assert_num_queries):
    world = World()
    code = receive(world).code
    token = Token.objects.create(user=world.officer)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    with django_assert_num_queries(4):  # token+user, the user's roles, the user's unit, the dossier
        first = client.get(f"/api/v1/dossiers/{code}/", **auth)
    with django_assert_num_queries(1):  # the dossier only
        second = client.get(f"/api/v1/dossiers/{code}/", **auth)
    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()
    assert second.json()["procedure"]["code"] == world.code


def test_the_lean_api_read_gives_the_same_dossier_as_the_full_read(client):
    world = World()
    applicant = {
        **APPLICANT,
        "birth_date": date(1990, 5, 17),
        "authorised": {"full_name": "Lê Văn Cường", "id_number": "001085012345"},
    }
    dossier = dossier_receive(actor=world.officer, procedure_code=world.code, channel="counter", applicant=applicant)
    client.force_login(world.officer)
    body = client.get(f"/api/v1/dossiers/{dossier.code}/").json()
    assert body == dossier_data(dossier_get(code=dossier.code))
    assert body["applicant"]["birth_date"] == "1990-05-17"
    assert body["applicant"]["authorised"]["full_name"] == "Lê Văn Cường"
    assert body["received_at"].endswith("+07:00") and body["due_at"]


def _read_with_a_token():
    """An officer's dossier, the officer's token and a reader already served once (token remembered)."""
    world = World()
    code = receive(world).code
    token = Token.objects.create(user=world.officer)
    return world, token, lambda client: client.get(f"/api/v1/dossiers/{code}/", HTTP_AUTHORIZATION=f"Token {token.key}")


def test_a_remembered_token_stops_working_as_soon_as_it_is_deleted(client):
    _, token, read = _read_with_a_token()
    assert read(client).status_code == 200
    token.delete()
    # 401 with the challenge: token authentication comes first (issue 14).
    response = read(client)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_a_remembered_user_loses_access_as_soon_as_the_role_is_taken_away(client):
    from motcua.core.services import staff_set_roles

    world, _, read = _read_with_a_token()
    assert read(client).status_code == 200
    staff_set_roles(actor=SYSTEM, user=world.officer, roles=["clerk"])
    assert read(client).status_code == 403


def test_without_token_memory_every_request_asks_the_database(client, django_assert_num_queries, settings):
    settings.MOTCUA_TOKEN_CACHE_SECONDS = 0
    world = World()
    code = receive(world).code
    token = Token.objects.create(user=world.officer)
    for _ in range(2):
        with django_assert_num_queries(4):
            client.get(f"/api/v1/dossiers/{code}/", HTTP_AUTHORIZATION=f"Token {token.key}")


def test_staff_of_another_agency_do_not_see_the_dossier(client):
    world = World()
    code = receive(world).code
    other = World()
    client.force_login(other.officer)
    assert client.get(f"/api/v1/dossiers/{code}/").status_code == 404
    assert client.post(f"/api/v1/dossiers/{code}/actions/withdraw/", {}, content_type="application/json").status_code == 404
    assert client.get("/api/v1/dossiers/").json()["count"] == 0
    client.force_login(world.boss)  # administrator without a unit
    assert client.get(f"/api/v1/dossiers/{code}/").status_code == 200


def test_an_officer_cannot_take_in_a_dossier_for_another_agency():
    from motcua.core.errors import PermissionDeniedError

    world = World()
    other = World()
    with pytest.raises(PermissionDeniedError):
        receive(world, actor=other.officer)
    assert receive(world, actor=world.boss).agency == world.agency  # administrators may


def test_the_token_read_writes_the_same_bytes_as_drf(client):
    world, token, read = _read_with_a_token()
    fast = read(client)
    client.force_login(world.officer)  # a session user takes DRF's way
    code = fast.json()["code"]
    slow = client.get(f"/api/v1/dossiers/{code}/", HTTP_ACCEPT="application/json")
    assert fast.status_code == slow.status_code == 200
    assert fast.content == slow.content
    assert fast["Content-Type"] == slow["Content-Type"] == "application/json"
    assert fast["Allow"] == slow["Allow"]
    assert fast["Vary"] == "Accept"  # no "Cookie": a token read does not touch the session


def test_the_token_read_leaves_refusals_to_drf(client):
    world, token, read = _read_with_a_token()
    unknown = client.get("/api/v1/dossiers/H15.99-990101-0001/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    other = World()
    foreign = client.get(
        f"/api/v1/dossiers/{read(client).json()['code']}/",
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=other.officer).key}",
    )
    assert foreign.status_code == 404  # another agency's dossier does not exist for this officer
    clerk = client.get(
        f"/api/v1/dossiers/{read(client).json()['code']}/",
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.clerk).key}",
    )
    assert clerk.status_code == 403 and "detail" in clerk.json()
    bad = client.get(f"/api/v1/dossiers/{read(client).json()['code']}/", HTTP_AUTHORIZATION="Token not-a-token")
    assert bad.status_code == 401 and "detail" in bad.json()
