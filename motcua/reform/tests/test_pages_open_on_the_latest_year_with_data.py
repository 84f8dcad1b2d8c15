"""Reform pages and the CCHC report open on the latest year with the agency's records (the demo lives in
2021), not on an empty current year; ?year= still chooses; an agency without records opens on this year."""

from datetime import date

from django.utils import timezone

from motcua.core.roles import Role
from motcua.core.services import agency_create, unit_create
from motcua.core.testing import make_staff
from motcua.core.transitions import SYSTEM
from motcua.reform import selectors, services


def test_reform_pages_and_report_open_on_the_latest_year_with_data(client, agency, office):
    services.legal_draft_register(actor=SYSTEM, agency=agency, year=2020, title="Quy chế cũ", registered_on=date(2020, 3, 1))
    services.legal_draft_register(
        actor=SYSTEM, agency=agency, year=2021, title="Quy chế quản lý cửa khẩu", registered_on=date(2021, 3, 1)
    )
    services.staff_quota_set(actor=SYSTEM, unit=office, year=2021, assigned=12, filled=10)
    this_year = timezone.localdate().year
    assert selectors.latest_year(agency=agency, until=this_year) == 2021

    client.force_login(make_staff("lanhdao", Role.LEADER, unit=office))
    for url in ("/cchc/nhiem-vu/", "/cchc/the-che/", "/cchc/to-chuc-bien-che/"):
        response = client.get(url)
        assert response.status_code == 200 and response.context["year"] == 2021, url
    page = client.get("/cchc/the-che/").content.decode()
    assert "Quy chế quản lý cửa khẩu" in page and "Quy chế cũ" not in page
    assert client.get("/cchc/the-che/", {"year": 2020}).context["year"] == 2020

    response = client.get("/bao-cao/cchc/")
    assert response.status_code == 302 and response["Location"] == "/bao-cao/cchc/BQL/2021/"


def test_an_agency_without_records_opens_on_this_year(client, agency):
    other = agency_create(actor=SYSTEM, name="Sở Nội vụ", short_name="SNV", code="H15.10", parent_name="Ủy ban nhân dân tỉnh")
    unit = unit_create(actor=SYSTEM, agency=other, name="Văn phòng Sở", short_name="VPS")
    services.staff_quota_set(
        actor=SYSTEM,
        unit=unit_create(actor=SYSTEM, agency=agency, name="Phòng A", short_name="PA"),
        year=2021,
        assigned=3,
        filled=3,
    )
    this_year = timezone.localdate().year
    assert selectors.latest_year(agency=other, until=this_year) is None
    client.force_login(make_staff("lanhdao-snv", Role.LEADER, unit=unit))
    assert client.get("/cchc/the-che/").context["year"] == this_year
    assert client.get("/bao-cao/cchc/")["Location"] == f"/bao-cao/cchc/SNV/{this_year}/"
