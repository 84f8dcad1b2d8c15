"""An action's answer is the dossier as the read by code gives it right after (the same narrow read,
selectors.dossier_read, not a second builder): same bytes, the new state in them."""

import pytest
from rest_framework.authtoken.models import Token

from motcua.dossiers.models import Dossier

from .factories import World, receive

pytestmark = pytest.mark.django_db


def test_the_forward_answers_the_bytes_of_the_next_read(client):
    world = World()
    code = receive(world).code
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=world.officer).key}"
    acted = client.post(
        f"/api/v1/dossiers/{code}/actions/forward/", {"note": "Chuyển phòng chuyên môn"}, content_type="application/json"
    )
    assert acted.status_code == 200 and acted.json()["status"] == "processing"
    read = client.get(f"/api/v1/dossiers/{code}/")
    assert acted.content == read.content


def test_another_agencys_officer_cannot_act_and_gets_no_dossier(client):
    world, other = World(), World()
    code = receive(world).code
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=other.officer).key}"
    acted = client.post(f"/api/v1/dossiers/{code}/actions/forward/", {"note": "x"}, content_type="application/json")
    assert acted.status_code == 404 and "applicant" not in acted.json()
    assert Dossier.objects.get(code=code).status == "accepted"  # nothing was done
