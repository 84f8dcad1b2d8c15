"""A signed IPN for a pending payment of the right amount confirms it: the payment is recorded as paid, the
dossier resumes (status back to processing, due date moved by the pause in office time), as the system, with
the audit entries of both."""

from motcua.core.models import AuditLog
from motcua.dossiers.models import DossierEvent, Pause, Status
from motcua.payments.models import Payment
from motcua.payments.services import payment_start
from motcua.workcalendar.selectors import Calendar

from .conftest import AMOUNT, awaiting_payment, ipn_params


def test_signed_ipn_confirms_the_payment_and_resumes_the_clock(client, world):
    dossier = awaiting_payment(world)
    due_before = dossier.due_at
    payment, url = payment_start(dossier=dossier, actor=world.officer, client_ip="203.0.113.7")
    assert payment.status == Payment.Status.PENDING and payment.amount_vnd == AMOUNT
    assert f"vnp_Amount={AMOUNT * 100}" in url and f"vnp_TxnRef={payment.txn_ref}" in url

    response = client.get("/thanh-toan/vnpay/ipn/?" + ipn_params(payment, transaction_no="14000777"))
    assert response.status_code == 200
    assert response.json() == {"RspCode": "00", "Message": "Confirm Success"}

    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    assert payment.gateway_transaction_no == "14000777" and payment.paid_at is not None and payment.bank_code == "NCB"
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    pause = Pause.objects.get(dossier=dossier, reason=Pause.Reason.PAYMENT)
    assert pause.ended_at is not None and pause.working_seconds > 0
    assert dossier.due_at == Calendar().add_working_seconds(due_before, pause.working_seconds)
    assert dossier.due_at > due_before
    event = DossierEvent.objects.filter(dossier=dossier, action="confirm_payment").get()
    assert event.actor is None and "14000777" in event.note  # the system confirmed it
    actions = list(AuditLog.objects.order_by("id").values_list("action", "actor_repr")[:1000])
    assert ("payment.create", world.officer.username) in actions
    assert ("payment.paid", "system") in actions
