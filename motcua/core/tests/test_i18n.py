import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_vietnamese_by_default_and_english_on_request(client):
    assert "Đăng nhập cán bộ" in client.get("/staff/login/").content.decode()
    english = client.get("/staff/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Staff login" in english
    assert 'lang="en"' in english
