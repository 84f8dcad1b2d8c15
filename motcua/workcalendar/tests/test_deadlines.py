"""Deadline arithmetic against the real 2025–2026 calendar (examples of docs/domain.md)."""

from datetime import date, datetime, time

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.core.transitions import SYSTEM
from motcua.workcalendar.models import DayOverride
from motcua.workcalendar.selectors import Calendar, TimeUnit, add_working_days, due_at, is_working_day, working_days_between
from motcua.workcalendar.services import day_override_set

pytestmark = pytest.mark.django_db


def at(y, m, d, hh=9, mm=0):
    return timezone.make_aware(datetime(y, m, d, hh, mm))


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 1, 27), False),  # Tết 2025 break 25/1–2/2
        (date(2025, 1, 31), False),
        (date(2025, 2, 3), True),
        (date(2025, 4, 26), True),  # Saturday worked to bridge 30/4–1/5
        (date(2025, 5, 2), False),  # the swapped day off
        (date(2026, 2, 16), False),  # Tết 2026 break 14/2–22/2
        (date(2026, 2, 20), False),
        (date(2026, 2, 23), True),
        (date(2026, 4, 27), False),  # Hùng Kings 2026 (Sunday 26/4) observed on Monday
        (date(2026, 9, 2), False),
        (date(2026, 9, 1), False),  # the adjacent day of 2/9
        (date(2026, 3, 7), False),  # ordinary Saturday
        (date(2026, 3, 9), True),
    ],
)
def test_national_days_off_and_working_days(day, working):
    assert is_working_day(day) is working


def test_command_prints_the_nth_working_day_across_tet_2026(capsys):
    call_command("deadline", "2026-02-12", "3")
    assert capsys.readouterr().out.strip() == "2026-02-24"


def test_receipt_day_is_not_counted():
    assert add_working_days(date(2026, 3, 9), 1) == date(2026, 3, 10)
    assert add_working_days(date(2026, 3, 9), 0) == date(2026, 3, 9)


def test_working_saturday_26_april_2025_counts_and_2_may_does_not():
    # Friday 25/4/2025 + 1 → Saturday 26/4 (make-up day); + 2 → Tuesday 6/5 (29/4? no: 28/4 Mon, 29/4 Tue)
    assert add_working_days(date(2025, 4, 25), 1) == date(2025, 4, 26)
    assert add_working_days(date(2025, 4, 29), 1) == date(2025, 5, 5)  # 30/4, 1/5, 2/5, 3–4/5 off


def test_hung_kings_2026_observed_monday_is_skipped():
    assert add_working_days(date(2026, 4, 24), 1) == date(2026, 4, 28)


def test_national_day_2026_two_days_off():
    assert add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 3)  # 31/8 swapped off, 1/9, 2/9 off


def test_due_moment_is_close_of_office_on_the_nth_working_day():
    due = due_at(at(2026, 2, 12, 10), 3, TimeUnit.WORKING_DAYS)
    assert timezone.localtime(due) == timezone.make_aware(datetime(2026, 2, 24, 17, 0))


def test_reception_after_cutoff_counts_from_the_next_working_day():
    before = due_at(at(2026, 3, 9, 14, 59), 2, TimeUnit.WORKING_DAYS, cutoff=time(15, 0))
    after = due_at(at(2026, 3, 9, 15, 1), 2, TimeUnit.WORKING_DAYS, cutoff=time(15, 0))
    assert timezone.localtime(before).date() == date(2026, 3, 11)
    assert timezone.localtime(after).date() == date(2026, 3, 12)


def test_reception_on_a_day_off_counts_from_the_next_working_day():
    due = due_at(at(2026, 3, 7, 10), 1, TimeUnit.WORKING_DAYS)  # Saturday online submission
    assert timezone.localtime(due).date() == date(2026, 3, 10)


def test_calendar_days_ending_on_a_day_off_move_to_the_next_working_day():
    # 15 calendar days from 2/2/2026 → 17/2 (Tết) → first working day after: 23/2
    due = due_at(at(2026, 2, 2, 9), 15, TimeUnit.CALENDAR_DAYS)
    assert timezone.localtime(due).date() == date(2026, 2, 23)


def test_working_hours_skip_lunch_and_nights():
    due = due_at(at(2026, 3, 9, 10, 30), 4, TimeUnit.WORKING_HOURS)
    # 10:30–11:30 (1h) + 13:30–16:30 (3h)
    assert timezone.localtime(due) == timezone.make_aware(datetime(2026, 3, 9, 16, 30))
    overnight = due_at(at(2026, 3, 9, 16, 0), 2, TimeUnit.WORKING_HOURS)
    assert timezone.localtime(overnight) == timezone.make_aware(datetime(2026, 3, 10, 8, 30))


def test_working_time_between_two_moments_counts_office_hours_only():
    cal = Calendar()
    seconds = cal.working_seconds_between(at(2026, 2, 13, 16, 0), at(2026, 2, 23, 8, 30))
    assert seconds == 2 * 3600  # 16:00–17:00 on 13/2, Tết week off, 07:30–08:30 on 23/2
    assert working_days_between(date(2026, 2, 12), date(2026, 2, 24)) == 3


def test_administrator_entered_day_off_and_make_up_day_change_deadlines():
    assert add_working_days(date(2026, 3, 9), 2) == date(2026, 3, 11)
    day_override_set(actor=SYSTEM, day=date(2026, 3, 10), kind=DayOverride.Kind.OFF, name="Nghỉ bù theo thông báo (thử nghiệm)")
    assert add_working_days(date(2026, 3, 9), 2) == date(2026, 3, 12)
    day_override_set(actor=SYSTEM, day=date(2026, 3, 14), kind=DayOverride.Kind.WORKING, name="Làm bù thứ Bảy (thử nghiệm)")
    assert is_working_day(date(2026, 3, 14))
    assert add_working_days(date(2026, 3, 13), 1) == date(2026, 3, 14)


def test_day_override_is_audited():
    from motcua.core.models import AuditLog

    day_override_set(actor=SYSTEM, day=date(2026, 12, 31), kind=DayOverride.Kind.OFF, name="Nghỉ thêm")
    assert AuditLog.objects.filter(action="calendar.day_override_set").count() == 1
