""" "Hồ sơ của tôi" offers the online payment of a dossier awaiting one (the portal's payment link); following
it as the signed-in citizen starts a payment at the gateway, acting as Applicant(via="oidc")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.core.models import AuditLog
from motcua.dossiers.tests.factories import APPLICANT, World
from motcua.payments.models import Payment
from motcua.payments.tests.conftest import AMOUNT, SECRET, TMN_CODE, awaiting_payment

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def test_the_citizen_pays_a_counter_dossier_from_my_dossiers(client, provider, settings):
    settings.VNPAY_TMN_CODE, settings.VNPAY_HASH_SECRET = TMN_CODE, SECRET
    settings.VNPAY_PAYMENT_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
    settings.SITE_URL = "http://testserver"
    dossier = awaiting_payment(World())  # received at the counter for APPLICANT
    provider.state.citizens.append({"personal_id": APPLICANT["id_number"], "name": APPLICANT["full_name"]})

    assert sign_in(client, provider, citizen=APPLICANT["id_number"]).status_code == 302
    page = client.get("/tai-khoan/ho-so/").content.decode()
    pay = reverse("portal:payment", args=[dossier.code])
    assert f'href="{pay}"' in page and f"{AMOUNT:,}".replace(",", ".") in page

    response = client.get(pay)
    assert response.status_code == 302 and response["Location"].startswith(settings.VNPAY_PAYMENT_URL + "?")
    payment = Payment.objects.get(dossier=dossier)
    entry = AuditLog.objects.filter(object_id=str(payment.pk), object_type="payments.payment").order_by("id").first()
    assert entry is not None and entry.actor_repr == "applicant:oidc"
