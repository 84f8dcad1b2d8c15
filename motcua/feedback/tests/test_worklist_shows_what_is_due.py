"""The staff worklist counts and lists items overdue, due today, and due within the next 2 working
days, on the deadline of their current stage (resolve, or publish once answered)."""

import pytest
from django.utils import timezone

from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.feedback.selectors import feedback_worklist
from motcua.feedback.services import feedback_answer, feedback_refuse, feedback_request_more_info, feedback_start

from .conftest import vn

pytestmark = pytest.mark.django_db


def test_buckets_on_the_working_day_calendar(agency, make_feedback, officer):
    now = vn(2026, 3, 13, 9, 0)  # Friday
    due_today = make_feedback(received_at=vn(2026, 2, 13, 10, 0))  # resolve due Fri 13/3 (over Tết)
    overdue = make_feedback(received_at=vn(2026, 2, 12, 10, 0))  # resolve due Thu 12/3
    soon = make_feedback(received_at=vn(2026, 2, 24, 10, 0))  # resolve due Tue 17/3: Mon 16, Tue 17 are the next 2 working days
    later = make_feedback(received_at=vn(2026, 2, 26, 10, 0))  # resolve due Thu 19/3
    answered = make_feedback(received_at=vn(2026, 3, 2, 9, 0))
    answered = feedback_start(feedback=answered, actor=officer, at=vn(2026, 3, 3, 9, 0))
    answered = feedback_answer(
        feedback=answered, actor=officer, answer="Đã trả lời.", at=vn(2026, 3, 11, 15, 0)
    )  # publish due 13/3
    waiting = make_feedback(received_at=vn(2026, 2, 10, 10, 0))
    feedback_request_more_info(feedback=waiting, actor=officer, request="Bổ sung.", at=vn(2026, 2, 11, 9, 0))
    refused = make_feedback(received_at=vn(2026, 2, 10, 10, 0))
    feedback_refuse(feedback=refused, actor=officer, reason="Trùng nội dung.", at=vn(2026, 2, 11, 9, 0))

    assert timezone.localtime(soon.resolve_due).date().isoformat() == "2026-03-17"
    wl = feedback_worklist(agency=agency, now=now)
    assert wl.counts == {"overdue": 1, "due_today": 2, "due_soon": 1, "waiting": 1, "open": 6}
    assert wl.soon_until.isoformat() == "2026-03-17"

    def codes(bucket):
        return {fb.code for fb in feedback_worklist(agency=agency, now=now, bucket=bucket).items}

    assert codes("overdue") == {overdue.code}
    assert codes("due_today") == {due_today.code, answered.code}
    assert codes("due_soon") == {soon.code}
    assert later.code in codes("open") and refused.code not in codes("open")


def test_worklist_page_shows_counts_for_staff(client, agency, make_feedback, officer):
    make_feedback(received_at=vn(2025, 1, 2, 9, 0))  # long overdue
    client.force_login(officer)
    body = client.get("/staff/pakn/?bucket=overdue").content.decode()
    assert 'id="count-overdue">1<' in body
    assert "Quá hạn" in body


def test_worklist_is_for_handling_roles_only(client, make_feedback):
    clerk = make_staff("vanthu", Role.CLERK)
    client.force_login(clerk)
    assert client.get("/staff/pakn/").status_code == 403
