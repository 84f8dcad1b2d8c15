import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_pages_are_vietnamese_even_when_the_browser_asks_for_english(client):
    body = client.get("/staff/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đăng nhập cán bộ" in body
    assert 'lang="vi"' in body


def test_english_when_the_user_chooses_it(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/staff/login/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    english = client.get("/staff/login/").content.decode()
    assert "Staff login" in english
    assert 'lang="en"' in english
