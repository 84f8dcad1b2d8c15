"""Recommendations of an inspection are tracked until closed: overdue ones are listed, escalated ones
are listed apart, and closing needs evidence."""

from datetime import date

import pytest
from django.core.files.base import ContentFile

from motcua.core.errors import TransitionNotAllowed, ValidationFailed
from motcua.core.models import AuditLog
from motcua.core.testing import pdf_bytes
from motcua.core.transitions import SYSTEM
from motcua.reform import selectors, services
from motcua.reform.models import Recommendation

pytestmark = pytest.mark.django_db


def test_overdue_lists_open_recommendations_past_their_deadline(agency, make_recommendation):
    late = make_recommendation("Rà soát lại công tác CCHC do UBND tỉnh giao", deadline=date(2021, 10, 15))
    later = make_recommendation("Xây dựng kế hoạch đào tạo, bồi dưỡng cán bộ", deadline=date(2021, 11, 30))
    make_recommendation("Thiếu biên chế", escalated=True)

    overdue = list(selectors.recommendations_overdue(agency=agency, today=date(2021, 10, 18)))
    assert overdue == [late]
    # on the deadline itself it is not overdue yet
    assert list(selectors.recommendations_overdue(agency=agency, today=date(2021, 10, 15))) == []
    # later both are overdue, ordered by deadline
    assert list(selectors.recommendations_overdue(agency=agency, today=date(2021, 12, 1))) == [late, later]


def test_in_progress_still_counts_as_overdue_but_closed_does_not(agency, make_recommendation):
    rec = make_recommendation(deadline=date(2021, 10, 15))
    services.recommendation_start(actor=SYSTEM, recommendation=rec)
    assert list(selectors.recommendations_overdue(agency=agency, today=date(2021, 11, 1))) == [rec]
    services.recommendation_add_evidence(
        actor=SYSTEM, recommendation=rec, description="Kế hoạch đào tạo đã ban hành", reference="56/KH-BQL"
    )
    services.recommendation_close(actor=SYSTEM, recommendation=rec, note="Đã ban hành kế hoạch", on=date(2021, 11, 1))
    assert list(selectors.recommendations_overdue(agency=agency, today=date(2021, 11, 2))) == []


def test_escalated_recommendations_are_listed_apart(agency, make_recommendation):
    own = make_recommendation()
    quota = make_recommendation("Thiếu biên chế", escalated=True, area="organisation")
    autonomy = make_recommendation(
        "Hướng dẫn thực hiện tự chủ tài chính đối với đơn vị sự nghiệp", escalated=True, area="public_finance"
    )

    escalated = list(selectors.recommendations_escalated(agency=agency))
    assert escalated == [quota, autonomy]
    assert own not in escalated
    assert list(selectors.recommendations_for_agency(agency=agency)) == [own]
    # escalated ones have no owner unit or deadline, so never appear as the agency's overdue work
    assert list(selectors.recommendations_overdue(agency=agency, today=date(2030, 1, 1))) == [own]


def test_agency_recommendation_needs_owner_and_deadline(inspection):
    with pytest.raises(ValidationFailed) as err:
        services.recommendation_create(actor=SYSTEM, inspection=inspection, area="procedure", content="Rà soát giảm thời gian")
    assert set(err.value.fields) == {"owner_unit", "deadline"}


def test_deadline_in_working_days_skips_the_national_day(inspection, office):
    # inspection on Monday 20/9/2021; 10 working days later is Monday 4/10/2021 (no holiday in between)
    rec = services.recommendation_create(
        actor=SYSTEM, inspection=inspection, area="procedure", content="Rà soát", owner_unit=office, working_days=10
    )
    assert rec.deadline == date(2021, 10, 4)
    # a fixed date on a Sunday moves to the next working day
    rec2 = services.recommendation_create(
        actor=SYSTEM, inspection=inspection, area="procedure", content="Rà soát 2", owner_unit=office, deadline=date(2021, 10, 3)
    )
    assert rec2.deadline == date(2021, 10, 4)


def test_closing_without_evidence_is_refused(make_recommendation):
    rec = make_recommendation()
    with pytest.raises(ValidationFailed) as err:
        services.recommendation_close(actor=SYSTEM, recommendation=rec, note="Đã xong")
    assert err.value.status_code == 400
    assert "evidence" in err.value.fields
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.OPEN


def test_closing_with_evidence_records_date_note_and_audit(make_recommendation):
    rec = make_recommendation()
    services.recommendation_add_evidence(
        actor=SYSTEM,
        recommendation=rec,
        description="Kế hoạch đào tạo năm 2022",
        file=ContentFile(pdf_bytes(1), name="ke-hoach.pdf"),
    )
    closed = services.recommendation_close(actor=SYSTEM, recommendation=rec, note="Đã ban hành kế hoạch", on=date(2021, 10, 20))
    assert closed.status == Recommendation.Status.CLOSED
    assert closed.closed_on == date(2021, 10, 20)
    assert closed.evidence.get().file.name.endswith(".pdf")
    assert AuditLog.objects.filter(action="reform.recommendation.close", object_id=str(rec.pk)).exists()
    with pytest.raises(TransitionNotAllowed):
        services.recommendation_close(actor=SYSTEM, recommendation=rec, note="lần nữa")
    with pytest.raises(TransitionNotAllowed):
        services.recommendation_start(actor=SYSTEM, recommendation=rec)


def test_escalated_recommendation_closes_with_the_provinces_answer(make_recommendation):
    rec = make_recommendation("Thiếu biên chế", escalated=True, area="organisation")
    with pytest.raises(ValidationFailed):
        services.recommendation_close(actor=SYSTEM, recommendation=rec, note="Tỉnh đã bổ sung")
    services.recommendation_add_evidence(
        actor=SYSTEM, recommendation=rec, description="Quyết định giao bổ sung biên chế", reference="2345/QĐ-UBND"
    )
    services.recommendation_close(actor=SYSTEM, recommendation=rec, note="Tỉnh đã bổ sung biên chế")
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.CLOSED
    assert list(selectors.recommendations_escalated(open_only=True)) == []


def test_evidence_needs_a_file_or_a_reference(make_recommendation):
    rec = make_recommendation()
    with pytest.raises(ValidationFailed):
        services.recommendation_add_evidence(actor=SYSTEM, recommendation=rec, description="Không có gì")
