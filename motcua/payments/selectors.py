"""Reads of the payments app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    from django.conf import settings

    from .providers import provider_for

    if not provider_for(settings.PAYMENT_PROVIDER).configured():
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
    "missing_here": gettext_lazy("Cổng thanh toán báo đã thanh toán nhưng motcua chưa ghi nhận"),
    "missing_at_gateway": gettext_lazy("motcua ghi nhận đã nộp nhưng cổng thanh toán không báo đã thanh toán"),
    "amount_differs": gettext_lazy("Số tiền khác nhau"),
    "transaction_differs": gettext_lazy("Mã giao dịch khác nhau"),
}


@dataclass(frozen=True)
class Reconciliation:
    day: date
    provider: str
    answers: list  # [(Payment, GatewayState)], in the order the payments were made
    differences: list[Difference]

    @property
    def paid_at_gateway(self) -> int:
        return sum(1 for _p, g in self.answers if g.paid)

    @property
    def paid_here(self) -> int:
        return sum(1 for p, _g in self.answers if p.status == Payment.Status.PAID)


def _vnd(amount: int | None) -> str:
    return "?" if amount is None else f"{amount:,}".replace(",", ".") + " VND"


def reconcile(*, day: date, provider: str = "vnpay", agency_code: str = "") -> Reconciliation:
    """Every payment of ours made or confirmed on `day` (Vietnam time), whatever its state here (pending and failed
    ones too: the gateway may have taken money we were never told of), asked one by one of the gateway's status
    query, its answer compared with what motcua recorded. Neither VNPay nor the national platform publishes a
    listing API, so a payment the gateway holds that motcua never created cannot be seen from here (docs/payments.md).
    `agency_code`: only the payments of that agency's dossiers (its finance officer's list)."""
    from .providers import Lookup, provider_for

    gateway = provider_for(provider)
    start = datetime.combine(day, time.min, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    end = start + timedelta(days=1)
    ours = (
        Payment.objects.filter(provider=provider)
        .filter(Q(created_at__gte=start, created_at__lt=end) | Q(paid_at__gte=start, paid_at__lt=end))
        .filter(**({"dossier__agency__code": agency_code} if agency_code else {}))
        .select_related("dossier")
        .order_by("created_at", "id")
    )
    answers = [(p, gateway.query(Lookup(txn_ref=p.txn_ref, amount_vnd=p.amount_vnd, created_at=p.created_at))) for p in ours]
    differences = []
    for p, g in answers:
        paid_here = p.status == Payment.Status.PAID
        if g.paid and not paid_here:
            differences.append(
                Difference(
                    "missing_here",
                    p.txn_ref,
                    _("%(status)s (hồ sơ %(code)s, %(amount)s)")
                    % {"status": p.get_status_display(), "code": p.dossier.code, "amount": _vnd(p.amount_vnd)},  # fmt: skip
                    _("đã thanh toán %(amount)s, GD %(no)s") % {"amount": _vnd(g.amount_vnd), "no": g.transaction_no},
                )
            )
        elif paid_here and not g.paid:
            theirs = _("không có giao dịch") if not g.found else _("trạng thái %(status)s") % {"status": g.status}
            differences.append(
                Difference("missing_at_gateway", p.txn_ref, f"{_vnd(p.amount_vnd)}, GD {p.gateway_transaction_no}", theirs)
            )
        elif paid_here and g.amount_vnd != p.amount_vnd:
            differences.append(Difference("amount_differs", p.txn_ref, _vnd(p.amount_vnd), _vnd(g.amount_vnd)))
        elif paid_here and g.transaction_no != p.gateway_transaction_no:
            differences.append(Difference("transaction_differs", p.txn_ref, p.gateway_transaction_no, g.transaction_no))
    return Reconciliation(day=day, provider=provider, answers=answers, differences=differences)
