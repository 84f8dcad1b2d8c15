"""Reproductions of the cross-agency leaks found before core.tenancy existed: staff of a second agency act on
the demo Board's records through the API and the pages. Each now gets 403/404 and nothing in the database changes
(row counts, newest updates, audit log)."""

from datetime import date

import pytest

from motcua.catalog import services as catalog_services
from motcua.catalog.models import PublicationDecision
from motcua.core.models import AuditLog
from motcua.core.tests.crossagency import db_fingerprint, fingerprint_diff, second_agency
from motcua.core.transitions import SYSTEM
from motcua.feedback import services as feedback_services
from motcua.feedback.models import Feedback
from motcua.reform.models import Inspection, LegalDraft, Recommendation
from motcua.reports.tests.conftest import seed_board

pytestmark = pytest.mark.django_db

REFUSED = (403, 404)


@pytest.fixture
def board():
    agency = seed_board()
    decision = catalog_services.decision_create(
        actor=SYSTEM,
        agency=agency,
        number="99/QĐ-BQL",
        signed_on=date(2021, 12, 1),
        effective_on=date(2021, 12, 15),
        signer="Trưởng ban",
    )
    feedback = feedback_services.feedback_submit(
        agency=agency,
        kind="phan_anh",
        category="procedure",
        title="Hồ sơ chậm trả",
        content="Hồ sơ của tôi quá hạn.",
        submitter_name="Nguyễn Thị Bích",
        submitter_phone="0912345678",
        actor=SYSTEM,
    )
    return agency, decision, feedback


@pytest.fixture
def outsider_staff():
    return second_agency("B")[2]


def _refused(client, user, method, url, data=None, **extra):
    client.force_login(user)
    before, audit = db_fingerprint(), AuditLog.objects.count()
    response = getattr(client, method)(url, data or {}, **extra)
    assert response.status_code in REFUSED, f"{user.username} {method.upper()} {url}: {response.status_code}"
    assert AuditLog.objects.count() == audit
    assert fingerprint_diff(before, db_fingerprint()) == []
    return response


def _board_reads(client, url):
    """The control: the Board's own specialist reads the same URL (so the refusal is the policy, not a bad URL)."""
    from motcua.core.models import User

    client.force_login(User.objects.get(username="chuyenvien"))
    assert client.get(url).status_code == 200, url


def test_publication_decision_items_apply_and_reads(client, board, outsider_staff):
    agency, decision, _ = board
    leader = outsider_staff["leader"]
    code = agency.procedure_versions.values_list("procedure__code", flat=True).first()
    _refused(
        client,
        leader,
        "post",
        f"/api/v1/catalog/decisions/{decision.pk}/items/",
        {"action": "abolished", "code": code},
        content_type="application/json",
    )
    _refused(client, leader, "post", f"/api/v1/catalog/decisions/{decision.pk}/apply/", content_type="application/json")
    _refused(client, leader, "get", f"/api/v1/catalog/decisions/{decision.pk}/")
    _refused(client, leader, "get", f"/api/v1/catalog/decisions/?agency={agency.short_name}")
    listed = client.get("/api/v1/catalog/decisions/").json()
    assert not [d for d in listed["results"] if PublicationDecision.objects.get(pk=d["id"]).agency_id == agency.pk]
    _refused(client, leader, "get", f"/staff/danh-muc/quyet-dinh/{decision.pk}/")
    _refused(client, leader, "post", f"/staff/danh-muc/quyet-dinh/{decision.pk}/ap-dung/")
    decision.refresh_from_db()
    assert decision.applied_at is None and not decision.items.exists()
    _board_reads(client, f"/api/v1/catalog/decisions/{decision.pk}/")
    _board_reads(client, f"/staff/danh-muc/quyet-dinh/{decision.pk}/")


def test_own_decision_cannot_take_another_agencys_procedure(client, board, outsider_staff):
    agency, _, _ = board
    own = catalog_services.decision_create(
        actor=SYSTEM,
        agency=outsider_staff["leader"].unit.agency,
        number="1/QĐ-SXD",
        signed_on=date(2021, 12, 1),
        effective_on=date(2021, 12, 15),
    )
    code = agency.procedure_versions.values_list("procedure__code", flat=True).first()
    client.force_login(outsider_staff["leader"])
    before = db_fingerprint()
    response = client.post(
        f"/api/v1/catalog/decisions/{own.pk}/items/", {"action": "abolished", "code": code}, content_type="application/json"
    )
    assert response.status_code == 400 and "code" in response.json()["fields"]
    assert fingerprint_diff(before, db_fingerprint()) == []


def test_inspection_recommendations_evidence_start_close(client, board, outsider_staff):
    agency, _, _ = board
    rec = (
        Recommendation.objects.filter(inspection__agency=agency, status="open").first()
        or Recommendation.objects.filter(inspection__agency=agency).first()
    )
    status = rec.status
    for role in ("inspector", "leader", "specialist"):
        user = outsider_staff[role]
        base = f"/api/v1/cchc/recommendations/{rec.pk}/"
        _refused(client, user, "post", base + "evidence/", {"description": "Minh chứng giả"}, content_type="application/json")
        _refused(client, user, "post", base + "start/", content_type="application/json")
        _refused(client, user, "post", base + "close/", {"note": "Đã xong"}, content_type="application/json")
        _refused(client, user, "get", base)
        _refused(client, user, "post", f"/cchc/kien-nghi/{rec.pk}/", {"action": "start"})
    rec.refresh_from_db()
    assert rec.status == status
    _board_reads(client, f"/api/v1/cchc/recommendations/{rec.pk}/")
    _board_reads(client, f"/cchc/kien-nghi/{rec.pk}/")


def test_legal_drafts_advance_even_with_agency_parameter(client, board, outsider_staff):
    agency, _, _ = board
    draft = LegalDraft.objects.filter(agency=agency).exclude(stage="issued").first()
    stage = draft.stage
    for suffix in ("", f"?agency={agency.short_name}"):
        _refused(
            client,
            outsider_staff["leader"],
            "post",
            f"/api/v1/cchc/legal-drafts/{draft.pk}/advance/{suffix}",
            {"stage": "issued", "on": "2021-12-20", "issued_number": "01/2021/QĐ-UBND"},
            content_type="application/json",
        )
    _refused(client, outsider_staff["specialist"], "get", f"/api/v1/cchc/legal-drafts/?agency={agency.short_name}")
    client.force_login(outsider_staff["specialist"])
    ids = [d["id"] for d in client.get("/api/v1/cchc/legal-drafts/").json()["results"]]
    assert not LegalDraft.objects.filter(pk__in=ids, agency=agency).exists()
    _refused(
        client,
        outsider_staff["leader"],
        "post",
        f"/cchc/the-che/{draft.pk}/chuyen-giai-doan/?agency={agency.short_name}",
        {"stage": "issued", "on": "20/12/2021"},
    )
    draft.refresh_from_db()
    assert draft.stage == stage


def test_cchc_report_api_pages_minutes_and_docx(client, board, outsider_staff):
    agency, _, _ = board
    inspection = Inspection.objects.filter(agency=agency).first()
    user = outsider_staff["leader"]
    for url in (
        f"/api/v1/reports/cchc/{agency.short_name}/2021/",
        f"/bao-cao/cchc/{agency.short_name}/2021/",
        f"/bao-cao/cchc/{agency.short_name}/2021/tai-ve.docx",
        f"/bao-cao/cchc/{agency.short_name}/2021/tai-ve.pdf",
        f"/bao-cao/cchc/?agency={agency.short_name}",
        f"/cchc/kiem-tra/{inspection.pk}/bien-ban.pdf",
        f"/cchc/kiem-tra/{inspection.pk}/",
    ):
        _refused(client, user, "get", url)
        if "?agency" not in url:
            _board_reads(client, url)
    _refused(client, user, "post", f"/bao-cao/cchc/{agency.short_name}/2021/ban-hanh/")


def test_pakn_item_with_petitioner_details_and_status(client, board, outsider_staff):
    _, _, feedback = board
    status = feedback.status
    for role in ("one_stop_officer", "specialist", "leader"):
        user = outsider_staff[role]
        response = _refused(client, user, "get", f"/staff/pakn/{feedback.code}/")
        assert "0912345678" not in response.content.decode() and "Bích" not in response.content.decode()
        _refused(client, user, "post", f"/staff/pakn/{feedback.code}/start/")
        _refused(client, user, "post", f"/staff/pakn/{feedback.code}/refuse/", {"reason": "Không thuộc thẩm quyền"})
    assert Feedback.objects.get(pk=feedback.pk).status == status
    _board_reads(client, f"/staff/pakn/{feedback.code}/")
