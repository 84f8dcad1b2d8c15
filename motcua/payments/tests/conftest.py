"""Fixtures of the payments tests: VNPay settings for tests, an agency's dossier awaiting a payment, and
signed gateway notices."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.dossiers.tests.factories import World, receive
from motcua.dossiers.transitions import dossier_forward, dossier_require_payment
from motcua.payments.providers.vnpay import signed_query
from motcua.portal.tests.conftest import chromium_browser, page  # noqa: F401 (browser-test fixtures)

SECRET = "test-only-vnpay-hash-secret"
TMN_CODE = "MOTCUA01"
AMOUNT = 1_500_000


@pytest.fixture
def vnpay(settings):
    settings.VNPAY_TMN_CODE = TMN_CODE
    settings.VNPAY_HASH_SECRET = SECRET
    settings.VNPAY_PAYMENT_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
    settings.SITE_URL = "http://testserver"
    settings.PAYMENT_PROVIDER = "vnpay"
    return settings


@pytest.fixture
def world(db, vnpay):
    return World()


def awaiting_payment(world: World, amount: int | None = AMOUNT, days_ago: int = 6):
    """A counter dossier received `days_ago + 4` days ago, in processing, paused for payment `days_ago` days ago."""
    now = timezone.now()
    d = receive(world, channel="counter", at=now - timedelta(days=days_ago + 4))
    d = dossier_forward(dossier=d, actor=world.boss, at=now - timedelta(days=days_ago + 3))
    return dossier_require_payment(
        dossier=d, actor=world.boss, amount_vnd=amount, note="Lệ phí cấp giấy chứng nhận", at=now - timedelta(days=days_ago)
    )


def ipn_params(payment, *, amount_vnd: int | None = None, success: bool = True, transaction_no: str = "14123456", **extra):
    """The query string VNPay sends to the IPN for this payment, signed with the test secret."""
    params = {
        "vnp_Amount": str((payment.amount_vnd if amount_vnd is None else amount_vnd) * 100),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP14123456",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": "Thanh toan phi ho so",
        "vnp_PayDate": timezone.now().strftime("%Y%m%d%H%M%S"),
        "vnp_ResponseCode": "00" if success else "24",
        "vnp_TmnCode": TMN_CODE,
        "vnp_TransactionNo": transaction_no if success else "0",
        "vnp_TransactionStatus": "00" if success else "02",
        "vnp_TxnRef": payment.txn_ref,
        **extra,
    }
    return signed_query(params, SECRET)


@pytest.fixture
def fake_gateway(live_server, vnpay):
    """The fake VNPay on a free port, sending its IPNs to the live server; the settings point at it."""
    from motcua.payments.fakegateway import FakeVNPay

    fake = FakeVNPay(secret=SECRET, tmn_code=TMN_CODE, ipn_url=live_server.url + "/thanh-toan/vnpay/ipn/").start()
    vnpay.VNPAY_PAYMENT_URL = fake.payment_url
    vnpay.VNPAY_API_URL = fake.url + "/merchant_webapi/api/transaction"
    vnpay.SITE_URL = live_server.url
    yield fake
    fake.stop()


@pytest.fixture
def templates_ready(db):
    from motcua.notifications.defaults import ensure_default_templates

    ensure_default_templates()


# The national payment platform (providers/paygov.py): the client id and its two keys for tests.
PAYGOV_CLIENT = "MOTCUA-TEST"
PAYGOV_KEY_1 = "test-only-paygov-key-1"
PAYGOV_KEY_2 = "test-only-paygov-key-2"
# The order OpenCPS's client signs (PayGateUtil.generateChecksum), written out here rather than imported.
PAYGOV_SIGNED_ORDER = ["addition_fee", "client_id", "command", "trans_amount", "transaction_id", "version"]


def paygov_sign(data: dict, key: str = PAYGOV_KEY_2) -> str:
    import hashlib
    import hmac

    text = "|".join(str(data[k]) for k in PAYGOV_SIGNED_ORDER)
    return hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest()


def paygov_callback(payment, *, amount_vnd: int | None = None, status: int = 0, transaction_code: str = "DVC1001", **extra):
    """The JSON the national platform POSTs to the notify URL for this payment, signed with key 2."""
    body = {
        "client_id": PAYGOV_CLIENT,
        "transaction_id": payment.txn_ref,
        "transaction_code": transaction_code if status == 0 else "",
        "trans_amount": str(payment.amount_vnd if amount_vnd is None else amount_vnd),
        "payment_fee": "0",
        "command": "PAY",
        "addition_fee": "0",
        "version": "3.0",
        "status": status,
        **extra,
    }
    body["check_sum"] = paygov_sign(body)
    return body


@pytest.fixture
def paygov(vnpay):
    settings = vnpay  # set up after the VNPay settings whatever the order of a test's fixtures
    settings.PAYMENT_PROVIDER = "paygov"
    settings.PAYGOV_CLIENT_ID = PAYGOV_CLIENT
    settings.PAYGOV_HASH_KEY_1 = PAYGOV_KEY_1
    settings.PAYGOV_HASH_KEY_2 = PAYGOV_KEY_2
    settings.PAYGOV_VERSION = "3.0"
    settings.SITE_URL = "http://testserver"
    return settings


@pytest.fixture
def paygov_platform(paygov):
    """The fake national platform on a free port (callbacks to nowhere: tests post them with the test client)."""
    from motcua.payments.fakepaygov import FakePayGov

    fake = FakePayGov(client_id=PAYGOV_CLIENT, key_1=PAYGOV_KEY_1, key_2=PAYGOV_KEY_2, notify_url="http://127.0.0.1:9/unused")
    fake.start()
    paygov.PAYGOV_CREATE_URL = fake.url + "/api/transaction/create"
    paygov.PAYGOV_DETAIL_URL = fake.url + "/api/transaction/detail"
    yield fake
    fake.stop()


@pytest.fixture
def fake_paygov(live_server, paygov):
    """The fake national platform on a free port, sending its callbacks to the live server; the settings point at it."""
    from motcua.payments.fakepaygov import FakePayGov

    notify_url = live_server.url + "/thanh-toan/paygov/thong-bao/"
    fake = FakePayGov(client_id=PAYGOV_CLIENT, key_1=PAYGOV_KEY_1, key_2=PAYGOV_KEY_2, notify_url=notify_url).start()
    paygov.PAYGOV_CREATE_URL = fake.url + "/api/transaction/create"
    paygov.PAYGOV_DETAIL_URL = fake.url + "/api/transaction/detail"
    paygov.SITE_URL = live_server.url
    yield fake
    fake.stop()
