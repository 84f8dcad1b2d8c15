"""A NUL byte in the path or in the query answers 400 on every URL of the site, anonymous and as staff.

PostgreSQL refuses NUL in text, so such a value reaching a query was a server error on many pages
(`/thu-tuc/%00/`, `/open311/v2/requests/%00.json`, `/api/v1/dossiers/?q=%00`…). The list of URLs is
generated from the URL configuration: each route's parameters are filled with a NUL-containing value, and
each route filled with plain values gets `?q=%00`."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authtoken.models import Token

from motcua.core.roles import Role
from motcua.core.testing import make_staff

pytestmark = pytest.mark.django_db

_PARAM = re.compile(r"<(?:\w+:)?\w+>|\(\?P<\w+>[^)]*\)")


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _url(route: str, value: str) -> str:
    path = _PARAM.sub(value, route.replace("^", "").replace("$", "").replace("\\", ""))
    return "/" + path.lstrip("/")


ROUTES = sorted(set(_walk(get_resolver().url_patterns)))
CASES = sorted(
    {_url(r, "x%00y") for r in ROUTES if _PARAM.search(r)}
    | {_url(r, "1") + "?q=%00" for r in ROUTES}
    | {_url(r, "1") + "?page=1&search=a%00" for r in ROUTES if r.startswith("api/")}
)


def test_the_list_covers_the_urls_of_the_issue():
    for url in (
        "/thu-tuc/x%00y/",
        "/open311/v2/requests/x%00y.json",
        "/nop-truc-tuyen/nhap/x%00y/",
        "/phan-anh-kien-nghi/da-tra-loi/?q=%00",
        "/api/v1/dossiers/?q=%00",
        "/staff/van-ban/den/?q=%00",
    ):
        assert url in CASES, url
    assert len(CASES) > 100


@pytest.fixture
def staff_client(client):
    user = make_staff("nul-staff", *Role)
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


def _check(client, **headers):
    wrong = {}
    for url in CASES:
        response = client.get(url, **headers)
        if response.status_code != 400:
            wrong[url] = response.status_code
        elif url.startswith(("/api/", "/open311/")):
            assert response.json()["code"] == "invalid_characters", url
    assert not wrong, wrong


def test_anonymous_gets_400_for_nul_in_path_or_query(client):
    _check(client)


def test_staff_gets_400_for_nul_in_path_or_query(staff_client):
    _check(staff_client)


def test_token_client_gets_400_for_nul_in_path_or_query(client):
    token = Token.objects.create(user=make_staff("nul-token", Role.ONE_STOP_OFFICER, Role.LEADER))
    _check(client, HTTP_AUTHORIZATION=f"Token {token.key}")


def test_a_nul_byte_in_a_form_value_is_a_field_error_not_a_server_error(client):
    response = client.post(
        "/api/v1/dossiers/",
        data='{"procedure": "1\\u0000"}',
        content_type="application/json",
        HTTP_AUTHORIZATION="Token " + Token.objects.create(user=make_staff("nul-body", Role.ONE_STOP_OFFICER)).key,
    )
    assert response.status_code == 400


@pytest.mark.parametrize("url", ["/api/v1/procedures/", "/staff/login/", "/open311/v2/requests.json", "/thu-tuc/"])
def test_a_nul_byte_in_a_posted_form_answers_400(client, url):
    admin = make_staff("nul-form-admin", Role.ADMINISTRATOR)
    client.force_login(admin)
    for data, multipart in (
        ({"code": "1.1", "field": "Y\x00o", "name": "Tên"}, True),
        ({"username": "a\x00b", "password": "x"}, False),
    ):
        if multipart:
            response = client.post(url, data)
        else:
            from urllib.parse import urlencode

            response = client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
        assert response.status_code == 400, (url, data)


def test_the_api_form_parser_refuses_a_nul_byte_in_a_put_or_patch_body():
    from io import BytesIO

    from rest_framework.exceptions import ParseError

    from motcua.core.parsers import FormParser

    assert FormParser().parse(BytesIO(b"name=a%20b"), parser_context={})["name"] == "a b"
    with pytest.raises(ParseError):
        FormParser().parse(BytesIO(b"name=a%00b"), parser_context={})
    with pytest.raises(ParseError):
        FormParser().parse(BytesIO(b"na%00me=ab"), parser_context={})


@pytest.mark.parametrize("body", ['{"procedure": "1\\u0000"}', '{"a\\u0000": 1}', '[{"x": ["\\u0000"]}]'])
def test_a_nul_byte_anywhere_in_a_json_body_answers_400(client, body):
    token = Token.objects.create(user=make_staff("nul-json", Role.ADMINISTRATOR)).key
    for url in ("/api/v1/dossiers/", "/api/v1/procedures/", "/api/v1/catalog/decisions/"):
        response = client.post(url, data=body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}")
        assert response.status_code == 400, url
        assert response.json()["code"] == "invalid_characters", url


def test_an_api_url_that_matches_no_route_answers_json_404(client):
    for url in ("/api/v1/catalog/decisions/0.5/", "/api/v1/khong-co/", "/open311/v2/khong-co.json"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert client.get("/khong-co-trang-nay/")["Content-Type"].startswith("text/html")
