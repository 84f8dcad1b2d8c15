"""A query of punctuation only (a citizen typing an apostrophe) lists the whole catalog instead of a server
error — PostgreSQL's tsquery syntax refused such a word; run on SQLite and on PostgreSQL."""

import pytest

PUNCTUATION = ["%", "'", "!", ":", "&", "|", "\\", "_", "''", "&|!:*", "(", ")", "<->", "'; --", "...", "-"]


@pytest.fixture
def catalog(make_procedure):
    make_procedure(code="1.009664", name="Thủ tục cấp Giấy chứng nhận đăng ký đầu tư")
    make_procedure(code="2.001955", name="Đăng ký nội quy lao động của doanh nghiệp")


@pytest.mark.parametrize("query", PUNCTUATION)
def test_public_page_with_punctuation_only_lists_every_procedure(client, catalog, query):
    response = client.get("/thu-tuc/", {"q": query})
    assert response.status_code == 200
    body = response.content.decode()
    assert "1.009664" in body and "2.001955" in body


@pytest.mark.parametrize("query", PUNCTUATION)
def test_api_search_with_punctuation_only_lists_every_procedure(client, catalog, query):
    response = client.get("/api/v1/procedures/", {"search": query})
    assert response.status_code == 200
    assert response.json()["count"] == 2


@pytest.mark.parametrize("query", ["đầu'tư", "'đầu tư'", "đầu & tư", "đầu:* | tư", "%đầu_tư%"])
def test_punctuation_around_words_is_ignored(client, catalog, query):
    data = client.get("/api/v1/procedures/", {"search": query}).json()
    assert [row["code"] for row in data["results"]] == ["1.009664"], query
