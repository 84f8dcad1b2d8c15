"""The working-day calendar: the single place that answers "is this a working day", "N working
days/hours after a moment" and "working time between two moments".

Rules (docs/domain.md, Civil Code 2015 arts. 147–148): the day of receipt is not counted; a period in
working days ends at the close of office hours of its Nth working day; a reception after the cut-off
time, or on a day off, counts as received on the next working day. Days off come from the `holidays`
package (lunar Tết, Hùng Kings, substitutions, announced swaps) with administrator-entered
DayOverride rows on top.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone

from motcua.core.memo import Memo

from .models import DayOverride


def _zone():
    """The agency's time zone (settings.TIME_ZONE), named rather than looked up as the active zone:
    the calendar converts moments many times per deadline, and no request activates another zone."""
    return timezone.get_default_timezone()


class TimeUnit(enum.StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    WORKING_HOURS = "working_hours"


def _parse_span(text: str) -> tuple[time, time]:
    start, end = text.split("-")
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


def office_spans() -> list[tuple[time, time]]:
    """Office hours of a working day, e.g. [(07:30, 11:30), (13:30, 17:00)] (settings, from the environment)."""
    return [_parse_span(settings.MOTCUA_WORK_MORNING), _parse_span(settings.MOTCUA_WORK_AFTERNOON)]


def default_cutoff() -> time | None:
    value = settings.MOTCUA_RECEPTION_CUTOFF.strip()
    return time.fromisoformat(value) if value else None


@lru_cache(maxsize=64)
def _national(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year)


# Overrides per year, kept per process (core.memo): about 44 working-day questions per intake.
_overrides_memo = Memo("calendar.overrides", DayOverride)


class Calendar:
    """Working-day arithmetic over the national calendar plus overrides (loaded once per year touched)."""

    def __init__(self) -> None:
        self._overrides: dict[int, dict[date, str]] = {}

    def _year_overrides(self, year: int) -> dict[date, str]:
        if year not in self._overrides:
            self._overrides[year] = _overrides_memo.get(
                year, lambda: dict(DayOverride.objects.filter(date__year=year).values_list("date", "kind"))
            )
        return self._overrides[year]

    def is_working_day(self, day: date) -> bool:
        kind = self._year_overrides(day.year).get(day)
        if kind is not None:
            return kind == DayOverride.Kind.WORKING
        national = _national(day.year)
        if day in national:
            return False
        if day in national.weekend_workdays:
            return True
        return day.weekday() < 5

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, days: int) -> date:
        """The `days`-th working day after `start` (start itself not counted). days=0 → start."""
        if days < 0:
            raise ValueError("days must be >= 0")
        day = start
        for _ in range(days):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def effective_receipt_date(self, received_at: datetime, cutoff: time | None = None) -> date:
        """The day a reception counts for: the next working day when it happened on a day off or
        after the cut-off time."""
        local = timezone.localtime(received_at, _zone())
        day = local.date()
        if not self.is_working_day(day) or (cutoff is not None and local.time() >= cutoff):
            return self.next_working_day(day)
        return day

    def _close_of(self, day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, office_spans()[-1][1]), _zone())

    def due_at(self, received_at: datetime, amount: float, unit: TimeUnit | str, cutoff: time | None = None) -> datetime:
        """The deadline moment for a period of `amount` `unit`s starting at a reception."""
        unit = TimeUnit(unit)
        if unit == TimeUnit.WORKING_HOURS:
            local = timezone.localtime(received_at, _zone())
            if cutoff is not None and self.is_working_day(local.date()) and local.time() >= cutoff:
                start = timezone.make_aware(datetime.combine(self.next_working_day(local.date()), office_spans()[0][0]), _zone())
            else:
                start = received_at
            return self.add_working_seconds(start, int(round(amount * 3600)))
        receipt = self.effective_receipt_date(received_at, cutoff)
        whole_days = int(amount)
        if unit == TimeUnit.CALENDAR_DAYS:
            day = receipt + timedelta(days=whole_days)
            if not self.is_working_day(day):
                day = self.next_working_day(day)
            return self._close_of(day)
        return self._close_of(self.add_working_days(receipt, whole_days))

    def _office_intervals(self, day: date):
        for start, end in office_spans():
            yield (
                timezone.make_aware(datetime.combine(day, start), _zone()),
                timezone.make_aware(datetime.combine(day, end), _zone()),
            )

    def working_seconds_between(self, start: datetime, end: datetime) -> int:
        """Office time (seconds) between two moments, on working days only."""
        if end <= start:
            return 0
        total = 0
        day, last = timezone.localtime(start, _zone()).date(), timezone.localtime(end, _zone()).date()
        while day <= last:
            if self.is_working_day(day):
                for a, b in self._office_intervals(day):
                    lo, hi = max(a, start), min(b, end)
                    if hi > lo:
                        total += int((hi - lo).total_seconds())
            day += timedelta(days=1)
        return total

    def add_working_seconds(self, start: datetime, seconds: int) -> datetime:
        """The moment `seconds` of office time after `start` (used for working-hour periods and to move
        a due date by the length of a pause)."""
        remaining = seconds
        day = timezone.localtime(start, _zone()).date()
        moment = start
        while True:
            if self.is_working_day(day):
                for a, b in self._office_intervals(day):
                    lo = max(a, moment)
                    if b <= lo:
                        continue
                    available = int((b - lo).total_seconds())
                    if remaining <= available:
                        return lo + timedelta(seconds=remaining)
                    remaining -= available
            day += timedelta(days=1)
            moment = timezone.make_aware(datetime.combine(day, time.min), _zone())


# Module-level shortcuts.
def is_working_day(day: date) -> bool:
    return Calendar().is_working_day(day)


def add_working_days(start: date, days: int) -> date:
    return Calendar().add_working_days(start, days)


def working_days_between(start: date, end: date) -> int:
    return Calendar().working_days_between(start, end)


def due_at(
    received_at: datetime, amount: float, unit: TimeUnit | str = TimeUnit.WORKING_DAYS, cutoff: time | None = None
) -> datetime:
    return Calendar().due_at(received_at, amount, unit, cutoff)


def working_seconds_between(start: datetime, end: datetime) -> int:
    return Calendar().working_seconds_between(start, end)


def add_working_seconds(start: datetime, seconds: int) -> datetime:
    return Calendar().add_working_seconds(start, seconds)
