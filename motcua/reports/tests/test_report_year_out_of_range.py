"""A report year before 2000 or after the running year answers 400 with a Vietnamese message naming the
allowed years (the API in JSON, the page and its records and downloads as a page) — not a server error."""

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from motcua.core.models import Agency
from motcua.core.roles import Role
from motcua.core.testing import make_staff

pytestmark = pytest.mark.django_db

YEARS = ["0", "1", "1999", "9999", "10000", "99999999999999999999"]


@pytest.fixture
def leader():
    Agency.objects.create(name="Ban Quản lý Khu kinh tế tỉnh", short_name="BQL", code="H15.50")
    return make_staff("report-leader", Role.LEADER)


@pytest.mark.parametrize("year", YEARS)
def test_api_answers_400_for_a_year_out_of_range(client, leader, year):
    token = Token.objects.create(user=leader)
    response = client.get(f"/api/v1/reports/cchc/BQL/{year}/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "invalid"
    assert data["fields"]["year"] == [f"Năm báo cáo phải từ 2000 đến {timezone.localdate().year}."]


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("suffix", ["", "so-lieu/tthc-cong-bo/", "tai-ve.docx"])
def test_pages_answer_400_for_a_year_out_of_range(client, leader, year, suffix):
    client.force_login(leader)
    response = client.get(f"/bao-cao/cchc/BQL/{year}/{suffix}")
    assert response.status_code == 400
    assert f"Năm báo cáo phải từ 2000 đến {timezone.localdate().year}." in response.content.decode()


def test_the_index_with_a_huge_year_answers_400_not_500(client, leader):
    client.force_login(leader)
    response = client.get("/bao-cao/cchc/", {"year": "99999999999999999999"}, follow=True)
    assert response.status_code == 400


def test_the_running_year_still_renders(client, leader):
    client.force_login(leader)
    assert client.get(f"/bao-cao/cchc/BQL/{timezone.localdate().year}/").status_code == 200
