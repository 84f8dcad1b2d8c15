"""Decision 766 PAKN deadlines (refuse 2, ask for more 5, resolve 15, publish 2 working days), counted
over the real 2026 calendar: Tết 14/2–22/2/2026, Hùng Kings observed 27/4, 30/4 and 1/5/2026."""

from datetime import date

import pytest
from django.utils import timezone

from motcua.feedback.models import Status
from motcua.feedback.services import feedback_answer, feedback_receive_more_info, feedback_request_more_info, feedback_start
from motcua.workcalendar.models import DayOverride

from .conftest import vn

pytestmark = pytest.mark.django_db


def local_day(moment):
    return timezone.localtime(moment).date()


def test_reception_just_before_tet_2026_pushes_every_deadline_past_the_break(make_feedback):
    fb = make_feedback(received_at=vn(2026, 2, 13, 10, 0))  # Friday before the Tết break
    assert local_day(fb.refuse_due) == date(2026, 2, 24)  # Mon 23/2, Tue 24/2
    assert local_day(fb.more_info_due) == date(2026, 2, 27)
    assert local_day(fb.resolve_due) == date(2026, 3, 13)
    assert timezone.localtime(fb.refuse_due).strftime("%H:%M") == "17:00"  # end of office hours
    assert fb.code.startswith("PAKN-260213-")


def test_reception_during_tet_counts_from_the_first_working_day_after_it(make_feedback):
    fb = make_feedback(received_at=vn(2026, 2, 18, 9, 0))  # Wednesday, inside the break
    # counted as received Monday 23/2 (not counted itself)
    assert local_day(fb.refuse_due) == date(2026, 2, 25)
    assert local_day(fb.more_info_due) == date(2026, 3, 2)
    assert local_day(fb.resolve_due) == date(2026, 3, 16)


def test_reception_before_30_4_and_1_5_2026(make_feedback):
    fb = make_feedback(received_at=vn(2026, 4, 29, 9, 0))  # Wednesday; Thu 30/4 and Fri 1/5 off
    assert local_day(fb.refuse_due) == date(2026, 5, 5)
    assert local_day(fb.more_info_due) == date(2026, 5, 8)
    assert local_day(fb.resolve_due) == date(2026, 5, 22)


def test_hung_kings_observed_day_and_30_4_are_both_skipped(make_feedback):
    fb = make_feedback(received_at=vn(2026, 4, 24, 9, 0))  # Friday; Mon 27/4 observed, 30/4, 1/5 off
    assert local_day(fb.refuse_due) == date(2026, 4, 29)  # Tue 28/4, Wed 29/4
    assert local_day(fb.more_info_due) == date(2026, 5, 6)  # 28, 29, 4, 5, 6


def test_publish_deadline_counts_two_working_days_from_the_answer(make_feedback, officer):
    fb = make_feedback(received_at=vn(2026, 4, 20, 9, 0))
    fb = feedback_start(feedback=fb, actor=officer, at=vn(2026, 4, 21, 9, 0))
    fb = feedback_answer(feedback=fb, actor=officer, answer="Đã chấn chỉnh.", at=vn(2026, 4, 29, 15, 0))
    assert local_day(fb.publish_due) == date(2026, 5, 5)
    assert fb.current_due == fb.publish_due

    fb2 = make_feedback(received_at=vn(2026, 2, 2, 9, 0))
    fb2 = feedback_start(feedback=fb2, actor=officer, at=vn(2026, 2, 3, 9, 0))
    fb2 = feedback_answer(feedback=fb2, actor=officer, answer="Đã trả lời.", at=vn(2026, 2, 12, 16, 0))  # Thu before Tết
    assert local_day(fb2.publish_due) == date(2026, 2, 23)  # Fri 13/2, Mon 23/2


def test_resolve_clock_restarts_when_requested_information_arrives(make_feedback, officer):
    fb = make_feedback(received_at=vn(2026, 2, 10, 9, 0))
    original_refuse_due = fb.refuse_due
    fb = feedback_request_more_info(feedback=fb, actor=officer, request="Cho biết số hồ sơ.", at=vn(2026, 2, 11, 9, 0))
    assert fb.current_due is None  # waiting for the submitter
    fb = feedback_receive_more_info(feedback=fb, actor=officer, reply="Hồ sơ H15.50-260105-0001", at=vn(2026, 2, 13, 14, 0))
    assert fb.status == Status.RECEIVED
    assert local_day(fb.resolve_due) == date(2026, 3, 13)  # 15 working days from Fri 13/2 over Tết
    assert fb.refuse_due == original_refuse_due


def test_deadlines_follow_an_announced_extra_day_off(make_feedback):
    DayOverride.objects.create(date=date(2026, 5, 4), kind=DayOverride.Kind.OFF, name="Nghỉ bù (giả định)")
    fb = make_feedback(received_at=vn(2026, 4, 29, 9, 0))
    assert local_day(fb.refuse_due) == date(2026, 5, 6)
