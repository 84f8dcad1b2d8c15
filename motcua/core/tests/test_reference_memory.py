"""Reference data read on every intake (days off, message templates, the procedure version in force) is
kept per process: read once while fresh, forgotten at once when this process changes it, and at the
latest after MOTCUA_REFERENCE_CACHE_SECONDS when another process did (core/memo.py)."""

from datetime import date

import pytest

from motcua.core import memo
from motcua.core.transitions import SYSTEM
from motcua.notifications.models import MessageTemplate
from motcua.notifications.services import message_enqueue
from motcua.workcalendar.models import DayOverride
from motcua.workcalendar.selectors import Calendar
from motcua.workcalendar.services import day_override_set

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 9)


@pytest.fixture
def clock(monkeypatch):
    """The memo's clock, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(memo.time, "monotonic", lambda: now[0])
    return now


def test_days_off_are_read_once_while_fresh(django_assert_num_queries, settings, clock):
    settings.MOTCUA_REFERENCE_CACHE_SECONDS = 60
    with django_assert_num_queries(1):
        assert Calendar().is_working_day(MONDAY)
        assert Calendar().is_working_day(MONDAY)  # another calendar object, same process: no query


def test_a_day_off_saved_here_counts_at_once(settings, clock):
    settings.MOTCUA_REFERENCE_CACHE_SECONDS = 60
    assert Calendar().is_working_day(MONDAY)
    day_override_set(actor=SYSTEM, day=MONDAY, kind=DayOverride.Kind.OFF, name="Nghỉ bù theo quyết định của tỉnh")
    assert not Calendar().is_working_day(MONDAY)


def test_a_day_off_saved_by_another_process_counts_once_the_memory_expires(settings, clock):
    settings.MOTCUA_REFERENCE_CACHE_SECONDS = 60
    assert Calendar().is_working_day(MONDAY)
    # bulk_create sends no signal: what this process sees when another process writes the row.
    DayOverride.objects.bulk_create([DayOverride(date=MONDAY, kind=DayOverride.Kind.OFF, name="Nghỉ bù")])
    clock[0] += 59
    assert Calendar().is_working_day(MONDAY)
    clock[0] += 2
    assert not Calendar().is_working_day(MONDAY)


def test_without_memory_every_calendar_reads_the_database(django_assert_num_queries, settings):
    settings.MOTCUA_REFERENCE_CACHE_SECONDS = 0
    with django_assert_num_queries(2):
        Calendar().is_working_day(MONDAY)
        Calendar().is_working_day(MONDAY)


def test_a_message_template_edited_here_is_used_for_the_next_message(settings, clock):
    settings.MOTCUA_REFERENCE_CACHE_SECONDS = 60
    template = MessageTemplate.objects.filter(code="dossier_accepted", channel="sms").get()
    first = message_enqueue(template_code="dossier_accepted", context={"code": "X-1"}, phone="0905000111")
    template.body = "Hồ sơ {{ code }} đã được tiếp nhận (mẫu mới)."
    template.save()
    second = message_enqueue(template_code="dossier_accepted", context={"code": "X-2"}, phone="0905000111")
    assert "mẫu mới" not in first[0].body
    assert second[0].body == "Hồ sơ X-2 đã được tiếp nhận (mẫu mới)."
