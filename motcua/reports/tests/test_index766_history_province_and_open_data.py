"""Issue 20 item 3: the monthly history, the province's ranking and the public open-data page of the Decision 766
index, checked against the plain computation over raw rows (test_index766_matches_a_plain_computation.plain_index),
not against the engine: each month of 2026-Q1 of agency A (with its sub-agency B rolled up), the ranking of A and B,
and the public CSV/JSON — which hold no name, ID number, phone, e-mail, address or dossier code."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import APPLICANT, World
from motcua.reports.index766.engine import compute
from motcua.reports.index766.history import history_chart, monthly_history, province_ranking
from motcua.reports.index766.models import IndexIndicator, IndexVersion
from motcua.reports.index766.periods import parse_period

from .index766_data import NOW, PERIOD, build
from .test_index766_matches_a_plain_computation import plain_index, plain_score

pytestmark = pytest.mark.django_db

# Rules whose records are events dated in the period: a quarter's counts are the sum of its months'.
ADDITIVE = [
    "progress_public",
    "pakn_answers_published",
    "dossiers_on_time",
    "dossiers_online",
    "online_payment",
    "dossiers_digitised",
    "results_electronic",
    "pakn_on_time",
    "ratings_satisfied",
]


@pytest.fixture
def data():
    cache.clear()  # the public page's cache is per process
    return build()


# data_reused is being given a data source by another change (issue 19, papers): its plain definition is not here
# yet, so it is left out of the comparisons (its score is 0 either way on these records).
UNSETTLED = {"data_reused"}


def counts(result: dict) -> dict[str, tuple[int, int]]:
    return {
        i["code"]: (i["earned"], i["records"]) for g in result["groups"] for i in g["indicators"] if i["code"] not in UNSETTLED
    }


def settled_total(result: dict) -> Decimal:
    """The engine's total without the unsettled indicators' scores."""
    unsettled = sum(Decimal(str(i["score"])) for g in result["groups"] for i in g["indicators"] if i["code"] in UNSETTLED)
    return Decimal(str(result["total"])) - unsettled


def plain(agency, key: str) -> dict[str, tuple[int, int]]:
    return {c: v for c, v in plain_index(agency, key, NOW).items() if c not in UNSETTLED}


def plain_total(plain: dict[str, tuple[int, int]]) -> Decimal:
    weights = IndexIndicator.objects.filter(group__version=IndexVersion.objects.get()).exclude(code__in=UNSETTLED)
    return sum((plain_score(*plain[w.code], w.max_points, w.threshold_percent) for w in weights), Decimal(0))


def test_each_month_of_the_history_equals_the_plain_computation_of_that_month(data):
    points = monthly_history(agency=data.a.agency, year=2026, now=NOW)
    assert [p.period.key for p in points] == [f"2026-{m:02d}" for m in range(1, 13)]
    quarter = {code: [0, 0] for code in ADDITIVE}
    for p in points[:3]:
        month = plain(data.a.agency, p.period.key)
        assert counts(p.data) == month, p.period.key
        assert settled_total(p.data) == plain_total(month)
        for code in ADDITIVE:
            quarter[code][0] += month[code][0]
            quarter[code][1] += month[code][1]
    whole = plain(data.a.agency, PERIOD)
    assert {c: tuple(v) for c, v in quarter.items()} == {c: whole[c] for c in ADDITIVE}


def test_months_after_today_are_not_computed(data):
    points = monthly_history(agency=data.a.agency, year=2026, now=NOW)  # NOW is 01/12/2026
    assert [p.data is None for p in points] == [False] * 12
    points = monthly_history(agency=data.a.agency, year=2027, now=NOW)
    assert all(p.data is None for p in points)


def test_a_years_history_costs_less_than_twelve_computations(data, settings):
    # The closed months' summary is built by their first read (a one-time cost, bench/index766_scale.py measures
    # it); what a history costs from then on is what a reader pays. No write in flight: no freshness margin (the
    # records were written a moment ago, within any margin, which would make every read recompute them).
    settings.MOTCUA_SUMMARY_MARGIN_SECONDS = 0
    monthly_history(agency=data.a.agency, year=2026, now=NOW)
    with CaptureQueriesContext(connection) as one:  # the month in progress asks the most (its forecast too)
        compute(agency=data.a.agency, period=parse_period("2026-12"), now=NOW)
    with CaptureQueriesContext(connection) as year:
        monthly_history(agency=data.a.agency, year=2026, now=NOW)
    assert len(year) < 12 * len(one)  # fewer: the tree and the weights are read once for the year (compute's memo)


def test_the_ranking_orders_agencies_by_their_plain_totals(data):
    period = parse_period(PERIOD)
    ranking = province_ranking(agencies=[data.b.agency, data.a.agency], period=period, now=NOW)
    expected = {a.pk: plain_total(plain(a, PERIOD)) for a in (data.a.agency, data.b.agency)}
    assert [settled_total(r.data) for r in ranking] == sorted(expected.values(), reverse=True)
    assert [r.rank for r in ranking] == [1, 2] if len(set(expected.values())) == 2 else [1, 1]
    depth = {r.agency.pk: r.depth for r in ranking}
    assert depth[data.b.agency.pk] == depth[data.a.agency.pk] + 1  # B sits under A, and A rolls B up
    assert next(r for r in ranking if r.agency == data.a.agency).data["agencies"] == 2


def test_history_and_province_pages_for_staff_and_tenancy(client, data):
    client.force_login(data.a.leader)
    page = client.get("/bao-cao/chi-so-766/lich-su/", {"agency": data.a.agency.short_name, "year": 2026})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<rect ") == 12 and "<svg" in html and "<script" not in html.split("<svg")[1].split("</svg>")[0]
    jan = monthly_history(agency=data.a.agency, year=2026)[0]  # checked against the plain computation above
    assert 'data-month="2026-01"' in html
    assert f'<td class="num" data-total>{jan.total}</td>'.replace(".", ",") in html  # Vietnamese decimal comma
    bar = history_chart([jan] * 12)["bars"][0]
    assert f'<rect x="{bar["x"]}" y="{bar["y"]}" width="{bar["w"]}" height="{bar["h"]}"' in html  # SVG not localised

    province = client.get("/bao-cao/chi-so-766/tinh/", {"period": PERIOD})
    assert province.status_code == 200
    assert f'data-agency="{data.a.agency.short_name}"' in province.content.decode()
    assert 'id="worst-title"' in province.content.decode()  # the indicators of the top agency read, worst first

    client.force_login(data.b.leader)  # B's leader reads B (and what is below it), not A above it
    assert client.get("/bao-cao/chi-so-766/lich-su/", {"agency": data.a.agency.short_name}).status_code == 404
    rows = client.get("/bao-cao/chi-so-766/tinh/", {"period": PERIOD}).content.decode()
    assert f'data-agency="{data.b.agency.short_name}"' in rows and f'data-agency="{data.a.agency.short_name}"' not in rows

    other = World()
    client.force_login(other.leader)
    assert client.get("/bao-cao/chi-so-766/lich-su/", {"agency": data.a.agency.short_name}).status_code == 404
    assert f'data-agency="{data.a.agency.short_name}"' not in client.get("/bao-cao/chi-so-766/tinh/").content.decode()
    client.force_login(make_staff("motcua-hist", Role.ONE_STOP_OFFICER, unit=data.a.units["MC"]))
    assert client.get("/bao-cao/chi-so-766/lich-su/").status_code == 403
    client.force_login(data.a.leader)
    assert client.get("/bao-cao/chi-so-766/lich-su/", {"year": "20x6"}).status_code == 400
    assert client.get("/bao-cao/chi-so-766/tinh/", {"period": "2026-Q9"}).status_code == 400


def test_public_page_csv_and_json_hold_the_plain_figures_and_no_personal_data(client, data):
    page = client.get("/cong-khai/chi-so-766/", {"ky": PERIOD})  # anonymous
    assert page.status_code == 200
    got_csv = client.get("/cong-khai/chi-so-766/du-lieu.csv", {"ky": PERIOD})
    got_json = client.get("/cong-khai/chi-so-766/du-lieu.json", {"ky": PERIOD})
    assert got_csv.status_code == got_json.status_code == 200
    body = json.loads(got_json.content)
    rows = list(csv.DictReader(io.StringIO(got_csv.content.decode("utf-8-sig"))))

    for agency in (data.a.agency, data.b.agency):
        expected = plain(agency, PERIOD)
        entry = next(a for a in body["agencies"] if a["agency"] == agency.short_name)
        assert settled_total(entry) == plain_total(expected)
        assert counts(entry) == expected
        mine = [r for r in rows if r["agency"] == agency.short_name and r["indicator"] not in UNSETTLED]
        assert {r["indicator"]: (int(r["earned"]), int(r["records"])) for r in mine} == expected

    dossiers = list(Dossier.objects.all())
    assert dossiers
    secrets = [APPLICANT[k] for k in ("full_name", "id_number", "phone", "email", "address")]
    secrets += [d.code for d in dossiers] + [d.lookup_code for d in dossiers if getattr(d, "lookup_code", "")]
    for text in (page.content.decode(), got_csv.content.decode("utf-8-sig"), got_json.content.decode()):
        for secret in secrets:
            assert secret not in text


def test_public_page_refuses_odd_periods(client, data):
    assert client.get("/cong-khai/chi-so-766/", {"ky": "2026-Q9"}).status_code == 400
    assert client.get("/cong-khai/chi-so-766/du-lieu.json", {"ky": "2019"}).status_code == 400
    future = date.today().year + 1
    assert client.get("/cong-khai/chi-so-766/du-lieu.csv", {"ky": str(future)}).status_code == 400
