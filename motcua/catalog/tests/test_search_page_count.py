"""The public list counts its matches exactly when they are ranked, and says "hơn N" past COUNT_CAP for a
list without search words (counting thousands of rows only to print the number is not worth it)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from motcua.catalog import selectors, views

URL = reverse("catalog:public-search")


@pytest.fixture
def catalog(make_procedure):
    for n in range(1, 5):
        make_procedure(code=f"1.00966{n}", name=f"Thủ tục đầu tư số {n}", committed_time=None if n == 4 else 12)


@pytest.mark.django_db
def test_count_past_the_cap_says_more_than(client, catalog, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    body = client.get(URL).content.decode()
    assert "Tìm thấy hơn 2 thủ tục." in body
    assert "<span>Trang 1</span>" in body and "?page=2" in body  # no last page number to show
    monkeypatch.setattr(selectors, "COUNT_CAP", 1000)
    body = client.get(URL, {"page": 2}).content.decode()  # another URL: the first page is in the cache
    assert "Tìm thấy 4 thủ tục." in body and "hơn" not in body and "<span>Trang 2/4</span>" in body


@pytest.mark.django_db
def test_capped_list_pages_on_without_a_last_page_number(catalog, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    first = selectors.procedure_search_page(page_size=1)
    assert (first.count, first.capped, first.num_pages, first.has_next) == (2, True, None, True)
    last = selectors.procedure_search_page(page=4, page_size=1)
    assert [r["procedure__code"] for r in last.rows] == ["1.009664"] and not last.has_next
    assert selectors.procedure_search_page(page=9, page_size=1).number == 4  # past the end: the last page


@pytest.mark.django_db
def test_ranked_search_counts_exactly_in_the_same_query(catalog, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = selectors.procedure_search_page(query="ĐẦU TƯ", page=2, page_size=3)
    assert (page.count, page.capped, page.num_pages, page.has_previous, page.has_next) == (4, False, 2, True, False)
    assert [r["procedure__code"] for r in page.rows] == ["1.009664"]


@pytest.mark.django_db
def test_page_shows_the_committed_time_else_the_legal_one(client, catalog):
    body = client.get(URL, {"q": "dau tu so 4"}).content.decode()
    assert "<td>15 ngày làm việc</td>" in body and "<td>Mức 4</td>" in body
    assert '<span class="badge">Trực tiếp</span> <span class="badge ok">Trực tuyến</span>' in body
    assert "<td>12 ngày làm việc</td>" in client.get(URL, {"q": "dau tu so 1"}).content.decode()


@pytest.mark.django_db
def test_api_pages_like_page_number_pagination(catalog, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "PAGE_SIZE": 3}
    api = APIClient()
    first = api.get("/api/v1/procedures/", {"search": "dau tu"}).json()
    assert first["count"] == 4 and first["previous"] is None and first["next"].endswith("?page=2&search=dau+tu")
    second = api.get("/api/v1/procedures/", {"search": "dau tu", "page": 2}).json()
    assert second["previous"].endswith("/api/v1/procedures/?search=dau+tu") and second["next"] is None
    assert len(second["results"]) == 1
    assert api.get("/api/v1/procedures/", {"search": "dau tu", "page": "last"}).json() == second
    assert api.get("/api/v1/procedures/", {"page": 2}).json()["count"] == 4  # without words: still exact
    for page in ("3", "0", "x"):
        assert api.get("/api/v1/procedures/", {"search": "dau tu", "page": page}).status_code == 404
