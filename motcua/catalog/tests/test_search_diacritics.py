"""Public search ignores diacritics and case and ranks the best matches first (SQLite and PostgreSQL)."""

from datetime import date

import pytest

from motcua.catalog import selectors
from motcua.catalog.text import normalize
from motcua.core.testing import requires_postgres


def test_normalize_strips_diacritics_and_d_stroke():
    assert normalize("ĐẦU TƯ") == "dau tu"
    assert normalize("  Thủ tục   cấp Giấy chứng nhận đăng ký đầu tư ") == "thu tuc cap giay chung nhan dang ky dau tu"


@pytest.fixture
def catalog(make_procedure):
    make_procedure(code="1.009664", name="Thủ tục cấp Giấy chứng nhận đăng ký đầu tư")
    make_procedure(code="1.009729", name="Đầu tư theo hình thức góp vốn, mua cổ phần")
    make_procedure(code="2.001955", name="Đăng ký nội quy lao động của doanh nghiệp")
    make_procedure(code="1.014199", name="Cấp giấy phép lao động đối với người lao động nước ngoài làm việc tại Việt Nam")


def _codes(query, **kw):
    codes = [v.procedure.code for v in selectors.procedure_search(query=query, on=date(2021, 9, 23), **kw)]
    page = selectors.procedure_search_page(query=query, on=date(2021, 9, 23), **kw)  # the public page and API
    assert [r["procedure__code"] for r in page.rows] == codes and page.count == len(codes), query
    return codes


def _check(catalog_fixture):
    for query in ("dau tu", "ĐẦU TƯ", "đầu tư", "Dau Tu"):
        assert _codes(query) == ["1.009729", "1.009664"], query  # name starting with the phrase first
    assert _codes("lao dong") == ["2.001955", "1.014199"]  # shorter name first among equal matches
    assert _codes("2.001955") == ["2.001955"]
    assert _codes("giay DAU") == ["1.009664"]  # every word, in any order
    assert _codes("Đầu t") == ["1.009729", "1.009664"]  # the last word may be unfinished
    assert _codes("(góp vốn)") == ["1.009729"]  # punctuation is ignored
    assert _codes("xây dựng") == []
    assert _codes("", channel="online") == ["1.009664", "1.009729", "1.014199", "2.001955"]


@pytest.mark.django_db
def test_search_page_finds_without_diacritics(client, catalog):
    body = client.get("/thu-tuc/", {"q": "ĐẦU TƯ"}).content.decode()
    assert "Tìm thấy 2 thủ tục." in body
    assert body.index("/thu-tuc/1.009729/") < body.index("/thu-tuc/1.009664/") and "/thu-tuc/2.001955/" not in body
    assert "Tìm thấy 1 thủ tục." in client.get("/thu-tuc/", {"q": "góp vốn"}).content.decode()


@pytest.mark.django_db
def test_search_is_diacritics_and_case_insensitive(catalog):
    _check(catalog)


@requires_postgres
@pytest.mark.django_db
def test_search_is_diacritics_and_case_insensitive_on_postgresql(catalog):
    _check(catalog)
