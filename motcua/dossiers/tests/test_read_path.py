"""Reading a dossier by code is one query (the hot path of the API)."""

import pytest
from rest_framework.authtoken.models import Token

from motcua.dossiers.selectors import dossier_get

from .factories import World, receive

pytestmark = pytest.mark.django_db


def test_dossier_by_code_is_one_query(django_assert_num_queries):
    world = World()
    code = receive(world).code
    with django_assert_num_queries(1):
        d = dossier_get(code=code)
        assert d.procedure_version.procedure.code == world.code
        assert d.agency.code == world.agency.code


def test_api_read_by_code_with_a_token_is_three_queries(client, django_assert_num_queries):
    world = World()
    code = receive(world).code
    token = Token.objects.create(user=world.officer)
    with django_assert_num_queries(3):  # token+user, the user's roles, the dossier
        response = client.get(f"/api/v1/dossiers/{code}/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json()["procedure"]["code"] == world.code


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
