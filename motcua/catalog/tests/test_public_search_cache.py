"""The anonymous search page and API list are reused for a minute, never for a logged-in user, and a
publication decision shows in the very next search."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from motcua.catalog import services
from motcua.catalog.models import ProcedureVersion
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.core.transitions import SYSTEM

URL = reverse("catalog:public-search")


@pytest.fixture
def catalog(make_procedure):
    return make_procedure(code="1.009664", name="Thủ tục cấp Giấy chứng nhận đăng ký đầu tư")


def _rename_without_telling_the_cache(code: str, name: str) -> None:
    ProcedureVersion.objects.filter(procedure__code=code).update(name=name)


@pytest.mark.django_db
def test_second_anonymous_search_is_answered_without_database_queries(client, catalog, django_assert_num_queries):
    first = client.get(URL, {"q": "dau tu"})
    assert "Thủ tục cấp Giấy chứng nhận đăng ký đầu tư" in first.content.decode()
    with django_assert_num_queries(0):
        second = client.get(URL, {"q": "dau tu"})
    assert second.status_code == 200 and second.content.decode().count("/thu-tuc/1.009664/") == 2
    assert "Tìm thấy 1 thủ tục." in second.content.decode()


@pytest.mark.django_db
def test_cached_page_gives_each_visitor_their_own_csrf_token(client, catalog):
    client.get(URL, {"q": "dau tu"})
    other = Client()
    response = other.get(URL, {"q": "dau tu"})
    token = response.cookies["csrftoken"].value
    body = response.content.decode()
    assert 'name="csrfmiddlewaretoken" value="' in body and token not in client.cookies["csrftoken"].value
    posted = other.post(
        reverse("set_language"),
        {"language": "en", "next": "/", "csrfmiddlewaretoken": body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]},
    )
    assert posted.status_code == 302  # the language form of the cached page works for this visitor


@pytest.mark.django_db
def test_logged_in_user_is_never_served_the_cached_anonymous_page(client, catalog):
    client.get(URL, {"q": "dau tu"})
    _rename_without_telling_the_cache("1.009664", "Cấp Giấy chứng nhận đăng ký đầu tư (đã sửa)")
    assert "(đã sửa)" not in client.get(URL, {"q": "dau tu"}).content.decode()  # anonymous: the stored page
    client.force_login(make_staff("cv", Role.SPECIALIST))
    assert "(đã sửa)" in client.get(URL, {"q": "dau tu"}).content.decode()


@pytest.mark.django_db
def test_cached_page_is_kept_per_language(client, catalog, settings):
    client.get(URL, {"q": "dau tu"})
    _rename_without_telling_the_cache("1.009664", "Cấp Giấy chứng nhận đăng ký đầu tư (đã sửa)")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(URL, {"q": "dau tu"}).content.decode()
    assert '<html lang="en">' in body and "(đã sửa)" in body


@pytest.mark.django_db
def test_cache_can_be_turned_off(client, catalog, settings):
    settings.MOTCUA_PUBLIC_CACHE_SECONDS = 0
    client.get(URL, {"q": "dau tu"})
    _rename_without_telling_the_cache("1.009664", "Cấp Giấy chứng nhận đăng ký đầu tư (đã sửa)")
    assert "(đã sửa)" in client.get(URL, {"q": "dau tu"}).content.decode()


@pytest.mark.django_db
def test_applying_a_decision_shows_in_the_next_search(client, agency, field, catalog, django_capture_on_commit_callbacks):
    assert "Tìm thấy 1 thủ tục." in client.get(URL, {"q": "dau tu"}).content.decode()
    assert client.get("/api/v1/procedures/", {"search": "dau tu"}).json()["count"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        version = services.procedure_create(
            actor=SYSTEM,
            code="1.009729",
            data={"name": "Đầu tư theo hình thức góp vốn, mua cổ phần", "field": field, "agency": agency},
        )
        decision = services.decision_create(
            actor=SYSTEM, agency=agency, number="9/QĐ-UBND", signed_on=date(2021, 1, 1), effective_on=date(2021, 1, 4)
        )
        services.decision_item_add(actor=SYSTEM, decision=decision, action="new", procedure=version.procedure, version=version)
        services.decision_apply(actor=SYSTEM, decision=decision)
    body = client.get(URL, {"q": "dau tu"}).content.decode()
    assert "Tìm thấy 2 thủ tục." in body and "/thu-tuc/1.009729/" in body
    assert client.get("/api/v1/procedures/", {"search": "dau tu"}).json()["count"] == 2


@pytest.mark.django_db
def test_new_field_shows_in_the_filter_at_once(client, catalog):
    assert "Xây dựng" not in client.get(URL).content.decode()
    services.field_get_or_create(actor=SYSTEM, code="XD", name="Xây dựng")
    assert '<option value="XD">Xây dựng</option>' in client.get(URL).content.decode()
    assert '<option value="XD" selected>Xây dựng</option>' in client.get(URL, {"field": "XD"}).content.decode()


@pytest.mark.django_db
def test_api_list_is_cached_for_anonymous_callers_only(catalog, django_assert_num_queries):
    api = APIClient()
    api.get("/api/v1/procedures/", {"search": "dau tu"})
    _rename_without_telling_the_cache("1.009664", "Cấp Giấy chứng nhận đăng ký đầu tư (đã sửa)")
    with django_assert_num_queries(0):
        data = api.get("/api/v1/procedures/", {"search": "dau tu"}).json()
    assert data["results"][0]["name"] == "Thủ tục cấp Giấy chứng nhận đăng ký đầu tư"
    api.force_authenticate(make_staff("cv", Role.SPECIALIST))
    assert api.get("/api/v1/procedures/", {"search": "dau tu"}).json()["results"][0]["name"].endswith("(đã sửa)")


@pytest.mark.django_db
def test_cached_api_page_links_follow_the_host_asked(make_procedure, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "PAGE_SIZE": 1}
    settings.ALLOWED_HOSTS = ["testserver", "dichvucong.example"]
    make_procedure(code="1.009664")
    make_procedure(code="1.009665", name="Thủ tục cấp lại Giấy chứng nhận đăng ký đầu tư")
    api = APIClient()
    assert api.get("/api/v1/procedures/", {"search": "dau tu"}).json()["next"].startswith("http://testserver/")
    data = api.get("/api/v1/procedures/", {"search": "dau tu"}, HTTP_HOST="dichvucong.example").json()
    assert data["next"].startswith("http://dichvucong.example/")
