"""Notices that must change nothing, each answered with VNPay's code: a tampered signature (97), an unknown
order (01), a duplicate of a confirmed one (02), a wrong amount (04), a late one after the dossier moved on
(02, the payment stays pending), a declined payment (00, recorded as failed, the dossier still waits), and a
notice we cannot read (99). Nothing of the dossier changes; the signed ones are audited."""

import logging

import pytest

from motcua.core.models import AuditLog
from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.dossiers.transitions import dossier_confirm_payment, dossier_stop
from motcua.payments.models import Payment
from motcua.payments.services import payment_start

from .conftest import awaiting_payment, ipn_params

IPN = "/thanh-toan/vnpay/ipn/?"


def _snapshot(dossier):
    d = Dossier.objects.get(pk=dossier.pk)
    return d.status, d.due_at, DossierEvent.objects.filter(dossier=d).count()


@pytest.fixture
def pending(world):
    dossier = awaiting_payment(world)
    payment, _url = payment_start(dossier=dossier, actor=world.officer)
    return dossier, payment


def test_tampered_signature_is_97_and_changes_nothing(client, pending, caplog):
    dossier, payment = pending
    before = _snapshot(dossier)
    query = ipn_params(payment).replace("vnp_ResponseCode=00", "vnp_ResponseCode=00&vnp_Extra=1")  # not signed
    with caplog.at_level(logging.WARNING, logger="motcua.payments"):
        assert client.get(IPN + query).json() == {"RspCode": "97", "Message": "Invalid signature"}
        forged = ipn_params(payment).replace(f"vnp_Amount={payment.amount_vnd * 100}", "vnp_Amount=100")
        assert client.get(IPN + forged).json()["RspCode"] == "97"
        assert client.get(IPN + "vnp_TxnRef=" + payment.txn_ref).json()["RspCode"] == "97"  # no signature at all
    logged = [r.getMessage() for r in caplog.records if "invalid signature" in r.getMessage()]
    assert len(logged) == 3 and all(payment.txn_ref in m for m in logged)  # logged, not audited (anyone can send it)
    assert not AuditLog.objects.filter(action="payment.notice_refused").exists()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert _snapshot(dossier) == before


def test_unknown_order_is_01(client, pending):
    dossier, payment = pending
    before = _snapshot(dossier)
    payment.txn_ref = "NOSUCHORDER1"  # unsaved: a signed notice for an order motcua never made
    assert client.get(IPN + ipn_params(payment)).json() == {"RspCode": "01", "Message": "Order not found"}
    assert _snapshot(dossier) == before
    assert AuditLog.objects.filter(action="payment.notice_refused", object_id="NOSUCHORDER1").exists()


def test_wrong_amount_is_04(client, pending, caplog):
    dossier, payment = pending
    before = _snapshot(dossier)
    with caplog.at_level(logging.WARNING, logger="motcua.payments"):
        answer = client.get(IPN + ipn_params(payment, amount_vnd=payment.amount_vnd - 1000)).json()
    assert any("amount differs" in r.getMessage() and payment.txn_ref in r.getMessage() for r in caplog.records)
    assert answer == {"RspCode": "04", "Message": "Invalid amount"}
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert _snapshot(dossier) == before
    assert AuditLog.objects.filter(action="payment.notice_refused", object_id=str(payment.pk)).exists()


def test_duplicate_is_02_and_confirms_once(client, pending, caplog):
    dossier, payment = pending
    assert client.get(IPN + ipn_params(payment)).json()["RspCode"] == "00"
    after_first = _snapshot(dossier)
    assert after_first[0] == Status.PROCESSING
    with caplog.at_level(logging.WARNING, logger="motcua.payments"):
        assert client.get(IPN + ipn_params(payment)).json() == {"RspCode": "02", "Message": "Order already confirmed"}
    assert any("duplicate" in r.getMessage() for r in caplog.records)
    assert client.get(IPN + ipn_params(payment, success=False)).json()["RspCode"] == "02"
    assert _snapshot(dossier) == after_first
    assert DossierEvent.objects.filter(dossier=dossier, action="confirm_payment").count() == 1


@pytest.mark.parametrize("moved_on", ["confirmed_by_hand", "stopped", "asked_again"])
def test_late_notice_changes_nothing(client, world, pending, moved_on):
    dossier, payment = pending
    if moved_on == "confirmed_by_hand":
        dossier_confirm_payment(dossier=dossier, actor=world.officer, note="Nộp tiền mặt tại quầy")
    elif moved_on == "stopped":
        dossier_stop(dossier=dossier, actor=world.leader, reason="Dừng theo đề nghị của cơ quan thuế")
    else:  # paid by hand, then a second obligation (another amount): the old payment does not pay it
        from motcua.dossiers.transitions import dossier_require_payment

        dossier_confirm_payment(dossier=dossier, actor=world.officer)
        dossier_require_payment(dossier=dossier, actor=world.boss, amount_vnd=payment.amount_vnd)
    before = _snapshot(dossier)
    answer = client.get(IPN + ipn_params(payment)).json()
    assert answer["RspCode"] == "02"
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING and payment.gateway_transaction_no == ""
    assert _snapshot(dossier) == before
    entry = AuditLog.objects.filter(action="payment.notice_refused", object_id=str(payment.pk)).get()
    assert "late" in entry.changes["reason"]


def test_declined_payment_is_recorded_and_the_dossier_still_waits(client, pending):
    dossier, payment = pending
    before = _snapshot(dossier)
    assert client.get(IPN + ipn_params(payment, success=False)).json()["RspCode"] == "00"
    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED and payment.gateway_response_code == "24"
    assert _snapshot(dossier) == before
    assert before[0] == Status.PAYMENT_REQUIRED


def test_unreadable_or_unsupported_requests_never_500(client, pending):
    assert client.get(IPN + "vnp_Amount=%00").status_code in (200, 400)
    assert client.post(IPN).status_code == 405
    assert client.get(IPN).json()["RspCode"] == "97"
