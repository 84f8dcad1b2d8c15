"""Writes of the payments app: a payment link for a dossier awaiting payment, and the gateway's IPN.

`payment_start` creates a pending `Payment` for the dossier's open requirement and returns the gateway's
signed URL. `payment_notice` handles the gateway's server-to-server notice: in one transaction it locks the
payment row, checks order, amount and state, marks the payment paid (a conditional UPDATE: of any number of
concurrent duplicates, one changes the row) and resumes the dossier's clock through
`dossiers.transitions.dossier_confirm_payment` as SYSTEM. A tampered, unknown, duplicate, wrong-amount or
late notice changes nothing; it is logged, and audited when its signature holds (docs/payments.md)."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import ApplicationError, ConflictError
from motcua.core.models import Agency
from motcua.core.services import audit_record
from motcua.core.transitions import SYSTEM, Actor, require_actor
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.notifications import lookup_url
from motcua.dossiers.transitions import dossier_confirm_payment
from motcua.notifications.services import message_enqueue

from .models import Payment, Receipt
from .providers import GatewayError, Notice, Order, Outcome, provider_for
from .selectors import open_requirement, requirement_amount

log = logging.getLogger("motcua.payments")


class GatewayUnavailable(ApplicationError):
    """503: the gateway could not be reached or refused to open the payment (nothing was kept)."""

    status_code = 503
    default_message = "Cổng thanh toán tạm thời không phản hồi; vui lòng thử lại sau ít phút."
    code = "gateway_unavailable"


def _new_txn_ref(at: datetime) -> str:
    """Unique, short, letters and digits only (what VNPay accepts): the day and 10 random hex digits."""
    return at.astimezone(timezone.get_default_timezone()).strftime("%y%m%d") + secrets.token_hex(5).upper()


RETURN_SALT = "motcua.payments.return"


def return_url(provider: str, payment: Payment | None = None) -> str:
    """Where the gateway sends the applicant back. VNPay signs its own parameters onto it; for the national platform
    our reference goes in it signed by us (the page shows the payment as recorded, whatever the platform appends, and
    only to whoever was given that URL)."""
    url = settings.SITE_URL + reverse(f"payments:{provider}-return")
    if provider == "vnpay" or payment is None:
        return url
    return url + "?ref=" + signing.Signer(salt=RETURN_SALT).sign(payment.txn_ref)


def payment_start(
    *, dossier: Dossier, actor: Actor, client_ip: str = "", provider: str = "", at: datetime | None = None
) -> tuple[Payment, str]:
    """A pending payment of the dossier's open requirement and the gateway URL that pays it (the gateway of
    PAYMENT_PROVIDER unless named). 409 when the dossier does not wait for a payment, when no amount was stated, or
    when online payment is not set up; 503 when the gateway must be asked first (the national platform) and fails:
    the payment is then not kept."""
    require_actor(actor)
    at = at or timezone.now()
    provider = provider or settings.PAYMENT_PROVIDER
    gateway = provider_for(provider)
    if not gateway.configured():
        raise ConflictError(_("Chưa cấu hình thanh toán trực tuyến."), code="payment_not_configured")
    with transaction.atomic():
        locked = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
        requirement = open_requirement(locked)
        if requirement is None:
            raise ConflictError(_("Hồ sơ không ở trạng thái chờ thực hiện nghĩa vụ tài chính."), code="not_awaiting_payment")
        amount = requirement_amount(requirement)
        if amount is None:
            raise ConflictError(_("Cơ quan chưa nêu số tiền phải nộp; vui lòng liên hệ Bộ phận Một cửa."), code="no_amount")
        payment = Payment.objects.create(
            dossier=locked,
            requirement=requirement,
            provider=provider,
            txn_ref=_new_txn_ref(at),
            amount_vnd=amount,
            created_at=at,
        )
        version = locked.procedure_version
        order = Order(
            txn_ref=payment.txn_ref,
            amount_vnd=amount,
            order_info=f"Thanh toan phi ho so {locked.code}",
            return_url=return_url(provider, payment),
            client_ip=client_ip,
            created_at=at,
            dossier_code=locked.code,
            procedure_code=version.procedure.code,
            procedure_name=version.name,
            agency_code=locked.agency.code,
            agency_name=locked.agency.name,
            payer_name=locked.applicant_name,
            payer_id=locked.applicant_id_number or locked.applicant_tax_code,
            payer_address=locked.applicant_address,
        )
        try:
            url = gateway.payment_url(order)
        except GatewayError as exc:  # rolls the pending payment back: nothing was opened at the gateway
            log.warning("payment gateway %s refused to open %s: %s", provider, payment.txn_ref, exc)
            raise GatewayUnavailable(_("Cổng thanh toán tạm thời không phản hồi; vui lòng thử lại sau ít phút.")) from None
        audit_record(
            actor=actor,
            action="payment.create",
            obj=payment,
            changes={"dossier": locked.code, "amount_vnd": amount, "provider": provider, "txn_ref": payment.txn_ref},
        )
    return payment, url


@dataclass(frozen=True)
class NoticeResult:
    outcome: Outcome
    answer: dict
    reason: str = ""


def _refused(notice: Notice, outcome: Outcome, reason: str, payment: Payment | None, provider: str) -> Outcome:
    log.warning("payment notice refused (%s): %s, txn_ref=%r", outcome, reason, notice.txn_ref)
    audit_record(
        actor=SYSTEM,
        action="payment.notice_refused",
        obj=payment,
        object_type="" if payment else "payments.payment",
        object_id="" if payment else notice.txn_ref,
        object_repr="" if payment else notice.txn_ref,
        changes={
            "outcome": str(outcome),
            "reason": reason,
            "provider": provider,
            "amount_vnd": notice.amount_vnd,
            "transaction_no": notice.transaction_no,
            "response_code": notice.response_code,
        },
    )
    return outcome


def payment_notice(*, provider: str, params: dict[str, str], at: datetime | None = None) -> NoticeResult:
    """The gateway's server-to-server notice (IPN). Answers in the gateway's words; changes the payment and
    the dossier only for a signed, known, pending order of the right amount whose dossier still waits."""
    gateway = provider_for(provider)
    at = at or timezone.now()
    try:
        notice = gateway.read_notice(params)
    except Exception:  # a notice we cannot even read: nothing changes
        log.exception("payment notice unreadable")
        return NoticeResult(Outcome.OTHER, gateway.answer(Outcome.OTHER), "unreadable")
    if not notice.verified:
        # Not from the gateway: logged only (anyone may send it; the audit chain is for what happened).
        log.warning("payment notice with an invalid signature: txn_ref=%r", notice.txn_ref)
        return NoticeResult(Outcome.INVALID_SIGNATURE, gateway.answer(Outcome.INVALID_SIGNATURE), "signature")
    with transaction.atomic():
        outcome, reason = _apply(notice, provider=provider, at=at)
    return NoticeResult(outcome, gateway.answer(outcome), reason)


def _apply(notice: Notice, *, provider: str, at: datetime) -> tuple[Outcome, str]:
    payment = Payment.objects.select_for_update().filter(provider=provider, txn_ref=notice.txn_ref).first()
    if payment is None:
        return _refused(notice, Outcome.ORDER_NOT_FOUND, "unknown order", None, provider), "unknown order"
    if notice.amount_vnd != payment.amount_vnd:
        return _refused(notice, Outcome.INVALID_AMOUNT, "amount differs", payment, provider), "amount differs"
    if payment.status != Payment.Status.PENDING:
        return _refused(notice, Outcome.ALREADY_CONFIRMED, "duplicate", payment, provider), "duplicate"
    if not notice.success:
        changed = Payment.objects.filter(pk=payment.pk, status=Payment.Status.PENDING).update(
            status=Payment.Status.FAILED, gateway_response_code=notice.response_code, bank_code=notice.bank_code, updated_at=at
        )
        if not changed:
            return _refused(notice, Outcome.ALREADY_CONFIRMED, "duplicate", payment, provider), "duplicate"
        audit_record(
            actor=SYSTEM,
            action="payment.failed",
            obj=payment,
            changes={"status": ["pending", "failed"], "response_code": notice.response_code},
        )
        return Outcome.CONFIRMED, "declined"
    if not notice.transaction_no:
        return _refused(notice, Outcome.OTHER, "no gateway transaction number", payment, provider), "no transaction number"
    dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=payment.dossier_id)
    requirement = open_requirement(dossier)
    if requirement is None or requirement.pk != payment.requirement_id:
        # The dossier moved on (confirmed by hand, stopped, withdrawn, asked again): nothing changes here;
        # the daily reconciliation lists the gateway's transaction as a difference.
        reason = f"late: dossier {dossier.code} is {dossier.status}"
        return _refused(notice, Outcome.ALREADY_CONFIRMED, reason, payment, provider), "late"
    changed = Payment.objects.filter(pk=payment.pk, status=Payment.Status.PENDING).update(
        status=Payment.Status.PAID,
        paid_at=at,
        gateway_transaction_no=notice.transaction_no,
        gateway_response_code=notice.response_code,
        bank_code=notice.bank_code,
        updated_at=at,
    )
    if not changed:  # another notice won the race (SQLite has no row lock: the conditional update decides)
        return _refused(notice, Outcome.ALREADY_CONFIRMED, "duplicate", payment, provider), "duplicate"
    dossier_confirm_payment(
        dossier=dossier,
        actor=SYSTEM,
        note=_("Đã nộp trực tuyến qua %(provider)s, mã giao dịch %(no)s.")
        % {"provider": payment.get_provider_display(), "no": notice.transaction_no},
        at=at,
    )
    payment.refresh_from_db()
    receipt = _receipt_issue(payment, dossier=dossier, at=at)
    audit_record(
        actor=SYSTEM,
        action="payment.paid",
        obj=payment,
        changes={
            "status": ["pending", "paid"],
            "dossier": dossier.code,
            "amount_vnd": payment.amount_vnd,
            "transaction_no": notice.transaction_no,
            "receipt": receipt.label,
            "receipt_sha256": receipt.sha256,
            "receipt_signed_by": receipt.signed_by,
            "dossier_status": [Status.PAYMENT_REQUIRED, Dossier.objects.values_list("status", flat=True).get(pk=dossier.pk)],
        },
    )
    return Outcome.CONFIRMED, "paid"


def receipt_url(receipt: Receipt) -> str:
    return settings.SITE_URL + reverse("payments:receipt", args=[receipt.token])


def _receipt_issue(payment: Payment, *, dossier: Dossier, at: datetime) -> Receipt:
    """The numbered receipt of a payment just confirmed, in its transaction: the next number of the agency's
    year (the agency row locked: numbers are never given twice nor skipped), the PDF signed with the agency's
    seal when configured, and the mail to the applicant queued in the outbox."""
    import hashlib

    from .receipts import receipt_pdf, sign_with_agency_seal

    agency = Agency.objects.select_for_update().get(pk=dossier.agency_id)
    year = timezone.localtime(at).year
    number = (Receipt.objects.filter(agency=agency, year=year).aggregate(n=Max("number"))["n"] or 0) + 1
    receipt = Receipt(payment=payment, agency=agency, year=year, number=number, token=secrets.token_urlsafe(32), issued_at=at)
    full = Dossier.objects.select_related("procedure_version").get(pk=dossier.pk)
    pdf = receipt_pdf(receipt=receipt, payment=payment, dossier=full, agency=agency, paid_at=at)
    pdf, receipt.signed_by = sign_with_agency_seal(pdf, agency=agency)
    receipt.pdf = pdf
    receipt.sha256 = hashlib.sha256(pdf).hexdigest()
    receipt.save()
    message_enqueue(
        template_code="payment_receipt",
        context={
            "applicant_name": full.applicant_name,
            "agency": agency.name,
            "code": full.code,
            "amount": f"{payment.amount_vnd:,}".replace(",", ".") + " đồng",
            "transaction_no": payment.gateway_transaction_no,
            "receipt_no": receipt.label,
            "receipt_url": receipt_url(receipt),
            "lookup_url": lookup_url(full.code),
        },
        email=full.applicant_email,
        related=receipt,
    )
    return receipt
