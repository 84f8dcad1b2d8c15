"""The reform pages render for staff, show the seed's inspection, and drive the services (closing a
recommendation without evidence shows the error and changes nothing)."""

import pytest
from django.urls import reverse

from motcua.core import demo as core_demo
from motcua.core.models import User
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.reform import demo
from motcua.reform.models import Inspection, LegalDraft, Recommendation, ReformTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    agency = core_demo.seed()
    demo.seed(agency=agency)
    return agency


@pytest.fixture
def leader(client, seeded):
    # a leader of the Board without a second factor (the demo's lanhdao has one since two-factor sign-in)
    client.force_login(make_staff("lanhdao-trang", Role.LEADER, unit=seeded.units.get(short_name="VP")))
    return client


def test_pages_render(leader, seeded):
    inspection = Inspection.objects.get()
    rec = inspection.recommendations.first()
    for name, kwargs in [
        ("reform:index", {}),
        ("reform:tasks", {}),
        ("reform:drafts", {}),
        ("reform:staffing", {}),
        ("reform:inspections", {}),
        ("reform:inspection-detail", {"pk": inspection.pk}),
        ("reform:recommendations", {}),
        ("reform:recommendation-detail", {"pk": rec.pk}),
        ("reform:self-assessment", {}),
    ]:
        url = reverse(name, kwargs=kwargs)
        if name in ("reform:tasks", "reform:drafts", "reform:staffing", "reform:self-assessment"):
            url += "?year=2021"
        response = leader.get(url)
        assert response.status_code == 200, name
    html = leader.get(reverse("reform:inspection-detail", kwargs={"pk": inspection.pk})).content.decode()
    assert "Lê Văn Miều, Phó Giám đốc Sở Nội vụ — Trưởng đoàn" in html
    assert "Hướng dẫn thực hiện tự chủ tài chính đối với đơn vị sự nghiệp" in html
    html = leader.get(reverse("reform:drafts") + "?year=2021").content.decode()
    assert "thay thế Quyết định số 09/2018/QĐ-UBND ngày 20/3/2018 của UBND tỉnh" in html
    html = leader.get(reverse("reform:staffing") + "?year=2021").content.decode()
    assert "775/QĐ-BQL" in html
    docx = leader.get(reverse("reform:inspection-minutes", kwargs={"pk": inspection.pk, "fmt": "docx"}))
    assert docx.status_code == 200 and docx["Content-Disposition"].endswith('.docx"')


def test_close_without_evidence_shows_the_error_then_closes_with_evidence(leader, seeded):
    rec = Recommendation.objects.filter(addressee="agency", status="open").first()
    url = reverse("reform:recommendation-detail", kwargs={"pk": rec.pk})
    response = leader.post(url, {"action": "close", "note": "Đã xong"}, follow=True)
    assert "Cần có minh chứng trước khi đóng kiến nghị." in response.content.decode()
    rec.refresh_from_db()
    assert rec.status == "open"
    leader.post(url, {"action": "evidence", "description": "Báo cáo kết quả", "reference": "120/BC-BQL"})
    leader.post(url, {"action": "close", "note": "Đã xong"})
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.CLOSED


def test_draft_stage_skip_is_refused_on_the_page(leader, seeded):
    draft = LegalDraft.objects.get(replaces_number="12/2020/QĐ-UBND")
    response = leader.post(
        reverse("reform:draft-advance", kwargs={"pk": draft.pk}), {"stage": "submitted", "on": "2021-10-01"}, follow=True
    )
    assert "Không thể “ghi nhận đã trình” khi văn bản QPPL đang ở trạng thái “Đã đăng ký”" in response.content.decode()
    draft.refresh_from_db()
    assert draft.stage == "registered"


def test_inspector_cannot_edit_tasks_and_desk_officer_cannot_see(client, seeded):
    client.force_login(User.objects.get(username="motcua"))
    assert client.get(reverse("reform:index")).status_code == 403
    client.force_login(User.objects.get(username="kiemtra"))
    task = seeded.units.get(short_name="VP").reform_tasks.first()
    assert client.post(reverse("reform:task-detail", kwargs={"pk": task.pk}), {"progress": 50}).status_code == 403


def test_demo_is_idempotent(seeded):
    demo.seed(agency=seeded)
    assert Inspection.objects.count() == 1
    assert Recommendation.objects.filter(addressee="province").count() == 2


def test_records_are_created_from_the_pages(leader, seeded, client):
    plan = seeded.reform_plans.get(year=2021)
    unit = seeded.units.get(short_name="VP")
    r = leader.post(
        reverse("reform:create", kwargs={"kind": "task"}),
        {
            "plan": plan.pk,
            "area": "procedure",
            "title": "Rà soát quy trình nội bộ",
            "owner_unit": unit.pk,
            "start_on": "2021-08-31",
            "working_days": 3,
        },
        follow=True,
    )
    assert "Đã lưu." in r.content.decode()
    task = ReformTask.objects.get(title="Rà soát quy trình nội bộ")
    assert str(task.deadline) == "2021-09-07"  # 2/9 and 3/9/2021 are days off
    leader.post(
        reverse("reform:create", kwargs={"kind": "draft"}),
        {"year": 2022, "title": "Quy chế phối hợp quản lý lao động", "doc_type": "Quyết định", "registered_on": "2022-01-10"},
    )
    assert LegalDraft.objects.filter(year=2022).count() == 1

    client.force_login(User.objects.get(username="kiemtra"))
    r = client.post(
        reverse("reform:create", kwargs={"kind": "inspection"}),
        {
            "inspected_on": "2022-09-15",
            "place": "Trụ sở Ban",
            "members": "Lê Văn Miều | Phó Giám đốc Sở Nội vụ | trưởng đoàn\nTrần Thị B | Chuyên viên Sở Nội vụ | thư ký",
        },
    )
    inspection = Inspection.objects.get(year=2022)
    assert r.status_code == 302 and r["Location"].endswith(f"/cchc/kiem-tra/{inspection.pk}/")
    assert [(m.full_name, m.role) for m in inspection.members.all()] == [("Lê Văn Miều", "leader"), ("Trần Thị B", "secretary")]
    client.post(
        reverse("reform:inspection-add", kwargs={"pk": inspection.pk, "kind": "recommendation"}),
        {"area": "organisation", "content": "Thiếu biên chế", "addressee": "province"},
    )
    r = client.post(
        reverse("reform:inspection-add", kwargs={"pk": inspection.pk, "kind": "recommendation"}),
        {"area": "procedure", "content": "Rà soát TTHC", "addressee": "agency"},
        follow=True,
    )
    assert "Chọn đơn vị chủ trì" in r.content.decode()  # an agency recommendation needs an owner and a deadline
    assert [rec.addressee for rec in inspection.recommendations.all()] == ["province"]


@pytest.mark.parametrize("criterion", ["abc", "1 OR 1=1", "9" * 40, ""])
def test_self_assessment_score_for_a_criterion_that_is_not_an_id_is_404(leader, criterion):
    response = leader.post(reverse("reform:self-assessment"), {"criterion": criterion, "score": "1"})
    assert response.status_code == 404
