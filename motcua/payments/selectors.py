"""Reads of the payments app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

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


def paid_online(dossier_id: int) -> bool:
    """A payment of the dossier was confirmed by the gateway (its notice): the national portal's
    ThanhToanTrucTuyen, answered for dossiers.sync_flags (one query on the (dossier, status) index)."""
    return Payment.objects.filter(dossier_id=dossier_id, status=Payment.Status.PAID).exists()


def payment_by_ref(*, txn_ref: str) -> Payment | None:
    return Payment.objects.select_related("dossier").filter(txn_ref=txn_ref).first()


def payments_of_dossier(*, dossier: Dossier) -> list[Payment]:
    return list(
        Payment.objects.filter(dossier=dossier).select_related("receipt").defer("receipt__pdf").order_by("created_at", "id")
    )


def receipt_by_token(*, token: str) -> Receipt | None:
    return Receipt.objects.filter(token=token[:43]).first() if token else None


def receipts_of_dossier(*, dossier: Dossier) -> list[Receipt]:
    """The dossier's receipts (without their PDFs), oldest first."""
    return list(
        Receipt.objects.filter(payment__dossier=dossier).select_related("payment").defer("pdf").order_by("issued_at", "id")
    )


@dataclass(frozen=True)
class Difference:
    kind: str  # "missing_here", "missing_at_gateway", "amount_differs", "transaction_differs"
    txn_ref: str
    ours: str
    theirs: str


DIFFERENCE_LABELS = {
    "missing_here": "Cổng thanh toán có giao dịch thành công nhưng motcua chưa ghi nhận",
    "missing_at_gateway": "motcua ghi nhận đã nộp nhưng báo cáo của cổng thanh toán không có",
    "amount_differs": "Số tiền khác nhau",
    "transaction_differs": "Mã giao dịch khác nhau",
}


def reconcile(*, day: date, provider: str = "vnpay") -> tuple[list, list[Payment], list[Difference]]:
    """The gateway's successful transactions of `day` (Vietnam time) against the payments motcua recorded as paid
    that day: (the gateway's, ours, the differences). A gateway transaction is matched by its order (txn ref)."""
    from .providers import provider_for

    theirs = provider_for(provider).daily_report(day)
    vietnam = ZoneInfo("Asia/Ho_Chi_Minh")
    start = datetime.combine(day, time.min, tzinfo=vietnam)
    ours = list(
        Payment.objects.filter(
            provider=provider, status=Payment.Status.PAID, paid_at__gte=start, paid_at__lt=start + timedelta(days=1)
        )
        .select_related("dossier")
        .order_by("paid_at", "id")
    )
    by_ref = {p.txn_ref: p for p in Payment.objects.filter(provider=provider, txn_ref__in=[t.txn_ref for t in theirs])}
    differences = []
    for t in theirs:
        p = by_ref.get(t.txn_ref)
        if p is None or p.status != Payment.Status.PAID:
            state = "không có" if p is None else f"{p.get_status_display()} (hồ sơ {p.dossier.code})"
            differences.append(Difference("missing_here", t.txn_ref, state, f"{t.amount_vnd} VND, GD {t.transaction_no}"))
        elif p.amount_vnd != t.amount_vnd:
            differences.append(Difference("amount_differs", t.txn_ref, f"{p.amount_vnd} VND", f"{t.amount_vnd} VND"))
        elif p.gateway_transaction_no != t.transaction_no:
            differences.append(Difference("transaction_differs", t.txn_ref, p.gateway_transaction_no, t.transaction_no))
    listed = {t.txn_ref for t in theirs}
    for p in ours:
        if p.txn_ref not in listed:
            differences.append(
                Difference("missing_at_gateway", p.txn_ref, f"{p.amount_vnd} VND, GD {p.gateway_transaction_no}", "không có")
            )
    return theirs, ours, differences
