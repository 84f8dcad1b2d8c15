"""Reads of the citizens app: everything that carries a signed-in citizen's personal number."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from motcua.dossiers.models import Dossier, Status
from motcua.feedback.models import Feedback, SatisfactionRating
from motcua.payments.selectors import payable_online
from motcua.portal.identity import CitizenIdentity
from motcua.portal.models import PortalDraft
from motcua.portal.selectors import applicant_may_withdraw
from motcua.results.selectors import dossier_ids_with_result

MAX_ROWS = 200


@dataclass
class MyDossier:
    code: str
    procedure_name: str
    agency_name: str
    channel: str
    status: str
    status_label: str
    received_at: object
    due_at: object
    can_supplement: bool
    can_withdraw: bool  # no decision yet: the portal's withdrawal form
    payment_due: bool
    payable_vnd: int | None  # the amount payable online now (the portal's payment link), None: pay as the agency says
    has_result: bool
    can_rate: bool
    rated: str  # the rating's label when given


def my_dossiers(*, identity: CitizenIdentity) -> list[MyDossier]:
    """Every dossier whose applicant's personal number is the citizen's, from every channel (the counter
    too) and every agency, newest first."""
    dossiers = list(
        Dossier.objects.filter(applicant_id_number=identity.personal_id)
        .exclude(applicant_id_number="")  # the partial index dossier_applicant_id's condition, stated for the planner
        .select_related("procedure_version", "agency")
        .order_by("-received_at")[:MAX_ROWS]
    )
    ratings = {
        r.dossier_id: r.get_overall_display() for r in SatisfactionRating.objects.filter(dossier__in=[d.pk for d in dossiers])
    }
    electronic = dossier_ids_with_result(d.pk for d in dossiers)  # signed results (motcua.results)
    return [
        MyDossier(
            code=d.code,
            procedure_name=d.procedure_version.name,
            agency_name=d.agency.name,
            channel=d.get_channel_display(),
            status=d.status,
            status_label=d.get_status_display(),
            received_at=d.received_at,
            due_at=d.due_at,
            can_supplement=d.status == Status.SUPPLEMENT_REQUESTED,
            can_withdraw=applicant_may_withdraw(d),
            payment_due=d.status == Status.PAYMENT_REQUIRED,
            payable_vnd=payable_online(d) if d.status == Status.PAYMENT_REQUIRED else None,
            has_result=(bool(d.result_file) or d.pk in electronic) and d.status in (Status.DECIDED, Status.RETURNED),
            can_rate=d.status == Status.RETURNED and d.returned_at is not None and d.pk not in ratings,
            rated=ratings.get(d.pk, ""),
        )
        for d in dossiers
    ]


def my_drafts(*, identity: CitizenIdentity) -> list[PortalDraft]:
    """Online drafts not yet submitted, still alive, whose applicant's personal number is the citizen's."""
    return list(
        PortalDraft.objects.filter(
            data__id_number=identity.personal_id, submitted_at__isnull=True, expires_at__gte=timezone.now()
        )
        .select_related("procedure_version__procedure")
        .order_by("-updated_at")[:MAX_ROWS]
    )


def my_feedback(*, identity: CitizenIdentity) -> list[Feedback]:
    """PAKN sent with the e-mail address or phone number the identity provider vouches for (a PAKN does not
    record a personal number; its lookup is by code and contact, so these are the ones the citizen can open)."""
    condition = Q()
    if identity.email:
        condition |= Q(submitter_email__iexact=identity.email)
    if identity.phone:
        condition |= Q(submitter_phone=identity.phone)
    if not condition:
        return []
    return list(Feedback.objects.filter(condition).order_by("-received_at")[:MAX_ROWS])


def applicants_as_test_citizens(*, limit: int) -> list[dict]:
    """For the local test provider's demo (`fake_oidc_provider --citizens-from-dossiers N`): the newest distinct
    individual applicants with a personal number, as the claims a provider would give for them."""
    if limit <= 0:
        return []
    out: dict[str, dict] = {}
    rows = (
        Dossier.objects.filter(applicant_kind="individual")
        .exclude(applicant_id_number="")
        .order_by("-received_at")
        .values(
            "applicant_id_number",
            "applicant_name",
            "applicant_birth_date",
            "applicant_address",
            "applicant_phone",
            "applicant_email",
        )[: limit * 20]
    )
    for row in rows:
        if len(out) >= limit:
            break
        number = row["applicant_id_number"]
        if number in out or len(number) != 12 or not number.isdigit():
            continue
        claims = {"personal_id": number, "name": row["applicant_name"]}
        if row["applicant_birth_date"]:
            claims["birthdate"] = row["applicant_birth_date"].isoformat()
        if row["applicant_address"]:
            claims["address"] = {"formatted": row["applicant_address"]}
        if row["applicant_phone"]:
            claims["phone_number"] = row["applicant_phone"]
        if row["applicant_email"]:
            claims.update({"email": row["applicant_email"], "email_verified": True})
        out[number] = claims
    return list(out.values())


def staff_for_oidc(*, username: str):
    """The existing, active staff account named by the staff provider's claim (None otherwise: no account is ever
    created from a sign-in, and no role is given)."""
    from motcua.core.models import User

    if not username or len(username) > 150:
        return None
    return User.objects.filter(username=username, is_active=True).first()
