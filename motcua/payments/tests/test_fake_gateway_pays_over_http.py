"""The fake gateway over real HTTP: it refuses a payment URL whose signature does not hold, shows the payment
page for a signed one, and on Approve sends the signed IPN to motcua (which confirms) and sends the browser to
the return URL with signed parameters; /_received lists what it got and its transaction query (querydr) answers
the payment as paid."""

import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.tests.factories import World
from motcua.payments.models import Payment
from motcua.payments.providers import Lookup
from motcua.payments.providers.vnpay import VNPay, signature_holds
from motcua.payments.services import payment_start

from .conftest import SECRET, awaiting_payment

pytestmark = pytest.mark.django_db(transaction=True)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=20) as r:  # noqa: S310 - the local fake
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _choose(fake, page: str, choice: str):
    token = re.search(r"name='order' value='([^']+)'", page).group(1)
    body = urllib.parse.urlencode({"order": token, "choice": choice}).encode()
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(fake.url + "/paymentv2/choose", data=body, timeout=30)
    except urllib.error.HTTPError as exc:
        assert exc.code == 302
        return exc.headers["Location"]
    raise AssertionError("no redirect")


def test_approve_confirms_through_the_ipn_and_returns_signed(fake_gateway):
    world = World()
    dossier = awaiting_payment(world)
    payment, url = payment_start(dossier=dossier, actor=world.officer)
    assert url.startswith(fake_gateway.payment_url + "?")

    tampered = url.replace("vnp_Amount=150000000", "vnp_Amount=100")
    status, page = _get(tampered)
    assert status == 400 and "Sai chữ ký" in page

    status, page = _get(url)
    assert status == 200 and "1.500.000" in page and payment.txn_ref in page
    location = _choose(fake_gateway, page, "approve")
    back = urllib.parse.urlsplit(location)
    assert location.startswith(fake_gateway.ipn_url.replace("/ipn/", "/ket-qua/") + "?")
    params = dict(urllib.parse.parse_qsl(back.query))
    assert signature_holds(params, SECRET) and params["vnp_ResponseCode"] == "00" and params["vnp_TxnRef"] == payment.txn_ref

    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID and payment.gateway_transaction_no == params["vnp_TransactionNo"]
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PROCESSING

    status, received = _get(fake_gateway.url + "/_received")
    kinds = [(r["kind"], r.get("valid"), (r.get("answer") or {}).get("RspCode")) for r in json.loads(received)]
    assert kinds == [
        ("payment_request", False, None),
        ("payment_request", True, None),
        ("choice", None, None),
        ("ipn", None, "00"),
    ]

    status, returned = _get(location)  # the applicant's return page (no session needed to read the result)
    assert status == 200 and "Đã thanh toán thành công" in returned

    # The gateway's transaction query (querydr) now knows the order as paid, with the number the IPN carried.
    state = VNPay().query(Lookup(txn_ref=payment.txn_ref, amount_vnd=payment.amount_vnd, created_at=payment.created_at))
    assert state.found and state.paid and state.amount_vnd == payment.amount_vnd
    assert state.transaction_no == payment.gateway_transaction_no


def test_decline_leaves_the_dossier_waiting(fake_gateway):
    world = World()
    dossier = awaiting_payment(world)
    payment, url = payment_start(dossier=dossier, actor=world.officer)
    location = _choose(fake_gateway, _get(url)[1], "decline")
    assert dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))["vnp_ResponseCode"] == "24"
    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PAYMENT_REQUIRED
    status, returned = _get(location)
    assert status == 200 and "không thành công" in returned
    state = VNPay().query(Lookup(txn_ref=payment.txn_ref, amount_vnd=payment.amount_vnd, created_at=payment.created_at))
    assert state.found and not state.paid and state.status == "02"
