"""Decision 766/QĐ-TTg (2022) deadlines for PAKN, in working days.

- refuse (từ chối tiếp nhận) within 2 working days of reception,
- ask for more information (đề nghị bổ sung) within 5 working days of reception,
- resolve (giải quyết, trả lời) within 15 working days of reception — counted again from the moment the
  requested information arrives when the agency had asked for more,
- publish the answer (công khai kết quả) within 2 working days of the answer.

The day of reception is not counted and a deadline ends at the close of office hours of its last working
day (workcalendar.Calendar.due_at); a reception on a day off or after the agency's cut-off counts from the
next working day. The numbers can be overridden with settings.MOTCUA_PAKN_DEADLINE_DAYS (a dict) if a
province sets shorter ones.
"""

from datetime import datetime, time

from django.conf import settings

from motcua.workcalendar.selectors import Calendar, TimeUnit, default_cutoff

DEFAULT_DAYS = {"refuse": 2, "more_info": 5, "resolve": 15, "publish": 2}


def deadline_days() -> dict[str, int]:
    return {**DEFAULT_DAYS, **settings.MOTCUA_PAKN_DEADLINE_DAYS}


def _cutoff(agency) -> time | None:
    return getattr(agency, "reception_cutoff", None) or default_cutoff()


def reception_dues(received_at: datetime, *, agency=None, calendar: Calendar | None = None) -> dict[str, datetime]:
    """The refuse, ask-for-more and resolve deadlines of an item received at `received_at`."""
    cal = calendar or Calendar()
    days = deadline_days()
    cutoff = _cutoff(agency)
    return {
        "refuse_due": cal.due_at(received_at, days["refuse"], TimeUnit.WORKING_DAYS, cutoff),
        "more_info_due": cal.due_at(received_at, days["more_info"], TimeUnit.WORKING_DAYS, cutoff),
        "resolve_due": cal.due_at(received_at, days["resolve"], TimeUnit.WORKING_DAYS, cutoff),
    }


def resolve_due(clock_started_at: datetime, *, agency=None, calendar: Calendar | None = None) -> datetime:
    cal = calendar or Calendar()
    return cal.due_at(clock_started_at, deadline_days()["resolve"], TimeUnit.WORKING_DAYS, _cutoff(agency))


def publish_due(answered_at: datetime, *, calendar: Calendar | None = None) -> datetime:
    """Publication is a step inside the agency: no reception cut-off applies."""
    cal = calendar or Calendar()
    return cal.due_at(answered_at, deadline_days()["publish"], TimeUnit.WORKING_DAYS, None)
