"""TRACE (and TRACK, CONNECT) answer 405 with an Allow header on every kind of URL, before any view runs."""

import pytest

pytestmark = pytest.mark.django_db

URLS = [
    "/",
    "/thu-tuc/",
    "/staff/",
    "/staff/login/",
    "/api/v1/dossiers/",
    "/api/v1/procedures/",
    "/api/v1/schema/",
    "/open311/v2/services.json",
    "/admin/",
    "/healthz",
    "/khong-co-trang-nay/",
]


@pytest.mark.parametrize("method", ["TRACE", "TRACK", "CONNECT"])
@pytest.mark.parametrize("url", URLS)
def test_trace_answers_405(client, url, method):
    response = client.generic(method, url, HTTP_COOKIE="sessionid=secret")
    assert response.status_code == 405
    assert "TRACE" not in response["Allow"] and "GET" in response["Allow"]
    assert b"secret" not in response.content  # nothing of the request is echoed


def test_api_answers_405_in_json(client):
    response = client.generic("TRACE", "/api/v1/dossiers/")
    assert response.json()["code"] == "method_not_allowed"
