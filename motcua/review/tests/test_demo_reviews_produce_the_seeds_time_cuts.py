"""The demo's reviews: the adopted proposals with a time cut of at least 20 % are, from records, the catalog's
own count of procedures in force with such a cut (the seed's 36 of 46), each adopted by the publication
decision that published its version; seeding twice changes nothing."""

import io
from datetime import date

import pytest
from django.urls import reverse

from motcua.catalog import demo as catalog_demo
from motcua.catalog.selectors import catalog_figures
from motcua.core import demo as core_demo
from motcua.core.models import User
from motcua.reports.records import figure_records
from motcua.reports.selectors import cchc_report
from motcua.review import demo
from motcua.review.models import Proposal, ReviewItem
from motcua.review.selectors import simplification_results

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_demo_reviews_account_for_the_seeds_cuts(client):
    agency = core_demo.seed()
    catalog_demo.seed(agency=agency)
    demo.seed(agency=agency, stdout=io.StringIO())
    figures = catalog_figures(agency=agency, on=date(2021, 12, 31))
    assert (figures["cut_20"], figures["in_force"]) == (36, 46)  # the seed's figure, from the catalog
    results = {y: simplification_results(agency=agency, year=y) for y in (2019, 2020, 2021)}
    assert sum(r["cut_20"] for r in results.values()) == figures["cut_20"]
    assert sum(r["adopted"] for r in results.values()) == figures["cut_20"]
    for p in Proposal.objects.filter(status="adopted").select_related("decision", "new_version", "item__procedure"):
        assert p.decision.items.filter(procedure=p.item.procedure, version=p.new_version).exists()
        assert p.decided_on == p.decision.signed_on and p.outgoing_id
    # The 2021 plan reviews every procedure in force; one of them is the cut the 2021 review produced.
    assert results[2021]["planned"] == results[2021]["reviewed"] == figures["in_force"]
    assert results[2021]["adopted"] == 1
    # The CCHC report of 2021 carries the 2021 plan's results, each figure as many records as it counts.
    report = cchc_report(agency=agency, year=2021, today=date(2022, 1, 10)).figures()
    assert (report["review_reviewed"].value, report["review_reviewed"].of) == (46, 46)
    assert report["review_adopted"].value == report["review_cut_20"].value == 1
    for key in ("review_reviewed", "review_proposed", "review_adopted", "review_cut_20"):
        assert len(figure_records(agency=agency, year=2021, key=key, today=date(2022, 1, 10)).rows) == report[key].value
    # The demo's pages render: the ranking, a plan, a proposal adopted at first publication and the amended one.
    client.force_login(User.objects.get(username="chuyenvien"))
    assert client.get(reverse("review:index") + "?year=2021").status_code == 200
    for p in Proposal.objects.filter(item__plan__year__in=[2019, 2021]).order_by("id")[:1]:
        assert client.get(reverse("review:plan", kwargs={"pk": p.item.plan_id})).status_code == 200
        assert client.get(reverse("review:item", kwargs={"pk": p.item_id})).status_code == 200
    amended = Proposal.objects.get(item__plan__year=2021)
    page = client.get(reverse("review:item", kwargs={"pk": amended.item_id}))
    assert page.status_code == 200 and page.context["before_after"] is not None
    assert client.get(reverse("review:proposal-docx", kwargs={"pk": amended.item_id})).status_code == 200
    dashboard = client.get(reverse("reform:index")).content.decode()  # the CCHC dashboard's review section
    assert 'id="review-results"' in dashboard and "46/46" in dashboard
    before = (Proposal.objects.count(), ReviewItem.objects.count())
    demo.seed(agency=agency, stdout=io.StringIO())
    assert (Proposal.objects.count(), ReviewItem.objects.count()) == before
