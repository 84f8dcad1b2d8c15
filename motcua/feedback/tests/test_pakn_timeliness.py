"""Timeliness per stage of one item, and the per-stage on-time/late counts for the indicator report."""

from datetime import date

import pytest

from motcua.feedback.selectors import feedback_timeliness, feedback_timeliness_summary
from motcua.feedback.services import (
    feedback_answer,
    feedback_publish,
    feedback_refuse,
    feedback_request_more_info,
    feedback_start,
)

from .conftest import vn

pytestmark = pytest.mark.django_db


def states(fb, now):
    return {t.stage: t.state for t in feedback_timeliness(fb, now=now)}


def test_stage_states(make_feedback, officer, leader):
    fb = make_feedback(received_at=vn(2026, 4, 29, 9, 0))  # resolve due 22/5, refuse 5/5, ask-more 8/5
    assert states(fb, vn(2026, 5, 4, 9, 0)) == {
        "refuse": "not_applicable",
        "more_info": "not_applicable",
        "resolve": "pending",
        "publish": "not_applicable",
    }
    assert states(fb, vn(2026, 5, 25, 9, 0))["resolve"] == "overdue"
    fb = feedback_request_more_info(feedback=fb, actor=officer, request="Bổ sung.", at=vn(2026, 5, 11, 9, 0))  # after 8/5
    assert states(fb, vn(2026, 5, 11, 10, 0))["more_info"] == "late"
    assert states(fb, vn(2026, 5, 11, 10, 0))["resolve"] == "not_applicable"  # waiting for the sender

    fb2 = make_feedback(received_at=vn(2026, 4, 29, 9, 0))
    fb2 = feedback_start(feedback=fb2, actor=officer, at=vn(2026, 5, 4, 9, 0))
    fb2 = feedback_answer(feedback=fb2, actor=officer, answer="Trả lời.", at=vn(2026, 5, 22, 16, 59))
    # publish due at the end of the 2nd working day after Fri 22/5: Tue 26/5 17:00
    assert states(fb2, vn(2026, 5, 26, 9, 0))["publish"] == "pending"
    assert states(fb2, vn(2026, 5, 27, 9, 0)) == {
        "refuse": "not_applicable",
        "more_info": "not_applicable",
        "resolve": "on_time",
        "publish": "overdue",
    }
    fb2 = feedback_publish(feedback=fb2, actor=leader, at=vn(2026, 5, 27, 9, 0))
    assert states(fb2, vn(2026, 5, 27, 10, 0))["publish"] == "late"


def test_summary_counts_on_time_and_late_per_stage(agency, make_feedback, officer, leader):
    a = make_feedback(received_at=vn(2026, 3, 2, 9, 0))  # refuse due 4/3
    feedback_refuse(feedback=a, actor=officer, reason="Trùng.", at=vn(2026, 3, 3, 9, 0))
    b = make_feedback(received_at=vn(2026, 3, 2, 9, 0))
    feedback_refuse(feedback=b, actor=officer, reason="Trùng.", at=vn(2026, 3, 5, 9, 0))  # late
    c = make_feedback(received_at=vn(2026, 3, 2, 9, 0))  # resolve due 20/3
    c = feedback_start(feedback=c, actor=officer, at=vn(2026, 3, 3, 9, 0))
    c = feedback_answer(feedback=c, actor=officer, answer="Trả lời.", at=vn(2026, 3, 10, 9, 0))
    feedback_publish(feedback=c, actor=leader, at=vn(2026, 3, 11, 9, 0))
    make_feedback(received_at=vn(2026, 2, 2, 9, 0))  # still open, overdue by April
    s = feedback_timeliness_summary(agency=agency, start=date(2026, 3, 1), end=date(2026, 3, 31), now=vn(2026, 4, 1, 9, 0))
    assert s["refuse"] == {"on_time": 1, "late": 1}
    assert s["resolve"] == {"on_time": 1, "late": 0, "overdue_open": 1}
    assert s["publish"] == {"on_time": 1, "late": 0, "overdue_open": 0}
    assert s["more_info"] == {"on_time": 0, "late": 0}
