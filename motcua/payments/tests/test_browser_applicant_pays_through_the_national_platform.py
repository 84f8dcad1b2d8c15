"""Browser journey (Playwright + Debian chromium) through the second provider: with PAYMENT_PROVIDER=paygov the
applicant's link on the lookup page opens a transaction at the fake national payment platform (a real HTTP server),
the applicant pays on its page, the platform's signed callback reaches the live server, and the applicant comes back
to the result page and sees the dossier back in processing."""

from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.tests.factories import APPLICANT, World
from motcua.payments.models import Payment, Receipt
from motcua.portal.tests.browser import browser_test, shoot

from .conftest import awaiting_payment


@browser_test
def test_applicant_pays_through_the_national_platform_and_the_dossier_resumes(page, fake_paygov):
    world = World()
    dossier = awaiting_payment(world)
    due_before = dossier.due_at

    page.goto("/tra-cuu/")
    page.fill("input[name=ma]", dossier.code)
    page.fill("input[name=xac_minh]", APPLICANT["id_number"])
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_selector("#nghia-vu-tai-chinh")

    page.click("#pay-online")
    page.wait_for_url(fake_paygov.url + "/thanh-toan/*")
    assert page.inner_text("#dossier") == dossier.code
    assert page.inner_text("#amount") == "1.500.000"
    shoot(page, "payments-national-platform-page")
    page.click("#approve")

    page.wait_for_selector("#payment-result")
    assert "Đã thanh toán thành công" in page.inner_text("#payment-result")
    page.click("#back-to-dossier")
    page.wait_for_selector("#dossier-status")
    assert page.inner_text("#dossier-status") == Status.PROCESSING.label
    assert page.locator("#nghia-vu-tai-chinh").count() == 0

    payment = Payment.objects.get(dossier=dossier)
    assert payment.provider == "paygov" and payment.status == Payment.Status.PAID
    callbacks = [r for r in fake_paygov.received if r["kind"] == "callback"]
    assert [c["answer"] for c in callbacks] == [{"return_code": 0, "return_msg": "success"}]
    assert payment.gateway_transaction_no.startswith("DVC")
    assert Receipt.objects.filter(payment=payment).exists()
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == Status.PROCESSING and dossier.due_at > due_before
    assert page.console_errors == []
