"""Reads of the documents app: registers, search, derived flags and the counts by period."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.core.models import Agency, User
from motcua.core.roles import Role, user_has_role
from motcua.core.selectors import filter_given
from motcua.core.text import normalize
from motcua.workcalendar.selectors import Calendar

from . import signing
from .models import (
    DocumentStep,
    IncomingDocument,
    OutgoingDocument,
    OutgoingRecipient,
    Register,
    RegisterKind,
    SignatureRecord,
    SigningIdentity,
)

ISSUED_STATUSES = [
    OutgoingDocument.Status.NUMBERED,
    OutgoingDocument.Status.SEALED,
    OutgoingDocument.Status.DISPATCHED,
    OutgoingDocument.Status.ARCHIVED,
]


def _paper_steps(field: str):
    return DocumentStep.objects.filter(**{field: OuterRef("pk")}, paper=True)


def _valid_signatures(field: str):
    return SignatureRecord.objects.filter(**{f"file__{field}": OuterRef("pk")}, intact=True, valid=True)


def _failed_signatures(field: str):
    return SignatureRecord.objects.filter(Q(intact=False) | Q(valid=False), **{f"file__{field}": OuterRef("pk")})


def incoming_with_flags(qs: QuerySet | None = None) -> QuerySet[IncomingDocument]:
    """Annotate fully_electronic (no paper step recorded), digitally_signed (a stored signature of one of
    its files is intact and valid) and signature_failed (a stored signature is not intact or not valid:
    the file was changed after signing, or the signature is broken — shown as a warning)."""
    qs = IncomingDocument.objects.all() if qs is None else qs
    return qs.annotate(
        fully_electronic=~Exists(_paper_steps("incoming")),
        digitally_signed=Exists(_valid_signatures("incoming")),
        signature_failed=Exists(_failed_signatures("incoming")),
    )


def outgoing_with_flags(qs: QuerySet | None = None) -> QuerySet[OutgoingDocument]:
    qs = OutgoingDocument.objects.all() if qs is None else qs
    return qs.annotate(
        fully_electronic=~Exists(_paper_steps("outgoing")),
        digitally_signed=Exists(_valid_signatures("outgoing")),
        signature_failed=Exists(_failed_signatures("outgoing")),
    )


def incoming_in_period(*, agency: Agency, start: date, end: date) -> QuerySet[IncomingDocument]:
    """Incoming documents received from `start` to `end` inclusive (local dates)."""
    return IncomingDocument.objects.filter(register__agency=agency, received_at__date__gte=start, received_at__date__lte=end)


def outgoing_in_period(*, agency: Agency, start: date, end: date) -> QuerySet[OutgoingDocument]:
    """Outgoing documents issued (numbered) from `start` to `end` inclusive; drafts are not counted."""
    return OutgoingDocument.objects.filter(
        agency=agency, status__in=ISSUED_STATUSES, issued_date__gte=start, issued_date__lte=end
    )


def document_counts(*, agency: Agency, start: date, end: date) -> dict[str, int]:
    """Counts for the dashboard and the CCHC report: incoming + outgoing documents of the period, how
    many were processed entirely electronically and how many carry a valid digital signature."""
    incoming = incoming_with_flags(incoming_in_period(agency=agency, start=start, end=end))
    outgoing = outgoing_with_flags(outgoing_in_period(agency=agency, start=start, end=end))
    counts = {"incoming": incoming.count(), "outgoing": outgoing.count()}
    counts["total"] = counts["incoming"] + counts["outgoing"]
    counts["fully_electronic"] = incoming.filter(fully_electronic=True).count() + outgoing.filter(fully_electronic=True).count()
    counts["digitally_signed"] = incoming.filter(digitally_signed=True).count() + outgoing.filter(digitally_signed=True).count()
    return {key: counts[key] for key in ("total", "incoming", "outgoing", "fully_electronic", "digitally_signed")}


def latest_year(*, agency: Agency, until: int) -> int | None:
    """The latest year with registered documents of the agency (the dashboard opens on it rather than on
    an empty current year), up to `until` (the current year); None when there are none."""
    years = [
        IncomingDocument.objects.filter(register__agency=agency).aggregate(y=Max("year"))["y"],
        OutgoingDocument.objects.filter(agency=agency, status__in=ISSUED_STATUSES).aggregate(y=Max("year"))["y"],
    ]
    years = [y for y in years if y is not None and y <= until]
    return max(years) if years else None


def register_list(*, agency: Agency, kind: str | None = None) -> QuerySet[Register]:
    qs = Register.objects.filter(agency=agency)
    return qs.filter(kind=kind) if kind else qs


def incoming_visible_to(qs: QuerySet, user) -> QuerySet:
    """Secret documents (secret registers) are seen by clerks and leaders, and by the units assigned to them."""
    if user_has_role(user, Role.CLERK, Role.LEADER):
        return qs
    unit_id = getattr(user, "unit_id", None)
    return qs.filter(Q(register__is_secret=False) | Q(lead_unit_id=unit_id) | Q(coordinating_units__id=unit_id)).distinct()


def outgoing_visible_to(qs: QuerySet, user) -> QuerySet:
    """Secret outgoing documents are seen by clerks, leaders and the drafting unit."""
    if user_has_role(user, Role.CLERK, Role.LEADER):
        return qs
    return qs.filter(Q(register__is_secret=False) | Q(drafting_unit_id=getattr(user, "unit_id", None)))


def _search(qs: QuerySet, q: str) -> QuerySet:
    for word in normalize(q).split():
        qs = qs.filter(search_text__contains=word)
    return qs


def incoming_search(
    *, agency: Agency, q: str = "", register: Register | None = None, year: int | None = None, status: str = ""
) -> QuerySet[IncomingDocument]:
    """Search number, sender's symbol, summary and sender, ignoring case and diacritics."""
    qs = IncomingDocument.objects.filter(register__agency=agency).select_related("register", "doc_type", "lead_unit")
    qs = filter_given(qs, register=register, year=year or None, status=status or None)
    return _search(qs, q).order_by("-year", "register_id", "-number")


def outgoing_search(
    *, agency: Agency, q: str = "", register: Register | None = None, year: int | None = None, status: str = ""
) -> QuerySet[OutgoingDocument]:
    qs = OutgoingDocument.objects.filter(agency=agency).select_related("register", "doc_type", "drafting_unit", "signer")
    qs = filter_given(qs, register=register, year=year or None, status=status or None)
    return _search(qs, q).order_by("-created_at", "-id")


def register_book_rows(*, register: Register, year: int) -> Iterator[dict]:
    """The register's entries of a year in number order (the printed register book), as plain rows: one query for
    the entries with their type and units, one for their coordinating units or recipients (and one for the signers).
    No model instance per row: a year's register holds thousands of entries."""
    if register.kind == RegisterKind.INCOMING:
        rows = (
            IncomingDocument.objects.filter(register=register, year=year)
            .order_by("number")
            .values(
                "id",
                "number",
                "received_at",
                "sender",
                "sender_symbol",
                "sender_date",
                "summary",
                "is_electronic",
                "doc_type__name",
                "lead_unit__short_name",
            )
        )
        through = IncomingDocument.coordinating_units.through
        links = (
            through.objects.filter(incomingdocument__register=register, incomingdocument__year=year)
            .order_by("unit__name")
            .values_list("incomingdocument_id", "unit__short_name")
        )
    else:
        entries = OutgoingDocument.objects.filter(register=register, year=year, number__isnull=False)
        rows = entries.order_by("number").values(
            "id", "symbol", "issued_date", "summary", "dispatched_at", "signer_id", "doc_type__name", "drafting_unit__short_name"
        )
        signers = {u.pk: u.display_name for u in User.objects.filter(pk__in=entries.values("signer_id"))}
        links = (
            OutgoingRecipient.objects.filter(document__register=register, document__year=year, document__number__isnull=False)
            .order_by("id")
            .values_list("document_id", "name")
        )
    related: dict[int, list[str]] = defaultdict(list)
    for owner, name in links.iterator(chunk_size=5000):
        related[owner].append(name)
    for row in rows.iterator(chunk_size=5000):
        row["related"] = related.get(row["id"], [])
        if register.kind == RegisterKind.OUTGOING:
            row["signer"] = signers.get(row["signer_id"], "")
        yield row


def incoming_for_unit(*, unit, open_only: bool = True) -> QuerySet[IncomingDocument]:
    qs = IncomingDocument.objects.filter(Q(lead_unit=unit) | Q(coordinating_units=unit)).distinct()
    if open_only:
        qs = qs.filter(status=IncomingDocument.Status.ASSIGNED)
    return qs.order_by("deadline", "-received_at")


def incoming_present_by(document: IncomingDocument) -> date:
    """Decree 30: an incoming document is presented to the responsible leader on the day it arrives or
    the next working day — the latest day is the first working day after the local arrival date."""

    return Calendar().next_working_day(timezone.localdate(document.received_at))


# ---------------------------------------------------------------- signing identities (one policy for every signer)


def person_signing_identity(user: User) -> SigningIdentity:
    """The staff member's active personal signing key; 400 when none is configured."""
    identity = SigningIdentity.objects.filter(user=user, kind=SigningIdentity.Kind.PERSON, is_active=True).first()
    if identity is None:
        raise ValidationFailed(_("Cán bộ chưa được cấu hình chứng thư ký số (tệp PKCS#12)."))
    return identity


def agency_seal_identity(agency: Agency, *, required: bool = True) -> SigningIdentity | None:
    """The agency's active seal key; 400 when none is configured, or None if not `required`."""
    identity = SigningIdentity.objects.filter(agency=agency, kind=SigningIdentity.Kind.AGENCY_SEAL, is_active=True).first()
    if identity is None and required:
        raise ValidationFailed(_("Cơ quan chưa được cấu hình chứng thư ký số của cơ quan (con dấu)."))
    return identity


def identity_signer(identity: SigningIdentity):
    """The pyHanko signer of a signing identity (its PKCS#12 file and passphrase variable); 400 when it does not load."""
    try:
        return signing.load_signer(identity.pkcs12_path, passphrase_env=identity.passphrase_env or None)
    except signing.SigningError as exc:
        raise ValidationFailed(str(exc)) from None
