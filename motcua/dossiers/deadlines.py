"""Deadline arithmetic of dossiers, on top of the working-day calendar (motcua.workcalendar).

- appointment: the procedure's committed time (else its legal time) from the acceptance moment,
  receipt day not counted, reception cut-off honoured (procedure's, else agency's, else the setting);
- a step's due moment: its share (ProcessStep.duration, in the version's time unit) in office time
  from the moment the step received the dossier;
- a pause moves due moments by its length in office time;
- classification: late after the due moment, early when finished on an earlier day, else on time.
"""

from datetime import datetime, time
from decimal import Decimal

from django.utils import timezone

from motcua.catalog.models import ProcedureVersion, TimeUnit
from motcua.core.errors import ValidationFailed
from motcua.core.models import Agency
from motcua.workcalendar.selectors import Calendar, default_cutoff, office_spans

from .models import Timeliness


def working_day_seconds() -> int:
    """Length of one working day in office seconds (e.g. 7.5 h = 27,000 s)."""
    total = 0
    for start, end in office_spans():
        total += (end.hour * 3600 + end.minute * 60) - (start.hour * 3600 + start.minute * 60)
    return total


def reception_cutoff(version: ProcedureVersion, agency: Agency) -> time | None:
    return version.reception_cutoff or agency.reception_cutoff or default_cutoff()


def appointment(cal: Calendar, *, version: ProcedureVersion, agency: Agency, start: datetime) -> datetime:
    amount = version.effective_time
    if amount is None:
        raise ValidationFailed(
            "Thủ tục chưa có thời hạn giải quyết nên không hẹn được ngày trả kết quả.",
            fields={"procedure": ["Thủ tục chưa có thời hạn giải quyết."]},
        )
    amount = Decimal(amount)
    cutoff = reception_cutoff(version, agency)
    whole = int(amount)
    frac = amount - whole
    if version.time_unit == TimeUnit.WORKING_HOURS:
        return cal.due_at(start, float(amount), version.time_unit, cutoff)
    due = cal.due_at(start, whole, version.time_unit, cutoff)
    if frac:
        due = cal.add_working_seconds(due, int(frac * working_day_seconds()))
    return due


def unit_seconds(version: ProcedureVersion) -> int:
    return 3600 if version.time_unit == TimeUnit.WORKING_HOURS else working_day_seconds()


def step_due(cal: Calendar, *, version: ProcedureVersion, duration: Decimal, start: datetime) -> datetime:
    return cal.add_working_seconds(start, int(Decimal(duration) * unit_seconds(version)))


def classify(finished_at: datetime, due_at: datetime | None) -> str:
    if due_at is None:
        return ""
    if finished_at > due_at:
        return Timeliness.LATE
    if timezone.localtime(finished_at).date() < timezone.localtime(due_at).date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME
