"""`manage.py reconcile_payments --date dd/mm/yyyy` asks VNPay's transaction query (querydr, the fake gateway over
HTTP) about each payment of the day, whatever its state here, and lists what differs from what motcua recorded: paid
at the gateway but not here (a lost notice), paid here but not at the gateway, another amount, another transaction
number. Requests are signed over the documented field order; an answer whose signature fails stops the run."""

import hashlib
import hmac
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from motcua.payments.fakegateway import FakeVNPay
from motcua.payments.providers.vnpay import VIETNAM
from motcua.payments.services import payment_start

from .conftest import AMOUNT, SECRET, TMN_CODE, awaiting_payment, ipn_params

# VNPay's documented order of the querydr request's signed fields (merchant API, "Truy vấn kết quả thanh toán").
DOCUMENTED_ORDER = ["vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef", "vnp_TransactionDate",
                    "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo"]  # fmt: skip


@pytest.fixture
def gateway(vnpay):
    fake = FakeVNPay(secret=SECRET, tmn_code=TMN_CODE, ipn_url="http://127.0.0.1:9/unused").start()
    vnpay.VNPAY_API_URL = fake.url + "/merchant_webapi/api/transaction"
    yield fake
    fake.stop()


def _pending(world, at=None):
    payment, _url = payment_start(dossier=awaiting_payment(world), actor=world.officer, at=at)
    return payment


def _paid_here(client, world, transaction_no):
    payment = _pending(world)
    assert client.get("/thanh-toan/vnpay/ipn/?" + ipn_params(payment, transaction_no=transaction_no)).json()["RspCode"] == "00"
    return payment


def _today():
    return timezone.now().astimezone(VIETNAM).strftime("%d/%m/%Y")


def test_reconciliation_lists_each_difference(client, world, gateway):
    matched = _paid_here(client, world, "14000001")
    gateway.mark_paid(matched.txn_ref, AMOUNT, transaction_no="14000001")
    only_here = _paid_here(client, world, "14000002")
    renumbered = _paid_here(client, world, "14000003")
    gateway.mark_paid(renumbered.txn_ref, AMOUNT, transaction_no="14999999")
    other_amount = _paid_here(client, world, "14000005")
    gateway.mark_paid(other_amount.txn_ref, AMOUNT, transaction_no="14000005")
    gateway.set_amount(other_amount.txn_ref, AMOUNT + 1000)
    lost = _pending(world)  # paid at the gateway, the IPN never arrived
    gateway.mark_paid(lost.txn_ref, AMOUNT, transaction_no="14000004")
    never_paid = _pending(world)  # the applicant never reached the payment page: 91 at the gateway
    yesterday = _pending(world, at=timezone.now() - timedelta(days=1))  # another day: not asked
    gateway.mark_paid(yesterday.txn_ref, AMOUNT)

    out = StringIO()
    call_command("reconcile_payments", "--date", _today(), "--provider", "vnpay", stdout=out)
    text = out.getvalue()
    asked = [matched, only_here, renumbered, other_amount, lost, never_paid]
    assert f"đã truy vấn {len(asked)} khoản, cổng thanh toán báo đã thanh toán 4, motcua ghi nhận đã nộp 4, 4 chênh lệch" in text
    lines = text.splitlines()[1:]
    assert len(lines) == 4
    assert any(lost.txn_ref in line and "motcua chưa ghi nhận" in line and "14000004" in line for line in lines)
    assert any(only_here.txn_ref in line and "cổng thanh toán không báo đã thanh toán" in line for line in lines)
    assert any(renumbered.txn_ref in line and "Mã giao dịch khác nhau" in line for line in lines)
    other = f"{AMOUNT + 1000:,}".replace(",", ".")
    assert any(other_amount.txn_ref in line and "Số tiền khác nhau" in line and other in line for line in lines)
    assert not any(p.txn_ref in line for p in (matched, never_paid, yesterday) for line in lines)

    queries = [r for r in gateway.received if r["kind"] == "querydr"]
    assert sorted(q["txn_ref"] for q in queries) == sorted(p.txn_ref for p in asked)
    assert {q["txn_ref"]: q["code"] for q in queries}[never_paid.txn_ref] == "91"
    for q in queries:
        body = q["body"]
        text_signed = "|".join(str(body[k]) for k in DOCUMENTED_ORDER)
        assert body["vnp_SecureHash"] == hmac.new(SECRET.encode(), text_signed.encode(), hashlib.sha512).hexdigest()
        assert body["vnp_Command"] == "querydr" and body["vnp_Version"] == "2.1.0" and body["vnp_TmnCode"] == TMN_CODE
    assert len({q["body"]["vnp_RequestId"] for q in queries}) == len(queries)  # a new request id each time
    by_ref = {q["txn_ref"]: q["body"] for q in queries}
    assert by_ref[lost.txn_ref]["vnp_TransactionDate"] == lost.created_at.astimezone(VIETNAM).strftime("%Y%m%d%H%M%S")


def test_an_answer_whose_signature_fails_stops_the_reconciliation(client, world, gateway):
    payment = _pending(world)
    gateway.mark_paid(payment.txn_ref, AMOUNT)
    honest = gateway.querydr

    def tampered(body):
        answer = honest(body)
        answer["vnp_Amount"] = str(AMOUNT * 100 * 10)  # changed after signing
        return answer

    gateway.querydr = tampered
    with pytest.raises(CommandError, match="signature"):
        call_command("reconcile_payments", "--date", _today(), "--provider", "vnpay", stdout=StringIO())


def test_a_bad_date_or_a_refused_request_is_a_clear_error(world, gateway, settings):
    _pending(world)
    with pytest.raises(CommandError, match="dd/mm/yyyy"):
        call_command("reconcile_payments", "--date", "2026-12-07")
    settings.VNPAY_HASH_SECRET = "another-secret"  # the gateway refuses the request's signature (97, unsigned)
    with pytest.raises(CommandError, match="Không đối soát được"):
        call_command("reconcile_payments", "--date", _today(), "--provider", "vnpay", stdout=StringIO())
    settings.VNPAY_HASH_SECRET = SECRET
    settings.VNPAY_API_URL = "http://127.0.0.1:9/merchant_webapi/api/transaction"  # nothing listens there
    with pytest.raises(CommandError, match="Không đối soát được"):
        call_command("reconcile_payments", "--date", _today(), "--provider", "vnpay", stdout=StringIO())


def test_an_agency_s_reconciliation_asks_only_about_its_own_payments(client, world, gateway):
    from motcua.dossiers.tests.factories import World

    other = World()  # a second agency on the same system
    ours = _paid_here(client, world, "14000011")
    theirs = _paid_here(client, other, "14000012")
    gateway.mark_paid(theirs.txn_ref, AMOUNT, transaction_no="14000012")
    out = StringIO()
    call_command("reconcile_payments", "--date", _today(), "--provider", "vnpay", "--agency", world.agency.code, stdout=out)
    assert "đã truy vấn 1 khoản" in out.getvalue() and ours.txn_ref in out.getvalue()
    assert theirs.txn_ref not in out.getvalue()
    assert [r["txn_ref"] for r in gateway.received if r["kind"] == "querydr"] == [ours.txn_ref]
    with pytest.raises(CommandError, match="Không có cơ quan"):
        call_command("reconcile_payments", "--date", _today(), "--agency", "NO.SUCH", stdout=StringIO())
