"""A confirmed payment gets a numbered electronic receipt in the same transaction: numbered per agency and year
without gaps, a PDF signed with the agency's seal when a key is configured, mailed through the outbox, listed on
the lookup page and downloadable by its secret link. Failed and refused notices issue none."""

from django.urls import reverse

from motcua.documents import signing
from motcua.documents.models import SigningIdentity
from motcua.dossiers.tests.factories import APPLICANT
from motcua.notifications.models import Message
from motcua.payments.models import Receipt
from motcua.payments.services import payment_start

from .conftest import awaiting_payment, ipn_params

IPN = "/thanh-toan/vnpay/ipn/?"


def _pay(client, world, transaction_no):
    dossier = awaiting_payment(world)
    payment, _url = payment_start(dossier=dossier, actor=world.officer)
    assert client.get(IPN + ipn_params(payment, transaction_no=transaction_no)).json()["RspCode"] == "00"
    return dossier, payment


def test_receipts_are_numbered_mailed_listed_and_downloadable(client, world, templates_ready):
    dossier, payment = _pay(client, world, "14000001")
    second, _ = _pay(client, world, "14000002")
    first = Receipt.objects.get(payment=payment)
    assert [r.number for r in Receipt.objects.filter(agency=world.agency).order_by("number")] == [1, 2]
    assert bytes(first.pdf).startswith(b"%PDF") and first.signed_by == ""  # no seal key configured: unsigned
    mail = Message.objects.get(template_code="payment_receipt", object_id=str(first.pk))
    assert mail.recipient == APPLICANT["email"] and first.label in mail.subject
    assert f"/thanh-toan/bien-lai/{first.token}/" in mail.body and "1.500.000 đồng" in mail.body

    download = client.get(reverse("payments:receipt", args=[first.token]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert bytes(download.content) == bytes(first.pdf)
    assert client.get(reverse("payments:receipt", args=["khong-co"])).status_code == 404

    client.post(reverse("portal:lookup"), {"ma": dossier.code, "xac_minh": APPLICANT["id_number"]})
    html = client.get(reverse("portal:lookup-detail", args=[dossier.code])).content.decode()
    assert first.label in html and reverse("payments:receipt", args=[first.token]) in html


def test_no_receipt_for_a_declined_or_refused_notice(client, world):
    dossier = awaiting_payment(world)
    payment, _url = payment_start(dossier=dossier, actor=world.officer)
    client.get(IPN + ipn_params(payment, amount_vnd=1))
    client.get(IPN + ipn_params(payment, success=False))
    assert not Receipt.objects.exists()


def test_the_receipt_is_signed_with_the_agencys_seal(client, world, tmp_path, monkeypatch, settings):
    from motcua.documents.testpki import create_test_pki

    ca = create_test_pki(tmp_path)
    seal = ca.issue("Ban Quản lý Khu kinh tế tỉnh", passphrase="seal-pass", filename="seal.p12")
    monkeypatch.setenv("MOTCUA_TEST_P12_SEAL", "seal-pass")
    settings.MOTCUA_TRUST_CA_FILES = str(ca.ca_pem)
    SigningIdentity.objects.create(
        kind=SigningIdentity.Kind.AGENCY_SEAL,
        agency=world.agency,
        pkcs12_path=str(seal),
        passphrase_env="MOTCUA_TEST_P12_SEAL",
        display_name="Ban Quản lý Khu kinh tế tỉnh",
    )
    _dossier, payment = _pay(client, world, "14000009")
    receipt = Receipt.objects.get(payment=payment)
    assert receipt.signed_by == "Ban Quản lý Khu kinh tế tỉnh"
    results = signing.verify_pdf_bytes(bytes(receipt.pdf), trust_roots=signing.load_certificates([str(ca.ca_pem)]))
    assert len(results) == 1 and results[0].intact and results[0].valid and results[0].trusted
