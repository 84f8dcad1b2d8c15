"""Reads of the catalog that other apps use."""

from datetime import date

from django.db.models import Q

from motcua.core.errors import NotFoundError

from .models import ProcedureVersion


def procedure_version_in_force(*, code: str, on: date) -> ProcedureVersion:
    """The version of procedure `code` in force on `on` (what a dossier received that day is checked against).

    Raises NotFoundError when the procedure does not exist or has no version in force that day."""
    version = (
        ProcedureVersion.objects.select_related("procedure", "field", "agency")
        .filter(procedure__code=code, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .exclude(status__in=[ProcedureVersion.Status.DRAFT])
        .order_by("-valid_from", "-number")
        .first()
    )
    if version is None:
        raise NotFoundError(f"Không có thủ tục {code} đang hiệu lực ngày {on:%d/%m/%Y}.")
    return version
