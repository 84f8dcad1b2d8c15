"""PAKN on the province portal: the sender chooses the agency it is addressed to; without a choice it
goes to the agency of the procedure named, else to the province office, which routes it. An unknown
agency is a 400 with the field's error and nothing is created. One agency installed: no choice shown."""

import pytest

from motcua.core.models import Agency, AgencyLevel
from motcua.dossiers.tests.factories import make_units, make_version
from motcua.feedback.models import Feedback

from .test_public_pakn_pages import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(agency):
    root = Agency.objects.create(
        name="Văn phòng Ủy ban nhân dân tỉnh", short_name="VPUBND", code="H15", level=AgencyLevel.PROVINCE
    )
    Agency.objects.filter(pk=agency.pk).update(parent=root)
    dept = Agency.objects.create(name="Sở Tài chính", short_name="STC", code="H15.12", parent=root)
    make_version(dept, code="2.001583", units=make_units(dept))
    return root, agency, dept


def test_the_form_offers_every_agency_and_names_the_default(client, province):
    body = client.get("/phan-anh-kien-nghi/").content.decode()
    assert 'name="recipient"' in body
    for name in ("Văn phòng Ủy ban nhân dân tỉnh", "Ban Quản lý Khu kinh tế tỉnh", "Sở Tài chính"):
        assert name in body
    assert "Không rõ: Văn phòng Ủy ban nhân dân tỉnh chuyển đến cơ quan có thẩm quyền" in body
    assert "2.001583" in body  # another agency's procedure can be named


def test_a_chosen_agency_receives_the_pakn(client, province):
    root, board, dept = province
    response = client.post("/phan-anh-kien-nghi/", form_data(recipient="STC"))
    assert response.status_code == 302
    assert Feedback.objects.get().agency == dept


def test_without_a_choice_the_procedures_agency_then_the_province_office_receives_it(client, province):
    root, board, dept = province
    client.post("/phan-anh-kien-nghi/", form_data(procedure="2.001583"))
    client.post("/phan-anh-kien-nghi/", form_data())
    assert [f.agency for f in Feedback.objects.order_by("id")] == [dept, root]


def test_an_unknown_agency_is_refused_and_nothing_is_created(client, province):
    response = client.post("/phan-anh-kien-nghi/", form_data(recipient="KHONGCO"))
    assert response.status_code == 400
    assert "Cơ quan không có trong danh sách." in response.content.decode()
    assert not Feedback.objects.exists()


def test_one_agency_installed_shows_no_choice(client, agency):
    assert 'name="recipient"' not in client.get("/phan-anh-kien-nghi/").content.decode()
    assert client.post("/phan-anh-kien-nghi/", form_data()).status_code == 302
    assert Feedback.objects.get().agency == agency
