"""The staff dossier page lists the dossier's online payments and receipts (issue 18 item 4: receipts "listed on the
dossier"): amount, status, gateway transaction, receipt number with its download link — for the staff of the
dossier's agency; another agency's staff get 404 and see none of it. Payments reach the page through the dossier
page's panels (dossiers.panels), which payments registers into: dossiers does not import payments."""

from django.urls import reverse

from motcua.dossiers.tests.factories import World
from motcua.payments.models import Payment, Receipt
from motcua.payments.services import payment_start

from .conftest import awaiting_payment, ipn_params

IPN = "/thanh-toan/vnpay/ipn/?"


def test_the_dossiers_agency_staff_see_payments_and_receipts(client, world, templates_ready):
    dossier = awaiting_payment(world)
    declined, _url = payment_start(dossier=dossier, actor=world.officer)
    assert client.get(IPN + ipn_params(declined, success=False)).json()["RspCode"] == "00"
    paid, _url = payment_start(dossier=dossier, actor=world.officer)
    assert client.get(IPN + ipn_params(paid, transaction_no="14000077")).json()["RspCode"] == "00"
    receipt = Receipt.objects.get(payment=paid)
    declined.refresh_from_db()
    assert declined.status == Payment.Status.FAILED

    client.force_login(world.officer)
    response = client.get(reverse("dossiers:detail", args=[dossier.code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="dossier-payments"' in page
    assert f'data-txn-ref="{paid.txn_ref}"' in page and f'data-txn-ref="{declined.txn_ref}"' in page
    assert "1.500.000" in page and "14000077" in page
    assert str(Payment.Status.PAID.label) in page and str(Payment.Status.FAILED.label) in page
    link = reverse("payments:receipt", args=[receipt.token])
    assert f'href="{link}"' in page and receipt.label in page
    assert client.get(link).status_code == 200


def test_another_agencys_staff_see_nothing(client, world, templates_ready):
    dossier = awaiting_payment(world)
    paid, _url = payment_start(dossier=dossier, actor=world.officer)
    client.get(IPN + ipn_params(paid, transaction_no="14000078"))
    receipt = Receipt.objects.get(payment=paid)

    other = World()
    client.force_login(other.officer)
    response = client.get(reverse("dossiers:detail", args=[dossier.code]))
    assert response.status_code == 404
    page = response.content.decode()
    assert receipt.token not in page and "14000078" not in page and paid.txn_ref not in page


def test_a_dossier_without_online_payments_shows_no_panel(client, world):
    dossier = awaiting_payment(world)
    client.force_login(world.officer)
    page = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
    assert 'id="dossier-payments"' not in page
