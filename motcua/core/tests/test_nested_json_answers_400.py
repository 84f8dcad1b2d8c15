"""Deeply nested or oversized JSON answers 400 with the API's error body, never a server error
(Python's json raised RecursionError at 100,000 brackets, which DRF's parser let through)."""

import pytest
from rest_framework.authtoken.models import Token

from motcua.core import parsers
from motcua.core.roles import Role
from motcua.core.testing import make_staff

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 100_000 + "1" + "}" * 100_000


@pytest.fixture
def officer_token():
    return Token.objects.create(user=make_staff("json-officer", Role.ONE_STOP_OFFICER, Role.LEADER)).key


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT], ids=["brackets", "objects"])
def test_deep_json_to_the_intake_by_token_answers_400(client, officer_token, body):
    response = client.post(
        "/api/v1/dossiers/", data=body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {officer_token}"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "too_deep"


def test_deep_json_from_a_session_answers_400(client):
    client.force_login(make_staff("json-session", Role.ONE_STOP_OFFICER))
    response = client.post("/api/v1/dossiers/", data=DEEP, content_type="application/json")
    assert response.status_code == 400


def test_deep_json_to_another_endpoint_answers_400(client, officer_token):
    response = client.post(
        "/api/v1/catalog/decisions/", data=DEEP, content_type="application/json", HTTP_AUTHORIZATION=f"Token {officer_token}"
    )
    assert response.status_code == 400


def test_nesting_just_past_the_limit_answers_400_and_within_it_is_parsed(client, officer_token):
    too_deep = '{"note": ' + "[" * parsers.MAX_DEPTH + "]" * parsers.MAX_DEPTH + "}"
    response = client.post(
        "/api/v1/dossiers/", data=too_deep, content_type="application/json", HTTP_AUTHORIZATION=f"Token {officer_token}"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == f"Nội dung JSON lồng nhau quá {parsers.MAX_DEPTH} cấp."
    shallow = '{"note": [[["x"]]]}'
    response = client.post(
        "/api/v1/dossiers/", data=shallow, content_type="application/json", HTTP_AUTHORIZATION=f"Token {officer_token}"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"  # parsed, then refused by field validation


def test_oversized_json_answers_400(client, officer_token):
    body = '{"note": "' + "a" * (parsers.MAX_BYTES + 10) + '"}'
    response = client.post(
        "/api/v1/dossiers/", data=body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {officer_token}"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "too_large"


def test_depth_check_is_iterative():
    value = []
    for _ in range(5000):
        value = [value]
    assert parsers.depth_exceeds(value)
    assert not parsers.depth_exceeds({"a": [{"b": [1, 2]}]})
