"""The lookup page offers "Thanh toán trực tuyến" for a dossier awaiting a payment with a stated amount, once
the visitor verified the dossier; the link is refused to anyone who did not, and is not offered when online
payment is not set up or there is nothing to pay."""

from django.urls import reverse

from motcua.dossiers.tests.factories import APPLICANT, receive
from motcua.payments.models import Payment

from .conftest import awaiting_payment


def _verify(client, dossier):
    assert client.post(reverse("portal:lookup"), {"ma": dossier.code, "xac_minh": APPLICANT["id_number"]}).status_code == 302


def test_verified_applicant_gets_the_pay_link(client, world):
    dossier = awaiting_payment(world)
    pay = reverse("portal:payment", args=[dossier.code])
    refused = client.get(pay)
    assert refused.status_code == 302 and refused["Location"].startswith(reverse("portal:lookup"))
    assert not Payment.objects.exists()

    _verify(client, dossier)
    assert 'id="pay-online"' in client.get(reverse("portal:lookup-detail", args=[dossier.code])).content.decode()
    response = client.get(pay)
    assert response.status_code == 302 and response["Location"].startswith("https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?")
    assert Payment.objects.get(dossier=dossier).status == Payment.Status.PENDING


def test_no_link_without_settings_or_without_anything_to_pay(client, world, settings):
    dossier = awaiting_payment(world)
    other = receive(world)
    _verify(client, dossier)
    _verify(client, other)
    assert 'id="pay-online"' not in client.get(reverse("portal:lookup-detail", args=[other.code])).content.decode()
    response = client.get(reverse("portal:payment", args=[other.code]))
    assert response.status_code == 302 and response["Location"] == reverse("portal:lookup-detail", args=[other.code])
    settings.VNPAY_HASH_SECRET = ""
    assert 'id="pay-online"' not in client.get(reverse("portal:lookup-detail", args=[dossier.code])).content.decode()
    assert not Payment.objects.exists()
