"""`manage.py reconcile_payments --date dd/mm/yyyy` reads the gateway's signed daily report (from the fake
gateway over HTTP) and lists what differs from the payments motcua recorded: a gateway payment motcua did not
record (a late notice), one motcua recorded that the gateway does not list, a different transaction number."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from motcua.payments.fakegateway import FakeVNPay
from motcua.payments.providers.vnpay import VIETNAM
from motcua.payments.services import payment_start

from .conftest import SECRET, TMN_CODE, awaiting_payment, ipn_params


@pytest.fixture
def gateway(vnpay):
    fake = FakeVNPay(secret=SECRET, tmn_code=TMN_CODE, ipn_url="http://127.0.0.1:9/unused").start()
    vnpay.VNPAY_REPORT_URL = fake.url + "/merchant_webapi/report"
    yield fake
    fake.stop()


def _listed(fake, payment, transaction_no, amount_vnd=None):
    """A successful transaction in the gateway's books, as the fake records it when the applicant approves."""
    order = {"vnp_Amount": str((amount_vnd or payment.amount_vnd) * 100), "vnp_OrderInfo": "x", "vnp_TmnCode": TMN_CODE}
    result = fake.result_params({**order, "vnp_TxnRef": payment.txn_ref}, approve=True)
    result["vnp_TransactionNo"] = transaction_no
    fake.transactions.append(result)


def _paid(client, world, transaction_no):
    dossier = awaiting_payment(world)
    payment, _url = payment_start(dossier=dossier, actor=world.officer)
    assert client.get("/thanh-toan/vnpay/ipn/?" + ipn_params(payment, transaction_no=transaction_no)).json()["RspCode"] == "00"
    return payment


def test_reconciliation_lists_each_difference(client, world, gateway):
    matched = _paid(client, world, "14000001")
    _listed(gateway, matched, "14000001")
    only_here = _paid(client, world, "14000002")
    renumbered = _paid(client, world, "14000003")
    _listed(gateway, renumbered, "14999999")
    late, _url = payment_start(dossier=awaiting_payment(world), actor=world.officer)  # the IPN never confirmed it
    _listed(gateway, late, "14000004")

    out = StringIO()
    call_command("reconcile_payments", "--date", timezone.now().astimezone(VIETNAM).strftime("%d/%m/%Y"), stdout=out)
    text = out.getvalue()
    assert "cổng thanh toán 3 giao dịch thành công, motcua ghi nhận 3 khoản đã nộp, 3 chênh lệch" in text
    lines = text.splitlines()[1:]
    assert any(late.txn_ref in line and "motcua chưa ghi nhận" in line for line in lines)
    assert any(only_here.txn_ref in line and "báo cáo của cổng thanh toán không có" in line for line in lines)
    assert any(renumbered.txn_ref in line and "Mã giao dịch khác nhau" in line for line in lines)
    assert not any(matched.txn_ref in line for line in lines)
    assert [r["kind"] for r in gateway.received] == ["report"]


def test_a_bad_date_or_an_unreachable_gateway_is_a_clear_error(world, gateway, settings):
    with pytest.raises(CommandError, match="dd/mm/yyyy"):
        call_command("reconcile_payments", "--date", "2026-12-07")
    settings.VNPAY_HASH_SECRET = "another-secret"  # the gateway refuses the request's signature
    with pytest.raises(CommandError, match="Không lấy được báo cáo"):
        call_command("reconcile_payments", "--date", "07/12/2026")
