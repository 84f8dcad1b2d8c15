"""Browser journey (Playwright + Debian chromium): the applicant looks the dossier up, sees the fee, pays it
through the fake VNPay gateway (a real HTTP server, which sends the signed IPN to the live server), comes back
to the result page and sees the dossier back in processing with its appointment moved."""

from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.tests.factories import APPLICANT, World
from motcua.payments.models import Payment
from motcua.portal.tests.browser import browser_test, shoot

from .conftest import awaiting_payment


@browser_test
def test_applicant_pays_the_fee_online_and_the_dossier_resumes(page, fake_gateway):
    world = World()
    dossier = awaiting_payment(world)
    due_before = dossier.due_at

    page.goto("/tra-cuu/")
    page.fill("input[name=ma]", dossier.code)
    page.fill("input[name=xac_minh]", APPLICANT["id_number"])
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_selector("#nghia-vu-tai-chinh")
    assert "1.500.000 đồng" in page.inner_text("#nghia-vu-tai-chinh")
    shoot(page, "payments-lookup-awaiting-payment")

    page.click("#pay-online")
    page.wait_for_url(fake_gateway.payment_url + "?*")
    assert page.inner_text("#amount") == "1.500.000"
    page.click("#approve")

    page.wait_for_selector("#payment-result")
    assert "Đã thanh toán thành công" in page.inner_text("#payment-result")
    shoot(page, "payments-return-paid")
    page.click("#back-to-dossier")
    page.wait_for_selector("#dossier-status")
    assert page.inner_text("#dossier-status") == Status.PROCESSING.label
    assert page.locator("#nghia-vu-tai-chinh").count() == 0
    assert "Đã xác nhận nghĩa vụ tài chính" in page.inner_text(".timeline")

    payment = Payment.objects.get(dossier=dossier)
    assert payment.status == Payment.Status.PAID
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == Status.PROCESSING and dossier.due_at > due_before
    assert page.console_errors == []
