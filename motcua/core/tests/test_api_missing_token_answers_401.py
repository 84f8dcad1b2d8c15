"""A missing or bad API token answers 401 with `WWW-Authenticate: Token` (was 403); session users (the
pages' scripts) still get in, and a valid token of a user without the role still gets 403."""

import pytest
from rest_framework.authtoken.models import Token

from motcua.core.roles import Role
from motcua.core.testing import make_staff

pytestmark = pytest.mark.django_db

URLS = ["/api/v1/dossiers/", "/api/v1/desk/worklist/", "/api/v1/reports/cchc/BQL/2021/"]


@pytest.mark.parametrize("url", URLS)
def test_no_token_answers_401_with_www_authenticate(client, url):
    response = client.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("header", ["Token not-a-real-token", "Token", "Token a b"])
def test_bad_token_answers_401_with_www_authenticate(client, header):
    response = client.get("/api/v1/dossiers/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] in ("authentication_failed", "not_authenticated")


def test_valid_token_and_session_get_in(client):
    user = make_staff("api-officer", Role.ONE_STOP_OFFICER)
    token = Token.objects.create(user=user)
    assert client.get("/api/v1/dossiers/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 200
    client.force_login(user)
    assert client.get("/api/v1/dossiers/").status_code == 200


def test_session_write_still_needs_csrf(client):
    from django.test import Client

    user = make_staff("api-officer-csrf", Role.ONE_STOP_OFFICER)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    response = strict.post("/api/v1/dossiers/", data="{}", content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_token_without_the_role_answers_403(client):
    token = Token.objects.create(user=make_staff("api-clerk", Role.CLERK))
    response = client.get("/api/v1/desk/worklist/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
