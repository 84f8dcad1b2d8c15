"""Reads of the payments app."""

from __future__ import annotations

from motcua.dossiers.models import Dossier, DossierEvent, Status

from .models import Payment, Receipt


def open_requirement(dossier: Dossier) -> DossierEvent | None:
    """The require_payment event the dossier waits on (its data holds `amount_vnd`), or None when the
    dossier does not wait for a payment."""
    if dossier.status != Status.PAYMENT_REQUIRED:
        return None
    return DossierEvent.objects.filter(dossier=dossier, action="require_payment").order_by("-at", "-id").first()


def requirement_amount(requirement: DossierEvent | None) -> int | None:
    amount = (requirement.data or {}).get("amount_vnd") if requirement is not None else None
    return amount if isinstance(amount, int) and amount > 0 else None


def payable_online(dossier: Dossier) -> int | None:
    """The amount the applicant may pay online now (None: nothing to pay, or no amount was stated)."""
    from .providers import provider_for

    if not provider_for("vnpay").configured():
        return None
    return requirement_amount(open_requirement(dossier))


def payment_by_ref(*, txn_ref: str) -> Payment | None:
    return Payment.objects.select_related("dossier").filter(txn_ref=txn_ref).first()


def payments_of_dossier(*, dossier: Dossier) -> list[Payment]:
    return list(Payment.objects.filter(dossier=dossier).order_by("created_at", "id"))


def receipt_by_token(*, token: str) -> Receipt | None:
    return Receipt.objects.filter(token=token[:43]).first() if token else None


def receipts_of_dossier(*, dossier: Dossier) -> list[Receipt]:
    """The dossier's receipts (without their PDFs), oldest first."""
    return list(
        Receipt.objects.filter(payment__dossier=dossier).select_related("payment").defer("pdf").order_by("issued_at", "id")
    )
