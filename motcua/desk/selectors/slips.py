"""What the slips (BM.01–BM.05) of a dossier print and which of them the records allow now."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from motcua.core.errors import NotFoundError
from motcua.dossiers.models import Dossier, DossierEvent, DossierFile, DossierStep, Status, SupplementRequest

from ..models import DossierSlip, SlipKind


def dossier_for_slips(*, pk: int | None = None, code: str | None = None) -> Dossier:
    """A dossier with everything the slips print, in a handful of queries."""
    qs = Dossier.objects.select_related(
        "agency__parent",
        "receiving_agency",
        "procedure_version__procedure",
        "procedure_version__field",
        "created_by",
    ).prefetch_related(
        "procedure_version__components",
        "papers",
        Prefetch("files", queryset=DossierFile.objects.select_related("component").order_by("id")),
        Prefetch("events", queryset=DossierEvent.objects.select_related("actor").order_by("at", "id")),
        Prefetch(
            "steps",
            queryset=DossierStep.objects.select_related("unit", "agency", "giver", "receiver", "assignee").order_by("seq"),
        ),
        Prefetch(
            "supplement_requests",
            queryset=SupplementRequest.objects.select_related("requested_by").order_by("requested_at", "id"),
        ),
        "extension",
    )
    dossier = qs.filter(pk=pk).first() if pk is not None else qs.filter(code=code).first()
    if dossier is None:
        raise NotFoundError("Không tìm thấy hồ sơ.")
    return dossier


def slip_available(dossier: Dossier, kind: str) -> bool:
    """Whether the records hold what the slip prints."""
    if kind in (SlipKind.BM01, SlipKind.BM05):
        return dossier.accepted_at is not None
    if kind == SlipKind.BM02:
        return dossier.supplement_requests.exists()
    if kind == SlipKind.BM03:
        return dossier.status == Status.REFUSED
    if kind == SlipKind.BM04:
        return _has_extension(dossier)
    return False


def _has_extension(dossier: Dossier) -> bool:
    try:
        return dossier.extension is not None
    except Dossier.extension.RelatedObjectDoesNotExist:
        return False


def slip_kinds_available(dossier: Dossier) -> list[tuple[str, str]]:
    """(kind, label) of the slips that can be printed now, for the dossier page."""
    return [(k, label) for k, label in SlipKind.choices if slip_available(dossier, k)]


def slips_issued(*, dossier: Dossier) -> QuerySet[DossierSlip]:
    return DossierSlip.objects.filter(dossier=dossier).select_related("created_by").order_by("kind", "-number")
