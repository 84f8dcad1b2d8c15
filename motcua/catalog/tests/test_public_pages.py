"""Citizens search and read procedures without logging in."""

from datetime import date

import pytest
from django.urls import reverse


@pytest.fixture
def catalog(make_procedure):
    make_procedure(
        code="1.009664", name="Thủ tục cấp Giấy chứng nhận đăng ký đầu tư", valid_from=date(2020, 1, 1), reception_cutoff=None
    )
    make_procedure(
        code="2.001955",
        name="Đăng ký nội quy lao động của doanh nghiệp",
        online_level=2,
        channel_online=False,
        channel_postal=True,
    )


@pytest.mark.django_db
def test_anonymous_search_finds_procedures_without_diacritics_and_filters(client, catalog):
    response = client.get(reverse("catalog:public-search"), {"q": "DAU TU"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Thủ tục cấp Giấy chứng nhận đăng ký đầu tư" in body and "nội quy lao động" not in body
    body = client.get(reverse("catalog:public-search"), {"channel": "online"}).content.decode()
    assert "/thu-tuc/1.009664/" in body and "/thu-tuc/2.001955/" not in body
    body = client.get(reverse("catalog:public-search"), {"level": "2"}).content.decode()
    assert "/thu-tuc/2.001955/" in body and "/thu-tuc/1.009664/" not in body


@pytest.mark.django_db
def test_detail_shows_what_a_citizen_needs_and_the_online_button_only_when_allowed(client, catalog):
    body = client.get(reverse("catalog:public-detail", args=["1.009664"])).content.decode()
    for text in (
        "Thành phần hồ sơ",
        "Văn bản đề nghị",
        "Phí, lệ phí",
        "Quy trình giải quyết nội bộ",
        "Thẩm định",
        "Căn cứ pháp lý",
        "15 ngày làm việc",
        "12 ngày làm việc",
        "rút ngắn 20",
    ):
        assert text in body, text
    assert 'href="/nop-truc-tuyen/1.009664/"' in body and "Nộp hồ sơ trực tuyến" in body
    body = client.get(reverse("catalog:public-detail", args=["2.001955"])).content.decode()
    assert "Nộp hồ sơ trực tuyến" not in body
    assert client.get(reverse("catalog:public-detail", args=["9.999999"])).status_code == 404
