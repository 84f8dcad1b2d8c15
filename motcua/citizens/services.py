"""Writes of the citizens app: recording a sign-in (one transaction, audited)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.core.services import audit_record
from motcua.core.transitions import Applicant

from .models import Citizen


def citizen_sign_in(*, personal_id: str, full_name: str, issuer: str, subject: str) -> Citizen:
    """Create or update the citizen with this personal number after a verified sign-in. The actor is the
    citizen, proven by the identity provider: Applicant(via="oidc"). Two first sign-ins at once (two tabs):
    the one that loses the insert updates the row the other created."""
    try:
        return _sign_in(personal_id=personal_id, full_name=full_name, issuer=issuer, subject=subject)
    except IntegrityError:
        return _sign_in(personal_id=personal_id, full_name=full_name, issuer=issuer, subject=subject)


def _sign_in(*, personal_id: str, full_name: str, issuer: str, subject: str) -> Citizen:
    actor = Applicant(via="oidc", personal_id=personal_id)
    now = timezone.now()
    with transaction.atomic():
        citizen = Citizen.objects.select_for_update().filter(personal_id=personal_id).first()
        if citizen is None:
            # Another provider subject may already hold this (issuer, subject) with an older number: keep one row.
            Citizen.objects.filter(issuer=issuer, subject=subject).exclude(personal_id=personal_id).update(subject="")
            citizen = Citizen.objects.create(
                personal_id=personal_id,
                full_name=full_name[:255],
                issuer=issuer[:255],
                subject=subject[:255],
                first_login_at=now,
                last_login_at=now,
            )
            action = "citizen.first_sign_in"
        else:
            citizen.full_name = full_name[:255] or citizen.full_name
            citizen.issuer, citizen.subject = issuer[:255], subject[:255]
            citizen.last_login_at = now
            citizen.login_count += 1
            citizen.save(update_fields=["full_name", "issuer", "subject", "last_login_at", "login_count"])
            action = "citizen.sign_in"
        audit_record(actor=actor, action=action, obj=citizen, changes={"issuer": issuer})
    return citizen


def staff_oidc_sign_in_record(*, user, issuer: str, subject: str) -> None:
    """Audit a staff member's sign-in through the staff OpenID Connect provider (the session login itself is
    Django's): the actor is the staff member the provider vouched for."""
    with transaction.atomic():
        audit_record(actor=user, action="staff.oidc_sign_in", obj=user, changes={"issuer": issuer, "subject": subject[:255]})
