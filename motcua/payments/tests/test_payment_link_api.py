"""POST /api/v1/dossiers/{code}/payment-link/: a one-stop officer of the dossier's agency gets the signed
VNPay URL; another agency's staff get 404, other roles 403, anonymous 401; a dossier not awaiting payment, one
without an amount, or an installation without VNPay settings: 409. Documented in the OpenAPI schema."""

import hashlib
import hmac
import urllib.parse

from rest_framework.test import APIClient

from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.dossiers.tests.factories import World, receive
from motcua.payments.models import Payment

from .conftest import AMOUNT, SECRET, TMN_CODE, awaiting_payment


def _post(user, code):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client.post(f"/api/v1/dossiers/{code}/payment-link/")


def test_officer_gets_a_signed_vnpay_url(world):
    dossier = awaiting_payment(world)
    response = _post(world.officer, dossier.code)
    assert response.status_code == 200, response.content
    body = response.json()
    url = urllib.parse.urlsplit(body["url"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
    params = dict(urllib.parse.parse_qsl(url.query))
    assert params["vnp_Version"] == "2.1.0" and params["vnp_Command"] == "pay" and params["vnp_TmnCode"] == TMN_CODE
    assert params["vnp_Amount"] == str(AMOUNT * 100) and params["vnp_CurrCode"] == "VND" and params["vnp_Locale"] == "vn"
    assert params["vnp_ReturnUrl"] == "http://testserver/thanh-toan/vnpay/ket-qua/"
    assert len(params["vnp_CreateDate"]) == 14 and params["vnp_IpAddr"]
    assert params["vnp_TxnRef"] == body["txn_ref"] and body["amount_vnd"] == AMOUNT
    # The signature as VNPay's merchant guide computes it: HMAC-SHA512 over the sorted, URL-encoded query.
    signed = "&".join(
        f"{k}={urllib.parse.quote_plus(v)}"
        for k, v in sorted(params.items())
        if k not in ("vnp_SecureHash", "vnp_SecureHashType")
    )
    assert params["vnp_SecureHash"] == hmac.new(SECRET.encode(), signed.encode(), hashlib.sha512).hexdigest()
    assert url.query.startswith(signed + "&vnp_SecureHash=")  # the URL carries the very string that was signed
    assert Payment.objects.get(txn_ref=body["txn_ref"]).status == Payment.Status.PENDING


def test_another_agency_gets_404_and_other_roles_403(world):
    dossier = awaiting_payment(world)
    other = World()
    assert _post(other.officer, dossier.code).status_code == 404
    assert _post(other.boss, dossier.code).status_code in (403, 404)
    assert _post(world.specialist, dossier.code).status_code == 403
    assert _post(None, dossier.code).status_code == 401
    assert _post(world.officer, "KHONG-CO-HO-SO").status_code == 404
    assert not Payment.objects.exists()


def test_not_awaiting_payment_is_409(world):
    dossier = receive(world)
    response = _post(world.officer, dossier.code)
    assert response.status_code == 409 and response.json()["code"] == "not_awaiting_payment"
    no_amount = awaiting_payment(world, amount=None)
    assert _post(world.officer, no_amount.code).json()["code"] == "no_amount"
    assert not Payment.objects.exists()


def test_without_vnpay_settings_it_is_409(world, settings):
    dossier = awaiting_payment(world)
    settings.VNPAY_HASH_SECRET = ""
    response = _post(world.officer, dossier.code)
    assert response.status_code == 409 and response.json()["code"] == "payment_not_configured"


def test_the_operation_is_in_the_openapi_schema(client, db):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/dossiers/{code}/payment-link/"]["post"]
    assert operation["operationId"] == "dossiers_payment_link"
    assert {"200", "401", "403", "404", "409"} <= set(operation["responses"])


def test_an_administrator_of_the_agency_may_too(world):
    admin = make_staff("quantri-tt", Role.ADMINISTRATOR, unit=world.units["VP"])
    dossier = awaiting_payment(world)
    assert _post(admin, dossier.code).status_code == 200


def test_staff_list_the_dossiers_payments_and_receipts(world, client):
    from .conftest import ipn_params

    dossier = awaiting_payment(world)
    link = _post(world.officer, dossier.code).json()
    payment = Payment.objects.get(txn_ref=link["txn_ref"])
    assert client.get("/thanh-toan/vnpay/ipn/?" + ipn_params(payment, transaction_no="14000555")).json()["RspCode"] == "00"
    api = APIClient()
    api.force_authenticate(world.specialist)
    rows = api.get(f"/api/v1/dossiers/{dossier.code}/payments/").json()
    assert [(r["txn_ref"], r["status"], r["gateway_transaction_no"]) for r in rows] == [(payment.txn_ref, "paid", "14000555")]
    assert rows[0]["receipt"]["number"].startswith("0000001/") and "/thanh-toan/bien-lai/" in rows[0]["receipt"]["url"]
    api.force_authenticate(World().officer)
    assert api.get(f"/api/v1/dossiers/{dossier.code}/payments/").status_code == 404
