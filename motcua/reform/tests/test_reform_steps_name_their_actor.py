"""Every reform step names its actor (core.transitions): tasks and legal drafts are the agency's leaders'
and specialists' work, recommendations also the inspection team's; an applicant takes none, no actor is an
error, and a step from the wrong state is a 409 through the API."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from motcua.core.errors import PermissionDeniedError, TransitionNotAllowed
from motcua.core.models import AuditLog
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.core.transitions import SYSTEM, Applicant
from motcua.reform import services
from motcua.reform.models import LegalDraft, Recommendation, ReformTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(make_task):
    return make_task(working_days=20)


@pytest.fixture
def draft(agency):
    return services.legal_draft_register(
        actor=SYSTEM, agency=agency, year=2021, title="Quy chế phối hợp", registered_on=date(2021, 1, 20)
    )


@pytest.fixture
def staff(office):
    return {role: make_staff(f"cchc-{role}", role, unit=office) for role in (Role.LEADER, Role.SPECIALIST, Role.INSPECTOR)}


def test_tasks_and_legal_drafts_are_moved_by_leaders_and_specialists_only(task, draft, staff):
    inspector = staff[Role.INSPECTOR]
    with pytest.raises(PermissionDeniedError):
        services.task_update_progress(actor=inspector, task=task, progress=50)
    with pytest.raises(PermissionDeniedError):
        services.legal_draft_advance(actor=inspector, draft=draft, stage="drafting", on=date(2021, 3, 1))
    assert services.task_update_progress(actor=staff[Role.SPECIALIST], task=task, progress=50).progress == 50
    assert (
        services.legal_draft_advance(actor=staff[Role.LEADER], draft=draft, stage="drafting", on=date(2021, 3, 1)).stage
        == "drafting"
    )
    entry = AuditLog.objects.get(action="reform.task.progress", object_id=str(task.pk))
    assert entry.actor_id == staff[Role.SPECIALIST].pk


def test_the_inspection_team_tracks_recommendations(make_recommendation, staff):
    rec = make_recommendation()
    started = services.recommendation_start(actor=staff[Role.INSPECTOR], recommendation=rec)
    assert started.status == Recommendation.Status.IN_PROGRESS
    assert AuditLog.objects.get(action="reform.recommendation.start").actor_id == staff[Role.INSPECTOR].pk


def test_an_applicant_cannot_take_a_reform_step(task, draft, make_recommendation):
    rec, applicant = make_recommendation(), Applicant(via="lookup")
    steps = [
        lambda: services.task_update_progress(actor=applicant, task=task, progress=10),
        lambda: services.task_add_evidence(actor=applicant, task=task, description="Ảnh"),
        lambda: services.legal_draft_advance(actor=applicant, draft=draft, stage="drafting", on=date(2021, 3, 1)),
        lambda: services.recommendation_start(actor=applicant, recommendation=rec),
        lambda: services.recommendation_add_evidence(actor=applicant, recommendation=rec, description="x", reference="1/BC"),
    ]
    audit_count = AuditLog.objects.count()
    for step in steps:
        with pytest.raises(PermissionDeniedError):
            step()
    assert AuditLog.objects.count() == audit_count
    assert ReformTask.objects.get(pk=task.pk).progress == 0 and LegalDraft.objects.get(pk=draft.pk).stage == "registered"
    assert Recommendation.objects.get(pk=rec.pk).status == Recommendation.Status.OPEN


def test_a_reform_step_without_an_actor_is_refused(agency, task, draft, make_recommendation):
    rec = make_recommendation()
    steps = [
        lambda: services.task_update_progress(actor=None, task=task, progress=10),
        lambda: services.legal_draft_advance(actor=None, draft=draft, stage="drafting", on=date(2021, 3, 1)),
        lambda: services.recommendation_start(actor=None, recommendation=rec),
        lambda: services.recommendation_close(actor=None, recommendation=rec, note="Xong"),
        lambda: services.legal_draft_register(
            actor=None, agency=agency, year=2021, title="Quy chế", registered_on=date(2021, 1, 20)
        ),
    ]
    audit_count = AuditLog.objects.count()
    for step in steps:
        with pytest.raises(TypeError):
            step()
    assert AuditLog.objects.count() == audit_count and LegalDraft.objects.count() == 1


def test_going_back_to_the_first_stage_is_a_conflict(draft):
    services.legal_draft_advance(actor=SYSTEM, draft=draft, stage="drafting", on=date(2021, 3, 1))
    with pytest.raises(TransitionNotAllowed) as exc:
        services.legal_draft_advance(actor=SYSTEM, draft=draft, stage="registered", on=date(2021, 3, 2))
    assert "không quay lại" in exc.value.message


def test_starting_a_closed_recommendation_through_the_api_is_409(make_recommendation, office):
    rec = make_recommendation()
    services.recommendation_add_evidence(actor=SYSTEM, recommendation=rec, description="Kế hoạch", reference="56/KH-BQL")
    services.recommendation_close(actor=SYSTEM, recommendation=rec, note="Đã xong")
    api = APIClient()
    api.force_authenticate(make_staff("lanhdao", Role.LEADER, unit=office))
    response = api.post(f"/api/v1/cchc/recommendations/{rec.pk}/start/", format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert "khi kiến nghị đang ở trạng thái “Đã hoàn thành”" in response.json()["detail"]
