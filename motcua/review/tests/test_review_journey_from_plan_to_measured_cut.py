"""The journey through the pages: plan a review, open a procedure's evidence, cost it, write the proposal,
send it through the outgoing register, record its adoption through a publication decision, and see the new
version and the cut measured on the dossiers of the two versions. Another agency's staff see none of it."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from motcua.catalog import services as catalog
from motcua.core.testing import docx_text
from motcua.documents import services as documents
from motcua.documents.models import OutgoingDocument
from motcua.dossiers.models import Dossier, Status, Timeliness
from motcua.dossiers.tests.factories import World, aware
from motcua.review.models import CostParameters, Proposal, ReviewItem, ReviewPlan
from motcua.review.selectors import simplification_results

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _decided(world, version, n, start: date, working_days: int):
    """A dossier accepted on a Monday at 07:30 and decided `working_days` weekdays later at 07:30 (same week
    or the next, no holidays in the months used)."""
    day, count = start, 0
    while count < working_days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count += 1
    Dossier.objects.create(
        code=f"J{version.pk}-{n}",
        agency=world.agency,
        procedure_version=version,
        channel="counter",
        status=Status.DECIDED,
        received_at=aware(start.year, start.month, start.day, 7, 30),
        accepted_at=aware(start.year, start.month, start.day, 7, 30),
        finished_at=aware(day.year, day.month, day.day, 7, 30),
        timeliness=Timeliness.ON_TIME,
        outcome="approved",
        applicant_name="Người nộp",
    )


def test_plan_evidence_cost_proposal_register_adoption_and_measured_cut(client):
    world = World()
    CostParameters.objects.create(year=2021, income_per_year_vnd=70_500_000)
    old = world.version
    for n, (start, days) in enumerate([(date(2021, 3, 1), 10), (date(2021, 3, 8), 8), (date(2021, 3, 15), 6)]):
        _decided(world, old, n, start, days)
    client.force_login(world.specialist)

    # Plan and item
    r = client.post(
        reverse("review:index"), {"year": 2022, "title": "Kế hoạch rà soát TTHC năm 2022", "agency": world.agency.short_name}
    )
    plan = ReviewPlan.objects.get(agency=world.agency, year=2022)
    assert r.status_code == 302 and r["Location"] == reverse("review:plan", kwargs={"pk": plan.pk})
    r = client.post(
        reverse("review:plan", kwargs={"pk": plan.pk}),
        {
            "procedure": old.procedure_id,
            "unit": world.units["QLDT"].pk,
            "responsible": world.specialist.pk,
            "deadline": "30/06/2022",
        },
    )
    item = ReviewItem.objects.get(plan=plan)
    assert r.status_code == 302

    # Evidence of 2021 on the item page, linking to its records
    page = client.get(reverse("review:item", kwargs={"pk": item.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    records_url = reverse(
        "review:records", kwargs={"agency": world.agency.short_name, "year": 2021, "code": old.procedure.code, "key": "finished"}
    )
    assert records_url in html
    assert page.context["evidence"].median_time == 8.0  # 6, 8, 10 working days
    assert client.get(records_url).context["count"] == 3

    # Costs, then the proposal and its DOCX
    base = {
        "prepare_hours": "8",
        "travel_hours": "2",
        "wait_hours": "1",
        "travel_vnd": 60000,
        "fees_vnd": 500000,
        "papers_vnd": 6000,
        "other_vnd": 0,
    }
    assert (
        client.post(
            reverse("review:item-action", kwargs={"pk": item.pk, "action": "cost"}), base | {"variant": "current"}
        ).status_code
        == 302
    )
    proposed = base | {
        "variant": "proposed",
        "prepare_hours": "4",
        "travel_hours": "1",
        "wait_hours": "0.5",
        "travel_vnd": 30000,
        "papers_vnd": 0,
    }
    assert client.post(reverse("review:item-action", kwargs={"pk": item.pk, "action": "cost"}), proposed).status_code == 302
    r = client.post(
        reverse("review:item-action", kwargs={"pk": item.pk, "action": "proposal"}),
        {
            "content": "Giảm thời hạn giải quyết từ 10 xuống 8 ngày làm việc.",
            "legal_basis": "Sửa đổi Quyết định công bố TTHC",
            "proposed_time": "8",
        },
    )
    assert r.status_code == 302
    proposal = Proposal.objects.get(item=item)
    docx = client.get(reverse("review:proposal-docx", kwargs={"pk": item.pk}))
    text = docx_text(docx.content)
    assert "Phương án đơn giản hóa".upper() in text.upper()
    assert "Giảm thời hạn giải quyết từ 10 xuống 8 ngày làm việc." in text
    assert "Kiến nghị thực thi" in text and "tỷ lệ cắt giảm chi phí" in text

    # Sent through the outgoing register: a draft the leader signs, the clerk numbers, seals and dispatches
    r = client.post(reverse("review:item-action", kwargs={"pk": item.pk, "action": "send"}), {"recipient_name": "UBND tỉnh"})
    proposal.refresh_from_db()
    assert proposal.status == "sent" and r["Location"] == reverse(
        "documents:outgoing_detail", kwargs={"pk": proposal.outgoing_id}
    )
    doc = proposal.outgoing
    documents.outgoing_submit(actor=world.specialist, document=doc)
    documents.outgoing_approve(actor=world.leader, document=doc, digital=False)
    documents.outgoing_number(actor=world.clerk, document=doc)
    documents.outgoing_seal(actor=world.clerk, document=doc, digital=False)
    documents.outgoing_dispatch(actor=world.clerk, document=doc)
    assert OutgoingDocument.objects.get(pk=doc.pk).status == "dispatched"

    # Adoption: the draft version from the proposal, a publication decision applied, the adoption recorded
    r = client.post(reverse("review:item-action", kwargs={"pk": item.pk, "action": "new-version"}))
    assert r.status_code == 302, r.content.decode()[-1500:]
    new = old.procedure.versions.get(number=2)
    assert new.status == "draft" and new.committed_time == 8
    decision = catalog.decision_create(
        actor=world.leader, agency=world.agency, number="15/QĐ-UBND", signed_on=date(2022, 3, 25), effective_on=date(2022, 4, 1)
    )
    catalog.decision_item_add(actor=world.leader, decision=decision, action="amended", procedure=old.procedure, version=new)
    catalog.decision_apply(actor=world.leader, decision=decision)
    r = client.post(
        reverse("review:item-action", kwargs={"pk": item.pk, "action": "decide"}),
        {"adopted": "1", "decided_on": "01/04/2022", "decision": decision.pk},
    )
    assert r.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "adopted" and proposal.new_version == new and proposal.decision == decision

    # Dossiers of the new version: 3, 4 and 5 working days → median 4 against 8 before: a 50 % cut measured.
    for n, (start, days) in enumerate([(date(2022, 5, 9), 5), (date(2022, 5, 16), 3), (date(2022, 5, 23), 4)]):
        _decided(world, new, n, start, days)
    page = client.get(reverse("review:item", kwargs={"pk": item.pk}))
    ba = page.context["before_after"]
    assert ba["before"].median_time == 8.0 and ba["after"].median_time == 4.0
    assert ba["measured_cut_percent"] == 50.0
    assert ba["time_cut_percent"] == 20.0  # committed 10 → 8
    assert 'id="measured-cut"' in page.content.decode()

    results = simplification_results(agency=world.agency, year=2022)
    # One procedure planned, not yet marked done; proposed and adopted; the new version's committed 8 days
    # against the legal 15 is a cut over 20 %; saving (933,188 − 713,594) × 3 dossiers of 2021.
    assert results == {
        "planned": 1,
        "reviewed": 0,
        "proposed": 1,
        "adopted": 1,
        "cut_20": 1,
        "cost_saved_per_year_vnd": 219_594 * 3,
    }


def test_another_agencys_staff_see_and_change_nothing(client):
    a, b = World(), World()
    plan = ReviewPlan.objects.create(agency=a.agency, year=2022, title="Kế hoạch A")
    item = ReviewItem.objects.create(plan=plan, procedure=a.version.procedure, unit=a.units["QLDT"], deadline=date(2022, 6, 30))
    client.force_login(b.specialist)
    for url in (
        reverse("review:plan", kwargs={"pk": plan.pk}),
        reverse("review:item", kwargs={"pk": item.pk}),
        reverse("review:proposal-docx", kwargs={"pk": item.pk}),
        reverse(
            "review:records",
            kwargs={"agency": a.agency.short_name, "year": 2021, "code": a.version.procedure.code, "key": "received"},
        ),
    ):
        assert client.get(url).status_code in (403, 404), url
    r = client.post(reverse("review:item-action", kwargs={"pk": item.pk, "action": "progress"}), {"progress": 50})
    assert r.status_code in (403, 404)
    r = client.post(
        reverse("review:plan", kwargs={"pk": plan.pk}),
        {"procedure": a.version.procedure_id, "unit": a.units["QLDT"].pk, "deadline": "01/07/2022"},
    )
    assert r.status_code in (403, 404)
    index = client.get(reverse("review:index")).content.decode()
    assert "Kế hoạch A" not in index
    item.refresh_from_db()
    assert item.progress == 0 and plan.items.count() == 1


def test_a_clerk_reads_but_may_not_edit_and_bad_input_is_a_400(client):
    world = World()
    plan = ReviewPlan.objects.create(agency=world.agency, year=2022, title="Kế hoạch")
    item = ReviewItem.objects.create(
        plan=plan, procedure=world.version.procedure, unit=world.units["QLDT"], deadline=date(2022, 6, 30)
    )
    client.force_login(world.clerk)
    assert client.get(reverse("review:item", kwargs={"pk": item.pk})).status_code == 200
    assert (
        client.post(reverse("review:item-action", kwargs={"pk": item.pk, "action": "progress"}), {"progress": 50}).status_code
        == 403
    )
    client.force_login(world.specialist)
    r = client.post(reverse("review:item-action", kwargs={"pk": item.pk, "action": "progress"}), {"progress": 150})
    assert r.status_code == 400
    r = client.post(reverse("review:item-action", kwargs={"pk": item.pk, "action": "send"}))
    assert r.status_code == 404  # no proposal yet
    client.post(reverse("review:item-action", kwargs={"pk": item.pk, "action": "proposal"}), {"content": "Bỏ bản sao giấy tờ"})
    r = client.post(
        reverse("review:item-action", kwargs={"pk": item.pk, "action": "decide"}), {"adopted": "0", "decided_on": "01/04/2022"}
    )
    assert r.status_code == 409  # a draft is not decided before it is sent
    assert (
        client.post(reverse("review:item-action", kwargs={"pk": item.pk, "action": "progress"}), {"progress": 100}).status_code
        == 302
    )
    assert (
        client.post(reverse("review:item-action", kwargs={"pk": item.pk, "action": "progress"}), {"progress": 20}).status_code
        == 409
    )
    item.refresh_from_db()
    assert item.status == "done" and item.progress == 100
