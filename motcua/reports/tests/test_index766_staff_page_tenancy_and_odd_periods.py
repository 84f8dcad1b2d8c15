"""The staff page of the Decision 766 index (/bao-cao/chi-so-766/): the groups and the indicators worst first,
each indicator linking to the records that lost its points (the engine's explanation, as the API lists them),
each record to its own page; tenancy exactly as the API's; odd period parameters never give a 500."""

from urllib.parse import quote

import pytest

from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.dossiers.tests.factories import World

from .index766_data import KNOWN_A, PERIOD, build

pytestmark = pytest.mark.django_db

PAGE = "/bao-cao/chi-so-766/"


def records_url(indicator: str, agency: str, period: str = PERIOD) -> str:
    return f"{PAGE}{quote(agency)}/{quote(period)}/{indicator}/"


@pytest.fixture
def data():
    return build()


def test_the_page_lists_the_indicators_worst_first_and_links_the_lost_points_to_the_dossiers(data, client):
    client.force_login(data.a.leader)
    short = data.a.agency.short_name
    response = client.get(PAGE, {"agency": short, "period": PERIOD})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chỉ số phục vụ người dân, doanh nghiệp" in html
    groups = response.context["data"]["groups"]
    assert [g["code"] for g in groups] == ["transparency", "timeliness", "online", "digitisation", "satisfaction"]
    for g in groups:
        assert f'data-group="{g["code"]}"' in html
    indicators = response.context["indicators"]
    assert {i["code"] for i in indicators} == set(KNOWN_A)
    computed = [i for i in indicators if i["status"] == "computed"]
    lost = [i["maximum"] - i["score"] for i in computed]
    assert lost == sorted(lost, reverse=True)  # worst first
    assert indicators[: len(computed)] == computed  # then those without records or a data source
    assert all(i["status"] != "no_data_source" for i in indicators)  # data_reused counts the store's reuses
    assert computed[0]["code"] == "dossiers_on_time"  # 3 of 6 on time: 7 of 14 points lost, the most
    assert computed[1]["code"] == "dossiers_digitised"  # 1 of 6 digitised: 6.67 of 8 points lost

    on_time = next(i for i in indicators if i["code"] == "dossiers_on_time")
    assert on_time["lost_url"].replace("&", "&amp;") in html
    page = client.get(on_time["lost_url"])
    assert page.status_code == 200
    body = page.content.decode()
    late = {data.dossiers[k].code for k in ("d2", "d4", "b1")}  # the same records the API lists
    assert {row["url"] for row in page.context["table"]} == {f"/staff/dossiers/{code}/" for code in late}
    for code in late:
        assert f'href="/staff/dossiers/{code}/"' in body
    assert page.context["count"] == 3
    d2 = next(r["cells"] for r in page.context["table"] if r["cells"][0] == data.dossiers["d2"].code)
    assert "Trực tuyến" in d2 and "Trễ hạn" in d2  # coded columns shown by their labels
    earned = client.get(on_time["earned_url"])
    assert {r["cells"][0] for r in earned.context["table"]} == {data.dossiers[k].code for k in ("d1", "d3", "d9")}
    # A PAKN indicator's records link to the PAKN page; data_reused lists the accepted dossiers that reused nothing.
    pakn = client.get(records_url("pakn_on_time", short))
    assert {r["url"] for r in pakn.context["table"]} == {f"/staff/pakn/{data.feedback[k].code}/" for k in ("f2", "f3", "fb")}
    reused = client.get(records_url("data_reused", short))
    assert reused.status_code == 200 and reused.context["count"] == KNOWN_A["data_reused"][1]


def test_the_default_period_is_the_current_year(data, client):
    from django.utils import timezone

    client.force_login(data.a.leader)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response.context["period"].key == str(timezone.localdate().year)
    assert response.context["agency"] == data.a.agency


def test_another_agencys_staff_get_404_and_other_roles_403(data, client):
    a, b = data.a.agency.short_name, data.b.agency.short_name
    other = World()  # a third agency, outside A's tree
    c = other.agency.short_name
    pages = lambda agency: [  # noqa: E731
        (PAGE, {"agency": agency, "period": PERIOD}),
        (records_url("dossiers_on_time", agency), {}),
        (records_url("dossiers_on_time", agency), {"earned": "1"}),
        (records_url("dossiers_on_time", agency), {"agency": c}),  # ?agency= never wins over the path
    ]
    for user in (other.leader, other.specialist):
        client.force_login(user)
        for url, params in pages(a) + pages(b):
            assert client.get(url, params).status_code == 404, (url, params)
        assert client.get(PAGE, {"agency": c, "period": PERIOD}).status_code == 200
        # Their own agency's list: none of A's records.
        own = client.get(records_url("dossiers_on_time", c))
        assert own.status_code == 200 and own.context["agency"] == other.agency and own.context["count"] == 0
    # B's staff (below A) do not read A's index; A's specialist not B's alone; A's leader reads B's (roll-up).
    client.force_login(data.b.leader)
    for url, params in pages(a):
        assert client.get(url, params).status_code == 404
    client.force_login(data.a.specialist)
    assert client.get(PAGE, {"agency": a, "period": PERIOD}).status_code == 200
    assert client.get(PAGE, {"agency": b, "period": PERIOD}).status_code == 404
    client.force_login(data.a.leader)
    assert client.get(PAGE, {"agency": b, "period": PERIOD}).status_code == 200
    # A one-stop officer (no reporting role) is refused; anonymous is sent to sign in.
    client.force_login(data.a.officer)
    assert client.get(PAGE, {"agency": a, "period": PERIOD}).status_code == 403
    client.logout()
    assert client.get(PAGE, {"agency": a, "period": PERIOD}).status_code in (302, 403)
    # The province supervisor reads every agency.
    client.force_login(make_staff("giamsat766p", Role.PROVINCE_SUPERVISOR))
    assert client.get(PAGE, {"agency": c, "period": PERIOD}).status_code == 200
    assert client.get(PAGE, {"agency": a, "period": PERIOD}).status_code == 200


@pytest.mark.parametrize("period", ["abc", "2021-Q9", "2021-13", "2021-H3", "99999", "1800", "2021\x00", "x" * 5000, "２０２１"])
def test_odd_period_parameters_are_refused_without_a_500(data, client, period):
    client.force_login(data.a.leader)
    short = data.a.agency.short_name
    for url, params in ((PAGE, {"agency": short, "period": period}), (records_url("dossiers_on_time", short, period), {})):
        response = client.get(url, params)
        assert response.status_code == 400, (url, period)
        if "\x00" not in period:
            assert "Kỳ không hợp lệ" in response.content.decode()


def test_odd_other_parameters_never_give_a_500(data, client):
    client.force_login(data.a.leader)
    short = data.a.agency.short_name
    assert client.get(records_url("nonsense", short)).status_code == 404
    assert client.get(PAGE, {"agency": "NOPE", "period": PERIOD}).status_code == 404
    assert client.get(PAGE, {"agency": "\x00", "period": PERIOD}).status_code == 400
    for page in ("abc", "-3", "0", "999999", "1e9"):
        response = client.get(records_url("dossiers_on_time", short), {"page": page})
        assert response.status_code == 200, page
    assert client.get(PAGE, {"agency": short, "period": PERIOD, "field": "NOPE", "procedure": "x"}).status_code == 200
    assert client.post(PAGE, {"agency": short, "period": PERIOD}).status_code == 405
