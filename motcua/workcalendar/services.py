"""Writes of the calendar: administrator-entered days off and make-up working days."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.core.services import audit_record

from .models import DayOverride


def day_override_set(*, actor, day: date, kind: str, name: str, decision: str = "") -> DayOverride:
    if kind not in DayOverride.Kind.values:
        raise ValidationFailed(fields={"kind": [_("Loại ngày không hợp lệ.")]})
    if not name.strip():
        raise ValidationFailed(fields={"name": [_("Cần ghi lý do.")]})
    with transaction.atomic():
        override, created = DayOverride.objects.update_or_create(
            date=day, defaults={"kind": kind, "name": name.strip(), "decision": decision.strip()}
        )
        audit_record(
            actor=actor,
            action="calendar.day_override_set",
            obj=override,
            changes={"date": day.isoformat(), "kind": kind, "created": created},
        )
    return override


def day_override_delete(*, actor, day: date) -> None:
    with transaction.atomic():
        override = DayOverride.objects.filter(date=day).first()
        if override is None:
            return
        audit_record(actor=actor, action="calendar.day_override_delete", obj=override, changes={"date": day.isoformat()})
        override.delete()
