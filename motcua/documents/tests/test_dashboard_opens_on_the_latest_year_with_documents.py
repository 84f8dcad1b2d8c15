"""The documents dashboard opens on the latest year with registered documents (the demo lives in 2021),
not on an empty current year; a period asked for is kept; an agency without documents opens on this year."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from motcua.documents import services
from motcua.documents.selectors import latest_year

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_dashboard_opens_on_the_latest_year_with_documents(client, clerk, registers, types, agency, other_agency):
    for year in (2020, 2021):
        services.incoming_register(
            actor=clerk,
            register=registers["in"],
            sender="UBND tỉnh",
            doc_type=types["CV"],
            summary=f"Văn bản {year}",
            received_at=datetime(year, 4, 5, 9, tzinfo=VN),
            is_electronic=False,
        )
    this_year = timezone.localdate().year
    assert latest_year(agency=agency, until=this_year) == 2021
    assert latest_year(agency=other_agency, until=this_year) is None

    client.force_login(clerk)
    response = client.get("/staff/van-ban/")
    assert response.status_code == 200
    assert (response.context["start"], response.context["end"]) == (date(2021, 1, 1), date(2021, 12, 31))
    assert response.context["counts"]["incoming"] == 1

    response = client.get("/staff/van-ban/", {"start": "2020-01-01", "end": "2020-12-31"})
    assert (response.context["start"], response.context["counts"]["incoming"]) == (date(2020, 1, 1), 1)
