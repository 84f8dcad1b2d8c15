"""Sổ theo dõi hồ sơ (BM.06): the dossiers received in a period, per field."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from motcua.core.models import Agency
from motcua.dossiers.models import Dossier, Pause

from .periods import period_bounds


@dataclass
class BookRow:
    seq: int
    dossier: Dossier
    paused_times: int

    @property
    def appointment(self):
        return self.dossier.original_due_at

    @property
    def new_appointment(self):
        return self.dossier.due_at if self.dossier.extended else None


@dataclass
class BookSection:
    field_id: int
    field_name: str
    rows: list[BookRow] = field(default_factory=list)


def tracking_book(*, agency: Agency | None, start: date, end: date, field_id: int | None = None) -> list[BookSection]:
    """Sổ theo dõi hồ sơ (BM.06): the dossiers received (accepted) in [start, end], per field, in the order
    they were received: code, procedure, applicant, channel, received, appointment (and new date),
    decided, returned, delivery, status and timeliness."""
    start_dt, end_dt = period_bounds(start, end)
    qs = (
        Dossier.objects.filter(accepted_at__gte=start_dt, accepted_at__lt=end_dt)
        .select_related("procedure_version__field", "procedure_version__procedure", "agency")
        .order_by("procedure_version__field__name", "accepted_at", "code")
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if field_id:
        qs = qs.filter(procedure_version__field_id=field_id)
    pauses = dict(
        Pause.objects.filter(dossier__in=qs.values("pk"))
        .order_by()
        .values("dossier_id")
        .annotate(n=Count("pk"))
        .values_list("dossier_id", "n")
    )
    sections: dict[int, BookSection] = {}
    for d in qs:
        f = d.procedure_version.field
        section = sections.setdefault(f.pk, BookSection(field_id=f.pk, field_name=f.name))
        section.rows.append(BookRow(seq=len(section.rows) + 1, dossier=d, paused_times=pauses.get(d.pk, 0)))
    return list(sections.values())
