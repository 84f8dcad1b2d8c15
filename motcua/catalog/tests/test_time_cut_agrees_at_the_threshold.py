"""The processing time cut (committed time against the legal one) is one rule: the API, the catalog pages and
the CCHC report show and count the same figure, also at the 20 % threshold — exactly 20 % counts; 19.96 % is
shown rounded down (19.9) and does not count."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from motcua.catalog import selectors
from motcua.catalog.models import ProcedureVersion, time_cut_percent, time_cut_reaches_threshold
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.reports.records import figure_records
from motcua.reports.selectors import cchc_report

ON = date(2021, 12, 31)


@pytest.fixture
def cuts(make_procedure):
    """1.000020: 25 → 20 days (20 %); 1.000019: 25 → 20.01 days (19.96 %); 1.000000: no committed time."""
    make_procedure(
        code="1.000020", name="Thủ tục cắt giảm đúng hai mươi phần trăm", legal_time=Decimal("25"), committed_time=Decimal("20")
    )
    make_procedure(
        code="1.000019", name="Thủ tục cắt giảm gần hai mươi phần trăm", legal_time=Decimal("25"), committed_time=Decimal("20.01")
    )
    make_procedure(code="1.000000", name="Thủ tục không có thời hạn cam kết", legal_time=Decimal("25"), committed_time=None)


def test_the_rule_rounds_down_to_one_decimal_and_counts_from_twenty():
    assert time_cut_percent(Decimal("25"), Decimal("20")) == Decimal("20.0")
    assert time_cut_percent(Decimal("25"), Decimal("20.01")) == Decimal("19.9")  # 19.96
    assert time_cut_percent(Decimal("3"), Decimal("1")) == Decimal("66.6")  # 66.67: never shown above the cut
    assert time_cut_percent(Decimal("15"), Decimal("15")) == Decimal("0.0")
    assert time_cut_percent(Decimal("15"), None) is None and time_cut_percent(Decimal("0"), Decimal("0")) is None
    assert time_cut_percent(None, Decimal("5")) is None
    assert [time_cut_reaches_threshold(p) for p in (Decimal("20.0"), Decimal("19.9"), None)] == [True, False, False]


@pytest.mark.django_db
def test_api_pages_and_report_agree_on_twenty_and_nineteen_point_ninety_six(client, agency, cuts):
    api = APIClient()
    listed = {i["code"]: i["cut_percent"] for i in api.get("/api/v1/procedures/", {"search": "thu tuc"}).json()["results"]}
    assert listed == {"1.000020": 20.0, "1.000019": 19.9, "1.000000": None}
    for code, percent in listed.items():
        assert api.get(f"/api/v1/procedures/{code}/").json()["cut_percent"] == percent
        assert ProcedureVersion.objects.get(procedure__code=code).cut_percent == (
            None if percent is None else Decimal(str(percent))
        )

    assert "(rút ngắn 20%)" in client.get(reverse("catalog:public-detail", args=["1.000020"])).content.decode()
    assert "(rút ngắn 19,9%)" in client.get(reverse("catalog:public-detail", args=["1.000019"])).content.decode()
    assert "rút ngắn" not in client.get(reverse("catalog:public-detail", args=["1.000000"])).content.decode()

    assert selectors.catalog_figures(agency=agency, on=ON)["cut_20"] == 1
    client.force_login(make_staff("cv-cut", Role.SPECIALIST, unit=agency.units.first()))
    dashboard = client.get(reverse("catalog:dashboard"), {"ngay": ON.isoformat()}).content.decode()
    assert '<div class="value" id="fig-cut">1/3</div>' in dashboard

    report = cchc_report(agency=agency, year=2021, today=ON)
    assert report.figures()["cut_20"].value == 1
    records = figure_records(agency=agency, year=2021, key="cut_20", today=ON)
    assert [row[0] for row in records.rows] == ["1.000020"]
