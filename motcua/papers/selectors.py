"""Reads of the store of papers. Who sees a holder's store (docs/papers.md, "Who sees the store"):

- staff: only through a dossier of an agency they may act for, and only once the dossier's holder consented
  for that dossier (`Consent`); never another holder's papers, whatever agency stored them;
- the signed-in citizen: their own store (by the personal number the identity provider vouched for).

`reused_q` is the one definition of "a dossier that reused a stored paper": the Decision 766 rule
`data_reused` (reports.index766.rules) and the digitisation report (reports.digitisation) both use it."""

from __future__ import annotations

from datetime import date

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone

from motcua.core.tenancy import scope_for
from motcua.dossiers.models import ApplicantKind, Dossier, Status

from .models import Consent, HolderKind, Paper, PaperReuse

# Online, the applicant adds papers only while the dossier waits for them.
APPLICANT_STATUSES = (Status.SUBMITTED, Status.SUPPLEMENT_REQUESTED)


def holder_of(dossier: Dossier) -> tuple[str, str] | None:
    """(kind, number) keying the dossier applicant's store: a person's personal number, an organisation's tax
    number (its representative's personal number is not the organisation's store); None without one."""
    if dossier.applicant_kind == ApplicantKind.ORGANISATION:
        return (HolderKind.ORGANISATION, dossier.applicant_tax_code) if dossier.applicant_tax_code else None
    return (HolderKind.PERSON, dossier.applicant_id_number) if dossier.applicant_id_number else None


def valid_q(day: date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))


def consent_for(dossier: Dossier) -> Consent | None:
    holder = holder_of(dossier)
    if holder is None:
        return None
    return Consent.objects.filter(dossier=dossier, holder_number=holder[1]).select_related("recorded_by").first()


def store_for_dossier(*, user, dossier: Dossier) -> QuerySet[Paper] | None:
    """The papers of the dossier's holder a staff user may see for this dossier: None (not an empty list: "ask
    for consent") when there is no consent yet or the user may not act for the dossier's agency."""
    holder = holder_of(dossier)
    if holder is None or not scope_for(user).can_act(dossier.agency_id):
        return None
    if consent_for(dossier) is None:
        return None
    return _annotated(Paper.objects.filter(holder_number=holder[1]), dossier)


def store_of_citizen(*, personal_id: str, dossier: Dossier | None = None) -> QuerySet[Paper]:
    """The signed-in citizen's own store (personal number), newest first."""
    if not personal_id:
        return Paper.objects.none()
    return _annotated(Paper.objects.filter(holder_kind=HolderKind.PERSON, holder_number=personal_id), dossier)


def _annotated(qs: QuerySet[Paper], dossier: Dossier | None) -> QuerySet[Paper]:
    today = timezone.localdate()
    is_valid = ExpressionWrapper(valid_q(today), output_field=BooleanField())
    qs = qs.select_related("agency", "component", "dossier").annotate(is_valid=is_valid)
    if dossier is not None:
        qs = qs.annotate(used_here=Exists(PaperReuse.objects.filter(paper=OuterRef("pk"), dossier=dossier)))
    return qs.order_by("-created_at", "-id")


def stored_hashes(*, dossier: Dossier) -> set[str]:
    """The contents of the dossier's files already in its holder's store (the panel offers only the others)."""
    holder = holder_of(dossier)
    if holder is None:
        return set()
    hashes = dossier.files.values("sha256")
    return set(Paper.objects.filter(holder_number=holder[1], sha256__in=hashes).values_list("sha256", flat=True))


def reuses_of_dossier(*, dossier: Dossier) -> QuerySet[PaperReuse]:
    return PaperReuse.objects.filter(dossier=dossier).select_related("paper", "component", "reused_by", "consent")


def reused_q(prefix: str = "") -> Q:
    """A dossier (the row at `prefix`, "" for Dossier itself) that reused at least one stored paper."""
    return Q(Exists(PaperReuse.objects.filter(dossier=OuterRef(f"{prefix}pk"))))


def reuses_in(*, dossiers: QuerySet[Dossier], start=None, end=None) -> QuerySet[PaperReuse]:
    """The reuse records of `dossiers` (each one counted reuse), optionally those made in [start, end)."""
    qs = PaperReuse.objects.filter(dossier__in=dossiers.values("pk"))
    if start is not None:
        qs = qs.filter(reused_at__gte=start)
    if end is not None:
        qs = qs.filter(reused_at__lt=end)
    return qs.select_related("paper", "dossier", "component")


def citizen_reuse_targets(*, personal_id: str) -> list[Dossier]:
    """The signed-in citizen's dossiers that may take a paper of their store online (waiting for papers), each
    with `component_list` (its procedure's components) for the form."""
    if not personal_id:
        return []
    dossiers = list(
        Dossier.objects.filter(
            applicant_kind=ApplicantKind.INDIVIDUAL, applicant_id_number=personal_id, status__in=APPLICANT_STATUSES
        )
        .select_related("procedure_version")
        .order_by("-received_at")[:50]
    )
    for d in dossiers:
        d.component_list = list(d.procedure_version.components.all())
    return dossiers
