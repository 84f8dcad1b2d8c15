"""The national portal's payment platform (providers/paygov.py) behind the same interface as VNPay: the payment
link opens a transaction at the platform (signed as OpenCPS's client signs it); its signed JSON callback confirms
the payment, resumes the clock once and issues the receipt; a tampered, unknown, wrong-amount, duplicate or late
callback changes nothing, is logged and (when signed) audited, and is answered in the platform's words; a platform
that cannot open the transaction is a 503 and nothing is kept."""

import json
import logging

import pytest

from motcua.core.models import AuditLog
from motcua.core.testing import requires_postgres, run_at_once
from motcua.dossiers.models import Dossier, DossierEvent, Pause, Status
from motcua.dossiers.transitions import dossier_confirm_payment
from motcua.payments.models import Payment, Receipt
from motcua.payments.services import GatewayUnavailable, payment_start
from motcua.workcalendar.selectors import Calendar

from .conftest import AMOUNT, PAYGOV_CLIENT, PAYGOV_KEY_1, awaiting_payment, paygov_callback, paygov_sign

NOTIFY = "/thanh-toan/paygov/thong-bao/"
OK = {"return_code": 0, "return_msg": "success"}


def _post(client, body):
    return client.post(NOTIFY, data=json.dumps(body), content_type="application/json")


def _snapshot(dossier):
    d = Dossier.objects.get(pk=dossier.pk)
    return d.status, d.due_at, DossierEvent.objects.filter(dossier=d).count()


@pytest.fixture
def pending(world, paygov_platform):
    dossier = awaiting_payment(world)
    payment, url = payment_start(dossier=dossier, actor=world.officer, client_ip="203.0.113.9")
    return dossier, payment, url


def test_the_link_opens_a_signed_transaction_at_the_platform(world, pending, paygov_platform):
    dossier, payment, url = pending
    assert payment.provider == "paygov" and url.startswith(paygov_platform.url + "/thanh-toan/")
    create = [r for r in paygov_platform.received if r["kind"] == "create"]
    assert len(create) == 1 and create[0]["answer"]["error"] == "0"
    body = create[0]["body"]
    assert body["check_sum"] == paygov_sign(body, PAYGOV_KEY_1)
    assert (body["client_id"], body["transaction_id"], body["trans_amount"]) == (PAYGOV_CLIENT, payment.txn_ref, str(AMOUNT))
    assert body["bill_info"]["MaHoSo"] == dossier.code
    assert body["bill_info"]["MaTTHC"] == dossier.procedure_version.procedure.code
    assert body["bill_info"]["DSKhoanNop"] == [{"NoiDung": body["description"], "SoTien": str(AMOUNT)}]
    assert body["return_url"].startswith(f"http://testserver/thanh-toan/paygov/ket-qua/?ref={payment.txn_ref}:")


def test_the_return_page_shows_the_payment_only_with_our_signed_reference(client, pending, paygov_platform):
    _dossier, payment, _url = pending
    url = [r["body"]["return_url"] for r in paygov_platform.received if r["kind"] == "create"][0]
    page = client.get(url.removeprefix("http://testserver"))
    assert page.status_code == 200 and payment.dossier.code in page.content.decode()
    assert "đang chờ cổng thanh toán xác nhận" in page.content.decode()
    for forged in (f"?ref={payment.txn_ref}", f"?ref={payment.txn_ref}:forged", ""):
        answer = client.get("/thanh-toan/paygov/ket-qua/" + forged)
        shown = answer.content.decode()
        assert answer.status_code == 404 and payment.dossier.code not in shown and "1.500.000" not in shown


def test_signed_callback_resumes_the_clock_once_and_issues_the_receipt(client, world, pending, templates_ready):
    dossier, payment, _url = pending
    due_before = dossier.due_at
    assert _post(client, paygov_callback(payment, transaction_code="DVC777")).json() == OK
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID and payment.gateway_transaction_no == "DVC777"
    d = Dossier.objects.get(pk=dossier.pk)
    pause = Pause.objects.get(dossier=d, reason=Pause.Reason.PAYMENT)
    assert d.status == Status.PROCESSING
    assert d.due_at == Calendar().add_working_seconds(due_before, pause.working_seconds)
    assert Receipt.objects.filter(payment=payment).count() == 1
    assert AuditLog.objects.filter(action="payment.paid", object_id=str(payment.pk)).count() == 1

    after = _snapshot(dossier)
    assert _post(client, paygov_callback(payment, transaction_code="DVC777")).json() == {
        "return_code": 0,
        "return_msg": "already confirmed",
    }
    assert _snapshot(dossier) == after
    assert DossierEvent.objects.filter(dossier=dossier, action="confirm_payment").count() == 1
    assert Receipt.objects.filter(payment__dossier=dossier).count() == 1


def test_tampered_or_foreign_callbacks_are_refused_and_logged(client, pending, caplog):
    dossier, payment, _url = pending
    before = _snapshot(dossier)
    forged = paygov_callback(payment)
    forged["trans_amount"] = "1000"  # changed after signing
    other_client = paygov_callback(payment, client_id="SOMEONE-ELSE")
    unsigned = {k: v for k, v in paygov_callback(payment).items() if k != "check_sum"}
    with caplog.at_level(logging.WARNING, logger="motcua.payments"):
        for body in (forged, other_client, unsigned):
            assert _post(client, body).json() == {"return_code": -1, "return_msg": "error: check_sum invalid"}
        assert client.post(NOTIFY, data="not json", content_type="application/json").json()["return_code"] == -1
    assert sum("invalid signature" in r.getMessage() for r in caplog.records) == 4
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert _snapshot(dossier) == before
    assert client.get(NOTIFY).status_code == 405


def test_unknown_and_wrong_amount_callbacks_change_nothing_and_are_audited(client, pending):
    dossier, payment, _url = pending
    before = _snapshot(dossier)
    assert _post(client, paygov_callback(payment, amount_vnd=AMOUNT - 1000)).json()["return_msg"] == "error: invalid amount"
    payment_ref = payment.txn_ref
    payment.txn_ref = "NOSUCHTXN0001"  # unsaved: a signed callback about a transaction motcua never opened
    assert _post(client, paygov_callback(payment)).json()["return_msg"] == "error: transaction not found"
    payment.refresh_from_db()
    assert payment.txn_ref == payment_ref and payment.status == Payment.Status.PENDING
    assert _snapshot(dossier) == before
    reasons = dict(AuditLog.objects.filter(action="payment.notice_refused").values_list("object_id", "changes__reason"))
    assert reasons == {str(payment.pk): "amount differs", "NOSUCHTXN0001": "unknown order"}


def test_late_callback_after_the_dossier_moved_on_changes_nothing(client, world, pending):
    dossier, payment, _url = pending
    dossier_confirm_payment(dossier=dossier, actor=world.officer, note="Nộp tiền mặt tại quầy")
    before = _snapshot(dossier)
    assert _post(client, paygov_callback(payment)).json()["return_code"] == 0  # received; nothing to retry
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING and payment.gateway_transaction_no == ""
    assert _snapshot(dossier) == before
    entry = AuditLog.objects.filter(action="payment.notice_refused", object_id=str(payment.pk)).get()
    assert "late" in entry.changes["reason"]


def test_declined_callback_records_a_failed_payment_and_the_dossier_still_waits(client, pending):
    dossier, payment, _url = pending
    before = _snapshot(dossier)
    assert _post(client, paygov_callback(payment, status=2)).json() == OK
    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED
    assert _snapshot(dossier) == before and before[0] == Status.PAYMENT_REQUIRED


def test_a_platform_that_cannot_open_the_transaction_is_a_503_and_keeps_nothing(client, world, paygov, settings):
    settings.PAYGOV_CREATE_URL = "http://127.0.0.1:9/api/transaction/create"  # nothing listens there
    dossier = awaiting_payment(world)
    with pytest.raises(GatewayUnavailable):
        payment_start(dossier=dossier, actor=world.officer)
    assert not Payment.objects.filter(dossier=dossier).exists()
    client.force_login(world.officer)
    response = client.post(f"/api/v1/dossiers/{dossier.code}/payment-link/")
    assert response.status_code == 503 and response.json()["code"] == "gateway_unavailable"
    assert not Payment.objects.filter(dossier=dossier).exists()


def test_reconciliation_asks_the_platform_about_each_payment_of_the_day(client, world, paygov_platform):
    import hashlib
    import hmac
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    from motcua.payments.providers.vnpay import VIETNAM

    def start():
        return payment_start(dossier=awaiting_payment(world), actor=world.officer)[0]

    def paid_here(payment, code):
        assert _post(client, paygov_callback(payment, transaction_code=code)).json() == OK

    matched, lost, other_amount, only_here, never_paid = (start() for _ in range(5))
    paid_here(matched, paygov_platform.settle(matched.txn_ref, approve=True)["transaction_code"])
    paygov_platform.mark_paid(lost.txn_ref, AMOUNT)  # the platform took the money; the callback never came
    paid_here(other_amount, paygov_platform.settle(other_amount.txn_ref, approve=True)["transaction_code"])
    paygov_platform.set_amount(other_amount.txn_ref, AMOUNT * 2)
    paid_here(only_here, "DVC-NOT-AT-THE-PLATFORM")

    out = StringIO()
    call_command("reconcile_payments", "--date", timezone.now().astimezone(VIETNAM).strftime("%d/%m/%Y"), stdout=out)
    text = out.getvalue()
    assert "(paygov): đã truy vấn 5 khoản, cổng thanh toán báo đã thanh toán 3, motcua ghi nhận đã nộp 3, 3 chênh lệch" in text
    lines = text.splitlines()[1:]
    assert any(lost.txn_ref in line and "motcua chưa ghi nhận" in line for line in lines)
    assert any(other_amount.txn_ref in line and "Số tiền khác nhau" in line for line in lines)
    assert any(only_here.txn_ref in line and "không báo đã thanh toán" in line for line in lines)
    assert not any(p.txn_ref in line for p in (matched, never_paid) for line in lines)
    details = [r["body"] for r in paygov_platform.received if r["kind"] == "detail"]
    assert len(details) == 5
    for body in details:  # OpenCPS's order for the detail query: client_id|command|transaction_id, key 1
        signed = f"{body['client_id']}|{body['command']}|{body['transaction_id']}"
        assert body["check_sum"] == hmac.new(PAYGOV_KEY_1.encode(), signed.encode(), hashlib.sha256).hexdigest()


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_copies_of_one_callback_at_once_confirm_once(paygov_platform):
    from django.db import connections
    from django.test import Client

    from motcua.dossiers.tests.factories import World

    world = World()
    dossier = awaiting_payment(world)
    payment, _url = payment_start(dossier=dossier, actor=world.officer)
    body = json.dumps(paygov_callback(payment))
    answers = [None] * 20

    def one(i):
        answers[i] = Client().post(NOTIFY, data=body, content_type="application/json").json()["return_msg"]

    connections.close_all()
    errors, backends = run_at_once(20, one)
    assert errors == [] and backends == 20
    assert sorted(answers) == ["already confirmed"] * 19 + ["success"]
    assert DossierEvent.objects.filter(dossier=dossier, action="confirm_payment").count() == 1
    assert Receipt.objects.filter(payment=payment).count() == 1
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PROCESSING
