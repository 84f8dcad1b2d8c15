"""The index over the API and the command: the shape of the JSON (total, five groups with their maxima,
every indicator with value, score and the count of records behind it), the records behind a point, and
tenancy (an agency's staff see only their agency's index; a leader also the agencies below theirs)."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from motcua.core.errors import ValidationFailed
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.dossiers.tests.factories import World
from motcua.reports.index766.engine import score, to_gain_one_point
from motcua.reports.index766.periods import parse_period

from .index766_data import KNOWN_A, PERIOD, build

pytestmark = pytest.mark.django_db

INDICATOR_KEYS = {"code", "name", "value", "score", "maximum", "threshold", "records", "earned", "lost", "status"}


@pytest.fixture
def data():
    return build()


def run(*args) -> dict:
    out = StringIO()
    call_command("index766", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_command_prints_the_index_as_json(data):
    short = data.a.agency.short_name
    result = run("--agency", short, "--period", PERIOD)
    assert result["agency"] == short and result["period"] == "2026-Q1" and result["start"] == "01/01/2026"
    assert result["agencies"] == 2  # A and B below it
    assert [(g["code"], g["maximum"]) for g in result["groups"]] == [
        ("transparency", 18),
        ("timeliness", 20),
        ("online", 22),
        ("digitisation", 22),
        ("satisfaction", 18),
    ]
    assert result["maximum"] == 100 and isinstance(result["total"], float)
    indicators = {i["code"]: i for g in result["groups"] for i in g["indicators"]}
    assert set(indicators) == set(KNOWN_A)
    for code, ind in indicators.items():
        assert INDICATOR_KEYS <= set(ind)
        assert (ind["earned"], ind["records"]) == KNOWN_A[code]
    assert indicators["online_payment"]["status"] == "computed" and indicators["online_payment"]["data_source"] == "records"
    assert indicators["online_payment"]["value"] == 66.67 and indicators["online_payment"]["no_data_source_yet"] is None
    assert indicators["data_reused"]["status"] == "computed" and indicators["data_reused"]["data_source"] == "partial"
    assert indicators["progress_public"]["data_source"] == "partial"
    assert result["version"]["in_force_for_period"] is True

    # A month and a year are periods too; the 2021 year comes before the 2022 weights and says so.
    assert run("--agency", short, "--period", "2026-03")["period"] == "2026-03"
    assert run("--agency", short, "--period", "2026")["start"] == "01/01/2026"
    assert run("--agency", short, "--period", "2021")["version"]["in_force_for_period"] is False
    with pytest.raises(CommandError):
        run("--agency", short, "--period", "2026-Q5")
    with pytest.raises(CommandError):
        run("--agency", "NOPE", "--period", PERIOD)


def test_the_command_lists_the_records_that_lost_the_points(data):
    short = data.a.agency.short_name
    lost = run("--agency", short, "--period", PERIOD, "--explain", "dossiers_on_time")
    codes = {r["code"] for r in lost["records"]}
    assert codes == {data.dossiers[k].code for k in ("d2", "d4", "b1")}
    earned = run("--agency", short, "--period", PERIOD, "--explain", "dossiers_on_time", "--earned")
    assert {r["code"] for r in earned["records"]} == {data.dossiers[k].code for k in ("d1", "d3", "d9")}


def test_the_api_links_every_point_to_its_records(data, client):
    leader = data.a.leader
    client.force_login(leader)
    short = data.a.agency.short_name
    result = client.get(f"/api/v1/reports/index766/{short}/{PERIOD}/").json()
    ind = next(i for g in result["groups"] for i in g["indicators"] if i["code"] == "pakn_on_time")
    assert ind["lost_records"].endswith(f"/api/v1/reports/index766/{short}/{PERIOD}/pakn_on_time/records/?earned=0")
    lost = client.get(ind["lost_records"]).json()
    # f2 (answered late), f3 (more information asked late), fb (B's, answered late)
    assert {r["code"] for r in lost["records"]} == {data.feedback[k].code for k in ("f2", "f3", "fb")}
    assert all(r["url"].startswith("http://testserver/staff/pakn/") for r in lost["records"])
    late = client.get(f"/api/v1/reports/index766/{short}/{PERIOD}/dossiers_on_time/records/").json()
    assert late["count"] == 3 == KNOWN_A["dossiers_on_time"][1] - KNOWN_A["dossiers_on_time"][0]
    assert {r["url"] for r in late["records"]} == {
        f"http://testserver/staff/dossiers/{data.dossiers[k].code}/" for k in ("d2", "d4", "b1")
    }
    cash = client.get(f"/api/v1/reports/index766/{short}/{PERIOD}/online_payment/records/").json()
    assert [r["code"] for r in cash["records"]] == [data.dossiers["d9"].code]  # paid in cash at the desk
    online = client.get(f"/api/v1/reports/index766/{short}/{PERIOD}/online_payment/records/?earned=1").json()
    assert {r["code"] for r in online["records"]} == {data.dossiers[k].code for k in ("d1", "b1")}
    reused = client.get(f"/api/v1/reports/index766/{short}/{PERIOD}/data_reused/records/").json()
    assert reused["count"] == 9 and not reused["no_data_source_yet"]  # accepted, none reused a stored paper
    assert client.get(f"/api/v1/reports/index766/{short}/{PERIOD}/nonsense/records/").status_code == 404
    bad = client.get(f"/api/v1/reports/index766/{short}/2026-13/")
    assert bad.status_code == 400 and "period" in bad.json()["fields"]


def test_staff_see_only_their_agencys_index(data, client):
    a, b = data.a.agency.short_name, data.b.agency.short_name
    other = World()  # a third agency, outside A's tree
    c = other.agency.short_name
    urls = lambda agency: [  # noqa: E731
        f"/api/v1/reports/index766/{agency}/{PERIOD}/",
        f"/api/v1/reports/index766/{agency}/{PERIOD}/dossiers_on_time/records/",
    ]
    # Another agency's leader and specialist: A's and B's index are not found.
    for user in (other.leader, other.specialist):
        client.force_login(user)
        for url in urls(a) + urls(b):
            assert client.get(url).status_code == 404, url
        assert client.get(urls(c)[0]).status_code == 200
    # B's staff (below A) do not read A's (their parent's) index either.
    client.force_login(data.b.leader)
    for url in urls(a):
        assert client.get(url).status_code == 404
    assert client.get(urls(b)[0]).json()["agencies"] == 1
    # A's specialist reads A's (with B rolled up) but not B's alone; A's leader reads B's too (roll-up rule).
    client.force_login(data.a.specialist)
    assert client.get(urls(a)[0]).json()["agencies"] == 2
    assert client.get(urls(b)[0]).status_code == 404
    client.force_login(data.a.leader)
    assert client.get(urls(b)[0]).status_code == 200
    # A one-stop officer (no reporting role) is refused; anonymous must sign in.
    client.force_login(data.a.officer)
    assert client.get(urls(a)[0]).status_code == 403
    client.logout()
    assert client.get(urls(a)[0]).status_code in (401, 403)
    # The province supervisor reads every agency.
    supervisor = make_staff("giamsat766", Role.PROVINCE_SUPERVISOR)
    client.force_login(supervisor)
    assert client.get(urls(c)[0]).status_code == 200 and client.get(urls(a)[0]).status_code == 200


def test_threshold_rule_and_what_it_would_take():
    assert score(3, 10, Decimal(8), Decimal(50)) == (Decimal("30.00"), Decimal("4.80"))  # 30 × 8 ÷ 50
    assert score(6, 10, Decimal(8), Decimal(50)) == (Decimal("60.00"), Decimal("8.00"))  # above the threshold: capped
    assert score(0, 0, Decimal(8), Decimal(50)) == (None, Decimal(0))
    # 3 of 10 online (4.80 points): 2 more online → 5 of 10 = 8.00 ≥ 5.80; 1 more → 6.40 ≥ 5.80
    assert to_gain_one_point(3, 10, Decimal(8), Decimal(50)) == 1
    assert to_gain_one_point(2, 6, Decimal(14), Decimal(100)) == 1  # 4.67 → 7.00
    assert to_gain_one_point(50, 100, Decimal(14), Decimal(100)) == 8  # 7.00 → 8.12 (7 more give 7.98)
    assert to_gain_one_point(10, 10, Decimal(14), Decimal(100)) is None


def test_periods():
    assert (parse_period("2021-Q3").start.isoformat(), parse_period("2021-Q3").end.isoformat()) == ("2021-07-01", "2021-09-30")
    assert parse_period("2024-02").end.isoformat() == "2024-02-29"
    assert parse_period("2021-H2").start.isoformat() == "2021-07-01"
    for bad in ("2021-13", "21", "2021-Q0", "", "2021-1"):
        with pytest.raises(ValidationFailed):
            parse_period(bad)


def test_the_index_of_one_procedure_and_one_field(data):
    from motcua.reports.index766.engine import compute

    period = parse_period(PERIOD)
    v2 = data.dossiers["d9"].procedure_version
    counts = lambda result: {i["code"]: (i["earned"], i["records"]) for g in result["groups"] for i in g["indicators"]}  # noqa: E731
    one = counts(compute(agency=data.a.agency, period=period, procedure=v2.procedure.code))
    assert one["dossiers_on_time"] == (1, 1)  # d9 only
    assert one["procedures_online"] == (0, 1) and one["procedures_published"] == (0, 1)
    assert one["dossiers_online"] == (0, 0) and one["pakn_on_time"] == (0, 0) and one["ratings_satisfied"] == (0, 0)
    # Every procedure is in that field; the PAKN name no procedure, so they belong to no field.
    pakn_free = {**KNOWN_A, "pakn_on_time": (0, 0), "pakn_answers_published": (0, 0)}
    assert counts(compute(agency=data.a.agency, period=period, field=v2.field.code)) == pakn_free
    assert all(c == (0, 0) for c in counts(compute(agency=data.a.agency, period=period, field="KHAC")).values())
