"""The province portal's catalog lists every agency's procedures with the agency that does them, and
filters by agency: an agency's own procedures and those of the agencies below it (a department's
include its communes'); combined with the field filter; an unknown agency is not a filter."""

import pytest

from motcua.core.models import Agency, AgencyLevel
from motcua.dossiers.tests.factories import make_units, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    root = Agency.objects.create(name="Văn phòng UBND tỉnh", short_name="VPUBND", code="H15", level=AgencyLevel.PROVINCE)
    board = Agency.objects.create(name="Ban Quản lý Khu kinh tế tỉnh", short_name="BQL", code="H15.50", parent=root)
    dept = Agency.objects.create(name="Sở Tài chính", short_name="STC", code="H15.12", parent=root)
    commune = Agency.objects.create(
        name="Ủy ban nhân dân xã Thạch Lạc", short_name="XTL", code="H15.40.01", parent=dept, level=AgencyLevel.COMMUNE
    )
    versions = {}
    for agency, code in ((board, "1.009664"), (dept, "2.001583"), (commune, "1.001193")):
        versions[agency.short_name] = make_version(agency, code=code, units=make_units(agency))
    return root, versions


def _codes(client, **params) -> set[str]:
    html = client.get("/thu-tuc/", params).content.decode()
    return {code for code in ("1.009664", "2.001583", "1.001193") if f">{code}</a>" in html}


def test_every_agencys_procedures_are_listed_with_their_agency(client, province):
    html = client.get("/thu-tuc/").content.decode()
    for code, name in (
        ("1.009664", "Ban Quản lý Khu kinh tế tỉnh"),
        ("2.001583", "Sở Tài chính"),
        ("1.001193", "Ủy ban nhân dân xã Thạch Lạc"),
    ):
        assert f">{code}</a>" in html
        assert f"<td>{name}</td>" in html
    assert '<select name="agency" id="id_agency">' in html
    assert '<option value="XTL">' in html


def test_the_agency_filter_includes_the_agencies_below(client, province):
    assert _codes(client, agency="BQL") == {"1.009664"}
    assert _codes(client, agency="STC") == {"2.001583", "1.001193"}
    assert _codes(client, agency="XTL") == {"1.001193"}
    assert _codes(client, agency="VPUBND") == {"1.009664", "2.001583", "1.001193"}
    assert _codes(client, agency="STC", field="DT") == {"2.001583", "1.001193"}
    assert _codes(client, agency="STC", field="khong-co") == {"1.009664", "2.001583", "1.001193"}  # invalid form: no filter


def test_an_unknown_agency_is_not_a_filter(client, province):
    response = client.get("/thu-tuc/", {"agency": "KHONGCO"})
    assert response.status_code == 200
    assert _codes(client, agency="KHONGCO") == {"1.009664", "2.001583", "1.001193"}
